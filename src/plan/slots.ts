// Per-row facts of a plan, by slot. The rows of guardian g are the slots first(g) …
// first(g) + g.rows.length - 1, in g.rows order, so a guardian's rows sit side by side and
// a fact about a row is one byte in a typed array: a million rows make no object each.
// Stages that mark rows (links added, delete rows that removed a link) get a SlotSet.
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import type { ResolvedGuardians } from '../resolve/resolve-guardians.js';

export class Slots {
  /** Number of slots: one per row of the file. */
  readonly size: number;
  /** Slot of each guardian's first row, by index; one more entry holds `size`. */
  private readonly offsets: Int32Array;
  /** Slot of each row of `ordered` (line order). */
  private readonly slotOfRow: Int32Array;
  /** By slot: 1 when the row's student is known and in scope. */
  private readonly usableBySlot: Uint8Array;

  constructor(resolved: Pick<ResolvedGuardians, 'guardians' | 'guardianOfRow' | 'inScope'>) {
    const { guardians, guardianOfRow, inScope } = resolved;
    this.offsets = new Int32Array(guardians.length + 1);
    for (const g of guardians) this.offsets[g.index + 1] = this.offsets[g.index]! + g.rows.length;
    this.size = this.offsets[guardians.length]!;
    this.slotOfRow = new Int32Array(guardianOfRow.length);
    this.usableBySlot = new Uint8Array(this.size);
    // `ordered` and each guardian's `rows` are both in line order: the k-th row of a guardian
    // met in `ordered` is its k-th row.
    const seen = new Int32Array(guardians.length);
    for (let i = 0; i < guardianOfRow.length; i++) {
      const gi = guardianOfRow[i]!;
      const slot = this.offsets[gi]! + seen[gi]!++;
      this.slotOfRow[i] = slot;
      this.usableBySlot[slot] = inScope[i]!;
    }
  }

  /** The slot of the row at position `row` of `ordered`. */
  ofRow(row: number): number {
    return this.slotOfRow[row]!;
  }

  /** The slot of a guardian's first row: its k-th row (in `g.rows`) is `first(g) + k`. */
  first(g: FileGuardian): number {
    return this.offsets[g.index]!;
  }

  /** True when the row in `slot` names a student known to the roster and in scope (linkable, or unlinkable by a delete row). */
  usable(slot: number): boolean {
    return this.usableBySlot[slot] === 1;
  }

  /** An empty set of slots, for a stage to mark rows in. */
  emptySet(): SlotSet {
    return new SlotSet(this.size);
  }
}

/** A set of slots (one byte each). */
export class SlotSet {
  private readonly marks: Uint8Array;

  constructor(size: number) {
    this.marks = new Uint8Array(size);
  }

  add(slot: number): void {
    this.marks[slot] = 1;
  }

  has(slot: number): boolean {
    return this.marks[slot] === 1;
  }
}
