// The roster export of CONTRACTS.md, built from the roster's values. Shared by the shipped
// stores so both print the same document for the same roster.
import type { ExportedAccount, RosterExport } from '../contracts/roster-store.js';
import type { Account, GuardianLink, Student } from '../model/roster.js';
import { compareText, sortedSisIds, sortRoles } from './account-roles.js';

export interface RosterExportInput {
  readonly accounts: Iterable<Account>;
  readonly links: Iterable<GuardianLink>;
  readonly students: Iterable<Student>;
}

/**
 * Accounts sorted by id, students by SIS id, every list inside sorted. An account's
 * `students` are the SIS ids it has a guardian link to, from any source, while its guardian
 * role is active: an archived guardian (or an account without a guardian role, e.g. staff
 * with a stray manual link) lists none, because that link does not let it see the student.
 */
export function buildRosterExport(input: RosterExportInput): RosterExport {
  const linked = new Map<string, Set<string>>();
  for (const link of input.links) {
    let set = linked.get(link.accountId);
    if (set === undefined) {
      set = new Set();
      linked.set(link.accountId, set);
    }
    set.add(link.studentSisId);
  }
  const accounts: ExportedAccount[] = [];
  for (const account of input.accounts) {
    const guardianActive = account.roles.some((r) => r.role === 'guardian' && r.status === 'active');
    accounts.push({
      id: account.id,
      firstName: account.firstName,
      lastName: account.lastName,
      email: account.email,
      mobilePhone: account.mobilePhone,
      homePhone: account.homePhone,
      language: account.language,
      claimed: account.claimed,
      roles: sortRoles(account.roles).map((r) => ({ role: r.role, sisIds: sortedSisIds(r.sisIds), status: r.status })),
      students: guardianActive ? sortedSisIds(linked.get(account.id) ?? []) : [],
    });
  }
  accounts.sort((a, b) => compareText(a.id, b.id));
  const students = [...input.students]
    .map((s) => ({ sisId: s.sisId, schoolId: s.schoolId, firstName: s.firstName, lastName: s.lastName }))
    .sort((a, b) => compareText(a.sisId, b.sisId));
  return { formatVersion: 1, accounts, students };
}
