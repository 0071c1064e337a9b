// The stored links grouped by account without an object per account: a Map from account id
// to a group number (one lookup per run of consecutive links of one account), and the link
// positions of each group in one typed array (a counting sort). A million links make no
// garbage for the collector to copy.
import type { GuardianLink } from '../model/roster.js';

export class LinksByAccount {
  /** Account id of each group. */
  readonly accountIds: string[] = [];
  private readonly numbers = new Map<string, number>();
  /** Group g's links are `links[order[p]]` for p in `start[g]` … `start[g + 1] - 1`, in stored order. */
  private readonly start: Int32Array;
  private readonly order: Int32Array;

  constructor(readonly links: readonly GuardianLink[]) {
    const groupOfLink = new Int32Array(links.length);
    let current = -1;
    let currentId: string | undefined;
    for (let i = 0; i < links.length; i++) {
      const accountId = links[i]!.accountId;
      if (accountId !== currentId) {
        currentId = accountId;
        const found = this.numbers.get(accountId);
        if (found !== undefined) current = found;
        else {
          current = this.accountIds.length;
          this.numbers.set(accountId, current);
          this.accountIds.push(accountId);
        }
      }
      groupOfLink[i] = current;
    }
    const groups = this.accountIds.length;
    this.start = new Int32Array(groups + 1);
    for (let i = 0; i < links.length; i++) this.start[groupOfLink[i]! + 1]!++;
    for (let g = 0; g < groups; g++) this.start[g + 1]! += this.start[g]!;
    const next = this.start.slice(0, groups);
    this.order = new Int32Array(links.length);
    for (let i = 0; i < links.length; i++) this.order[next[groupOfLink[i]!]!++] = i;
  }

  get size(): number {
    return this.accountIds.length;
  }

  /** The group of an account, or -1 when it has no link. */
  groupOf(accountId: string): number {
    return this.numbers.get(accountId) ?? -1;
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
