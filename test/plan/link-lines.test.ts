// LinkLines (two typed arrays) answers as the plain version it replaced: one list per
// guardian of the lines of its rows that ask for a link (in scope, not a delete row), in
// line order.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LinkLines } from '../../src/plan/link-lines.js';

interface ResolvedShape {
  readonly ordered: readonly { readonly line: number; readonly delete?: boolean }[];
  readonly guardianOfRow: readonly number[];
  readonly inScope: readonly number[];
  readonly guardians: readonly unknown[];
}

/** The plain version: an array per guardian, grown row by row. */
function plainLinkLines(resolved: ResolvedShape): number[][] {
  const lines = resolved.guardians.map((): number[] => []);
  resolved.ordered.forEach((row, i) => {
    if (resolved.inScope[i] === 1 && row.delete !== true) lines[resolved.guardianOfRow[i]!]!.push(row.line);
  });
  return lines;
}

const resolvedArb = fc.integer({ min: 0, max: 12 }).chain((guardians) =>
  fc
    .array(fc.record({ guardian: fc.integer({ min: 0, max: Math.max(0, guardians - 1) }), inScope: fc.boolean(), delete: fc.boolean() }), {
      maxLength: guardians === 0 ? 0 : 40,
    })
    .map(
      (rows): ResolvedShape => ({
        // Lines in row order, with gaps (blank and rejected lines are not rows).
        ordered: rows.map((r, i) => (r.delete ? { line: 2 + i * 2, delete: true } : { line: 2 + i * 2 })),
        guardianOfRow: rows.map((r) => r.guardian),
        inScope: rows.map((r) => (r.inScope ? 1 : 0)),
        guardians: Array.from({ length: guardians }, () => ({})),
      }),
    ),
);

describe('LinkLines', () => {
  it('keeps each guardian\'s asking lines in line order, and none for an index it does not hold', () => {
    const lines = LinkLines.ofResolved({
      ordered: [{ line: 2 }, { line: 3 }, { line: 4, delete: true }, { line: 5 }, { line: 7 }],
      guardianOfRow: Int32Array.from([1, 0, 1, 1, 0]),
      inScope: Uint8Array.from([1, 1, 1, 0, 1]),
      guardians: [{}, {}, {}] as never,
    } as never);
    expect([0, 1, 2, 3].map((g) => [lines.count(g), lines.of(g)])).toEqual([
      [2, [3, 7]],
      [1, [2]],
      [0, []],
      [0, []],
    ]);
  });

  test.prop([resolvedArb])('ofResolved equals the plain list per guardian', (resolved) => {
    const plain = plainLinkLines(resolved);
    const lines = LinkLines.ofResolved(resolved as never);
    expect(plain.map((_, g) => lines.of(g))).toEqual(plain);
    expect(plain.map((_, g) => lines.count(g))).toEqual(plain.map((list) => list.length));
  });

  test.prop([fc.array(fc.array(fc.integer({ min: 1, max: 1e6 }), { maxLength: 5 }), { maxLength: 12 })])('fromLists gives back the lists', (lists) => {
    const lines = LinkLines.fromLists(lists);
    expect(lists.map((_, g) => lines.of(g))).toEqual(lists);
  });
});
