// Where a dry run's memory goes, stage by stage, as the CLI runs it (the snapshot read from
// the SQLite roster file of measurement (k)): after each stage the garbage is collected and
// what the stage left behind (heap, external, RSS) is printed, with the stage's own peak
// RSS (the kernel's high-water mark, reset before the stage) and its wall and CPU time.
//
//   node --import tsx --expose-gc bench/memory-stages.ts 1M [roster.sqlite]
//
// Without a file, the newest seeded `alone.sqlite` of the dataset in .bench/ is used (run
// `BENCH_ONLY=k npm run bench -- 1M` once to seed one).
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import { BENCH_DIR, datasetPaths, newestSeededRoster, parseSize, readRoster } from './dataset.js';
import { readVmHwm, resetPeakRss } from './measurement.js';

const size = parseSize(process.argv[2] ?? '1M');
const paths = datasetPaths(size, 7);
const MiB = 1024 ** 2;

const source = process.argv[3] ?? newestSeededRoster(paths, process.argv[2] ?? '1M');
const work = join(BENCH_DIR, 'work-memory-stages.sqlite');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });
copyFileSync(source, work);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function resetPeak(): void {
  // Not Linux: the peak then covers everything before the stage too.
  resetPeakRss();
}
function peakRss(): number {
  return readVmHwm() ?? process.resourceUsage().maxRSS * 1024;
}

const lines: string[] = [];
async function stage<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  gc!();
  const before = process.memoryUsage();
  resetPeak();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const peak = peakRss();
  gc!();
  const after = process.memoryUsage();
  const mib = (bytes: number) => (bytes / MiB).toFixed(0).padStart(6);
  lines.push(
    `${wall.toFixed(2).padStart(6)} ${((used.user + used.system) / 1e6).toFixed(2).padStart(6)} ${mib(after.heapUsed - before.heapUsed)} ${mib(after.heapUsed)} ${mib(after.external + after.arrayBuffers)} ${mib(after.rss)} ${mib(peak)}  ${name}`,
  );
  return value;
}

const roster = readRoster(paths);
const store = createSqliteStore({ database: work });
const day2 = await stage('file read into memory', () => readFileSync(paths.day2));
const input = await stage('readGuardianInput', () => readGuardianInput(day2, { format: 'guardians', fileName: 'guardians.csv' }));
const scope = (await store.resolveScope({ level: 'district', orgId: roster.districtId }))!;
const logins = await stage('snapshotLogins', () => snapshotLogins(input.rows));
const snapshot = await stage('store.loadSnapshot (SQLite file)', () => store.loadSnapshot(scope, { logins }));
const plan = await stage('buildPlan', () => buildPlan({ rows: input.rows, snapshot, settings: { source: 'guardian-file' } }));
await store.close();

console.log(`memory by stage: ${input.records} rows; ${snapshot.accounts.length} accounts, ${snapshot.links.length} links, ${snapshot.students.length} students in the snapshot; ${plan.rows.length} row outcomes; roster ${source}`);
console.log('  wall s  CPU s  +heap   heap  extern    rss   peak  (MiB; heap, external and RSS after the stage, garbage collected; peak RSS during it)');
for (const line of lines) console.log(`  ${line}`);
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });
