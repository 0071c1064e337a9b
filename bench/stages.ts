// Where the time of a dry run goes, stage by stage, for the profile notes in
// docs/performance.md. Same data and set-up as measurement (b); one process.
//
//   npx tsx bench/stages.ts 300k
//   node --import tsx --cpu-prof --cpu-prof-dir=.bench/profiles bench/stages.ts 300k
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { decodeChunks } from '../src/decode/decode-text.js';
import { detectEncoding } from '../src/decode/detect-encoding.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createBytesSource } from '../src/sources/bytes-source.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { datasetExists, datasetPaths, parseSize, readRoster, writeDataset } from './dataset.js';

const size = parseSize(process.argv[2] ?? '300k');
const only = process.argv[3]; // optional: run only one stage (for a focused profile)
const paths = datasetPaths(size, 7);
if (!datasetExists(paths)) writeDataset(size, 7);
const roster = readRoster(paths);
const day1 = readFileSync(paths.day1);
const day2 = readFileSync(paths.day2);
const scope = { level: 'district' as const, orgId: roster.districtId };

const store = createMemoryStore({ initial: { orgs: roster.orgs, students: roster.students } });
await store.importRoster({ orgs: [], students: [], staff: roster.staff });
const seeded = await syncGuardians({ scope, store, source: createBytesSource({ name: 'guardians.csv', bytes: day1 }) });
if (seeded.status.startsWith('failed')) throw new Error(`seeding failed: ${seeded.status}`);
store.data.runs.clear();

const times: [string, number, number][] = [];
async function stage<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  times.push([name, (performance.now() - t) / 1000, (used.user + used.system) / 1e6]);
  return value;
}

if (only === undefined || only === 'parse') await stage('csv-parse alone (baseline a)', () => parse(day2, { bom: true, relax_column_count: true }).length);
if (only === undefined || only === 'decode') {
  await stage('detect + decode', () => {
    let chars = 0;
    for (const chunk of decodeChunks(day2, detectEncoding(day2, { fileName: 'guardians.csv' }))) chars += chunk.length;
    return chars;
  });
}
const input = await stage('readGuardianInput (decode, parse, validate, normalize)', () => readGuardianInput(day2, { format: 'guardians', fileName: 'guardians.csv' }));
const resolved = (await store.resolveScope(scope))!;
const logins = await stage('snapshotLogins (the file\'s emails and mobiles)', () => snapshotLogins(input.rows));
const snapshot = await stage('store.loadSnapshot', () => store.loadSnapshot(resolved, { logins }));
await stage('buildPlan (resolve + plan)', () => buildPlan({ rows: input.rows, snapshot, settings: { source: 'guardian-file' } }));
if (only === undefined || only === 'sync') await stage('syncGuardians dry run (everything, for comparison)', () => syncGuardians({ scope, store, dryRun: true, source: createBytesSource({ name: 'guardians.csv', bytes: day2 }) }));

console.log(`stages of a dry run, ${input.records} rows (${size} dataset):`);
console.log('     wall    CPU');
for (const [name, seconds, cpu] of times) console.log(`  ${seconds.toFixed(3).padStart(7)} ${cpu.toFixed(3).padStart(7)}  ${name}`);
