// The rows of a guardian that ask about a student, by slot: the link stage adds one link per
// student a guardian's rows link, keeps the stored links they name, and (delta files) removes
// the links its delete rows name. Only usable rows ask (student known and in scope).
//
// A guardian has a handful of rows, which are scanned. One with many rows (only damaged data
// gives one person dozens of children: an id shared by a whole school) gets a Map of its rows
// by student, built once, so no guardian costs rows × rows. test/plan/rows-asking.test.ts
// holds both ways equal to a plain filter of the rows.
import type { GuardianRow } from '../model/guardian-row.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import type { Slots } from './slots.js';

/** Past this many rows a guardian's rows are looked up in a Map instead of scanned. */
export const ROWS_SCAN_LIMIT = 16;

/** Rows that link their student, or delete rows (delta files) that unlink it. */
type RowKind = 'link' | 'delete';

export class RowsAsking {
  /** Per guardian and kind (`index * 2 + (delete ? 1 : 0)`), the slots of its rows by student: only for guardians past the limit. */
  private readonly large = new Map<number, Map<string, number[]>>();

  constructor(private readonly slots: Slots) {}

  /** The slot of the first row of `g` linking the student (-1: none). */
  firstLinking(g: FileGuardian, student: string): number {
    if (g.rows.length > ROWS_SCAN_LIMIT) return this.index(g, 'link').get(student)?.[0] ?? -1;
    const base = this.slots.first(g);
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, 'link', student)) return base + k;
    return -1;
  }

  /** The slots of every row of `g` linking the student, in line order. */
  linking(g: FileGuardian, student: string): readonly number[] {
    return this.all(g, 'link', student);
  }

  /** The slots of every delete row of `g` naming the student, in line order. */
  deleting(g: FileGuardian, student: string): readonly number[] {
    return this.all(g, 'delete', student);
  }

  private all(g: FileGuardian, kind: RowKind, student: string): readonly number[] {
    if (g.rows.length > ROWS_SCAN_LIMIT) return this.index(g, kind).get(student) ?? [];
    const base = this.slots.first(g);
    const out: number[] = [];
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, kind, student)) out.push(base + k);
    return out;
  }

  private asks(g: FileGuardian, base: number, k: number, kind: RowKind, student: string): boolean {
    const row = g.rows[k]!;
    return this.slots.usable(base + k) && kindOf(row) === kind && row.studentSisId === student;
  }

  private index(g: FileGuardian, kind: RowKind): Map<string, number[]> {
    const key = g.index * 2 + (kind === 'delete' ? 1 : 0);
    let found = this.large.get(key);
    if (found === undefined) {
      found = new Map();
      const base = this.slots.first(g);
      for (let k = 0; k < g.rows.length; k++) {
        const row = g.rows[k]!;
        if (!this.slots.usable(base + k) || kindOf(row) !== kind) continue;
        const list = found.get(row.studentSisId);
        if (list === undefined) found.set(row.studentSisId, [base + k]);
        else list.push(base + k);
      }
      this.large.set(key, found);
    }
    return found;
  }
}

function kindOf(row: GuardianRow): RowKind {
  return row.delete === true ? 'delete' : 'link';
}
