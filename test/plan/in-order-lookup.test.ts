// InOrderLookup answers like indexOf whatever the order of the queries: in the list's order
// (the walk), against it (the Map of keys passed by), or keys the list does not hold.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InOrderLookup } from '../../src/plan/in-order-lookup.js';

describe('InOrderLookup', () => {
  it('finds keys in order, far ahead, behind, at a former stop, and not at all', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const lookup = new InOrderLookup(keys);
    expect(['k0', 'k1', 'k30', 'k5', 'k31', 'k1', 'nope', 'k39', 'k0'].map((k) => lookup.find(k))).toEqual([0, 1, 30, 5, 31, 1, -1, 39, 0]);
  });

  test.prop([
    fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
    fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 120 }),
    fc.boolean(),
  ])('every answer is the position of the key in the list, or -1', (numbers, queries, inOrder) => {
    const keys = numbers.map((n) => `k${n}`);
    const asked = (inOrder ? [...queries].sort((a, b) => numbers.indexOf(a) - numbers.indexOf(b)) : queries).map((n) => `k${n}`);
    const lookup = new InOrderLookup(keys);
    for (const key of asked) expect(lookup.find(key)).toBe(keys.indexOf(key));
  });
});
