// Where a stored account's links of this sync's source name a student: the link stage asks
// whether an account already has the link a row asks for, and which of its links repeat an
// earlier one (damaged data: a repeated link counts once).
//
// An account has a handful of links, which are scanned. One with many links (damaged data, or
// an account a host links to a whole school) gets a Map of its students, built once, so no
// account costs links × links. test/plan/own-links.test.ts holds both ways equal to a plain
// search of the links.
import type { LinksByAccount } from './links-by-account.js';

/** Past this many links an account's links are looked up in a Map instead of scanned. */
export const LINKS_SCAN_LIMIT = 16;

export class OwnLinks {
  /** For each group past the limit, the position of its first link of the source to each student. */
  private readonly large = new Map<number, Map<string, number>>();

  constructor(
    private readonly groups: LinksByAccount,
    private readonly source: string,
  ) {}

  /** The position in the group of its first link of this source to the student (-1: none). */
  first(group: number, student: string): number {
    const count = this.groups.countOf(group);
    if (count > LINKS_SCAN_LIMIT) return this.index(group, count).get(student) ?? -1;
    for (let l = 0; l < count; l++) {
      const link = this.groups.linkOf(group, l);
      if (link.source === this.source && link.studentSisId === student) return l;
    }
    return -1;
  }

  private index(group: number, count: number): Map<string, number> {
    let found = this.large.get(group);
    if (found === undefined) {
      found = new Map();
      for (let l = 0; l < count; l++) {
        const link = this.groups.linkOf(group, l);
        if (link.source === this.source && !found.has(link.studentSisId)) found.set(link.studentSisId, l);
      }
      this.large.set(group, found);
    }
    return found;
  }
}
