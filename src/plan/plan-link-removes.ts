// docs/identity-rules.md §5: the stored links this sync manages (its source, students known and
// in scope) that no row asks for any more are removed; in a delta file, only those a delete
// row names. Every account's links are visited once, in groups (see LinksByAccount); the
// links an account keeps are those its keeper's rows link.
import { compareText } from '../model/compare-text.js';
import type { LinkChange } from '../model/plan.js';
import { guardianRoleOf } from '../model/roster.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import type { LinksByAccount } from './links-by-account.js';
import type { OwnLinks } from './own-links.js';
import type { RowsAsking } from './rows-asking.js';
import type { SlotSet, Slots } from './slots.js';
import type { StudentScope } from './student-scope.js';

export interface LinkRemovesInput {
  readonly guardians: readonly FileGuardian[];
  /** By group: the guardian keeping the account (see planLinkAdds); -1: none. */
  readonly keeperOf: Int32Array;
  /** Position in the snapshot's accounts of each guardian's matched account, by index; -1: none. In a delta file, its delete rows unlink students from it. */
  readonly matchedPositions: ArrayLike<number>;
  readonly groups: LinksByAccount;
  readonly own: OwnLinks;
  readonly asking: RowsAsking;
  readonly slots: Slots;
  readonly students: StudentScope;
  readonly source: string;
  /** `full`: a managed link no row asks for is removed. `delta`: only a link a delete row names is. */
  readonly mode: 'full' | 'delta';
  /** The scope's district: its guardian role is the one counted and archived. */
  readonly districtId: string;
}

export interface LinkRemoves {
  /** By account id, then student id. */
  readonly linkRemoves: LinkChange[];
  /** The slots of the delete rows whose link is removed. */
  readonly removed: SlotSet;
  /** Links this source manages in this scope before the run. */
  readonly managedLinks: number;
  /** Accounts with an active guardian role and a managed link before the run. */
  readonly managedGuardians: number;
  /** Groups of accounts with an active guardian role that this plan leaves with no link at all (any source): to archive, unless kept. */
  readonly emptied: number[];
}

export function planLinkRemoves(input: LinkRemovesInput): LinkRemoves {
  const { guardians, groups, own, asking, source } = input;
  const removed = input.slots.emptySet();
  const deleterOf = input.mode === 'delta' ? deletersOf(input.matchedPositions, groups.size) : null;
  const linkRemoves: LinkChange[] = [];
  const emptied: number[] = [];
  let managedLinks = 0;
  let managedGuardians = 0;
  for (let group = 0; group < groups.size; group++) {
    const count = groups.countOf(group);
    if (count === 0) continue;
    const accountId = groups.accountIds[group]!;
    const keeper = input.keeperOf[group]!;
    let managedHere = 0;
    // Every link of the group removed so far (a repeated link shares the fate of its first).
    let allRemoved = true;
    for (let l = 0; l < count; l++) {
      const link = groups.linkOf(group, l);
      if (link.source !== source) {
        allRemoved = false;
        continue;
      }
      const student = link.studentSisId;
      if (l > 0 && own.first(group, student) !== l) continue;
      // A student the file links here is known and in scope; any other is looked up.
      if (keeper !== -1 && asking.firstLinking(guardians[keeper]!, student) !== -1) {
        managedHere++;
        allRemoved = false;
        continue;
      }
      if (input.students.problemOf(student) !== null) {
        allRemoved = false;
        continue;
      }
      managedHere++;
      let lines: number[] = [];
      if (deleterOf !== null) {
        const deleterIndex = deleterOf[group]!;
        const deleter = deleterIndex === -1 ? null : guardians[deleterIndex]!;
        const rows = deleter === null ? [] : asking.deleting(deleter, student);
        if (deleter === null || rows.length === 0) {
          allRemoved = false;
          continue;
        }
        for (const slot of rows) removed.add(slot);
        const base = input.slots.first(deleter);
        lines = rows.map((slot) => deleter.rows[slot - base]!.line);
      }
      linkRemoves.push({ accountId, studentSisId: student, lines });
    }
    managedLinks += managedHere;
    if (managedHere === 0) continue;
    // Links naming no account of the snapshot count as links, not as guardians.
    const account = groups.accountOf(group);
    if (account !== null && guardianRoleOf(account, input.districtId)?.status === 'active') {
      managedGuardians++;
      if (allRemoved) emptied.push(group);
    }
  }
  linkRemoves.sort(byPair);
  return { linkRemoves, removed, managedLinks, managedGuardians, emptied };
}

/** By group: the guardian whose delete rows unlink students from that account (-1: none). */
function deletersOf(matchedPositions: ArrayLike<number>, groupCount: number): Int32Array {
  const deleterOf = new Int32Array(groupCount).fill(-1);
  for (let gi = 0; gi < matchedPositions.length; gi++) {
    const group = matchedPositions[gi]!;
    if (group !== -1) deleterOf[group] = gi;
  }
  return deleterOf;
}

function byPair(a: LinkChange, b: LinkChange): number {
  return compareText(a.accountId, b.accountId) || compareText(a.studentSisId, b.studentSisId);
}
