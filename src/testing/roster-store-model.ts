// A roster store as simple as it can be: plain maps, every read a scan. Plans are applied
// with the library's own semantics (`applyPlanToMaps`: the rows `planWrites` decides), so
// comparing a store with this model tests the store's reads and writes, not a second
// definition of the rules. The model-based check runs the same operations against a store
// and this model and compares what each holds and returns after every step. It scans on
// purpose: it defines what the keyed snapshot must return, not how to find it quickly.
import type { ApplyResult, RosterExport, RosterImport, RosterImportResult } from '../contracts/roster-store.js';
import type { SyncPlan } from '../model/plan.js';
import type { Account, GuardianLink, Org, ResolvedScope, RosterSnapshot, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { compareText } from '../model/compare-text.js';
import { buildRosterExport } from '../stores/build-roster-export.js';
import { importStaffRecords } from '../stores/import-staff.js';
import { applyPlanToMaps } from '../apply/apply-plan-in-memory.js';
import { UnappliablePlanError } from '../apply/plan-writes.js';
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

  /** Applies the plan with the library's semantics (`applyPlanToMaps`); throws, changing nothing, when an item cannot be applied. */
  apply(plan: SyncPlan): ApplyResult {
    return applyPlanToMaps(plan, { accounts: this.accounts, links: this.links, hasStudent: (districtId, sisId) => this.students.has(districtId + sep + sisId) });
  }

  /** True when applying the plan twice leaves the roster as applying it once (a plan that does not undo itself). */
  appliesOnce(plan: SyncPlan): boolean {
    const once = this.clone();
    once.apply(plan);
    const twice = once.clone();
    twice.apply(plan);
    return JSON.stringify(once.state()) === JSON.stringify(twice.state());
  }

  /** The plan without the items that cannot be applied to this roster (each found by a trial apply). */
  applicable(plan: SyncPlan): SyncPlan {
    let current = plan;
    for (;;) {
      try {
        this.clone().apply(current);
        return current;
      } catch (error) {
        if (!(error instanceof UnappliablePlanError)) throw error;
        const bad = error.problem.step.item;
        const drop = <T>(items: readonly T[]): T[] => items.filter((item) => item !== bad);
        current = {
          ...current,
          creates: drop(current.creates),
          updates: drop(current.updates),
          roleAdds: drop(current.roleAdds),
          idRemoves: drop(current.idRemoves),
          linkAdds: drop(current.linkAdds),
          linkRemoves: drop(current.linkRemoves),
          archives: drop(current.archives),
          restores: drop(current.restores),
        };
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


