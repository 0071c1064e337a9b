// inHandOverOrder puts the update of an account giving a login up before the update of the
// account taking it, and otherwise keeps the plan's order.
import { describe, expect, it } from 'vitest';
import type { AccountUpdate } from '../../src/model/plan.js';
import { inHandOverOrder } from '../../src/plan/hand-over-order.js';

function update(accountId: string): AccountUpdate {
  return { accountId, changes: [{ field: 'email', before: null, after: `${accountId}@x.org` }], lines: [] };
}

describe('inHandOverOrder', () => {
  it('orders a chain of hand-overs from the first giver, and keeps the others where they were', () => {
    const updates = ['c', 'x', 'b', 'a', 'y'].map(update);
    // c takes b's login, b takes a's.
    const ordered = inHandOverOrder(updates, new Map([['c', ['b']], ['b', ['a']]]));
    expect(ordered.map((u) => u.accountId)).toEqual(['x', 'a', 'y', 'b', 'c']);
  });

  it('returns the updates as they are when nothing is handed over', () => {
    const updates = ['b', 'a'].map(update);
    expect(inHandOverOrder(updates, new Map())).toBe(updates);
  });

  it('still ends on a cycle (§3 refuses swaps, so a plan never has one), with every update once', () => {
    const updates = ['a', 'b', 'c'].map(update);
    const ordered = inHandOverOrder(updates, new Map([['a', ['b']], ['b', ['a']]]));
    expect(ordered.map((u) => u.accountId).sort()).toEqual(['a', 'b', 'c']);
  });
});
