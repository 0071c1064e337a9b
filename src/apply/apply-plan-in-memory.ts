// `planWrites` carried out on plain values: the reference a store is compared with (the
// conformance suite's model) and the planner's property tests' store. Same semantics as
// `applyPlan` on a real store, because it is the same function deciding the rows.
import type { ApplyResult, NewAccount, StoredAccount, StoredRole } from '../contracts/roster-store.js';
import type { SyncPlan } from '../model/plan.js';
import { guardianRoleOf, type Account, type GuardianLink } from '../model/roster.js';
import { pickAccountFields, sortedSisIds, sortRoles } from '../model/account-roles.js';
import { EMPTY_APPLY_RESULT, UnappliablePlanError, linkKey, planWrites, touchedKeys } from './plan-writes.js';

/** A whole roster as maps: accounts by id, links by `linkKey`, and which students exist. */
export interface RosterMaps {
  readonly accounts: Map<string, Account>;
  readonly links: Map<string, GuardianLink>;
  readonly hasStudent: (districtId: string, sisId: string) => boolean;
}

/**
 * Applies `plan` to the maps in place and returns what changed.
 * @throws UnappliablePlanError (STORE_FAILED) when an item cannot be applied; the maps are then unchanged.
 */
export function applyPlanToMaps(plan: SyncPlan, roster: RosterMaps): ApplyResult {
  const { districtId } = plan.scope;
  const keys = touchedKeys(plan);
  const accounts = new Map<string, StoredAccount>();
  const guardianRoles = new Map<string, StoredRole>();
  for (const id of keys.accountIds) {
    const account = roster.accounts.get(id);
    if (account === undefined) continue;
    accounts.set(id, { id, ...pickAccountFields(account), claimed: account.claimed });
    const role = guardianRoleOf(account, districtId);
    if (role !== undefined) guardianRoles.set(id, { accountId: id, districtId, role: 'guardian', status: role.status, sisIds: role.sisIds });
  }
  const students = new Set(keys.studentSisIds.filter((sisId) => roster.hasStudent(districtId, sisId)));
  const writes = planWrites(plan, { accounts, guardianRoles, students });
  if (!writes.ok) throw new UnappliablePlanError(writes.problem);

  const counts = { ...EMPTY_APPLY_RESULT } as { -readonly [K in keyof ApplyResult]: number };
  for (const phase of writes.phases) {
    for (const write of phase.writes) {
      switch (phase.kind) {
        case 'update-accounts': {
          const row = write.row as StoredAccount;
          roster.accounts.set(row.id, { ...row, roles: roster.accounts.get(row.id)?.roles ?? [] });
          break;
        }
        case 'insert-accounts': {
          const { account, roles } = write.row as NewAccount;
          roster.accounts.set(account.id, { ...account, roles: sortRoles(roles.map((r) => ({ role: r.role, districtId: r.districtId, status: r.status, sisIds: sortedSisIds(r.sisIds) }))) });
          break;
        }
        case 'put-roles': {
          const role = write.row as StoredRole;
          const account = roster.accounts.get(role.accountId)!;
          const next = { role: role.role, districtId: role.districtId, status: role.status, sisIds: sortedSisIds(role.sisIds) };
          // Replaced in place, or added last: the account's other roles keep their order.
          const at = account.roles.findIndex((r) => r.role === role.role && r.districtId === role.districtId);
          const roles = at < 0 ? [...account.roles, next] : account.roles.map((r, i) => (i === at ? next : r));
          roster.accounts.set(account.id, { ...account, roles });
          break;
        }
        case 'insert-links': {
          const link = write.row as GuardianLink;
          if (!roster.links.has(linkKey(link))) {
            roster.links.set(linkKey(link), link);
            counts.linksAdded += 1;
          }
          break;
        }
        case 'delete-links':
          if (roster.links.delete(linkKey(write.row as GuardianLink))) counts.linksRemoved += 1;
          break;
      }
      if (write.counter !== null) counts[write.counter] += 1;
    }
  }
  return counts;
}
