// The stored links grouped by account without an object per account. Groups are numbered by
// the account's position in the snapshot, so a guardian matched to an account finds its links
// with no lookup at all; each run of links of one account finds its account through an
// InOrderLookup (the memory store lists links in the order of their accounts, so most need no
// Map; the SQLite store lists links by account id, so there a Map does the work). The link
// positions of each group sit in one typed array (a counting sort): a million links make no
// garbage for the collector to copy.
import type { Account, GuardianLink } from '../model/roster.js';
import { InOrderLookup } from './in-order-lookup.js';

export class LinksByAccount {
  /**
   * Account id of each group: groups 0 … accounts.length - 1 are the snapshot's accounts by
   * position; any group past them is an account id that links name but no account has.
   */
  readonly accountIds: string[];
  private readonly positions: InOrderLookup;
  /** Groups of the account ids no account has. */
  private readonly unknown = new Map<string, number>();
  /** Group g's links are `links[order[p]]` for p in `start[g]` … `start[g + 1] - 1`, in stored order. */
  private readonly start: Int32Array;
  private readonly order: Int32Array;

  constructor(
    readonly links: readonly GuardianLink[],
    readonly accounts: readonly Account[],
  ) {
    this.accountIds = accounts.map((a) => a.id);
    // A copy: `accountIds` grows below with ids only links name, which are no accounts.
    this.positions = new InOrderLookup(this.accountIds.slice());
    const groupOfLink = new Int32Array(links.length);
    let group = -1;
    let groupId: string | undefined;
    for (let i = 0; i < links.length; i++) {
      const accountId = links[i]!.accountId;
      if (accountId !== groupId) {
        groupId = accountId;
        group = this.groupOf(accountId);
        if (group === -1) {
          group = this.accountIds.length;
          this.unknown.set(accountId, group);
          this.accountIds.push(accountId);
        }
      }
      groupOfLink[i] = group;
    }
    const groups = this.accountIds.length;
    this.start = new Int32Array(groups + 1);
    for (let i = 0; i < links.length; i++) this.start[groupOfLink[i]! + 1]!++;
    for (let g = 0; g < groups; g++) this.start[g + 1]! += this.start[g]!;
    const next = this.start.slice(0, groups);
    this.order = new Int32Array(links.length);
    for (let i = 0; i < links.length; i++) this.order[next[groupOfLink[i]!]!++] = i;
  }

  /** Number of groups: the snapshot's accounts, then account ids only links name. */
  get size(): number {
    return this.accountIds.length;
  }

  /** The group of an account id (its position when it is a snapshot account), or -1 when neither an account nor a link has it. */
  groupOf(accountId: string): number {
    const pos = this.positions.find(accountId);
    return pos !== -1 ? pos : (this.unknown.get(accountId) ?? -1);
  }

  /** The snapshot account of a group, or null for an id only links name. */
  accountOf(group: number): Account | null {
    return group < this.accounts.length ? this.accounts[group]! : null;
  }

  /** Number of links in a group. */
  countOf(group: number): number {
    return this.start[group + 1]! - this.start[group]!;
  }

  /** The i-th link of a group (0 ≤ i < countOf(group)). */
  linkOf(group: number, i: number): GuardianLink {
    return this.links[this.order[this.start[group]! + i]!]!;
  }
}
