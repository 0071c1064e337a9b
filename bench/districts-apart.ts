// Where does a memory store's second district cost the first district's dry run? Runs the
// dry run of (i)/(j) once, in this process, with the second district:
//   none   as (i): the district alone
//   store  as (j): the second district in the same store
//   apart  the second district in another memory store, kept alive in this process: the same
//          heap as (j), but nothing of it in the store the run reads
// If `apart` costs what `store` costs, the cost is the heap the process holds (garbage
// collection), not the store's reads.
//
//   node --import tsx --expose-gc --max-old-space-size=16384 bench/districts-apart.ts 1M apart
import { readFileSync } from 'node:fs';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { createBytesSource } from '../src/sources/bytes-source.js';
import { datasetPaths, parseSize, readRoster, secondDatasetPaths, type RosterFile } from './dataset.js';
import { timed } from './measurement.js';

const size = parseSize(process.argv[2] ?? '1M');
const mode = process.argv[3] ?? 'apart';
if (mode !== 'none' && mode !== 'store' && mode !== 'apart') throw new Error('mode: none, store or apart');
const paths = datasetPaths(size, 7);
const second = secondDatasetPaths(size, 7);

type Store = ReturnType<typeof createMemoryStore>;
async function seed(store: Store, roster: RosterFile, day1: Uint8Array): Promise<void> {
  await store.importRoster({ orgs: roster.orgs, students: roster.students, staff: roster.staff });
  const report = await syncGuardians({ scope: { level: 'district', orgId: roster.districtId }, store, source: createBytesSource({ name: 'guardians.csv', bytes: day1 }) });
  if (report.status.startsWith('failed')) throw new Error(`seeding ${roster.districtId}: ${report.status}`);
  store.data.runs.clear();
}

const roster = readRoster(paths);
const store = createMemoryStore();
await seed(store, roster, readFileSync(paths.day1));
const other = mode === 'apart' ? createMemoryStore() : mode === 'store' ? store : null;
if (other !== null) await seed(other, readRoster(second), readFileSync(second.day1));
const day2 = readFileSync(paths.day2);
const phases: [string, number][] = [];
const run = await timed(() =>
  syncGuardians({
    scope: { level: 'district', orgId: roster.districtId },
    store,
    dryRun: true,
    source: createBytesSource({ name: 'guardians.csv', bytes: day2 }),
    onProgress: (event) => {
      if (phases[phases.length - 1]?.[0] !== event.phase) phases.push([event.phase, performance.now()]);
    },
  }),
);
const phaseSeconds: Record<string, number> = {};
for (let i = 0; i + 1 < phases.length; i++) phaseSeconds[phases[i]![0]] = Math.round(phases[i + 1]![1] - phases[i]![1]) / 1000;
console.log(
  JSON.stringify({
    mode,
    accountsHeld: store.data.accounts.size + (other !== null && other !== store ? other.data.accounts.size : 0),
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    startRssMiB: Math.round(run.startRssBytes / 2 ** 20),
    peakRssMiB: Math.round(run.peakRssBytes / 2 ** 20),
    gc: run.gc,
    phases: phaseSeconds,
    status: run.value.status,
  }),
);
// Keep the other store alive to the end.
if (other !== null && other.data.accounts.size < 0) console.log('unreachable');
