// The OneRoster readers (`readOneRosterUsers`, and `readOneRosterGuardians` over it: the
// reading part of measurement (r)) of another copy of src/ against this checkout's,
// alternating in one process on the same export (generate-oneroster.ts). On a shared 2-core
// machine this is the comparison that holds: separate runs move by ±20%.
//
//   mkdir -p /tmp/or-base && git archive HEAD src | tar -x -C /tmp/or-base
//   ln -s "$PWD/node_modules" /tmp/or-base/node_modules
//   node --import tsx --expose-gc --max-old-space-size=8192 bench/oneroster-ab.ts /tmp/or-base 1M   # RUNS=n rounds (default 4)
//   PEAK=this node --import tsx --expose-gc bench/oneroster-ab.ts /tmp/or-base 1M   # one read of one version (this|other), its peak RSS
//
// Both versions must read the export to equal results (rows, rejected, issues, header); it
// stops if they do not. Retained heap: what the result holds once the garbage of reading is
// collected (warm; needs --expose-gc).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { createOneRosterFiles, type OneRosterFiles } from '../src/oneroster/oneroster-files.js';
import { readOneRosterGuardians } from '../src/oneroster/read-oneroster-guardians.js';
import { readOneRosterUsers } from '../src/oneroster/read-oneroster-users.js';
import { datasetPaths, parseSize } from './dataset.js';
import { oneRosterExportPaths } from './generate-oneroster.js';

const [otherDir, sizeArg = '100k'] = process.argv.slice(2);
if (otherDir === undefined) throw new Error('usage: oneroster-ab.ts <other copy of the repository (its src/ is enough)> [size, e.g. 100k or 1M]');
const size = parseSize(sizeArg);
const dir = oneRosterExportPaths(datasetPaths(size, 7)).dir;
const files: OneRosterFiles = createOneRosterFiles(
  readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.csv'))
    .map((name) => [name, readFileSync(join(dir, name))] as const),
);
const usersBytes = files.get('users.csv')?.byteLength ?? 0;
const otherUsers = (await import(pathToFileURL(resolve(otherDir, 'src/oneroster/read-oneroster-users.ts')).href)) as { readOneRosterUsers: typeof readOneRosterUsers };
const otherGuardians = (await import(pathToFileURL(resolve(otherDir, 'src/oneroster/read-oneroster-guardians.ts')).href)) as {
  readOneRosterGuardians: typeof readOneRosterGuardians;
};

type Name = 'other' | 'this';
type Stage = 'users' | 'guardians';
const versions: Record<Name, Record<Stage, () => unknown>> = {
  other: { users: () => otherUsers.readOneRosterUsers(files), guardians: () => otherGuardians.readOneRosterGuardians(files) },
  this: { users: () => readOneRosterUsers(files), guardians: () => readOneRosterGuardians(files) },
};
const MiB = 1024 ** 2;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc: the retained heap and fair rounds need it');

const peak = process.env['PEAK'] as Name | undefined;
if (peak !== undefined) {
  // One read of one version in this process: its peak RSS (the files read above included).
  const before = process.resourceUsage().maxRSS / 1024;
  const started = process.cpuUsage();
  const result = versions[peak].guardians() as { rows: unknown[] };
  const used = process.cpuUsage(started);
  console.log(
    `${peak}: readOneRosterGuardians of ${(usersBytes / MiB).toFixed(0)} MiB users.csv (${sizeArg}): ${result.rows.length} rows, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (${before.toFixed(0)} MiB before)`,
  );
  process.exit(0);
}

// In functions of their own: a value left in the top-level frame would still be reachable
// when the next one is measured.
function compare(): void {
  const results = [versions.other.guardians(), versions.this.guardians()];
  if (!isDeepStrictEqual(results[0], results[1])) throw new Error('the two versions read the export differently');
}
compare();
function retainedBy(name: Name, stage: Stage): number {
  gc!();
  const heapBefore = process.memoryUsage().heapUsed;
  const held = versions[name][stage]();
  gc!();
  const heldBytes = process.memoryUsage().heapUsed - heapBefore;
  if (held === undefined) throw new Error('no result');
  return heldBytes;
}
const retained: Record<Name, Record<Stage, number>> = { other: { users: 0, guardians: 0 }, this: { users: 0, guardians: 0 } };
for (const name of ['other', 'this'] as const) for (const stage of ['users', 'guardians'] as const) retained[name][stage] = retainedBy(name, stage);

const cpu: Record<Name, Record<Stage, number[]>> = { other: { users: [], guardians: [] }, this: { users: [], guardians: [] } };
const runs = Number(process.env['RUNS'] ?? 4);
for (let run = 0; run < runs; run++) {
  const order: Name[] = run % 2 === 0 ? ['other', 'this'] : ['this', 'other'];
  for (const stage of ['users', 'guardians'] as const) {
    for (const name of order) {
      gc();
      const started = process.cpuUsage();
      versions[name][stage]();
      const used = process.cpuUsage(started);
      cpu[name][stage].push((used.user + used.system) / 1000);
    }
  }
}
const best = (values: number[]): number => Math.min(...values);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
console.log(`OneRoster readers on ${(usersBytes / MiB).toFixed(0)} MiB of users.csv (${sizeArg}), ${runs} rounds each, CPU ms (results equal):`);
for (const stage of ['users', 'guardians'] as const) {
  for (const name of ['other', 'this'] as const) {
    const label = name === 'other' ? otherDir : 'this checkout';
    console.log(`  ${stage === 'users' ? 'readOneRosterUsers' : 'readOneRosterGuardians'}, ${label}: CPU best ${best(cpu[name][stage]).toFixed(0)}, median ${median(cpu[name][stage]).toFixed(0)}; retained heap ${(retained[name][stage] / MiB).toFixed(0)} MiB`);
  }
  console.log(`    this / other: CPU ${(best(cpu.this[stage]) / best(cpu.other[stage])).toFixed(3)} (best), ${(median(cpu.this[stage]) / median(cpu.other[stage])).toFixed(3)} (median)`);
}
