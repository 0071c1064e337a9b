// docs/identity-rules.md §2: each guardian of the file matched to at most one stored account, and
// each account to at most one guardian (two people are never merged into one account).
import { compareIssueLines } from '../errors/compare-issue-lines.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { keepsField } from '../model/guardian-row.js';
import { compareText } from '../model/compare-text.js';
import { guardianRoleOf, isSharedAccount, type Account } from '../model/roster.js';
import { hasContactKey, hasLogin, sharesLogin } from './contact-key.js';
import type { FileGuardian } from './group-rows-into-guardians.js';
import type { IdCandidates } from './id-candidates.js';
import { accountsWithKey, accountsWithLogin, type LoginIndex } from './roster-index.js';

/** Which rule matched a guardian to its account (null: none, a new account is needed). */
export type MatchRule = 'sis-id' | 'contact-key' | null;

export interface MatchInput {
  /** The file's guardians as §1 grouped them (`groupRows`): no two have equal contact keys. */
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
 *    first (2a) to guardians sharing a login with it, then (2b) to any;
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
  return new GuardianMatcher(input).run();
}

/**
 * The state the passes share: what each guardian matched, which accounts are taken, and the
 * §2.2 exceptions reported. Each pass is one method over guardians in first-line order.
 */
class GuardianMatcher {
  private readonly accounts: (Account | null)[];
  private readonly positions: Int32Array;
  private readonly rules: MatchRule[];
  /** Taken accounts by position: those found by id have one; those found by login get theirs from the login index. */
  private readonly taken: Uint8Array;
  private readonly issues: Issue[] = [];
  /** Guardians already given a §2.2 DUPLICATE_IDENTITY (one per guardian). */
  private readonly reported = new Set<number>();

  constructor(private readonly input: MatchInput) {
    const n = input.guardians.length;
    this.accounts = new Array<Account | null>(n).fill(null);
    this.positions = new Int32Array(n).fill(-1);
    this.rules = new Array<MatchRule>(n).fill(null);
    this.taken = new Uint8Array(input.accounts.length);
  }

  run(): GuardianMatches {
    const guardians = this.input.guardians;
    const isActive = this.input.isActive ?? everyGuardian;
    this.runPasses(guardians.filter((g) => isActive(g)));
    this.runPasses(guardians.filter((g) => !isActive(g)));
    this.issues.sort(compareIssueLines);
    return { accounts: this.accounts, positions: this.positions, rules: this.rules, issues: this.issues };
  }

  /** The four passes, in order, over one list of guardians. */
  private runPasses(list: readonly FileGuardian[]): void {
    this.matchByIdAndKey(list);
    this.matchByIdSharingLogin(list);
    this.matchById(list);
    // Passes 3 and 4 look up the logins of the guardians still without an account.
    const open = list.filter((g) => this.accounts[g.index] === null && hasLogin(g.fields));
    if (open.length === 0) return;
    this.input.logins.cover(
      open.map((g) => g.fields.email),
      open.map((g) => g.fields.mobilePhone),
    );
    this.matchByKey(open);
    this.matchByKeyWithBlank(open);
  }

  /** Pass 1: an account holding one of the guardian's ids whose contact key is also equal. */
  private matchByIdAndKey(list: readonly FileGuardian[]): void {
    for (const g of list) {
      if (g.sisIds.length === 0 || !hasLogin(g.fields)) continue;
      const exact = this.pickById(g, hasKeyOf);
      if (exact !== -1) this.take(g, exact, 'sis-id');
    }
  }

  /**
   * Pass 2a: an account holding the ids of several guardians of the file (merged earlier) goes
   * first to one that shares a login with it: the others would otherwise find it again, next
   * run, with the contact key this run's update leaves on it.
   */
  private matchByIdSharingLogin(list: readonly FileGuardian[]): void {
    for (const g of list) {
      if (g.sisIds.length === 0 || this.accounts[g.index] !== null) continue;
      const sharing = this.pickById(g, sharesLoginOf);
      if (sharing !== -1) this.take(g, sharing, 'sis-id');
    }
  }

  /** Pass 2b: any account holding one of the guardian's ids (changed names or contacts: an update). */
  private matchById(list: readonly FileGuardian[]): void {
    for (const g of list) {
      if (g.sisIds.length === 0 || this.accounts[g.index] !== null) continue;
      const any = this.pickById(g, anyAccount);
      if (any !== -1) this.take(g, any, 'sis-id');
    }
  }

  /** Pass 3: an account of any role with an equal contact key (§2.2). */
  private matchByKey(open: readonly FileGuardian[]): void {
    for (const g of open) {
      const { firstName, lastName, email, mobilePhone } = g.fields;
      const found = this.firstFree(g, accountsWithKey(this.input.logins, firstName, lastName, email, mobilePhone));
      if (found !== undefined) this.take(g, found, 'contact-key');
    }
  }

  /** Pass 4: an account the file owns with an equal contact key once one of the two logins is left blank (§2.3). */
  private matchByKeyWithBlank(open: readonly FileGuardian[]): void {
    for (const g of open) {
      if (this.accounts[g.index] !== null) continue;
      const found = this.withOneLoginBlank(g);
      if (found !== undefined) this.take(g, found, 'contact-key');
    }
  }

  /** Pass 4 for one guardian: the position of its account, or undefined. */
  private withOneLoginBlank(g: FileGuardian): number | undefined {
    const { firstName, lastName, email, mobilePhone } = g.fields;
    const logins = this.input.logins;
    if (email !== null && mobilePhone !== null) {
      // The account without an email first, so a re-run finds the same account.
      return (
        this.firstFreeOwned(g, accountsWithKey(logins, firstName, lastName, null, mobilePhone)) ??
        this.firstFreeOwned(g, accountsWithKey(logins, firstName, lastName, email, null))
      );
    }
    // An open guardian has a login, so exactly one is blank here. A blank the file does not
    // know (invalid, or no column) is no blank: names and the known login find the account.
    if (email === null) return keepsField(g, 'email') ? this.firstFreeOwned(g, accountsWithLogin(logins, firstName, lastName, 'mobilePhone', mobilePhone!)) : undefined;
    return keepsField(g, 'mobilePhone') ? this.firstFreeOwned(g, accountsWithLogin(logins, firstName, lastName, 'email', email)) : undefined;
  }

  private take(g: FileGuardian, pos: number, rule: MatchRule): void {
    this.accounts[g.index] = this.input.accounts[pos]!;
    this.positions[g.index] = pos;
    this.rules[g.index] = rule;
    this.taken[pos] = 1;
  }

  /** The first untaken account holding the guardian's ids that passes `test` (-1: none). */
  private pickById(g: FileGuardian, test: (g: FileGuardian, account: Account) => boolean): number {
    const { candidates, accounts } = this.input;
    const single = candidates.single(g.index);
    if (single === -1) return -1;
    // The usual case, one account for the guardian's ids: no list is made.
    if (single >= 0) return this.taken[single] === 0 && test(g, accounts[single]!) ? single : -1;
    for (const pos of this.untakenHolders(g)) if (test(g, accounts[pos]!)) return pos;
    return -1;
  }

  /** Untaken accounts holding the ids of a guardian several accounts hold: per id in order, several by account id. */
  private untakenHolders(g: FileGuardian): readonly number[] {
    const { candidates, accounts, districtId } = this.input;
    const all = candidates.several(g.index);
    const found: number[] = [];
    for (const id of g.sisIds) {
      const holders = all.filter((pos) => guardianRoleOf(accounts[pos]!, districtId)?.sisIds.includes(id) === true);
      holders.sort((a, b) => compareText(accounts[a]!.id, accounts[b]!.id));
      for (const pos of holders) if (this.taken[pos] === 0 && !found.includes(pos)) found.push(pos);
    }
    return found;
  }

  /** {@link firstFree} among the accounts this file owns (§4.2: a guardian role here, and not shared). */
  private firstFreeOwned(g: FileGuardian, found: readonly Account[]): number | undefined {
    const districtId = this.input.districtId;
    return this.firstFree(
      g,
      found.filter((account) => guardianRoleOf(account, districtId) !== undefined && !isSharedAccount(account, districtId)),
    );
  }

  /** The position of the first account of `found` (by id) the guardian may take; reports §2.2's exception on the way. */
  private firstFree(g: FileGuardian, found: readonly Account[]): number | undefined {
    for (const account of found.length < 2 ? found : [...found].sort((a, b) => compareText(a.id, b.id))) {
      // The exception is checked first: an account taken by another guardian of this file
      // holds that guardian's id, and the district should hear why no merge happened.
      const other = this.heldByOther(g, account);
      if (other === undefined) {
        const pos = this.input.logins.positionOf(account);
        if (this.taken[pos] === 1) continue;
        return pos;
      }
      this.reportHeldByOther(g, other);
    }
    return undefined;
  }

  /**
   * §2.2's exception: another guardian of this file whose id the account holds. Its contact
   * key differs from g's: §1 made one guardian of any two with equal keys.
   */
  private heldByOther(g: FileGuardian, account: Account): FileGuardian | undefined {
    const role = guardianRoleOf(account, this.input.districtId);
    if (role === undefined) return undefined;
    for (const id of role.sisIds) {
      if (g.sisIds.includes(id)) continue;
      const other = this.input.guardianOfId(id);
      if (other !== undefined) return this.input.guardians[other]!;
    }
    return undefined;
  }

  private reportHeldByOther(g: FileGuardian, other: FileGuardian): void {
    if (this.reported.has(g.index)) return;
    this.reported.add(g.index);
    this.issues.push(
      createIssue(
        'DUPLICATE_IDENTITY',
        `The guardian on line ${g.firstLine} has the same name, email and mobile phone as an existing account that belongs to the guardian id on line ${other.firstLine}, whose details differ: the two were not merged. Correct the ids or contacts in the SIS.`,
        { line: g.firstLine, column: 'guardianSisId', lines: [g.firstLine, other.firstLine] },
      ),
    );
  }
}

function hasKeyOf(g: FileGuardian, account: Account): boolean {
  return hasContactKey(account, g.fields);
}

function sharesLoginOf(g: FileGuardian, account: Account): boolean {
  return sharesLogin(account, g.fields);
}

function anyAccount(): boolean {
  return true;
}

function everyGuardian(): boolean {
  return true;
}
