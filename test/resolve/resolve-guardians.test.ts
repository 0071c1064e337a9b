// resolveGuardians is the whole resolve stage: what it asks the plan (which students can be
// linked), what that decides (active guardians match first), and which logins the index it
// hands over holds (those §2 and §3 look up, nothing more).
import { describe, expect, it } from 'vitest';
import { lookup } from '../../src/resolve/roster-index.js';
import { resolveGuardians } from '../../src/resolve/resolve-guardians.js';
import { DISTRICT } from '../arbitraries/roster.js';
import { account, guardianRole, row } from '../plan/plan-fixtures.js';

const known = new Set(['S1', 'S2']);

describe('resolveGuardians', () => {
  it('asks once per row, in line order, whether its student can be linked, and keeps the answer by row', () => {
    const asked: string[] = [];
    const resolved = resolveGuardians(
      [row(4, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S2' }), row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S9' })],
      [],
      {
        districtId: DISTRICT,
        studentInScope: (sisId) => {
          asked.push(sisId);
          return known.has(sisId);
        },
      },
    );
    expect(asked).toEqual(['S9', 'S2']);
    expect(resolved.ordered.map((r) => r.line)).toEqual([2, 4]);
    expect(Array.from(resolved.inScope)).toEqual([0, 1]);
    expect(Array.from(resolved.guardianOfRow)).toEqual([0, 0]);
  });

  it('lets a guardian with a student to link take an account before an earlier guardian without one', () => {
    // One account holds both ids (merged earlier); G1 comes first, but none of its students can be linked.
    const merged = account('a', { email: 'old@x.org', roles: [guardianRole(['G1', 'G2'])] });
    const resolved = resolveGuardians(
      [row(2, { guardianSisId: 'G1', firstName: 'Bo', email: 'bo@x.org', studentSisId: 'S9' }), row(3, { guardianSisId: 'G2', firstName: 'Cy', email: 'cy@x.org', studentSisId: 'S1' })],
      [merged],
      { districtId: DISTRICT, studentInScope: (sisId) => known.has(sisId) },
    );
    expect(resolved.matches.accounts).toEqual([null, merged]);
    expect(Array.from(resolved.matches.positions)).toEqual([-1, 0]);
    expect(resolved.matches.rules).toEqual([null, 'sis-id']);
  });

  it('indexes the holders of the logins active guardians ask for, and of no login a matched guardian without a student asks for', () => {
    const accounts = [
      account('a', { email: 'ana@x.org', roles: [guardianRole(['G1'])] }),
      account('b', { firstName: 'Bo', email: 'bo@x.org' }),
      account('c', { firstName: 'Cy', email: 'cy@x.org', roles: [guardianRole(['G3'])] }),
      account('d', { firstName: 'Di', email: 'di@x.org' }),
    ];
    const resolved = resolveGuardians(
      [
        // Matched by id; asks for b's email.
        row(2, { guardianSisId: 'G1', email: 'bo@x.org', studentSisId: 'S1' }),
        // Matched by id, nothing to link: asks for nothing, so d's email is never looked up.
        row(3, { guardianSisId: 'G3', firstName: 'Cy', email: 'di@x.org', studentSisId: 'S9' }),
      ],
      accounts,
      { districtId: DISTRICT, studentInScope: (sisId) => known.has(sisId) },
    );
    expect(resolved.matches.accounts.map((a) => a?.id ?? null)).toEqual(['a', 'c']);
    expect(lookup(resolved.logins.accountsByEmail, 'bo@x.org').map((a) => a.id)).toEqual(['b']);
    expect(lookup(resolved.logins.accountsByEmail, 'di@x.org')).toEqual([]);
    expect(resolved.issues).toEqual({ grouping: [], matching: [] });
  });
});
