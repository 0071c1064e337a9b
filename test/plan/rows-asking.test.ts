// Slots put each guardian's rows side by side; RowsAsking scans a guardian's few rows and
// looks those of a guardian with many (past ROWS_SCAN_LIMIT) up in a Map. Both ways must
// answer what a plain filter of the guardian's rows answers: guardians here have from one row
// to well past the limit, so every run exercises both.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import { ROWS_SCAN_LIMIT, RowsAsking } from '../../src/plan/rows-asking.js';
import { Slots } from '../../src/plan/slots.js';
import { groupRows, type FileGuardian } from '../../src/resolve/group-rows-into-guardians.js';
import { row } from './plan-fixtures.js';

const STUDENT_POOL = ['S1', 'S2', 'S3', 'S4', 'S5'];

/** Rows of a few guardians (by id), interleaved as a file sorted by student interleaves them. */
const fileArb = fc
  .array(
    fc.array(fc.record({ student: fc.constantFrom(...STUDENT_POOL), delete: fc.boolean(), inScope: fc.boolean() }), { minLength: 1, maxLength: 2 * ROWS_SCAN_LIMIT + 8, size: 'max' }),
    { minLength: 1, maxLength: 4 },
  )
  .chain((guardians) => {
    const rows = guardians.flatMap((specs, gi) => specs.map((spec) => ({ gi, ...spec })));
    return fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length });
  });

/** The slots of g's rows that ask about a student: the plain definition. */
function plainSlots(slots: Slots, g: FileGuardian, kind: 'link' | 'delete', student: string): number[] {
  const out: number[] = [];
  g.rows.forEach((r, k) => {
    const slot = slots.first(g) + k;
    if (slots.usable(slot) && (r.delete === true) === (kind === 'delete') && r.studentSisId === student) out.push(slot);
  });
  return out;
}

describe('Slots and RowsAsking', () => {
  test.prop([fileArb])('answer as a plain filter of each guardian’s rows, below and past the scan limit', (specs) => {
    const rows: GuardianRow[] = specs.map((spec, i) =>
      row(i + 2, { guardianSisId: `G${spec.gi}`, email: `g${spec.gi}@x.org`, studentSisId: spec.student, delete: spec.delete }),
    );
    const grouped = groupRows(rows);
    const inScope = Uint8Array.from(grouped.ordered, (r) => (specs[r.line - 2]!.inScope ? 1 : 0));
    const slots = new Slots({ guardians: grouped.guardians, guardianOfRow: grouped.guardianOfRow, inScope });

    expect(slots.size).toBe(rows.length);
    const used = new Set<number>();
    grouped.ordered.forEach((r, i) => {
      const slot = slots.ofRow(i);
      const g = grouped.guardians[grouped.guardianOfRow[i]!]!;
      expect(g.rows[slot - slots.first(g)]).toBe(r);
      expect(slots.usable(slot)).toBe(inScope[i] === 1);
      used.add(slot);
    });
    expect(used.size).toBe(rows.length);

    const asking = new RowsAsking(slots);
    for (const g of grouped.guardians) {
      for (const student of [...STUDENT_POOL, 'S9']) {
        const linking = plainSlots(slots, g, 'link', student);
        expect(asking.firstLinking(g, student)).toBe(linking[0] ?? -1);
        expect(asking.linking(g, student)).toEqual(linking);
        expect(asking.deleting(g, student)).toEqual(plainSlots(slots, g, 'delete', student));
      }
    }
  });
});
