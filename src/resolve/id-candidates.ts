// docs/identity-rules.md §2.1 and §7.2: the stored accounts holding a guardian's SIS ids in the
// scope's district (an id of another district is another person's), found in one pass
// over the accounts with one lookup per stored guardian id in the file's own id map. No index
// of the roster by id is built: a file of a school against a district of a million accounts
// costs one lookup per stored id, and so does a district's file.
import { guardianRoleOf, type Account } from '../model/roster.js';

/** For each guardian of the file, the stored accounts (by position in the snapshot's accounts) holding one of its ids. */
export interface IdCandidates {
  /** The position of the one account holding the guardian's ids; -1 when none; -2 when several (see `several`). */
  single(guardianIndex: number): number;
  /** All positions, when several accounts hold the guardian's ids (a merged duplicate, or damaged data). */
  several(guardianIndex: number): readonly number[];
}

/**
 * @param guardianOfId the guardian of the file holding an id (after §1.4 merges).
 */
export function findIdCandidates(
  accounts: readonly Account[],
  districtId: string,
  guardianCount: number,
  guardianOfId: (sisId: string) => number | undefined,
): IdCandidates {
  // One position per guardian in a typed array; a second account for one guardian goes to a small Map.
  const single = new Int32Array(guardianCount).fill(-1);
  const more = new Map<number, number[]>();
  for (let pos = 0; pos < accounts.length; pos++) {
    const role = guardianRoleOf(accounts[pos]!, districtId);
    if (role === undefined) continue;
    for (const sisId of role.sisIds) {
      const gi = guardianOfId(sisId);
      if (gi === undefined) continue;
      const held = single[gi]!;
      if (held === -1) single[gi] = pos;
      else if (held !== pos) {
        const list = more.get(gi);
        if (list === undefined) more.set(gi, [held, pos]);
        else if (!list.includes(pos)) list.push(pos);
      }
    }
  }
  return {
    single: (gi) => (more.has(gi) ? -2 : single[gi]!),
    several: (gi) => more.get(gi) ?? [],
  };
}
