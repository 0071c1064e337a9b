// docs/identity-rules.md §5: each usable row asks for one link, its guardian's account to its
// student; the links the account does not have yet are added. A guardian keeps its matched
// account or gets a new one (which has no links), so its rows are compared with the few
// links of its matched account only, found by position: no (account, student) key is built.
import type { LinkChange } from '../model/plan.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import type { LinksByAccount } from './links-by-account.js';
import type { OwnLinks } from './own-links.js';
import type { RowsAsking } from './rows-asking.js';
import type { SlotSet, Slots } from './slots.js';

export interface LinkAddsInput {
  readonly guardians: readonly FileGuardian[];
  /** The account each guardian ends with, by index (null: not added, its rows ask for nothing). */
  readonly accountIds: readonly (string | null)[];
  /** Position in the snapshot's accounts (its group in `groups`) of each guardian's matched account, by index; -1: none. */
  readonly matchedPositions: ArrayLike<number>;
  readonly groups: LinksByAccount;
  readonly own: OwnLinks;
  readonly asking: RowsAsking;
  readonly slots: Slots;
}

export interface LinkAdds {
  /** In first-line order of the rows asking; each lists every asking row's line. */
  readonly linkAdds: LinkChange[];
  /** The slots of the rows whose link is added. */
  readonly added: SlotSet;
  /** By group: the guardian that keeps this stored account (-1: none); its rows say which stored links stay. */
  readonly keeperOf: Int32Array;
  /** By group: 1 when the account gains a link in this plan (it is not archived). */
  readonly gainsLink: Uint8Array;
}

/** The links the file adds: one per (guardian, student), named by the first row asking, for a student the account has no link of this source to. */
export function planLinkAdds(input: LinkAddsInput): LinkAdds {
  const { groups, own, asking, slots } = input;
  const added = slots.emptySet();
  const keeperOf = new Int32Array(groups.size).fill(-1);
  const gainsLink = new Uint8Array(groups.size);
  const linkAdds: LinkChange[] = [];
  for (const g of input.guardians) {
    const accountId = input.accountIds[g.index] ?? null;
    if (accountId === null) continue;
    const matched = input.matchedPositions[g.index]!;
    const group = matched !== -1 && groups.accountIds[matched] === accountId ? matched : -1;
    if (group !== -1) keeperOf[group] = g.index;
    const base = slots.first(g);
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k]!;
      if (!slots.usable(base + k) || row.delete === true) continue;
      const student = row.studentSisId;
      if (asking.firstLinking(g, student) !== base + k) continue;
      if (group !== -1 && own.first(group, student) !== -1) continue;
      const rows = asking.linking(g, student);
      for (const slot of rows) added.add(slot);
      linkAdds.push({ accountId, studentSisId: student, lines: rows.map((slot) => g.rows[slot - base]!.line) });
      if (group !== -1) gainsLink[group] = 1;
    }
  }
  return { linkAdds, added, keeperOf, gainsLink };
}
