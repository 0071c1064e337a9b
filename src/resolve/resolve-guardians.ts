// The resolve stage as one value (docs/identity-rules.md §1, §2): the file's rows grouped into
// guardians, each guardian matched to at most one stored account, and the stored accounts
// holding every login the plan will ask about, indexed. The plan (src/plan) turns this value
// into changes; it never looks an account up by id or login on its own, and it cannot add
// logins to the index (it gets the index as a read-only RosterIndex).
import type { Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import type { Account } from '../model/roster.js';
import { groupRows, type FileGuardian } from './group-rows-into-guardians.js';
import { findIdCandidates, type IdCandidates } from './id-candidates.js';
import { matchGuardiansToAccounts, type GuardianMatches } from './match-guardians-to-accounts.js';
import { LoginIndex, type RosterIndex } from './roster-index.js';

export interface ResolveOptions {
  /** The scope's district: guardian ids are compared only in it (§7). */
  readonly districtId: string;
  /**
   * Whether a row's student can be linked (known to the roster and in the sync's scope: a
   * §5/§7 question the plan answers). Asked once per row, in line order. A guardian with a
   * row that links such a student (any row but a delete row) is active: active guardians
   * choose their accounts first (§2), and only their logins are looked up for §3.
   */
  readonly studentInScope: (studentSisId: string) => boolean;
}

/** The matches of {@link GuardianMatches}, without the issues (see {@link ResolvedGuardians.issues}). */
export type ResolvedMatches = Omit<GuardianMatches, 'issues' | 'positions'> & {
  /** Position in the snapshot's accounts of each guardian's account, by `FileGuardian.index`; -1 when none matched. */
  readonly positions: ArrayLike<number>;
};

/** What resolve hands the plan. Read-only: the plan reads it, twice when §6 re-plans, and never changes it. */
export interface ResolvedGuardians {
  /** The file's people, in first-line order (`FileGuardian.index` is the position). */
  readonly guardians: readonly FileGuardian[];
  /** The rows in line order (the input itself when it already was). */
  readonly ordered: readonly GuardianRow[];
  /** For each row of `ordered`, the index of its guardian. */
  readonly guardianOfRow: ArrayLike<number>;
  /** For each row of `ordered`: 1 when `studentInScope` said its student can be linked, else 0. */
  readonly inScope: ArrayLike<number>;
  readonly matches: ResolvedMatches;
  /** The stored accounts holding each guardian's ids in the district (§2.1). */
  readonly idCandidates: IdCandidates;
  /**
   * Stored accounts by login, holding every account with a login an unmatched guardian
   * carries (§2 passes 3–4) or an active guardian asks for (one its account does not hold:
   * §3). A RosterIndex: nothing can be added to it.
   */
  readonly logins: RosterIndex;
  readonly issues: {
    /** §1: CONFLICTING_GUARDIAN_ROWS and DUPLICATE_IDENTITY, in line order. */
    readonly grouping: readonly Issue[];
    /** §2.2's exception: DUPLICATE_IDENTITY, in line order. */
    readonly matching: readonly Issue[];
  };
}

/**
 * Resolves the file's valid rows against the snapshot's accounts: §1 grouping, §2.1 the
 * accounts holding the file's ids, §2 matching (active guardians first), then the holders of
 * the logins active guardians ask for. Linear in rows + accounts.
 */
export function resolveGuardians(rows: readonly GuardianRow[], accounts: readonly Account[], options: ResolveOptions): ResolvedGuardians {
  const { districtId } = options;
  const grouped = groupRows(rows);
  const { guardians, ordered, guardianOfRow } = grouped;
  const inScope = new Uint8Array(ordered.length);
  const active = new Uint8Array(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    if (!options.studentInScope(row.studentSisId)) continue;
    inScope[i] = 1;
    if (row.delete !== true) active[guardianOfRow[i]!] = 1;
  }

  const logins = new LoginIndex(accounts);
  const idCandidates = findIdCandidates(accounts, districtId, guardians.length, grouped.guardianIndexOfId);
  const { issues: matchingIssues, ...matches } = matchGuardiansToAccounts({
    guardians,
    accounts,
    districtId,
    candidates: idCandidates,
    logins,
    guardianOfId: grouped.guardianIndexOfId,
    isActive: (g) => active[g.index] === 1,
  });
  coverAskedLogins(logins, guardians, active, matches.accounts);
  return {
    guardians,
    ordered,
    guardianOfRow,
    inScope,
    matches,
    idCandidates,
    logins,
    issues: { grouping: grouped.issues, matching: matchingIssues },
  };
}

/**
 * §3 looks up the holders of every login an active guardian asks for: a value of the file
 * its matched account does not hold (as stored), or any value when it has no account.
 */
function coverAskedLogins(logins: LoginIndex, guardians: readonly FileGuardian[], active: Uint8Array, matched: readonly (Account | null)[]): void {
  const emails: string[] = [];
  const mobiles: string[] = [];
  for (const g of guardians) {
    if (active[g.index] !== 1) continue;
    const account = matched[g.index] ?? null;
    const { email, mobilePhone } = g.fields;
    if (email !== null && (account === null || account.email !== email)) emails.push(email);
    if (mobilePhone !== null && (account === null || account.mobilePhone !== mobilePhone)) mobiles.push(mobilePhone);
  }
  logins.cover(emails, mobiles);
}
