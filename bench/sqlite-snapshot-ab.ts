// The SQLite store's `loadSnapshot` against a frozen copy of its reads before issue 16's
// second round (bench/ab/sqlite-snapshot-before.ts), in one process on one connection,
// alternating (before, after, after, before, ...), each snapshot checked deep-equal (values and
// the order of every array) to the other. For each: CPU and wall time, the heap the snapshot
// retains (garbage collected, snapshot held) and the peak RSS during the read (Linux).
//
//   node --import tsx --expose-gc --max-old-space-size=16384 bench/sqlite-snapshot-ab.ts 1M <roster.sqlite> [rounds]
//
// Pass the seeded roster file (e.g. .bench/sqlite-district-1000000-s7-v3-*/alone.sqlite):
// the bench reads a copy of it.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import type { ResolvedScope, RosterSnapshot, SnapshotLogins } from '../src/model/roster.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import { SnapshotReadsBefore } from './ab/sqlite-snapshot-before.js';
import { BENCH_DIR, datasetPaths, parseSize, readRoster } from './dataset.js';
import { readVmHwm, resetPeakRss } from './measurement.js';

const size = parseSize(process.argv[2] ?? '1M');
const source = process.argv[3];
if (source === undefined) throw new Error('usage: bench/sqlite-snapshot-ab.ts <size> <roster.sqlite> [rounds]');
const rounds = Number(process.argv[4] ?? 4);
const paths = datasetPaths(size, 7);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const MiB = 1024 ** 2;

const work = join(BENCH_DIR, 'work-sqlite-snapshot-ab.sqlite');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });
copyFileSync(source, work);
const store = createSqliteStore({ database: work });
const before = new SnapshotReadsBefore(store.database);
const roster = readRoster(paths);
const scope: ResolvedScope | null = await store.resolveScope({ level: 'district', orgId: roster.districtId });
if (scope === null) throw new Error(`no district ${roster.districtId} in ${source}`);
const logins: SnapshotLogins = await (async () => {
  const input = await readGuardianInput(readFileSync(paths.day2), { format: 'guardians', fileName: 'guardians.csv' });
  return snapshotLogins(input.rows);
})();

function resetPeak(): void {
  // Not Linux: the peak then covers everything before the stage too.
  resetPeakRss();
}
function peakRss(): number {
  return readVmHwm() ?? process.resourceUsage().maxRSS * 1024;
}

interface Sample {
  cpu: number;
  wall: number;
  heap: number;
  peak: number;
}
const variants = {
  before: async () => before.load(scope, logins),
  after: () => store.loadSnapshot(scope, { logins }),
} as const;
type Variant = keyof typeof variants;
const samples: Record<Variant, Sample[]> = { before: [], after: [] };

async function measure(variant: Variant): Promise<RosterSnapshot> {
  gc!();
  gc!();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  resetPeak();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const snapshot = await variants[variant]();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const peak = peakRss() - rssBefore;
  gc!();
  gc!();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  samples[variant].push({ cpu: (used.user + used.system) / 1000, wall, heap, peak });
  return snapshot;
}

/** Equal values with the same key order in every object (JSON, the report, would show it). */
function sameSnapshot(a: RosterSnapshot, b: RosterSnapshot): boolean {
  if (!isDeepStrictEqual(a, b)) return false;
  const keys = (value: object): string => Object.keys(value).join(',');
  for (const field of ['students', 'accounts', 'links'] as const) {
    for (let i = 0; i < a[field].length; i++) if (keys(a[field][i]!) !== keys(b[field][i]!)) return false;
  }
  for (let i = 0; i < a.accounts.length; i++) {
    const ra = a.accounts[i]!.roles;
    const rb = b.accounts[i]!.roles;
    for (let j = 0; j < ra.length; j++) if (keys(ra[j]!) !== keys(rb[j]!)) return false;
  }
  return true;
}

{
  const a = await variants.before();
  const b = await variants.after();
  if (!sameSnapshot(a, b)) throw new Error('the snapshots differ');
  console.log(`same snapshot: ${b.students.length} students, ${b.accounts.length} accounts, ${b.links.length} links; ${logins.emails.length} emails, ${logins.mobiles.length} mobiles asked`);
}
for (let round = 0; round < rounds; round++) {
  const order: Variant[] = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const variant of order) {
    const snapshot = await measure(variant);
    const s = samples[variant].at(-1)!;
    console.log(`  round ${round + 1} ${variant.padEnd(6)} CPU ${(s.cpu / 1000).toFixed(2)} s  wall ${(s.wall / 1000).toFixed(2)} s  retained ${(s.heap / MiB).toFixed(0)} MiB  peak RSS +${(s.peak / MiB).toFixed(0)} MiB  (${snapshot.accounts.length} accounts)`);
  }
}
await store.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const summary = (variant: Variant) => {
  const list = samples[variant];
  return {
    bestCpu: Math.min(...list.map((s) => s.cpu)),
    medianCpu: median(list.map((s) => s.cpu)),
    medianWall: median(list.map((s) => s.wall)),
    heap: median(list.map((s) => s.heap)),
    peak: median(list.map((s) => s.peak)),
  };
};
const b = summary('before');
const a = summary('after');
console.log(`loadSnapshot at ${size} rows, ${rounds} rounds (CPU s best / median, wall s median, retained heap MiB, peak RSS increase MiB, medians):`);
for (const [name, s] of [['before', b], ['after', a]] as const) {
  console.log(`  ${name.padEnd(6)} ${(s.bestCpu / 1000).toFixed(2)} / ${(s.medianCpu / 1000).toFixed(2)}  ${(s.medianWall / 1000).toFixed(2)}  ${(s.heap / MiB).toFixed(0)}  ${(s.peak / MiB).toFixed(0)}`);
}
console.log(`  after/before CPU: best ${(a.bestCpu / b.bestCpu).toFixed(3)}, median ${(a.medianCpu / b.medianCpu).toFixed(3)}; retained heap ${(a.heap / b.heap).toFixed(3)}`);
