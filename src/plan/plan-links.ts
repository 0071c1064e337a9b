// IDENTITY-RULES.md §5: links to add and remove, and the guardian roles left without any
// link that are archived. Only links of this source, for students of this scope, are managed.
import type { LinkChange, RoleStatusChange } from '../model/plan.js';
import type { Account, GuardianLink } from '../model/roster.js';
import type { RosterIndex } from '../resolve/roster-index.js';
import { guardianRoleOf, lookup } from '../resolve/roster-index.js';

/** A link a row asks for: (account, student) and the lines asking. */
export interface WantedLink {
  readonly accountId: string;
  readonly studentSisId: string;
  readonly lines: number[];
}

export interface LinkPlanInput {
  readonly index: RosterIndex;
  readonly links: readonly GuardianLink[];
  readonly accounts: readonly Account[];
  readonly source: string;
  /** Desired links by pair key, in first-line order. */
  readonly desired: ReadonlyMap<string, WantedLink>;
  /** Delta mode: the pairs delete rows ask to remove (by pair key); null in full mode. */
  readonly deletions: ReadonlyMap<string, WantedLink> | null;
  /** Accounts that are restored or gain the guardian role in this plan: never archived. */
  readonly keptAccounts: ReadonlySet<string>;
}

export interface LinkPlan {
  readonly linkAdds: LinkChange[];
  readonly linkRemoves: LinkChange[];
  readonly archives: RoleStatusChange[];
  /** Links this source manages in this scope before the run. */
  readonly managedLinks: number;
  /** Accounts with an active guardian role and a managed link before the run. */
  readonly managedGuardians: number;
}

/** Key of an (account, student) pair; NUL cannot occur in either id after parsing. */
export function pairKey(accountId: string, studentSisId: string): string {
  return `${accountId}\u0000${studentSisId}`;
}

export function planLinks(input: LinkPlanInput): LinkPlan {
  const { index, source, desired, deletions } = input;
  const ownPairs = new Set<string>();
  const managed = new Map<string, GuardianLink>();
  for (const link of input.links) {
    if (link.source !== source) continue;
    const key = pairKey(link.accountId, link.studentSisId);
    ownPairs.add(key);
    const student = index.studentsBySisId.get(link.studentSisId);
    if (student !== undefined && index.scopeSchools.has(student.schoolId)) managed.set(key, link);
  }

  const linkAdds: LinkChange[] = [];
  const addsByAccount = new Map<string, number>();
  for (const [key, want] of desired) {
    if (ownPairs.has(key)) continue;
    linkAdds.push({ accountId: want.accountId, studentSisId: want.studentSisId, lines: want.lines });
    addsByAccount.set(want.accountId, (addsByAccount.get(want.accountId) ?? 0) + 1);
  }

  const linkRemoves: LinkChange[] = [];
  const removedPairs = new Set<string>();
  const managedAccounts = new Set<string>();
  for (const [key, link] of managed) {
    managedAccounts.add(link.accountId);
    if (desired.has(key)) continue;
    if (deletions !== null) {
      const asked = deletions.get(key);
      if (asked === undefined) continue;
      linkRemoves.push({ accountId: link.accountId, studentSisId: link.studentSisId, lines: asked.lines });
    } else {
      linkRemoves.push({ accountId: link.accountId, studentSisId: link.studentSisId, lines: [] });
    }
    removedPairs.add(key);
  }
  linkRemoves.sort(byPair);

  // A guardian role left with no link at all (any source, any school) is archived; other
  // roles of the account are untouched (a staff role stays active).
  const archives: RoleStatusChange[] = [];
  let managedGuardians = 0;
  const removedAccounts = new Set<string>();
  for (const change of linkRemoves) removedAccounts.add(change.accountId);
  // One pass over the accounts (no index by id of a million accounts): only those with a
  // managed link matter here.
  const managedAccountObjects = new Map<string, Account>();
  for (const account of input.accounts) if (managedAccounts.has(account.id)) managedAccountObjects.set(account.id, account);
  for (const accountId of managedAccounts) {
    const account = managedAccountObjects.get(accountId);
    const role = account === undefined ? undefined : guardianRoleOf(account);
    if (role === undefined || role.status !== 'active') continue;
    managedGuardians++;
    if (!removedAccounts.has(accountId) || input.keptAccounts.has(accountId) || (addsByAccount.get(accountId) ?? 0) > 0) continue;
    const left = lookup(index.linksByAccount, accountId).some(
      (l) => !(l.source === source && removedPairs.has(pairKey(l.accountId, l.studentSisId))),
    );
    if (!left) archives.push({ accountId, role: 'guardian', lines: [] });
  }
  archives.sort((a, b) => compare(a.accountId, b.accountId));
  return { linkAdds, linkRemoves, archives, managedLinks: managed.size, managedGuardians };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPair(a: LinkChange, b: LinkChange): number {
  return compare(a.accountId, b.accountId) || compare(a.studentSisId, b.studentSisId);
}
