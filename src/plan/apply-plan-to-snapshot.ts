// The reference semantics of applying a plan (RosterStore.applyPlan's contract), as a pure
// function over a snapshot. Property tests use it as the store; a store's result must equal it.
import type { SyncPlan } from '../model/plan.js';
import type { Account, AccountRole, GuardianLink, RosterSnapshot } from '../model/roster.js';
import { guardianRoleOf } from '../resolve/roster-index.js';

/**
 * Returns the snapshot after the plan, every role and link item in the plan's district
 * (`plan.scope.districtId`): creates (an id that exists is skipped), updates (set fields),
 * id removes (SIS ids taken off the guardian role), role adds (union of SIS ids, status
 * active), link adds (skipped when the same account, student and source exists), link
 * removes (only links of `plan.source`), archives and restores (guardian role status). Idempotent: applying the result again changes nothing.
 * The end result does not depend on the order of items. A store that applies items one by
 * one (not atomically) should follow this order, which the property tests interrupt at
 * every step: updates (in plan order: an account giving a login up comes before the one
 * taking it), id removes (an id leaves its old account before another takes it), creates, role adds, restores, archives, link adds, link removes. Then unique
 * logins hold at every step, and a run that dies halfway converges when run again (an
 * archive applied before its link removals is still planned again; the reverse is not).
 */
export function applyPlanToSnapshot(snapshot: RosterSnapshot, plan: SyncPlan): RosterSnapshot {
  const { districtId } = plan.scope;
  const accounts = new Map<string, Account>();
  for (const a of snapshot.accounts) accounts.set(a.id, a);

  for (const update of plan.updates) {
    const account = accounts.get(update.accountId);
    if (account === undefined) continue;
    const next: Record<string, unknown> = { ...account };
    for (const change of update.changes) next[change.field] = change.after;
    accounts.set(account.id, next as unknown as Account);
  }
  for (const remove of plan.idRemoves) {
    const account = accounts.get(remove.accountId);
    const role = account === undefined ? undefined : guardianRoleOf(account, districtId);
    if (account === undefined || role === undefined) continue;
    const roles = account.roles.map((r) => (r === role ? { ...r, sisIds: r.sisIds.filter((id) => !remove.sisIds.includes(id)) } : r));
    accounts.set(account.id, { ...account, roles });
  }
  for (const create of plan.creates) {
    if (accounts.has(create.accountId)) continue;
    accounts.set(create.accountId, {
      id: create.accountId,
      ...create.fields,
      claimed: false,
      roles: [{ role: 'guardian', districtId, sisIds: [...create.guardianSisIds], status: 'active' }],
    });
  }
  for (const add of plan.roleAdds) {
    const account = accounts.get(add.accountId);
    if (account === undefined) continue;
    const role = guardianRoleOf(account, districtId);
    const roles: AccountRole[] =
      role === undefined
        ? [...account.roles, { role: 'guardian', districtId, sisIds: [...add.sisIds], status: 'active' }]
        : account.roles.map((r) => (r === role ? { ...r, sisIds: union(r.sisIds, add.sisIds), status: 'active' } : r));
    accounts.set(account.id, { ...account, roles });
  }
  const setStatus = (accountId: string, status: AccountRole['status']): void => {
    const account = accounts.get(accountId);
    if (account === undefined) return;
    const role = guardianRoleOf(account, districtId);
    accounts.set(accountId, { ...account, roles: account.roles.map((r) => (r === role ? { ...r, status } : r)) });
  };
  for (const archive of plan.archives) setStatus(archive.accountId, 'archived');
  for (const restore of plan.restores) setStatus(restore.accountId, 'active');

  // Links of other districts pass through untouched; keys are of this district's links.
  const key = (accountId: string, studentSisId: string, source: string): string => `${accountId}\u0000${studentSisId}\u0000${source}`;
  const removed = new Set(plan.linkRemoves.map((r) => key(r.accountId, r.studentSisId, plan.source)));
  const links: GuardianLink[] = [];
  const present = new Set<string>();
  for (const link of snapshot.links) {
    if (link.districtId !== districtId) {
      links.push(link);
      continue;
    }
    const k = key(link.accountId, link.studentSisId, link.source);
    if (removed.has(k)) continue;
    links.push(link);
    present.add(k);
  }
  for (const add of plan.linkAdds) {
    const k = key(add.accountId, add.studentSisId, plan.source);
    if (present.has(k)) continue;
    present.add(k);
    links.push({ accountId: add.accountId, districtId, studentSisId: add.studentSisId, source: plan.source });
  }
  return { scope: snapshot.scope, students: snapshot.students, accounts: [...accounts.values()], links };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const id of b) if (!out.includes(id)) out.push(id);
  return out;
}
