// Measurement (g) of any copy of src/ as bench/run.ts takes it (one cold read in a fresh
// process, `timed` as every measurement is), or (a) with `a` as the copy: before/after
// figures of (g) and (g)/(a) in one session, alternating, without touching the working tree.
//
//   for i in 1 2 3; do for v in /tmp/parse-base . a; do
//     node --import tsx --expose-gc --max-old-space-size=16384 bench/parse-cold.ts $v 1M; done; done
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { readGuardianInput } from '../src/input/read-guardian-input.js';
import { datasetPaths, parseSize } from './dataset.js';
import { timed } from './measurement.js';

const [which = '.', sizeArg = '1M'] = process.argv.slice(2);
const bytes = readFileSync(datasetPaths(parseSize(sizeArg), 7).day2);
let work: () => Promise<number>;
if (which === 'a') {
  work = () => Promise.resolve((parse(bytes, { bom: true, relax_column_count: true }) as string[][]).length - 1);
} else {
  const copy = (await import(pathToFileURL(resolve(which, 'src/input/read-guardian-input.ts')).href)) as { readGuardianInput: typeof readGuardianInput };
  work = async () => (await copy.readGuardianInput(bytes, { format: 'guardians', fileName: 'guardians.csv' })).rows.length;
}
const run = await timed(work);
const MiB = 1024 ** 2;
console.log(
  `${which === 'a' ? '(a) csv-parse' : `(g) ${which}`}: ${run.seconds.toFixed(2)} s, CPU ${run.cpuSeconds.toFixed(2)} s, GC pauses ${run.gc.seconds.toFixed(2)} s, peak RSS ${(run.peakRssBytes / MiB).toFixed(0)} MiB (${run.value} rows)`,
);
