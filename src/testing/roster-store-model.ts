// A roster store as simple as it can be: plain maps, every read a scan, the contract's rules
// written out one by one. The model-based check runs the same operations against a store
// and this model and compares what each holds and returns after every step. It scans on
// purpose: it defines what the keyed snapshot must return, not how to find it quickly.
import type { ApplyResult, RosterExport, RosterImport, RosterImportResult } from '../contracts/roster-store.js';
import type { SyncPlan } from '../model/plan.js';
import { roleIn, type Account, type AccountRole, type GuardianLink, type Org, type ResolvedScope, type RoleStatus, type RosterSnapshot, type SnapshotLogins, type Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { compareText, pickAccountFields, sortedSisIds } from '../stores/account-roles.js';
import { buildRosterExport } from '../stores/build-roster-export.js';
import { importStaffRecords } from '../stores/import-staff.js';
import { planSteps, type PlanStep } from '../stores/plan-steps.js';
import { normalizeAccounts, normalizeLinks, normalizeStudents } from './roster-store-fixtures.js';
import type { RosterStoreSeed } from './roster-store-harness.js';

/** What the model holds, in the suite's normal form. */
export interface RosterModelState {
  readonly accounts: Account[];
  readonly links: GuardianLink[];
  readonly students: Student[];
}

/** What a snapshot of the model returns, in the suite's normal form. */
export type RosterModelSnapshot = RosterModelState;

class ModelItemFailed extends Error {}

const sep = '\u0000';

export class RosterModel {
  private readonly orgs = new Map<string, Org>();
  private readonly students = new Map<string, Student>();
  private readonly accounts = new Map<string, Account>();
  private readonly links = new Map<string, GuardianLink>();

  constructor(seed: RosterStoreSeed = {}) {
    for (const org of seed.orgs ?? []) this.orgs.set(org.id, org);
    for (const s of seed.students ?? []) this.students.set(s.districtId + sep + s.sisId, s);
    for (const a of seed.accounts ?? []) this.accounts.set(a.id, a);
    for (const l of seed.links ?? []) this.links.set(linkKey(l), l);
  }

  /** An independent copy. */
  clone(): RosterModel {
    return new RosterModel({ orgs: [...this.orgs.values()], students: [...this.students.values()], accounts: [...this.accounts.values()], links: [...this.links.values()] });
  }

  state(): RosterModelState {
    return { accounts: normalizeAccounts([...this.accounts.values()]), links: normalizeLinks([...this.links.values()]), students: normalizeStudents([...this.students.values()]) };
  }

  hasAccount(id: string): boolean {
    return this.accounts.has(id);
  }

  /** Applies the plan item by item in the contract's order; throws at an item that cannot be applied (the items before it stay applied). */
  apply(plan: SyncPlan): ApplyResult {
    const counts = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
    for (const step of planSteps(plan)) this.applyStep(step, plan.scope.districtId, plan.source, counts);
    return counts;
  }

  /** The plan without the items that could not be applied, judged item by item in apply order. */
  applicable(plan: SyncPlan): SyncPlan {
    const trial = this.clone();
    const kept = new Set<unknown>();
    const counts = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
    for (const step of planSteps(plan)) {
      try {
        trial.applyStep(step, plan.scope.districtId, plan.source, counts);
        kept.add(step.item);
      } catch (error) {
        if (!(error instanceof ModelItemFailed)) throw error;
      }
    }
    const keep = <T>(items: readonly T[]): T[] => items.filter((item) => kept.has(item));
    return {
      ...plan,
      creates: keep(plan.creates),
      updates: keep(plan.updates),
      roleAdds: keep(plan.roleAdds),
      idRemoves: keep(plan.idRemoves),
      linkAdds: keep(plan.linkAdds),
      linkRemoves: keep(plan.linkRemoves),
      archives: keep(plan.archives),
      restores: keep(plan.restores),
    };
  }

  private applyStep(step: PlanStep, districtId: string, source: string, counts: { -readonly [K in keyof ApplyResult]: number }): void {
    const existing = this.accounts.get(step.item.accountId);
    const replace = (roles: AccountRole[]): boolean => {
      if (existing === undefined || sameRoleList(existing.roles, roles)) return false;
      this.accounts.set(existing.id, { ...existing, roles });
      return true;
    };
    const guardianRole = existing === undefined ? undefined : roleIn(existing, 'guardian', districtId);
    const otherRoles = existing?.roles.filter((r) => r !== guardianRole) ?? [];
    switch (step.kind) {
      case 'create': {
        if (existing !== undefined) return;
        const { fields, guardianSisIds, accountId } = step.item;
        this.accounts.set(accountId, { id: accountId, ...pickAccountFields(fields), claimed: false, roles: [{ role: 'guardian', districtId, sisIds: sortedSisIds(guardianSisIds), status: 'active' }] });
        counts.accountsCreated++;
        return;
      }
      case 'update': {
        if (existing === undefined) throw new ModelItemFailed();
        const next: Record<string, unknown> = { ...existing };
        for (const change of step.item.changes) next[change.field] = change.field === 'firstName' || change.field === 'lastName' ? (change.after ?? '') : change.after;
        const after = next as unknown as Account;
        if ((['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language'] as const).some((f) => after[f] !== existing[f])) {
          this.accounts.set(existing.id, after);
          counts.accountsUpdated++;
        }
        return;
      }
      case 'id-remove': {
        if (guardianRole === undefined) return;
        if (replace([...otherRoles, { ...guardianRole, sisIds: guardianRole.sisIds.filter((id) => !step.item.sisIds.includes(id)) }])) counts.rolesChanged++;
        return;
      }
      case 'role-add': {
        if (existing === undefined) throw new ModelItemFailed();
        if (replace([...otherRoles, { role: 'guardian', districtId, sisIds: sortedSisIds([...(guardianRole?.sisIds ?? []), ...step.item.sisIds]), status: 'active' }])) counts.rolesChanged++;
        return;
      }
      case 'archive':
      case 'restore': {
        if (guardianRole === undefined) throw new ModelItemFailed();
        const status: RoleStatus = step.kind === 'archive' ? 'archived' : 'active';
        if (replace([...otherRoles, { ...guardianRole, status }])) counts.rolesChanged++;
        return;
      }
      case 'link-add': {
        if (existing === undefined || !this.students.has(districtId + sep + step.item.studentSisId)) throw new ModelItemFailed();
        const link = { accountId: step.item.accountId, districtId, studentSisId: step.item.studentSisId, source };
        if (this.links.has(linkKey(link))) return;
        this.links.set(linkKey(link), link);
        counts.linksAdded++;
        return;
      }
      case 'link-remove': {
        if (this.links.delete(linkKey({ accountId: step.item.accountId, districtId, studentSisId: step.item.studentSisId, source }))) counts.linksRemoved++;
        return;
      }
    }
  }

  /**
   * A roster import: orgs by id, students by (district, SIS id), staff by the package's
   * shared rules (`importStaffRecords`) over scans. New accounts get the ids `newAccountId`
   * gives (the runner renames them to the store's own afterwards).
   */
  importRoster(data: RosterImport, newAccountId: () => string): RosterImportResult {
    for (const org of data.orgs) this.orgs.set(org.id, org);
    for (const s of data.students) this.students.set(s.districtId + sep + s.sisId, s);
    const counts = importStaffRecords(data.staff, {
      accountByStaffSisId: (districtId, sisId) =>
        [...this.accounts.values()].filter((a) => a.roles.some((r) => r.role === 'staff' && r.districtId === districtId && r.sisIds.includes(sisId))).sort((a, b) => compareText(a.id, b.id))[0],
      accountsByEmail: (email) => [...this.accounts.values()].filter((a) => emailKey(a.email) !== null && emailKey(a.email) === emailKey(email)),
      accountsByMobile: (mobile) => [...this.accounts.values()].filter((a) => mobileKey(a.mobilePhone) !== null && mobileKey(a.mobilePhone) === mobileKey(mobile)),
      write: (account) => void this.accounts.set(account.id, account),
      newAccountId,
    });
    return { orgs: data.orgs.length, students: data.students.length, ...counts };
  }

  /** Gives account `from` the id `to` (its links follow). */
  renameAccount(from: string, to: string): void {
    const account = this.accounts.get(from);
    if (account === undefined) return;
    this.accounts.delete(from);
    this.accounts.set(to, { ...account, id: to });
    for (const [key, link] of [...this.links]) {
      if (link.accountId !== from) continue;
      this.links.delete(key);
      const moved = { ...link, accountId: to };
      this.links.set(linkKey(moved), moved);
    }
  }

  /** The keyed snapshot, by its definition (RosterSnapshot's doc comment), found by scanning. */
  snapshot(scope: ResolvedScope, logins: SnapshotLogins): RosterModelSnapshot {
    const found = keyedSnapshotByScan({ accounts: [...this.accounts.values()], links: [...this.links.values()], students: [...this.students.values()] }, scope, logins);
    return { accounts: normalizeAccounts(found.accounts), links: normalizeLinks(found.links), students: normalizeStudents(found.students) };
  }

  /** The roster export of one district. */
  export(districtId: string): RosterExport {
    return buildRosterExport({ districtId, accounts: this.accounts.values(), links: this.links.values(), students: this.students.values() });
  }
}

/**
 * The keyed snapshot of `RosterSnapshot`'s doc comment, written the plain way over a whole
 * roster: the district's students and links, the accounts with a role in the district or a
 * link to its students, and the holders of the logins. The definition the model-based check
 * and the planner's platform properties hold stores and plans to.
 */
export function keyedSnapshotByScan(
  roster: { readonly accounts: readonly Account[]; readonly links: readonly GuardianLink[]; readonly students: readonly Student[] },
  scope: ResolvedScope,
  logins: SnapshotLogins,
): RosterSnapshot {
  const { districtId } = scope;
  const links = roster.links.filter((l) => l.districtId === districtId);
  const linked = new Set(links.map((l) => l.accountId));
  const emails = new Set(logins.emails.map((e) => emailKey(e)));
  const mobiles = new Set(logins.mobiles.map((m) => mobileKey(m)));
  const accounts = roster.accounts.filter(
    (a) =>
      a.roles.some((r) => r.districtId === districtId) ||
      linked.has(a.id) ||
      (emailKey(a.email) !== null && emails.has(emailKey(a.email))) ||
      (mobileKey(a.mobilePhone) !== null && mobiles.has(mobileKey(a.mobilePhone))),
  );
  return { scope, students: roster.students.filter((s) => s.districtId === districtId), accounts, links };
}

function linkKey(l: Pick<GuardianLink, 'accountId' | 'districtId' | 'studentSisId' | 'source'>): string {
  return [l.accountId, l.districtId, l.studentSisId, l.source].join(sep);
}


function sameRoleList(a: readonly AccountRole[], b: readonly AccountRole[]): boolean {
  const key = (roles: readonly AccountRole[]): string =>
    roles
      .map((r) => [r.districtId, r.role, r.status, sortedSisIds(r.sisIds).join(',')].join('|'))
      .sort()
      .join('\n');
  return key(a) === key(b);
}
