// docs/identity-rules.md §5: links to add and remove, and the guardian roles left without any
// link that are archived. Only links of this source, for students of this scope, are managed.
//
// Built for a million links: the stored links are grouped by account position once (see
// LinksByAccount), each guardian's rows are compared with its matched account's group, found
// by position, and every group is visited once more in order. No (account, student) key
// string is built and no Map holds one entry per link.
import type { LinkChange, RoleStatusChange } from '../model/plan.js';
import type { Account, GuardianLink } from '../model/roster.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import { guardianRoleOf } from '../resolve/roster-index.js';
import { LinksByAccount } from './links-by-account.js';
import type { StudentScope } from './student-scope.js';

export interface LinkPlanInput {
  readonly guardians: readonly FileGuardian[];
  /** Slot of a guardian's first row; the rows of guardian `g` are slots `slotOffsets[g]` onwards, in `g.rows` order. */
  readonly slotOffsets: Int32Array;
  /** By slot: 1 when the row's student is known and in scope. */
  readonly usable: Uint8Array;
  /** The account each guardian ends with (null when the guardian is not added): its rows ask for links. */
  readonly added: readonly (string | null)[];
  /** The stored account each guardian matched: delete rows (delta) remove its links. */
  readonly matched: readonly (Account | null)[];
  /** Position in `accounts` of each guardian's matched account (-1: none). */
  readonly matchedPositions: Int32Array;
  /** The district's links (any source). */
  readonly links: readonly GuardianLink[];
  readonly accounts: readonly Account[];
  /** The scope's district: its guardian role is the one archived. */
  readonly districtId: string;
  readonly source: string;
  /** Delta files: only delete rows remove links; absent rows mean unchanged. */
  readonly delta: boolean;
  /** Accounts that are restored or gain the guardian role in this plan: never archived. */
  readonly keptAccounts: ReadonlySet<string>;
  readonly students: StudentScope;
}

export interface LinkPlan {
  /** In first-line order of the rows asking. */
  readonly linkAdds: LinkChange[];
  /** By account id, then student id. */
  readonly linkRemoves: LinkChange[];
  readonly archives: RoleStatusChange[];
  /** Links this source manages in this scope before the run. */
  readonly managedLinks: number;
  /** Accounts with an active guardian role and a managed link before the run. */
  readonly managedGuardians: number;
  /** By slot: 1 when the link the row asks for is added. */
  readonly addedSlots: Uint8Array;
  /** By slot: 1 when the delete row's link is among `linkRemoves`. */
  readonly removedSlots: Uint8Array;
}

export function planLinks(input: LinkPlanInput): LinkPlan {
  const { guardians, slotOffsets, usable, source } = input;
  const slots = slotOffsets[guardians.length] ?? 0;
  const addedSlots = new Uint8Array(slots);
  const removedSlots = new Uint8Array(slots);
  const groups = new LinksByAccount(input.links, input.accounts);
  const own = new OwnStudents(groups, source);
  const asking = new RowsAsking(slotOffsets, usable);
  // What the file says about each group (account): in typed arrays, no object per account.
  /** The guardian whose rows link students to the account (-1: none). */
  const guardianOf = new Int32Array(groups.size).fill(-1);
  /** Delta: the guardian whose delete rows unlink students from the account (-1: none). */
  const deleterOf = new Int32Array(groups.size).fill(-1);
  const addsOf = new Int32Array(groups.size);

  const linkAdds: LinkChange[] = [];
  for (const g of guardians) {
    const accountId = input.added[g.index] ?? null;
    const matched = input.matched[g.index] ?? null;
    const matchedGroup = input.matchedPositions[g.index]!;
    if (input.delta && matchedGroup !== -1) deleterOf[matchedGroup] = g.index;
    if (accountId === null) continue;
    // A guardian keeps its matched account or gets a new one, which has no stored links.
    const group = matched !== null && matched.id === accountId ? matchedGroup : -1;
    if (group !== -1) guardianOf[group] = g.index;
    // One add per student (the first row asking names it; every asking row's line is kept).
    let adds = 0;
    const base = slotOffsets[g.index]!;
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k]!;
      if (usable[base + k] !== 1 || row.delete === true) continue;
      const student = row.studentSisId;
      if (asking.firstSlot(g, false, student) !== base + k) continue;
      if (group !== -1 && own.has(group, student)) continue;
      const asked = asking.slots(g, false, student);
      for (const slot of asked) addedSlots[slot] = 1;
      linkAdds.push({ accountId, studentSisId: student, lines: asked.map((slot) => g.rows[slot - base]!.line) });
      adds++;
    }
    if (group !== -1) addsOf[group] = adds;
  }

  const linkRemoves: LinkChange[] = [];
  let managedLinks = 0;
  let managedGuardians = 0;
  /** Groups with removals, for the archive check. */
  const withRemovals: { group: number; removed: StudentSet }[] = [];
  for (let group = 0; group < groups.size; group++) {
    const count = groups.countOf(group);
    if (count === 0) continue;
    const accountId = groups.accountIds[group]!;
    let managedHere = 0;
    let removed: StudentSet | null = null;
    // Duplicate links (damaged data) count once: scanned in a small group, a Set in a large one.
    const seen = count > SCAN_LIMIT ? new Set<string>() : null;
    for (let l = 0; l < count; l++) {
      const link = groups.linkOf(group, l);
      if (link.source !== source) continue;
      const student = link.studentSisId;
      if (seen !== null ? seen.size === seen.add(student).size : l > 0 && ownLinkBefore(groups, group, source, student, l)) continue;
      // A student the file links here is known and in scope; any other is looked up.
      const guardian = guardianOf[group]!;
      if (guardian !== -1 && asking.firstSlot(guardians[guardian]!, false, student) !== -1) {
        managedHere++;
        continue;
      }
      if (input.students.problemOf(student) !== null) continue;
      managedHere++;
      if (input.delta) {
        const deleterIndex = deleterOf[group]!;
        if (deleterIndex === -1) continue;
        const deleter = guardians[deleterIndex]!;
        const asked = asking.slots(deleter, true, student);
        if (asked.length === 0) continue;
        for (const slot of asked) removedSlots[slot] = 1;
        const base = slotOffsets[deleter.index]!;
        linkRemoves.push({ accountId, studentSisId: student, lines: asked.map((slot) => deleter.rows[slot - base]!.line) });
      } else {
        linkRemoves.push({ accountId, studentSisId: student, lines: [] });
      }
      (removed ??= new StudentSet()).add(student);
    }
    managedLinks += managedHere;
    if (managedHere === 0) continue;
    // Links naming no account of the snapshot count as links, not as guardians.
    const account = groups.accountOf(group);
    if (account !== null && guardianRoleOf(account, input.districtId)?.status === 'active') {
      managedGuardians++;
      if (removed !== null) withRemovals.push({ group, removed });
    }
  }
  linkRemoves.sort(byPair);

  // A guardian role left with no link at all (any source, any school) is archived; other
  // roles of the account are untouched (a staff role stays active).
  const archives: RoleStatusChange[] = [];
  for (const { group, removed } of withRemovals) {
    const accountId = groups.accountIds[group]!;
    if (addsOf[group]! > 0 || input.keptAccounts.has(accountId)) continue;
    let left = false;
    for (let l = 0; l < groups.countOf(group) && !left; l++) {
      const link = groups.linkOf(group, l);
      left = !(link.source === source && removed.has(link.studentSisId));
    }
    if (!left) archives.push({ accountId, role: 'guardian', lines: [] });
  }
  archives.sort((a, b) => compare(a.accountId, b.accountId));
  return { linkAdds, linkRemoves, archives, managedLinks, managedGuardians, addedSlots, removedSlots };
}

/** True when a link of this source to the student comes before position `at` in a small group (a duplicate). */
function ownLinkBefore(groups: LinksByAccount, group: number, source: string, student: string, at: number): boolean {
  for (let l = 0; l < at; l++) {
    const link = groups.linkOf(group, l);
    if (link.source === source && link.studentSisId === student) return true;
  }
  return false;
}

/** Whether an account holds a link of this source to a student: a scan of its few links, a Set for a large group. */
class OwnStudents {
  private readonly large = new Map<number, Set<string>>();

  constructor(
    private readonly groups: LinksByAccount,
    private readonly source: string,
  ) {}

  has(group: number, student: string): boolean {
    const count = this.groups.countOf(group);
    if (count > SCAN_LIMIT) {
      let set = this.large.get(group);
      if (set === undefined) {
        set = new Set();
        for (let l = 0; l < count; l++) {
          const link = this.groups.linkOf(group, l);
          if (link.source === this.source) set.add(link.studentSisId);
        }
        this.large.set(group, set);
      }
      return set.has(student);
    }
    for (let l = 0; l < count; l++) {
      const link = this.groups.linkOf(group, l);
      if (link.source === this.source && link.studentSisId === student) return true;
    }
    return false;
  }
}

// A guardian has a handful of students and an account a handful of links: a linear search
// beats a Map until there are many, which only damaged data gives one person.
const SCAN_LIMIT = 16;

/**
 * The rows of a guardian asking about a student (usable rows; delete rows or the others),
 * by slot. Scans the guardian's few rows; a guardian with many rows gets a Map, once.
 */
class RowsAsking {
  private readonly large = new Map<number, Map<string, number[]>>();

  constructor(
    private readonly slotOffsets: Int32Array,
    private readonly usable: Uint8Array,
  ) {}

  /** The first slot asking (-1: none). */
  firstSlot(g: FileGuardian, deletes: boolean, student: string): number {
    const base = this.slotOffsets[g.index]!;
    if (g.rows.length > SCAN_LIMIT) return this.index(g, deletes).get(student)?.[0] ?? -1;
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, deletes, student)) return base + k;
    return -1;
  }

  /** Every slot asking, in line order. */
  slots(g: FileGuardian, deletes: boolean, student: string): readonly number[] {
    const base = this.slotOffsets[g.index]!;
    if (g.rows.length > SCAN_LIMIT) return this.index(g, deletes).get(student) ?? [];
    const out: number[] = [];
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, deletes, student)) out.push(base + k);
    return out;
  }

  private asks(g: FileGuardian, base: number, k: number, deletes: boolean, student: string): boolean {
    const row = g.rows[k]!;
    return this.usable[base + k] === 1 && (row.delete === true) === deletes && row.studentSisId === student;
  }

  private index(g: FileGuardian, deletes: boolean): Map<string, number[]> {
    const key = g.index * 2 + (deletes ? 1 : 0);
    let found = this.large.get(key);
    if (found === undefined) {
      found = new Map();
      const base = this.slotOffsets[g.index]!;
      for (let k = 0; k < g.rows.length; k++) {
        const row = g.rows[k]!;
        if (this.usable[base + k] !== 1 || (row.delete === true) !== deletes) continue;
        const list = found.get(row.studentSisId);
        if (list === undefined) found.set(row.studentSisId, [base + k]);
        else list.push(base + k);
      }
      this.large.set(key, found);
    }
    return found;
  }
}

/** A set of student ids: an array while small, a Set past SCAN_LIMIT. */
class StudentSet {
  private list: string[] = [];
  private set: Set<string> | null = null;

  add(student: string): void {
    if (this.set !== null) this.set.add(student);
    else if (this.list.length < SCAN_LIMIT) {
      if (!this.list.includes(student)) this.list.push(student);
    } else {
      this.set = new Set(this.list);
      this.set.add(student);
    }
  }

  has(student: string): boolean {
    return this.set !== null ? this.set.has(student) : this.list.includes(student);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPair(a: LinkChange, b: LinkChange): number {
  return compare(a.accountId, b.accountId) || compare(a.studentSisId, b.studentSisId);
}
