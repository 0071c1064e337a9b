// buildPlan alone, repeated in one process, on the next-day rows against the day-1 roster of
// a generated district (cached as a V8 snapshot in .bench/ after the first run). Writes the
// plan as JSON, to compare two versions of the planner byte for byte:
//
//   npx tsx bench/plan-compare.ts 300k plan-before.json   # on the old code
//   npx tsx bench/plan-compare.ts 300k plan-after.json    # on the new code
//   cmp .bench/plan-before.json .bench/plan-after.json
//
// RUNS=n repeats the timing (default 3). New account ids are numbered, so plans compare.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan } from '../src/plan/build-plan.js';
import { cachedPlanInputs } from './cached-plan-inputs.js';
import { BENCH_DIR, parseSize } from './dataset.js';

const size = parseSize(process.argv[2] ?? '300k');
const out = process.argv[3];
const { snapshot, rows } = await cachedPlanInputs(size);
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
