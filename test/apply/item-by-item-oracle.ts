// The apply semantics written the plain way, item by item in the contract's order: the
// oracle `planWrites` (phases, folded rows, batches) is proven equal to. It is the rule text
// of docs/adapters.md as code, with no batching, no folding and no reads ahead.
import type { SyncPlan } from '../../src/model/plan.js';
import { roleIn, type Account, type AccountRole, type GuardianLink } from '../../src/model/roster.js';
import { pickAccountFields, sortedSisIds } from '../../src/model/account-roles.js';
import type { PlanStep } from '../../src/apply/plan-steps.js';

export class OracleItemFailed extends Error {}

/**
 * The plan's items one by one in the contract's order: updates first (a login an account
 * gives up is free before another takes it), id removes before creates and role adds (an SIS
 * id is never on two accounts of the district), creates before what refers to them.
 */
function* planSteps(plan: SyncPlan): Generator<PlanStep, void, undefined> {
  for (const item of plan.updates) yield { kind: 'update', item };
  for (const item of plan.idRemoves) yield { kind: 'id-remove', item };
  for (const item of plan.creates) yield { kind: 'create', item };
  for (const item of plan.roleAdds) yield { kind: 'role-add', item };
  for (const item of plan.restores) yield { kind: 'restore', item };
  for (const item of plan.archives) yield { kind: 'archive', item };
  for (const item of plan.linkAdds) yield { kind: 'link-add', item };
  for (const item of plan.linkRemoves) yield { kind: 'link-remove', item };
}

export interface OracleCounts {
  accountsCreated: number;
  accountsUpdated: number;
  /** Role adds, id removes, archives and restores that changed a role. */
  rolesChanged: number;
  linksAdded: number;
  linksRemoved: number;
}

const key = (l: GuardianLink): string => [l.accountId, l.districtId, l.studentSisId, l.source].join('\u0000');

/** Applies `plan` to copies of the maps; throws OracleItemFailed at an item that cannot be applied. */
export function applyItemByItem(
  plan: SyncPlan,
  start: { accounts: ReadonlyMap<string, Account>; links: readonly GuardianLink[]; hasStudent: (districtId: string, sisId: string) => boolean },
): { accounts: Map<string, Account>; links: Map<string, GuardianLink>; counts: OracleCounts } {
  const accounts = new Map(start.accounts);
  const links = new Map(start.links.map((l) => [key(l), l]));
  const counts: OracleCounts = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
  const { districtId } = plan.scope;
  for (const step of planSteps(plan)) {
    const existing = accounts.get(step.item.accountId);
    const guardianRole = existing === undefined ? undefined : roleIn(existing, 'guardian', districtId);
    const others = existing?.roles.filter((r) => r !== guardianRole) ?? [];
    const replace = (role: AccountRole): void => {
      if (existing === undefined) return;
      const same = guardianRole !== undefined && guardianRole.status === role.status && sortedSisIds(guardianRole.sisIds).join() === sortedSisIds(role.sisIds).join();
      if (same) return;
      accounts.set(existing.id, { ...existing, roles: [...others, role] });
      counts.rolesChanged++;
    };
    switch (step.kind) {
      case 'create': {
        if (existing !== undefined) break;
        const { accountId, fields, guardianSisIds } = step.item;
        accounts.set(accountId, { id: accountId, ...pickAccountFields(fields), claimed: false, roles: [{ role: 'guardian', districtId, sisIds: sortedSisIds(guardianSisIds), status: 'active' }] });
        counts.accountsCreated++;
        break;
      }
      case 'update': {
        if (existing === undefined) throw new OracleItemFailed('update of a missing account');
        const next: Record<string, unknown> = { ...existing };
        for (const change of step.item.changes) next[change.field] = change.field === 'firstName' || change.field === 'lastName' ? (change.after ?? '') : change.after;
        const after = next as unknown as Account;
        if ((['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language'] as const).some((f) => after[f] !== existing[f])) {
          accounts.set(existing.id, after);
          counts.accountsUpdated++;
        }
        break;
      }
      case 'id-remove':
        if (guardianRole !== undefined) replace({ ...guardianRole, sisIds: guardianRole.sisIds.filter((id) => !step.item.sisIds.includes(id)) });
        break;
      case 'role-add':
        if (existing === undefined) throw new OracleItemFailed('role add to a missing account');
        replace({ role: 'guardian', districtId, sisIds: sortedSisIds([...(guardianRole?.sisIds ?? []), ...step.item.sisIds]), status: 'active' });
        break;
      case 'archive':
      case 'restore':
        if (guardianRole === undefined) throw new OracleItemFailed(`${step.kind} without a guardian role`);
        replace({ ...guardianRole, status: step.kind === 'archive' ? 'archived' : 'active' });
        break;
      case 'link-add': {
        if (existing === undefined || !start.hasStudent(districtId, step.item.studentSisId)) throw new OracleItemFailed('link add to a missing account or student');
        const link = { accountId: step.item.accountId, districtId, studentSisId: step.item.studentSisId, source: plan.source };
        if (!links.has(key(link))) {
          links.set(key(link), link);
          counts.linksAdded++;
        }
        break;
      }
      case 'link-remove':
        if (links.delete(key({ accountId: step.item.accountId, districtId, studentSisId: step.item.studentSisId, source: plan.source }))) counts.linksRemoved++;
        break;
    }
  }
  return { accounts, links, counts };
}
