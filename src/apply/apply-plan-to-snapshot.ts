// A plan applied to a snapshot, as a pure function: the planner's property tests use it as
// the store (plan, apply, plan again), and a connector can preview a dry run with it. The
// rows it writes are `planWrites`', as for every store, so it refuses the items a store
// refuses. It is not a store: it has no unique login index (a plan that gave two accounts
// one login would apply here and fail in a store that enforces uniqueness), no batches and
// no transaction; new accounts come after the stored ones, and students pass through.
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
