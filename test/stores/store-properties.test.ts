// Properties of the shipped stores over generated rosters of two districts and plans in
// either (docs/identity-rules.md §6, §7): interrupting the memory store's apply at any write
// call and applying again converges to one clean apply; the SQLite store, interrupted
// anywhere, applies nothing; both stores agree; an apply never changes the other district's part.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { SyncPlan } from '../../src/model/plan.js';
import { EMPTY_APPLY_RESULT } from '../../src/apply/plan-writes.js';
import type { RosterStore } from '../../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { interruptWrites } from '../../src/testing/interrupt-writes.js';
import { districtPart, stateOf } from '../../src/testing/roster-store-check.js';
import type { RosterStoreHarness } from '../../src/testing/roster-store-harness.js';
import { seedAndPlanArb, seedWithUniqueLoginsArb, staffRecordsArb, STORE_DISTRICTS } from '../arbitraries/store-plans.js';
import { createMemoryHarness } from './memory-harness.js';
import { createSqliteHarness } from './sqlite-harness.js';
import { applyPlan } from '../../src/apply/apply-plan.js';

/** Write calls a generated plan makes at most (9 phases, each one batch in these stores), and one more. */
const MAX_WRITE_CALLS = 10;

/**
 * True when one item undoes another of the same plan (a link added and removed, a role added
 * or restored and archived, an id removed and added back, two updates of one account). A
 * planner never emits such plans; for the others a second apply changes nothing and so must
 * count nothing.
 */
function selfContradicting(plan: SyncPlan): boolean {
  const added = new Set(plan.linkAdds.map((l) => `${l.accountId}/${l.studentSisId}`));
  const archived = new Set(plan.archives.map((a) => a.accountId));
  const removedIds = new Set(plan.idRemoves.flatMap((r) => r.sisIds.map((id) => `${r.accountId}/${id}`)));
  const updated = plan.updates.map((u) => u.accountId);
  return (
    plan.linkRemoves.some((l) => added.has(`${l.accountId}/${l.studentSisId}`)) ||
    plan.restores.some((r) => archived.has(r.accountId)) ||
    plan.roleAdds.some((r) => archived.has(r.accountId)) ||
    plan.roleAdds.some((r) => r.sisIds.some((id) => removedIds.has(`${r.accountId}/${id}`))) ||
    new Set(updated).size !== updated.length
  );
}

/** The district a plan is not in. */
function otherDistrict(plan: SyncPlan): string {
  return plan.scope.districtId === 'D1' ? 'D2' : 'D1';
}

/**
 * What belongs to one district alone: its students, its links, and each account's roles
 * there. Names and contacts are the person's, shared by every district (a plan that updates
 * them changes them everywhere; the planner is what keeps a district from editing a shared
 * account, §7.5), so they are left out.
 */
async function rolesAndLinksOf(harness: RosterStoreHarness, districtId: string) {
  const part = districtPart(await stateOf(harness), districtId);
  return { ...part, accounts: part.accounts.map((a) => ({ id: a.id, roles: a.roles })) };
}

/** A plan, a seed, and a write call to interrupt at (past the last call: no interruption). */
const interruptedArb = seedAndPlanArb.chain(({ seed, plan }) => fc.nat({ max: MAX_WRITE_CALLS }).map((failAt) => ({ seed, plan, failAt })));

/** Applies through a writer that fails at write call `failAt`; resolves to whether it failed (with STORE_FAILED). */
async function applyInterrupted(store: RosterStore, plan: SyncPlan, failAt: number): Promise<boolean> {
  const outcome: unknown = await applyPlan(interruptWrites(store, { afterCalls: failAt }), plan).then(
    () => 'applied',
    (error: unknown) => error,
  );
  if (outcome === 'applied') return false;
  expect(isGuardianSyncError(outcome) && outcome.code).toBe('STORE_FAILED');
  return true;
}

test.prop([interruptedArb])('memory store: interrupted at any write call, applying the same plan again ends as one clean apply', async ({ seed, plan, failAt }) => {
  const clean = createMemoryHarness();
  await clean.seed(seed);
  await applyPlan(clean.store, plan);

  const interrupted = createMemoryHarness();
  await interrupted.seed(seed);
  await applyInterrupted(interrupted.store, plan, failAt);
  await applyPlan(interrupted.store, plan);
  expect(await stateOf(interrupted)).toEqual(await stateOf(clean));
});

test.prop([seedAndPlanArb])('memory store: applying a plan twice leaves the store as once, and the second apply counts nothing', async ({ seed, plan }) => {
  const harness = createMemoryHarness();
  await harness.seed(seed);
  await applyPlan(harness.store, plan);
  const once = await stateOf(harness);
  const again = await applyPlan(harness.store, plan);
  expect(await stateOf(harness)).toEqual(once);
  if (!selfContradicting(plan)) expect(again).toEqual(EMPTY_APPLY_RESULT);
});

test.prop([seedAndPlanArb])("memory store: an apply leaves the other district's students, links and roles as they were", async ({ seed, plan }) => {
  const harness = createMemoryHarness();
  await harness.seed(seed);
  const before = await rolesAndLinksOf(harness, otherDistrict(plan));
  await applyPlan(harness.store, plan);
  expect(await rolesAndLinksOf(harness, otherDistrict(plan))).toEqual(before);
});

test.prop([interruptedArb], { numRuns: 60 })('SQLite store: interrupted at any write call, nothing of the plan is applied', async ({ seed, plan, failAt }) => {
  const harness = createSqliteHarness({ mode: 'memory' });
  try {
    await harness.seed(seed);
    const before = await stateOf(harness);
    if (await applyInterrupted(harness.store, plan, failAt)) expect(await stateOf(harness)).toEqual(before);
  } finally {
    await harness.cleanup?.();
  }
});

test.prop([seedAndPlanArb], { numRuns: 100 })('the memory and SQLite stores apply a plan to the same roster with the same counts', async ({ seed, plan }) => {
  const memory = createMemoryHarness();
  const sqlite = createSqliteHarness({ mode: 'memory' });
  try {
    await memory.seed(seed);
    await sqlite.seed(seed);
    const [fromMemory, fromSqlite] = [await applyPlan(memory.store, plan), await applyPlan(sqlite.store, plan)];
    expect(fromSqlite).toEqual(fromMemory);
    expect(await stateOf(sqlite)).toEqual(await stateOf(memory));
    for (const districtId of STORE_DISTRICTS) expect(await sqlite.store.exportRoster(districtId)).toEqual(await memory.store.exportRoster(districtId));
  } finally {
    await sqlite.cleanup?.();
  }
});

test.prop([seedWithUniqueLoginsArb, staffRecordsArb], { numRuns: 100 })(
  'roster import: never two accounts with one login, importing twice ends as once, and both stores agree',
  async (seed, staff) => {
    let memoryIds = 0;
    let sqliteIds = 0;
    const memory = createMemoryHarness({ newAccountId: () => `new-${++memoryIds}` });
    const sqlite = createSqliteHarness({ mode: 'memory', newAccountId: () => `new-${++sqliteIds}` });
    try {
      await memory.seed(seed);
      await sqlite.seed(seed);
      const data = { orgs: [], students: [], staff };
      const fromMemory = await memory.store.importRoster(data);
      expect(await sqlite.store.importRoster(data)).toEqual(fromMemory);
      const once = await stateOf(memory);
      expect(await stateOf(sqlite)).toEqual(once);

      const emails = once.accounts.flatMap((a) => (a.email === null ? [] : [a.email.toLowerCase()]));
      const mobiles = once.accounts.flatMap((a) => (a.mobilePhone === null ? [] : [a.mobilePhone]));
      expect(new Set(emails).size).toBe(emails.length);
      expect(new Set(mobiles).size).toBe(mobiles.length);
      // Every record's SIS id ends up on exactly one account's active staff role in its district.
      for (const record of staff) {
        expect(
          once.accounts.filter((a) => a.roles.some((r) => r.role === 'staff' && r.districtId === record.districtId && r.status === 'active' && r.sisIds.includes(record.sisId))),
        ).toHaveLength(1);
      }

      await memory.store.importRoster(data);
      expect(await stateOf(memory)).toEqual(once);
    } finally {
      await sqlite.cleanup?.();
    }
  },
);
