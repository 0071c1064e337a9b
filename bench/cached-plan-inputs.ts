// The inputs of (f) for the planner tools (plan-compare.ts, plan-ab.ts, string-hash-vs-map.ts):
// the next-day rows and the day-1 snapshot of a generated district, made once per size by
// planInputs() and kept as a V8 serialization in .bench/, so that every version of the
// planner and every tool plans the very same snapshot (new account ids are random).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { GuardianRow } from '../src/model/guardian-row.js';
import type { RosterSnapshot } from '../src/model/roster.js';
import { BENCH_DIR, datasetExists, datasetPaths, writeDataset } from './dataset.js';
import { planInputs } from './measure-pipeline.js';

export interface PlanInputs {
  readonly snapshot: RosterSnapshot;
  readonly rows: GuardianRow[];
}

/** The cached inputs for `size` rows (seed 7, as `npm run bench`), made on first use. */
export async function cachedPlanInputs(size: number): Promise<PlanInputs> {
  const cache = join(BENCH_DIR, `plan-inputs-${size}.v8`);
  if (existsSync(cache)) return deserialize(readFileSync(cache)) as PlanInputs;
  const paths = datasetPaths(size, 7);
  if (!datasetExists(paths)) writeDataset(size, 7);
  const { rows, snapshot } = await planInputs(paths);
  const value: PlanInputs = { snapshot, rows: [...rows] };
  writeFileSync(cache, serialize(value));
  return value;
}
