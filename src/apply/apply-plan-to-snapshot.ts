// A plan applied to a snapshot, as a pure function: the planner's property tests use it as
// the store (plan, apply, plan again). The semantics are `planWrites`, the same the library
// applies to every real store with.
import { applyPlanToMaps } from './apply-plan-in-memory.js';
import { linkKey } from './plan-writes.js';
import type { SyncPlan } from '../model/plan.js';
import type { Account, GuardianLink, RosterSnapshot } from '../model/roster.js';

/**
 * Returns the snapshot after the plan (every role and link item in the plan's district;
 * links of other districts pass through untouched). Idempotent: applying the plan again to
 * the result changes nothing.
 * @throws GuardianSyncError STORE_FAILED when an item names an account or student the snapshot lacks.
 */
export function applyPlanToSnapshot(snapshot: RosterSnapshot, plan: SyncPlan): RosterSnapshot {
  const accounts = new Map<string, Account>(snapshot.accounts.map((a) => [a.id, a]));
  const links = new Map<string, GuardianLink>(snapshot.links.map((l) => [linkKey(l), l]));
  const students = new Set(snapshot.students.map((s) => `${s.districtId}\u0000${s.sisId}`));
  applyPlanToMaps(plan, { accounts, links, hasStudent: (districtId, sisId) => students.has(`${districtId}\u0000${sisId}`) });
  return { scope: snapshot.scope, students: snapshot.students, accounts: [...accounts.values()], links: [...links.values()] };
}
