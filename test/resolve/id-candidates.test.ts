// docs/identity-rules.md §2.1 and §7: the stored accounts holding each guardian's ids, in the
// scope's district only (src/resolve/id-candidates.ts).
import { describe, expect, it } from 'vitest';
import { findIdCandidates } from '../../src/resolve/id-candidates.js';
import { DISTRICT, OTHER_DISTRICT } from '../arbitraries/roster.js';
import { account, guardianRole, staffRole } from '../plan/plan-fixtures.js';

/** Guardian 0 holds G1, G2 and G3 (one person, §1.4); guardian 1 holds G4; guardian 2 holds G5. */
const guardianOfId = (sisId: string): number | undefined => ({ G1: 0, G2: 0, G3: 0, G4: 1, G5: 2 })[sisId];

describe('findIdCandidates', () => {
  it('one account per guardian in the usual case; none for a guardian no account holds', () => {
    const accounts = [account('a', { roles: [staffRole('T1')] }), account('b', { roles: [guardianRole(['G4'])] })];
    const found = findIdCandidates(accounts, DISTRICT, 3, guardianOfId);
    expect([found.single(0), found.single(1), found.single(2)]).toEqual([-1, 1, -1]);
    expect(found.several(1)).toEqual([]);
  });

  it('an account holding two ids of one guardian is one candidate', () => {
    const found = findIdCandidates([account('a', { roles: [guardianRole(['G1', 'G2'])] })], DISTRICT, 3, guardianOfId);
    expect(found.single(0)).toBe(0);
  });

  it('several accounts holding one guardian\'s ids: all of them, each once, in snapshot order', () => {
    const accounts = [
      account('a', { roles: [guardianRole(['G1'])] }),
      account('b', { roles: [guardianRole(['G2'])] }),
      account('c', { roles: [guardianRole(['G3', 'G1'])] }),
      account('d', { roles: [guardianRole(['G5'])] }),
    ];
    const found = findIdCandidates(accounts, DISTRICT, 3, guardianOfId);
    expect(found.single(0)).toBe(-2);
    expect(found.several(0)).toEqual([0, 1, 2]);
    expect([found.single(2), found.several(2)]).toEqual([3, []]);
  });

  it('ids held in another district, or ids of no guardian of the file, find nothing', () => {
    const accounts = [account('a', { roles: [guardianRole(['G1'], 'active', OTHER_DISTRICT)] }), account('b', { roles: [guardianRole(['G9'])] })];
    const found = findIdCandidates(accounts, DISTRICT, 3, guardianOfId);
    expect([found.single(0), found.single(1), found.single(2)]).toEqual([-1, -1, -1]);
  });
});
