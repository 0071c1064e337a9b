// docs/identity-rules.md §5: a guardian role of the district left with no link at all (any
// source, any school) is archived: hidden, never deleted. Other roles of the account are
// untouched (a staff role stays active).
import { compareText } from '../model/compare-text.js';
import type { RoleStatusChange } from '../model/plan.js';
import type { LinksByAccount } from './links-by-account.js';

export interface ArchivesInput {
  readonly groups: LinksByAccount;
  /** Groups whose every link the plan removes, with an active guardian role (see planLinkRemoves). */
  readonly emptied: readonly number[];
  /** By group: 1 when the account gains a link in this plan (see planLinkAdds). */
  readonly gainsLink: Uint8Array;
  /** Accounts restored or given the guardian role in this plan: their guardian comes back. */
  readonly keptAccounts: ReadonlySet<string>;
}

/** The archives of the plan, by account id. */
export function planArchives(input: ArchivesInput): RoleStatusChange[] {
  const archives: RoleStatusChange[] = [];
  for (const group of input.emptied) {
    const accountId = input.groups.accountIds[group]!;
    if (input.gainsLink[group] === 1 || input.keptAccounts.has(accountId)) continue;
    archives.push({ accountId, role: 'guardian', lines: [] });
  }
  return archives.sort((a, b) => compareText(a.accountId, b.accountId));
}
