// docs/identity-rules.md §2: each guardian of the file matched to at most one stored account, and
// each account to at most one guardian (two people are never merged into one account).
import { createIssue, type Issue } from '../errors/issue.js';
import { keepsField } from '../model/guardian-row.js';
import { isSharedAccount, type Account } from '../model/roster.js';
import { emailKey, mobileKey } from './contact-key.js';
import type { FileGuardian } from './group-rows-into-guardians.js';
import type { IdCandidates } from './id-candidates.js';
import { accountsWithKey, accountsWithLogin, guardianRoleOf, hasContactKey, type LoginIndex } from './roster-index.js';

/** Which rule matched a guardian to its account (null: none, a new account is needed). */
export type MatchRule = 'sis-id' | 'contact-key' | null;

export interface MatchInput {
  readonly guardians: readonly FileGuardian[];
  /** The snapshot's accounts. */
  readonly accounts: readonly Account[];
  /** The scope's district: guardian ids are compared only in it (§7.2). */
  readonly districtId: string;
  /** Accounts holding each guardian's ids. */
  readonly candidates: IdCandidates;
  /** Accounts by login; matching covers the logins it looks up. */
  readonly logins: LoginIndex;
  /** The guardian of the file holding an id. */
  readonly guardianOfId: (sisId: string) => number | undefined;
  /** Guardians that will be added (rows with students to link) choose first; the others (only skipped or delete rows) match what is left. */
  readonly isActive?: ((g: FileGuardian) => boolean) | undefined;
}

export interface GuardianMatches {
  /** The account of each guardian, by `FileGuardian.index`; null when none matched. */
  readonly accounts: readonly (Account | null)[];
  /** Position in the snapshot's accounts of each guardian's account, by `FileGuardian.index`; -1 when none matched. */
  readonly positions: Int32Array;
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
 *    email is tried first, so a re-run finds the same account. Only for accounts this file
 *    owns (§4.2: a guardian role in this district and no staff role or active role
 *    elsewhere): a teacher's name and email with another mobile never opens the teacher's
 *    account, since the file could not give it that mobile anyway. A login the file does not
 *    know (an invalid value, or no column: the account keeps its own) is no blank: names and
 *    the known login find the account, whatever it holds in the other field.
 * Guardians that will be added run all four passes first, so a guardian whose rows are all
 * skipped never takes an account another guardian of the file needs.
 */
export function matchGuardiansToAccounts(input: MatchInput): GuardianMatches {
  const { guardians, accounts: stored, candidates, logins, districtId } = input;
  const isActive = input.isActive ?? (() => true);
  const accounts: (Account | null)[] = new Array<Account | null>(guardians.length).fill(null);
  const positions = new Int32Array(guardians.length).fill(-1);
  const rules: MatchRule[] = new Array<MatchRule>(guardians.length).fill(null);
  // Taken accounts by position: those found by id have one; those found by login get theirs from the login index.
  const taken = new Uint8Array(stored.length);
  const issues: Issue[] = [];
  const take = (g: FileGuardian, pos: number, rule: MatchRule): void => {
    accounts[g.index] = stored[pos]!;
    positions[g.index] = pos;
    rules[g.index] = rule;
    taken[pos] = 1;
  };

  /** Untaken accounts holding the guardian's ids: per id in order, several by account id. */
  const byIds = (g: FileGuardian): readonly number[] => {
    const single = candidates.single(g.index);
    if (single === -1) return [];
    if (single >= 0) return taken[single] === 1 ? [] : [single];
    const all = candidates.several(g.index);
    const found: number[] = [];
    for (const id of g.sisIds) {
      const holders = all.filter((pos) => guardianRoleOf(stored[pos]!, districtId)?.sisIds.includes(id) === true);
      holders.sort((a, b) => compare(stored[a]!.id, stored[b]!.id));
      for (const pos of holders) if (taken[pos] === 0 && !found.includes(pos)) found.push(pos);
    }
    return found;
  };

  // §2.2's exception: the account belongs to another guardian of this file.
  const heldByOther = (g: FileGuardian, account: Account): FileGuardian | undefined => {
    const role = guardianRoleOf(account, districtId);
    if (role === undefined) return undefined;
    for (const id of role.sisIds) {
      if (g.sisIds.includes(id)) continue;
      const oi = input.guardianOfId(id);
      const other = oi === undefined ? undefined : guardians[oi];
      if (other !== undefined && other.key !== g.key) return other;
    }
    return undefined;
  };
  const reported = new Set<number>();
  /** An account the file may match with one login left blank (pass 4, §4.2). */
  const owned = (account: Account): boolean => guardianRoleOf(account, districtId) !== undefined && !isSharedAccount(account, districtId);
  const byKey = (g: FileGuardian, email: string | null, mobile: string | null, ownedOnly: boolean): number | undefined =>
    firstFree(g, accountsWithKey(logins, g.fields.firstName, g.fields.lastName, email, mobile), ownedOnly);
  /** The first account of `found` (by id) the guardian may take; reports §2.2's exception on the way. */
  const firstFree = (g: FileGuardian, found: readonly Account[], ownedOnly: boolean): number | undefined => {
    for (const account of found.length < 2 ? found : [...found].sort((a, b) => compare(a.id, b.id))) {
      if (ownedOnly && !owned(account)) continue;
      // The exception is checked first: an account taken by another guardian of this file
      // holds that guardian's id, and the district should hear why no merge happened.
      const other = heldByOther(g, account);
      const pos = logins.positionOf(account);
      if (other === undefined) {
        if (taken[pos] === 1) continue;
        return pos;
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

  /** The first untaken account holding the guardian's ids that passes `test` (-1: none). */
  const pick = (g: FileGuardian, test: (g: FileGuardian, account: Account) => boolean): number => {
    const single = candidates.single(g.index);
    if (single === -1) return -1;
    // The usual case, one account for the guardian's id: no list is made.
    if (single >= 0) return taken[single] === 0 && test(g, stored[single]!) ? single : -1;
    for (const pos of byIds(g)) if (test(g, stored[pos]!)) return pos;
    return -1;
  };

  const runPasses = (list: readonly FileGuardian[]): void => {
    // Passes 1 and 2: by SIS id.
    for (const g of list) {
      if (g.sisIds.length === 0 || !hasLogin(g)) continue;
      const exact = pick(g, sameContactKey);
      if (exact !== -1) take(g, exact, 'sis-id');
    }
    // An account holding the ids of several guardians of the file (merged earlier) goes
    // first to one that shares a login with it: the others would otherwise find it again,
    // next run, with the contact key this run's update leaves on it.
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const sharing = pick(g, sharesLogin);
      if (sharing !== -1) take(g, sharing, 'sis-id');
    }
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const any = pick(g, anyAccount);
      if (any !== -1) take(g, any, 'sis-id');
    }

    // Passes 3 and 4 look up the logins of the guardians still without an account.
    const open = list.filter((g) => accounts[g.index] === null && hasLogin(g));
    if (open.length === 0) return;
    logins.cover(
      open.map((g) => g.fields.email),
      open.map((g) => g.fields.mobilePhone),
    );
    // Pass 3: equal contact key (any role).
    for (const g of open) {
      const found = byKey(g, g.fields.email, g.fields.mobilePhone, false);
      if (found !== undefined) take(g, found, 'contact-key');
    }
    // Pass 4: equal contact key once one of the two logins is left blank.
    for (const g of open) {
      if (accounts[g.index] !== null) continue;
      const { firstName, lastName, email, mobilePhone } = g.fields;
      let found: number | undefined;
      if (email !== null && mobilePhone !== null) found = byKey(g, null, mobilePhone, true) ?? byKey(g, email, null, true);
      else if (email === null && mobilePhone !== null && keepsField(g, 'email')) found = firstFree(g, accountsWithLogin(logins, firstName, lastName, 'mobilePhone', mobilePhone), true);
      else if (mobilePhone === null && email !== null && keepsField(g, 'mobilePhone')) found = firstFree(g, accountsWithLogin(logins, firstName, lastName, 'email', email), true);
      if (found !== undefined) take(g, found, 'contact-key');
    }
  };
  runPasses(guardians.filter((g) => isActive(g)));
  runPasses(guardians.filter((g) => !isActive(g)));

  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { accounts, positions, rules, issues };
}

function sameContactKey(g: FileGuardian, account: Account): boolean {
  const { firstName, lastName, email, mobilePhone } = g.fields;
  return hasContactKey(account, firstName, lastName, email, mobilePhone);
}

/** A guardian with an email or mobile has a contact key (checked without building it). */
function hasLogin(g: FileGuardian): boolean {
  return g.fields.email !== null || g.fields.mobilePhone !== null;
}

function anyAccount(): boolean {
  return true;
}

function sharesLogin(g: FileGuardian, account: Account): boolean {
  const { email, mobilePhone } = g.fields;
  return (email !== null && emailKey(account.email) === email) || (mobilePhone !== null && mobileKey(account.mobilePhone) === mobilePhone);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
