// The stored links grouped by account without an object per account. Groups are numbered by
// the account's position in the snapshot, so a guardian matched to an account finds its links
// with no lookup at all. The links find their account by walking the accounts alongside them,
// and where the two orders part, through a Map of the accounts built on first need. (The
// memory store lists both in order of creation, so most links need no lookup; the SQLite store
// lists links by account id and accounts as inserted, so there the Map does the work.) The
// link positions of each group sit in one typed array (a counting sort): a million links make
// no garbage for the collector to copy.
import type { Account, GuardianLink } from '../model/roster.js';

/** How far ahead of the cursor an account is looked for (accounts without links are skipped). */
const LOOK_AHEAD = 8;

export class LinksByAccount {
  /**
   * Account id of each group: groups 0 … accounts.length - 1 are the snapshot's accounts by
   * position; any group past them is an account id that links name but no account has.
   */
  readonly accountIds: string[];
  private numbers: Map<string, number> | null = null;
  /** Group g's links are `links[order[p]]` for p in `start[g]` … `start[g + 1] - 1`, in stored order. */
  private readonly start: Int32Array;
  private readonly order: Int32Array;

  constructor(
    readonly links: readonly GuardianLink[],
    readonly accounts: readonly Account[],
  ) {
    this.accountIds = accounts.map((a) => a.id);
    const groupOfLink = new Int32Array(links.length);
    let cursor = 0;
    let group = -1;
    let groupId: string | undefined;
    for (let i = 0; i < links.length; i++) {
      const accountId = links[i]!.accountId;
      if (accountId !== groupId) {
        groupId = accountId;
        group = -1;
        const until = Math.min(cursor + LOOK_AHEAD, accounts.length);
        for (let p = cursor; p < until; p++) {
          if (this.accountIds[p] === accountId) {
            group = p;
            cursor = p + 1;
            break;
          }
        }
        if (group === -1) {
          group = this.groupOfLinkedId(accountId);
          // Walk on from there: the links of the accounts after it usually follow.
          if (group < accounts.length) cursor = group + 1;
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

  /** The group of a link's account id: a new group past the accounts when no account has it. */
  private groupOfLinkedId(accountId: string): number {
    const found = this.groupOf(accountId);
    if (found !== -1) return found;
    const group = this.accountIds.length;
    this.numbers!.set(accountId, group);
    this.accountIds.push(accountId);
    return group;
  }

  /** Number of groups: the snapshot's accounts, then account ids only links name. */
  get size(): number {
    return this.accountIds.length;
  }

  /** The group of an account id (its position when it is a snapshot account), or -1 when neither an account nor a link has it. */
  groupOf(accountId: string): number {
    if (this.numbers === null) {
      this.numbers = new Map();
      // Ids are unique in a store; should two accounts share one, the first is found.
      for (let pos = this.accounts.length - 1; pos >= 0; pos--) this.numbers.set(this.accountIds[pos]!, pos);
    }
    return this.numbers.get(accountId) ?? -1;
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
