// Examples of §2's "one more login" match, §3's clearing and hand-over order, and the
// reference apply semantics a store must match.
import { describe, expect, it } from 'vitest';
import { isEmptyPlan } from '../../src/model/plan.js';
import { applyPlanToSnapshot } from '../../src/apply/apply-plan-to-snapshot.js';
import { OTHER_SOURCE, SOURCE } from '../arbitraries/roster.js';
import { account, guardianRole, issueCodes, link, LOGINS_MAY_CHANGE, plan, roster, row, staffRole } from './plan-fixtures.js';

describe('§2: the same person with one more login', () => {
  it('keeps the account of a guardian without id who now also gives an email', () => {
    const before = roster([account('a1', { mobilePhone: '+12025550101', roles: [guardianRole([])] })], [link('a1', 'S1')]);
    const p = plan([row(2, { email: 'ana@x.org', mobilePhone: '+12025550101', studentSisId: 'S1' })], before);
    expect(p.creates).toEqual([]);
    expect(p.updates).toEqual([{ accountId: 'a1', changes: [{ field: 'email', before: null, after: 'ana@x.org' }], lines: [2] }]);
    expect(p.linkRemoves).toEqual([]);
  });

  it('never matches when the name differs, even with the same login', () => {
    const before = roster([account('a1', { mobilePhone: '+12025550101', roles: [staffRole('T1')] })]);
    const p = plan([row(2, { firstName: 'Mallory', email: 'm@x.org', mobilePhone: '+12025550101' })], before);
    expect(p.roleAdds).toEqual([]);
    expect(p.creates.map((c) => [c.fields.email, c.fields.mobilePhone])).toEqual([['m@x.org', null]]);
    expect(issueCodes(p)).toEqual(['CREDENTIAL_IN_USE']);
  });
});

describe('§3: clearing and handing over logins', () => {
  it('clears a login the file leaves blank when the account keeps the other one, freeing it for someone else', () => {
    const before = roster([account('a1', { email: 'ana@x.org', mobilePhone: '+12025550101', roles: [guardianRole(['G1'])] })], [link('a1', 'S1')]);
    const p = plan(
      [row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' }), row(3, { guardianSisId: 'G2', firstName: 'Bo', mobilePhone: '+12025550101', studentSisId: 'S2' })],
      before,
      LOGINS_MAY_CHANGE,
    );
    expect(p.updates).toEqual([{ accountId: 'a1', changes: [{ field: 'mobilePhone', before: '+12025550101', after: null }], lines: [2] }]);
    expect(p.creates.map((c) => c.fields.mobilePhone)).toEqual(['+12025550101']);
    expect(isEmptyPlan(plan([row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' }), row(3, { guardianSisId: 'G2', firstName: 'Bo', mobilePhone: '+12025550101', studentSisId: 'S2' })], applyPlanToSnapshot(before, p), LOGINS_MAY_CHANGE))).toBe(true);
  });

  it('never clears the last login: a blank email stays when the new mobile is refused', () => {
    const before = roster([
      account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] }),
      account('t1', { firstName: 'Tom', mobilePhone: '+12025550109', roles: [staffRole('T1')] }),
    ]);
    const p = plan([row(2, { guardianSisId: 'G1', mobilePhone: '+12025550109', studentSisId: 'S1' })], before);
    expect(p.updates).toEqual([]);
    expect(issueCodes(p)).toEqual(['CREDENTIAL_IN_USE']);
    expect(p.linkAdds.map((l) => l.accountId)).toEqual(['a1']);
  });

  it('orders updates so the account giving a login up is updated before the one taking it', () => {
    const before = roster([
      account('a1', { firstName: 'Ana', email: 'a@x.org', roles: [guardianRole(['G1'])] }),
      account('a2', { firstName: 'Bo', email: 'b@x.org', roles: [guardianRole(['G2'])] }),
    ]);
    const p = plan(
      [row(2, { guardianSisId: 'G2', firstName: 'Bo', email: 'a@x.org' }), row(3, { guardianSisId: 'G1', firstName: 'Ana', email: 'c@x.org' })],
      before,
    );
    expect(p.updates.map((u) => u.accountId)).toEqual(['a1', 'a2']);
    // Applying the updates one at a time never leaves two accounts with one email.
    let state = before;
    for (const update of p.updates) {
      state = applyPlanToSnapshot(state, { ...p, creates: [], roleAdds: [], linkAdds: [], linkRemoves: [], archives: [], restores: [], updates: [update] });
      const emails = state.accounts.map((a) => a.email);
      expect(new Set(emails).size).toBe(emails.length);
    }
  });
});

describe('applyPlanToSnapshot', () => {
  const before = roster(
    [account('a1', { email: 'ana@x.org', roles: [staffRole('T1'), guardianRole(['G1'], 'archived')] })],
    [link('a1', 'S1', OTHER_SOURCE), link('a1', 'S2')],
  );

  it('applies every kind of item, touching only links of the plan source', () => {
    const p = plan(
      [row(2, { guardianSisId: 'G9', email: 'ana@x.org', studentSisId: 'S1' }), row(3, { guardianSisId: 'G4', firstName: 'Bo', email: 'bo@x.org', studentSisId: 'S3' })],
      before,
      { force: true },
    );
    const after = applyPlanToSnapshot(before, p);
    expect(after.accounts.find((a) => a.id === 'a1')!.roles).toEqual([staffRole('T1'), guardianRole(['G1', 'G9'], 'active')]);
    expect(after.links).toEqual([link('a1', 'S1', OTHER_SOURCE), link('a1', 'S1', SOURCE), link('new:G4', 'S3', SOURCE)]);
    expect(after.accounts.map((a) => a.id)).toEqual(['a1', 'new:G4']);
  });

  it('is idempotent: applying the same plan again changes nothing', () => {
    const p = plan([row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S3' })], before, { force: true });
    const once = applyPlanToSnapshot(before, p);
    expect(applyPlanToSnapshot(once, p)).toEqual(once);
  });
});
