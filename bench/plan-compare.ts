// buildPlan alone, repeated in one process, on the next-day rows against the day-1 roster of
// a generated district (cached as a V8 snapshot in .bench/ after the first run). Writes the
// plan as JSON, to compare two versions of the planner byte for byte:
//
//   npx tsx bench/plan-compare.ts 300k plan-before.json   # on the old code
//   npx tsx bench/plan-compare.ts 300k plan-after.json    # on the new code
//   cmp .bench/plan-before.json .bench/plan-after.json
//
// RUNS=n repeats the timing (default 3). New account ids are numbered, so plans compare.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { GuardianRow } from '../src/model/guardian-row.js';
import type { RosterSnapshot } from '../src/model/roster.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { createBytesSource } from '../src/sources/bytes-source.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { readGuardianInput } from '../src/sync/read-guardian-input.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { BENCH_DIR, datasetExists, datasetPaths, readRoster, writeDataset } from './dataset.js';

const sizeArg = process.argv[2] ?? '300k';
const size = Math.round(Number(sizeArg.replace(/[kKmM]$/, '')) * (/[kK]$/.test(sizeArg) ? 1e3 : /[mM]$/.test(sizeArg) ? 1e6 : 1));
const out = process.argv[3];

interface Inputs {
  readonly snapshot: RosterSnapshot;
  readonly rows: GuardianRow[];
}

async function inputs(): Promise<Inputs> {
  const cache = join(BENCH_DIR, `plan-inputs-${size}.v8`);
  if (existsSync(cache)) return deserialize(readFileSync(cache)) as Inputs;
  const paths = datasetPaths(size, 7);
  if (!datasetExists(paths)) writeDataset(size, 7);
  const roster = readRoster(paths);
  const scope = { level: 'district' as const, orgId: roster.districtId };
  const store = createMemoryStore({ initial: { orgs: roster.orgs, students: roster.students } });
  await store.importRoster({ orgs: [], students: [], staff: roster.staff });
  const seeded = await syncGuardians({ scope, store, source: createBytesSource({ name: 'guardians.csv', bytes: readFileSync(paths.day1) }) });
  if (seeded.status.startsWith('failed')) throw new Error(`seeding failed: ${seeded.status}`);
  const resolved = await store.resolveScope(scope);
  if (resolved === null) throw new Error('the district of the dataset is not in the store');
  const snapshot = await store.loadSnapshot(resolved);
  const { rows } = await readGuardianInput(readFileSync(paths.day2), { format: 'guardians', fileName: 'guardians.csv' });
  const value: Inputs = { snapshot, rows: [...rows] };
  writeFileSync(cache, serialize(value));
  return value;
}

const { snapshot, rows } = await inputs();
let next = 0;
const settings = { source: 'guardian-file', newAccountId: () => `new-${next++}` };
let plan: ReturnType<typeof buildPlan> | undefined;
for (let run = 0; run < Number(process.env['RUNS'] ?? 3); run++) {
  next = 0;
  const started = performance.now();
  plan = buildPlan({ rows, snapshot, settings });
  console.log(`buildPlan, ${rows.length} rows against ${snapshot.accounts.length} accounts: ${(performance.now() - started).toFixed(0)} ms`);
}
if (plan !== undefined) {
  console.log(JSON.stringify(plan.counts));
  if (out !== undefined) writeFileSync(join(BENCH_DIR, out), JSON.stringify(plan));
}
