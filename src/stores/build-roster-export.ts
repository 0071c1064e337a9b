// The roster export of docs/cli.md, built from the roster's values. Shared by the three
// shipped stores so they all print the same document for the same roster.
import type { ExportedAccount, RosterExport } from '../contracts/roster-store.js';
import type { Account, GuardianLink, Student } from '../model/roster.js';
import { pickAccountFields, sortedSisIds, sortRoles } from '../model/account-roles.js';
import { compareText } from '../model/compare-text.js';

export interface RosterExportInput {
  /** The district whose view this is. */
  readonly districtId: string;
  /** At least the accounts holding a role in the district or a link to its students (others are left out). */
  readonly accounts: Iterable<Account>;
  /** At least the links to the district's students (others are left out). */
  readonly links: Iterable<GuardianLink>;
  /** At least the district's students (others are left out). */
  readonly students: Iterable<Student>;
}

/**
 * The roster as one district sees it (docs/cli.md, `export --org`): its students, and the
 * accounts holding a role in the district or a link to one of its students, each with the
 * district's roles only. Accounts sorted by id, students by SIS id, every list inside sorted.
 * An account's `students` are the district's students it has a link to, from any source,
 * while its guardian role in the district is active: an archived guardian (or an account
 * without a guardian role there, e.g. staff with a stray manual link) lists none, because
 * that link does not let it see the student.
 */
export function buildRosterExport(input: RosterExportInput): RosterExport {
  const { districtId } = input;
  const linked = new Map<string, Set<string>>();
  for (const link of input.links) {
    if (link.districtId !== districtId) continue;
    let set = linked.get(link.accountId);
    if (set === undefined) {
      set = new Set();
      linked.set(link.accountId, set);
    }
    set.add(link.studentSisId);
  }
  const accounts: ExportedAccount[] = [];
  const seen = new Set<string>();
  for (const account of input.accounts) {
    const roles = account.roles.filter((r) => r.districtId === districtId);
    if ((roles.length === 0 && !linked.has(account.id)) || seen.has(account.id)) continue;
    seen.add(account.id);
    const guardianActive = roles.some((r) => r.role === 'guardian' && r.status === 'active');
    accounts.push({
      id: account.id,
      ...pickAccountFields(account),
      claimed: account.claimed,
      roles: sortRoles(roles).map((r) => ({ role: r.role, sisIds: sortedSisIds(r.sisIds), status: r.status })),
      students: guardianActive ? sortedSisIds(linked.get(account.id) ?? []) : [],
    });
  }
  accounts.sort((a, b) => compareText(a.id, b.id));
  const students = [...input.students]
    .filter((s) => s.districtId === districtId)
    .map((s) => ({ sisId: s.sisId, schoolId: s.schoolId, firstName: s.firstName, lastName: s.lastName }))
    .sort((a, b) => compareText(a.sisId, b.sisId));
  return { formatVersion: 1, districtId, accounts, students };
}
