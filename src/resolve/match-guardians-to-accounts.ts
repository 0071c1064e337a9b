// IDENTITY-RULES.md §2: each guardian of the file matched to at most one stored account, and
// each account to at most one guardian (two people are never merged into one account).
import { createIssue, type Issue } from '../errors/issue.js';
import type { Account } from '../model/roster.js';
import { emailKey, keyOf, mobileKey, nameKey } from './contact-key.js';
import type { FileGuardian } from './group-rows-into-guardians.js';
import { accountKey, accountsWithKey, guardianRoleOf, lookup, type RosterIndex } from './roster-index.js';

/** Which rule matched a guardian to its account (null: none, a new account is needed). */
export type MatchRule = 'sis-id' | 'contact-key' | null;

export interface GuardianMatches {
  /** The account of each guardian, by `FileGuardian.index`; null when none matched. */
  readonly accounts: readonly (Account | null)[];
  readonly rules: readonly MatchRule[];
  /** DUPLICATE_IDENTITY warnings for §2.2's exception. */
  readonly issues: readonly Issue[];
}

/**
 * Matches guardians to accounts in passes, each over guardians in first-line order, so the
 * result does not depend on row order and the most exact match always wins an account:
 * 1. an account holding one of the guardian's ids whose contact key is also equal;
 * 2. an account holding one of the guardian's ids (changed names or contacts: an update),
 *    first to guardians sharing a login with it;
 * 3. an account of any role with an equal contact key, unless it holds another guardian id
 *    of this file whose contact key differs (§2.2's exception, `DUPLICATE_IDENTITY`);
 * 4. the same with one of the guardian's two logins left blank, for an account that has
 *    no value in that field: the same person, who now also gives an email (or a mobile), or
 *    whose account §3 created without a login another account held. Names and the other
 *    login must still be equal: never a match on one field alone. The account without an
 *    email is tried first, so a re-run finds the same account.
 * Guardians that will be added run all four passes first, so a guardian whose rows are all
 * skipped never takes an account another guardian of the file needs.
 */
export function matchGuardiansToAccounts(
  guardians: readonly FileGuardian[],
  index: RosterIndex,
  /** Guardians that will be added (rows with students to link) choose first; the others (only skipped or delete rows) match what is left. */
  isActive: (g: FileGuardian) => boolean = () => true,
): GuardianMatches {
  const accounts: (Account | null)[] = new Array<Account | null>(guardians.length).fill(null);
  const rules: MatchRule[] = new Array<MatchRule>(guardians.length).fill(null);
  const taken = new Set<string>();
  const issues: Issue[] = [];
  const take = (g: FileGuardian, account: Account, rule: MatchRule): void => {
    accounts[g.index] = account;
    rules[g.index] = rule;
    taken.add(account.id);
  };

  // Guardian ids of this file and the contact key of the guardian that holds each.
  const fileGuardianById = new Map<string, FileGuardian>();
  for (const g of guardians) for (const id of g.sisIds) fileGuardianById.set(id, g);

  const byIds = (g: FileGuardian): Account[] => {
    const found: Account[] = [];
    for (const id of g.sisIds) {
      const list = lookup(index.accountsBySisId, id);
      for (const a of sortedById(list)) if (!taken.has(a.id) && !found.includes(a)) found.push(a);
    }
    return found;
  };

  // §2.2's exception: the account belongs to another guardian of this file.
  const heldByOther = (g: FileGuardian, account: Account): FileGuardian | undefined => {
    const role = guardianRoleOf(account);
    if (role === undefined) return undefined;
    for (const id of role.sisIds) {
      if (g.sisIds.includes(id)) continue;
      const other = fileGuardianById.get(id);
      if (other !== undefined && other.key !== g.key) return other;
    }
    return undefined;
  };
  const reported = new Set<number>();
  const byKey = (g: FileGuardian, email: string | null, mobile: string | null): Account | undefined => {
    const key = keyOf(nameKey(g.fields.firstName), nameKey(g.fields.lastName), email, mobile);
    for (const account of sortedById(accountsWithKey(index, key, email, mobile))) {
      // The exception is checked first: an account taken by another guardian of this file
      // holds that guardian's id, and the district should hear why no merge happened.
      const other = heldByOther(g, account);
      if (other === undefined) {
        if (taken.has(account.id)) continue;
        return account;
      }
      if (!reported.has(g.index)) {
        reported.add(g.index);
        issues.push(
          createIssue(
            'DUPLICATE_IDENTITY',
            `The guardian on line ${g.firstLine} has the same name, email and mobile phone as an existing account that belongs to the guardian id on line ${other.firstLine}, whose details differ: the two were not merged. Correct the ids or contacts in the SIS.`,
            { line: g.firstLine, column: 'guardianSisId', lines: [g.firstLine, other.firstLine] },
          ),
        );
      }
    }
    return undefined;
  };

  const runPasses = (list: readonly FileGuardian[]): void => {
    // Passes 1 and 2: by SIS id.
    for (const g of list) {
      if (g.sisIds.length === 0) continue;
      const exact = byIds(g).find((a) => g.key !== null && accountKey(a) === g.key);
      if (exact !== undefined) take(g, exact, 'sis-id');
    }
    // An account holding the ids of several guardians of the file (merged earlier) goes
    // first to one that shares a login with it: the others would otherwise find it again,
    // next run, with the contact key this run's update leaves on it.
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const sharing = byIds(g).find((a) => sharesLogin(g, a));
      if (sharing !== undefined) take(g, sharing, 'sis-id');
    }
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const any = byIds(g)[0];
      if (any !== undefined) take(g, any, 'sis-id');
    }

    // Pass 3: equal contact key (any role).
    for (const g of list) {
      if (accounts[g.index] !== null) continue;
      const found = byKey(g, g.fields.email, g.fields.mobilePhone);
      if (found !== undefined) take(g, found, 'contact-key');
    }
    // Pass 4: equal contact key once one of the two logins is left blank.
    for (const g of list) {
      if (accounts[g.index] !== null || g.key === null) continue;
      const { email, mobilePhone } = g.fields;
      if (email === null || mobilePhone === null) continue;
      const found = byKey(g, null, mobilePhone) ?? byKey(g, email, null);
      if (found !== undefined) take(g, found, 'contact-key');
    }
  };
  runPasses(guardians.filter((g) => isActive(g)));
  runPasses(guardians.filter((g) => !isActive(g)));

  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { accounts, rules, issues };
}

function sharesLogin(g: FileGuardian, account: Account): boolean {
  const { email, mobilePhone } = g.fields;
  return (email !== null && emailKey(account.email) === email) || (mobilePhone !== null && mobileKey(account.mobilePhone) === mobilePhone);
}

/** Several accounts for one id or key happen only in damaged data; pick by id, stably. */
function sortedById(list: readonly Account[]): readonly Account[] {
  return list.length < 2 ? list : [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
