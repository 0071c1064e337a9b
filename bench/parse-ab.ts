// The parse stage (`readGuardianInput` of the next-day guardians.csv, measurement (g)) of
// another copy of src/ against this checkout's, alternating in one process on the same bytes,
// with bare csv-parse (measurement (a)) timed between them for the ratio. On a shared 2-core
// machine this is the comparison that holds: separate runs move by ±20%.
//
//   mkdir -p /tmp/parse-base && git archive HEAD src | tar -x -C /tmp/parse-base
//   ln -s "$PWD/node_modules" /tmp/parse-base/node_modules
//   node --import tsx --expose-gc --max-old-space-size=8192 bench/parse-ab.ts /tmp/parse-base 1M   # RUNS=n rounds (default 4)
//
// Both versions must read the bytes to equal inputs (rows, skipped rows, issues, header); it
// stops if they do not. The retained heap is what the GuardianInput holds once the garbage of
// reading is collected (measured warm, so needs --expose-gc).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { GuardianInput } from '../src/input/guardian-input.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { datasetPaths, parseSize } from './dataset.js';

const [otherDir, sizeArg = '300k'] = process.argv.slice(2);
if (otherDir === undefined) throw new Error('usage: parse-ab.ts <other copy of the repository (its src/ is enough)> [size, e.g. 100k, 300k or 1M]');
const size = parseSize(sizeArg);
const bytes = readFileSync(datasetPaths(size, 7).day2);
const other = (await import(pathToFileURL(resolve(otherDir, 'src/input/read-guardian-input.ts')).href)) as { readGuardianInput: typeof readGuardianInput };

type Name = 'other' | 'this' | 'csv-parse';
const read = (reader: typeof readGuardianInput) => (): Promise<GuardianInput> => reader(bytes, { format: 'guardians', fileName: 'guardians.csv' });
const versions: Record<Name, () => Promise<unknown>> = {
  other: read(other.readGuardianInput),
  this: read(readGuardianInput),
  // Measurement (a), as bench/measure-baselines.ts runs it.
  'csv-parse': () => Promise.resolve(parse(bytes, { bom: true, relax_column_count: true }) as string[][]),
};
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc: the retained heap and fair rounds need it');

// First a round that also warms each version up (its caches: the language name table, the
// phone metadata) and checks that both read the same input; then the retained heap of each,
// warm; then the timed rounds.
// In a function of its own, as is each measurement below: a value left in the top-level
// frame would still be reachable when the next one is measured.
async function warmUpAndCompare(): Promise<void> {
  const inputs = [await versions.other(), await versions.this()];
  if (!isDeepStrictEqual(inputs[0], inputs[1])) throw new Error('the two versions read the file differently');
}
await warmUpAndCompare();
/** The heap a version's GuardianInput holds, garbage collected before and after, warm. */
async function retainedBy(name: Name): Promise<number> {
  gc!();
  const heapBefore = process.memoryUsage().heapUsed;
  const held = await versions[name]();
  gc!();
  const heldBytes = process.memoryUsage().heapUsed - heapBefore;
  // Used after the measurement, so that the input is reachable during it.
  if (held === undefined) throw new Error('no input');
  return heldBytes;
}
const retained: Partial<Record<Name, number>> = {};
for (const name of ['other', 'this'] as const) retained[name] = await retainedBy(name);

const cpu: Record<Name, number[]> = { other: [], this: [], 'csv-parse': [] };
const wall: Record<Name, number[]> = { other: [], this: [], 'csv-parse': [] };
const runs = Number(process.env['RUNS'] ?? 4);
for (let run = 0; run < runs; run++) {
  const order: Name[] = run % 2 === 0 ? ['other', 'csv-parse', 'this'] : ['this', 'csv-parse', 'other'];
  for (const name of order) {
    gc();
    const started = process.cpuUsage();
    const startedWall = performance.now();
    await versions[name]();
    wall[name].push(performance.now() - startedWall);
    const used = process.cpuUsage(started);
    cpu[name].push((used.user + used.system) / 1000);
  }
}
const best = (values: number[]): number => Math.min(...values);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const rows = size;
const MiB = 1024 ** 2;
console.log(`readGuardianInput of ${(bytes.byteLength / MiB).toFixed(0)} MiB (${sizeArg} rows), ${runs} rounds each, ms (inputs equal):`);
for (const name of ['other', 'this', 'csv-parse'] as const) {
  const label = name === 'other' ? otherDir : name === 'this' ? 'this checkout' : 'csv-parse alone (a)';
  const ratio = name === 'csv-parse' ? '' : `, CPU best / (a) best ${(best(cpu[name]) / best(cpu['csv-parse'])).toFixed(2)}×, retained heap ${((retained[name] ?? 0) / MiB).toFixed(0)} MiB (${((retained[name] ?? 0) / rows).toFixed(0)} B/row)`;
  console.log(`  ${label}: CPU best ${best(cpu[name]).toFixed(0)}, median ${median(cpu[name]).toFixed(0)}; wall best ${best(wall[name]).toFixed(0)}, median ${median(wall[name]).toFixed(0)}${ratio}`);
}
console.log(`  this / other: CPU ${(best(cpu.this) / best(cpu.other)).toFixed(3)} (best), ${(median(cpu.this) / median(cpu.other)).toFixed(3)} (median)`);
