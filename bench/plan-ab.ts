// buildPlan of another checkout against this one, alternating in one process on the same
// inputs (cached-plan-inputs.ts), comparing CPU time. On a shared
// 2-core machine this is the only comparison of two planner versions that holds: separate
// runs move by ±20%.
//
//   git worktree add .bench/base HEAD~3          # the version to compare with
//   npx tsx bench/plan-ab.ts .bench/base 1M      # RUNS=n pairs (default 4)
//   git worktree remove .bench/base
//
// Both plans must be equal (new account ids are numbered); it stops if they are not.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPlan } from '../src/plan/build-plan.js';
import { cachedPlanInputs } from './cached-plan-inputs.js';
import { parseSize } from './dataset.js';

const [otherDir, sizeArg = '300k'] = process.argv.slice(2);
if (otherDir === undefined) throw new Error('usage: plan-ab.ts <other checkout> [size, e.g. 300k or 1M]');
const { snapshot, rows } = await cachedPlanInputs(parseSize(sizeArg));
const other = (await import(pathToFileURL(resolve(otherDir, 'src/plan/build-plan.ts')).href)) as { buildPlan: typeof buildPlan };

const versions = { other: other.buildPlan, this: buildPlan };
type Name = keyof typeof versions;
const cpu: Record<Name, number[]> = { other: [], this: [] };
const plans: Partial<Record<Name, string>> = {};
const gc = (globalThis as { gc?: () => void }).gc;
const runs = Number(process.env['RUNS'] ?? 4);
for (let run = 0; run < runs; run++) {
  const order: Name[] = run % 2 === 0 ? ['other', 'this'] : ['this', 'other'];
  for (const name of order) {
    gc?.();
    let next = 0;
    const started = process.cpuUsage();
    const plan = versions[name]({ rows, snapshot, settings: { source: 'guardian-file', newAccountId: () => `new-${next++}` } });
    const used = process.cpuUsage(started);
    cpu[name].push((used.user + used.system) / 1000);
    if (run === 0) plans[name] = JSON.stringify(plan);
  }
  if (run === 0 && plans.other !== plans.this) throw new Error('the two versions plan differently: compare them with plan-compare.ts');
}
const best = (name: Name): number => Math.min(...cpu[name]);
const median = (name: Name): number => [...cpu[name]].sort((a, b) => a - b)[cpu[name].length >> 1]!;
console.log(`buildPlan, ${rows.length} rows against ${snapshot.accounts.length} accounts, ${runs} runs each, CPU ms (plans equal):`);
console.log(`  ${otherDir}: best ${best('other').toFixed(0)}, median ${median('other').toFixed(0)}`);
console.log(`  this checkout: best ${best('this').toFixed(0)}, median ${median('this').toFixed(0)}`);
console.log(`  this / other: ${(best('this') / best('other')).toFixed(3)} (best), ${(median('this') / median('other')).toFixed(3)} (median)`);
