// One named example per identity rule and per identity case of RELIABILITY.md, planned with
// buildPlan and checked on the resulting roster (applyPlanToSnapshot), as a district sees it.
import { describe, expect, it } from 'vitest';
import { isEmptyPlan } from '../../src/model/plan.js';
import { applyPlanToSnapshot } from '../../src/apply/apply-plan-to-snapshot.js';
import { OTHER_SOURCE, SCHOOL_SCOPE } from '../arbitraries/roster.js';
import { account, guardianRole, issueCodes, link, LOGINS_MAY_CHANGE, plan, roster, row, staffRole } from './plan-fixtures.js';

describe('§1 and §3: two parents sharing an email', () => {
  const rows = [
    row(2, { guardianSisId: 'G1', firstName: 'Ana', email: 'family@x.org', mobilePhone: '+12025550101', studentSisId: 'S1' }),
    row(3, { guardianSisId: 'G2', firstName: 'Luis', email: 'family@x.org', mobilePhone: '+12025550102', studentSisId: 'S1' }),
  ];

  it('gives the email to the first parent by line, the second keeps the mobile only', () => {
    const p = plan(rows, roster());
    expect(p.creates.map((c) => [c.accountId, c.fields.email, c.fields.mobilePhone])).toEqual([
      ['new:G1', 'family@x.org', '+12025550101'],
      ['new:G2', null, '+12025550102'],
    ]);
    const issue = p.issues.find((i) => i.code === 'CREDENTIAL_IN_USE');
    expect(issue).toMatchObject({ line: 3, column: 'email', severity: 'warning' });
    expect(issue!.message).toContain('line 3');
    expect(issue!.message).not.toMatch(/Ana|line 2|G1/u);
    expect(p.rows).toEqual([
      { line: 2, action: 'CREATED', result: 'SUCCESS' },
      { line: 3, action: 'CREATED', result: 'WARNING' },
    ]);
  });

  it('does not add the second parent when the shared email was their only login (NO_CONTACT_CREDENTIAL)', () => {
    const p = plan([rows[0]!, row(3, { guardianSisId: 'G2', firstName: 'Luis', email: 'family@x.org', studentSisId: 'S1' })], roster());
    expect(p.creates.map((c) => c.accountId)).toEqual(['new:G1']);
    expect(issueCodes(p)).toEqual(['CREDENTIAL_IN_USE', 'NO_CONTACT_CREDENTIAL']);
    expect(p.rows[1]).toEqual({ line: 3, action: 'SKIPPED', result: 'WARNING' });
    expect(p.counts).toMatchObject({ rows: 2, rowsSkipped: 1, accountsCreated: 1, linksAdded: 1, guardians: 2 });
  });

  it('finds the second parent again on the next run (idempotent)', () => {
    const noIds = rows.map((r) => ({ ...r, guardianSisId: null }));
    const first = plan(noIds, roster());
    const second = plan(noIds, applyPlanToSnapshot(roster(), first));
    expect(isEmptyPlan(second)).toBe(true);
  });
});

describe('§1.4: equal contact key under two ids', () => {
  it('makes one account holding both ids, linked to every student', () => {
    const p = plan(
      [row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' }), row(3, { guardianSisId: 'G7', email: 'ana@x.org', studentSisId: 'S2' })],
      roster(),
    );
    expect(p.creates).toHaveLength(1);
    expect(p.creates[0]!.guardianSisIds).toEqual(['G1', 'G7']);
    expect(p.linkAdds.map((l) => [l.accountId, l.studentSisId])).toEqual([
      ['new:G1', 'S1'],
      ['new:G1', 'S2'],
    ]);
    expect(issueCodes(p)).toEqual(['DUPLICATE_IDENTITY']);
  });
});

describe('§1.3: one id with conflicting rows', () => {
  it('uses the first row, reports the conflict, links every row', () => {
    const p = plan(
      [
        row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' }),
        row(3, { guardianSisId: 'G1', email: 'typo@x.org', studentSisId: 'S2' }),
      ],
      roster(),
    );
    expect(p.creates.map((c) => c.fields.email)).toEqual(['ana@x.org']);
    expect(p.linkAdds.map((l) => l.studentSisId)).toEqual(['S1', 'S2']);
    expect(p.issues).toMatchObject([{ code: 'CONFLICTING_GUARDIAN_ROWS', line: 3, lines: [2, 3] }]);
    expect(p.rows.map((r) => r.result)).toEqual(['WARNING', 'WARNING']);
  });
});

describe('same name with no contacts', () => {
  it('never merges them and adds neither', () => {
    const p = plan([row(2, { studentSisId: 'S1' }), row(3, { studentSisId: 'S2' })], roster([account('a1', { email: 'ana@x.org', roles: [guardianRole([])] })]));
    expect(p.creates).toEqual([]);
    expect(p.linkAdds).toEqual([]);
    expect(issueCodes(p)).toEqual(['NO_CONTACT_CREDENTIAL', 'NO_CONTACT_CREDENTIAL']);
    expect(p.counts.guardians).toBe(2);
  });
});

describe('§2.2: a guardian equal to a staff account', () => {
  const teacher = account('t1', { firstName: 'Ana', email: 'ana@school.org', mobilePhone: '+12025550101', roles: [staffRole('T9')] });

  it('adds the guardian role to the staff account instead of a second account', () => {
    const p = plan([row(2, { guardianSisId: 'G1', firstName: 'ANA', email: 'ana@school.org', mobilePhone: '+12025550101' })], roster([teacher]));
    expect(p.creates).toEqual([]);
    expect(p.roleAdds).toEqual([{ accountId: 't1', role: 'guardian', sisIds: ['G1'], reason: 'new-role', lines: [2] }]);
    expect(p.linkAdds.map((l) => l.accountId)).toEqual(['t1']);
    // §4.2: the staff account's names come from the roster sync; the file's spelling is reported, not applied.
    expect(p.updates).toEqual([]);
    expect(p.issues.map((i) => [i.code, i.column])).toEqual([['SHARED_ACCOUNT_NOT_UPDATED', 'firstName']]);
    const after = applyPlanToSnapshot(roster([teacher]), p);
    expect(after.accounts).toHaveLength(1);
    expect(after.accounts[0]!.roles.map((r) => r.role)).toEqual(['staff', 'guardian']);
  });

  it('never opens the teacher account to a row carrying her email under another name (CREDENTIAL_IN_USE)', () => {
    const p = plan([row(4, { guardianSisId: 'G5', firstName: 'Mallory', email: 'ana@school.org', mobilePhone: '+12025550177' })], roster([teacher]));
    expect(p.roleAdds).toEqual([]);
    expect(p.updates).toEqual([]);
    expect(p.creates).toEqual([
      { accountId: 'new:G5', fields: expect.objectContaining({ firstName: 'Mallory', email: null, mobilePhone: '+12025550177' }), guardianSisIds: ['G5'], lines: [4] },
    ]);
    expect(p.issues).toMatchObject([{ code: 'CREDENTIAL_IN_USE', line: 4, column: 'email' }]);
  });

  it('never matches on the email alone, even when the name is the same but the phone differs', () => {
    const p = plan([row(2, { firstName: 'Ana', email: 'ana@school.org', mobilePhone: '+12025550133' })], roster([teacher]));
    expect(p.roleAdds).toEqual([]);
    expect(p.creates.map((c) => c.fields.email)).toEqual([null]);
  });
});

describe('§2: renumbered guardian id', () => {
  it('keeps the account and adds the new id to it', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1')]);
    const p = plan([row(2, { guardianSisId: 'G2', email: 'ana@x.org', studentSisId: 'S1' })], before);
    expect(p.creates).toEqual([]);
    expect(p.roleAdds).toEqual([{ accountId: 'a1', role: 'guardian', sisIds: ['G2'], reason: 'new-sis-id', lines: [2] }]);
    expect(p.linkRemoves).toEqual([]);
    expect(p.linkAdds).toEqual([]);
    expect(p.rows).toEqual([{ line: 2, action: 'UPDATED', result: 'SUCCESS' }]);
  });

  it('§2.1: an id match with changed contacts is an update of the same account', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1')]);
    const p = plan([row(2, { guardianSisId: 'G1', lastName: 'Smith', email: 'ana.smith@x.org', studentSisId: 'S1' })], before, LOGINS_MAY_CHANGE);
    expect(p.updates).toEqual([
      {
        accountId: 'a1',
        changes: [
          { field: 'lastName', before: 'Garcia', after: 'Smith' },
          { field: 'email', before: 'ana@x.org', after: 'ana.smith@x.org' },
        ],
        lines: [2],
      },
    ]);
    expect(p.creates).toEqual([]);
  });

  it("§2.2's exception: an account holding another id of this file with a different contact is not merged", () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1')]);
    const p = plan(
      [
        row(2, { guardianSisId: 'G1', email: 'new@x.org', studentSisId: 'S1' }),
        row(3, { guardianSisId: 'G2', email: 'ana@x.org', studentSisId: 'S2' }),
      ],
      before,
      LOGINS_MAY_CHANGE,
    );
    expect(p.updates.map((u) => u.accountId)).toEqual(['a1']);
    expect(p.roleAdds).toEqual([]);
    expect(p.issues.find((i) => i.code === 'DUPLICATE_IDENTITY')).toMatchObject({ line: 3 });
    // a1 gives ana@x.org up in this plan, so the second guardian's new account may take it.
    expect(p.creates.map((c) => [c.accountId, c.fields.email])).toEqual([['new:G2', 'ana@x.org']]);
  });
});

describe('§2: a guardian without id whose phone changed', () => {
  it('gets a new account; the old account loses its links and is archived', () => {
    const before = roster([account('a1', { email: 'ana@x.org', mobilePhone: '+12025550101', roles: [guardianRole([])] })], [link('a1', 'S1')]);
    const p = plan([row(2, { email: 'ana@x.org', mobilePhone: '+12025550102', studentSisId: 'S1' })], before, { force: true });
    expect(p.creates.map((c) => [c.fields.email, c.fields.mobilePhone])).toEqual([[null, '+12025550102']]);
    expect(issueCodes(p)).toContain('CREDENTIAL_IN_USE');
    expect(p.linkRemoves.map((l) => l.accountId)).toEqual(['a1']);
    expect(p.archives.map((a) => a.accountId)).toEqual(['a1']);
  });
});

describe('§5: school-level scope', () => {
  it('skips a student of another school (STUDENT_OUT_OF_SCOPE) and never touches its links', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S4'), link('a1', 'S1')], SCHOOL_SCOPE);
    const p = plan(
      [row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' }), row(3, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S5' })],
      before,
    );
    expect(p.issues).toMatchObject([{ code: 'STUDENT_OUT_OF_SCOPE', line: 3, column: 'studentSisId', severity: 'warning' }]);
    expect(p.rows).toEqual([
      { line: 2, action: 'UNCHANGED', result: 'SUCCESS' },
      { line: 3, action: 'SKIPPED', result: 'WARNING' },
    ]);
    expect(p.linkRemoves).toEqual([]);
    expect(p.linkAdds).toEqual([]);
  });

  it('reports a student the roster does not know (UNKNOWN_STUDENT)', () => {
    const p = plan([row(2, { email: 'ana@x.org', studentSisId: '00S1' })], roster());
    expect(p.issues).toMatchObject([{ code: 'UNKNOWN_STUDENT', line: 2 }]);
    expect(p.creates).toEqual([]);
    expect(p.rows).toEqual([{ line: 2, action: 'SKIPPED', result: 'WARNING' }]);
  });
});

describe('§6: a file truncated to 40% of yesterday', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `G${i + 1}`);
  const yesterday = ids.map((id, i) => row(i + 2, { guardianSisId: id, firstName: `P${i}`, email: `p${i}@x.org`, studentSisId: `S${(i % 5) + 1}` }));
  const stored = applyPlanToSnapshot(roster(), plan(yesterday, roster()));
  const truncated = yesterday.slice(0, 4);

  it('holds removals and archives back and says why', () => {
    const p = plan(truncated, stored);
    expect(p.linkRemoves).toEqual([]);
    expect(p.archives).toEqual([]);
    expect(p.held).toEqual({ linkRemoves: 6, archives: 6, loginChanges: 0 });
    expect(p.threshold).toEqual({ maxRemovalRatio: 0.1, removalRatio: 0.6, archiveRatio: 0.6, loginChangeRatio: 0, exceeded: true, forced: false });
    const issue = p.issues.find((i) => i.code === 'THRESHOLD_EXCEEDED');
    expect(issue).toMatchObject({ severity: 'error', line: null });
    expect(issue!.message).toContain('60%');
    expect(issue!.message).toContain('10%');
    expect(p.counts).toMatchObject({ linksRemoved: 0, guardiansArchived: 0, unchanged: 4 });
  });

  it('applies everything with force', () => {
    const p = plan(truncated, stored, { force: true });
    expect(p.linkRemoves).toHaveLength(6);
    expect(p.archives).toHaveLength(6);
    expect(p.threshold).toMatchObject({ exceeded: true, forced: true });
    expect(issueCodes(p)).not.toContain('THRESHOLD_EXCEEDED');
  });

  it('lets a run exactly at the threshold through (strictly above holds)', () => {
    const p = plan(yesterday.slice(0, 9), stored);
    expect(p.threshold).toMatchObject({ removalRatio: 0.1, exceeded: false });
    expect(p.linkRemoves).toHaveLength(1);
  });

  it('keeps creates and new links while holding', () => {
    const p = plan([...truncated, row(20, { guardianSisId: 'G99', email: 'new@x.org', studentSisId: 'S1' })], stored);
    expect(p.creates.map((c) => c.accountId)).toEqual(['new:G99']);
    expect(p.linkAdds).toHaveLength(1);
    expect(p.threshold.exceeded).toBe(true);
  });
});

describe('§4: a claimed account', () => {
  const before = roster([account('a1', { email: 'ana@x.org', claimed: true, roles: [guardianRole(['G1'])] })]);
  const rows = [row(2, { guardianSisId: 'G1', firstName: 'Anna', email: 'anna@x.org', language: 'es', studentSisId: 'S2' })];

  it('keeps names and contacts, still links and sets the language', () => {
    const p = plan(rows, before);
    expect(p.updates).toEqual([{ accountId: 'a1', changes: [{ field: 'language', before: null, after: 'es' }], lines: [2] }]);
    expect(p.linkAdds.map((l) => [l.accountId, l.studentSisId])).toEqual([['a1', 'S2']]);
    expect(p.issues).toMatchObject([{ code: 'CLAIMED_ACCOUNT_NOT_UPDATED', severity: 'info', line: 2 }]);
    expect(p.rows).toEqual([{ line: 2, action: 'UPDATED', result: 'SUCCESS' }]);
  });

  it('updates it when updateClaimedAccounts is on', () => {
    const p = plan(rows, before, { updateClaimedAccounts: true });
    expect(p.updates[0]!.changes.map((c) => c.field)).toEqual(['firstName', 'email', 'language']);
    expect(issueCodes(p)).toEqual([]);
  });
});

describe('§5: archive and restore', () => {
  const before = roster(
    [account('a1', { email: 'ana@x.org', roles: [staffRole('T1'), guardianRole(['G1'])] }), account('a2', { email: 'b@x.org', roles: [guardianRole(['G2'])] })],
    [link('a1', 'S1'), link('a2', 'S2')],
  );
  const ana = row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' });
  const b = row(3, { guardianSisId: 'G2', firstName: 'Bo', email: 'b@x.org', studentSisId: 'S2' });

  it('archives the guardian role of an account left without links, leaving its staff role alone', () => {
    const p = plan([b], before, { force: true });
    expect(p.linkRemoves).toEqual([{ accountId: 'a1', studentSisId: 'S1', lines: [] }]);
    expect(p.archives).toEqual([{ accountId: 'a1', role: 'guardian', lines: [] }]);
    const after = applyPlanToSnapshot(before, p);
    expect(after.accounts.find((a) => a.id === 'a1')!.roles).toEqual([staffRole('T1'), guardianRole(['G1'], 'archived')]);
  });

  it('restores the same account when the guardian comes back', () => {
    const archived = applyPlanToSnapshot(before, plan([b], before, { force: true }));
    const p = plan([ana, b], archived);
    expect(p.creates).toEqual([]);
    expect(p.restores).toEqual([{ accountId: 'a1', role: 'guardian', lines: [2] }]);
    expect(p.linkAdds).toEqual([{ accountId: 'a1', studentSisId: 'S1', lines: [2] }]);
    expect(p.counts).toMatchObject({ guardiansRestored: 1, linksAdded: 1 });
    expect(p.rows[0]).toEqual({ line: 2, action: 'UPDATED', result: 'SUCCESS' });
  });

  it('does not archive a guardian who still has a link from another source', () => {
    const withManual = roster(before.accounts, [...before.links, link('a1', 'S3', OTHER_SOURCE)]);
    const p = plan([b], withManual, { force: true });
    expect(p.linkRemoves.map((l) => l.accountId)).toEqual(['a1']);
    expect(p.archives).toEqual([]);
  });
});

describe('§5: links from another source', () => {
  it('are never removed, and this source adds its own link beside them', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1', OTHER_SOURCE), link('a1', 'S2', OTHER_SOURCE)]);
    const p = plan([row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' })], before, { force: true });
    expect(p.linkRemoves).toEqual([]);
    expect(p.linkAdds).toEqual([{ accountId: 'a1', studentSisId: 'S1', lines: [2] }]);
    expect(p.rows).toEqual([{ line: 2, action: 'LINKED', result: 'SUCCESS' }]);
    const again = plan([row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' })], applyPlanToSnapshot(before, p));
    expect(isEmptyPlan(again)).toBe(true);
  });
});

describe('delta mode (OneRoster delta files)', () => {
  const before = roster(
    [account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] }), account('a2', { email: 'b@x.org', roles: [guardianRole(['G2'])] })],
    [link('a1', 'S1'), link('a1', 'S2'), link('a2', 'S3')],
  );

  it('removes only what delete rows name; absent guardians are unchanged and not archived', () => {
    const p = plan(
      [row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1', delete: true }), row(3, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S4' })],
      before,
      { mode: 'delta', force: true },
    );
    expect(p.linkRemoves).toEqual([{ accountId: 'a1', studentSisId: 'S1', lines: [2] }]);
    expect(p.linkAdds).toEqual([{ accountId: 'a1', studentSisId: 'S4', lines: [3] }]);
    expect(p.archives).toEqual([]);
    expect(p.rows).toEqual([
      { line: 2, action: 'UPDATED', result: 'SUCCESS' },
      { line: 3, action: 'LINKED', result: 'SUCCESS' },
    ]);
  });

  it('archives a guardian whose last link a delete row removes', () => {
    const p = plan([row(2, { guardianSisId: 'G2', firstName: 'Bo', email: 'b@x.org', studentSisId: 'S3', delete: true })], before, { mode: 'delta', force: true });
    expect(p.linkRemoves.map((l) => l.accountId)).toEqual(['a2']);
    expect(p.archives.map((a) => a.accountId)).toEqual(['a2']);
    expect(p.creates).toEqual([]);
  });

  it('a delete row for a link that is not there changes nothing', () => {
    const p = plan([row(2, { guardianSisId: 'G9', email: 'z@x.org', studentSisId: 'S3', delete: true })], before, { mode: 'delta' });
    expect(isEmptyPlan(p)).toBe(true);
    expect(p.rows).toEqual([{ line: 2, action: 'UNCHANGED', result: 'SUCCESS' }]);
  });
});

describe('§3: logins handed over inside one plan', () => {
  it('lets a new guardian take an email that an updated account gives up', () => {
    const before = roster([account('a1', { email: 'old@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1')]);
    const p = plan(
      [row(2, { guardianSisId: 'G2', firstName: 'Bo', email: 'old@x.org', studentSisId: 'S2' }), row(3, { guardianSisId: 'G1', email: 'new@x.org', studentSisId: 'S1' })],
      before,
      LOGINS_MAY_CHANGE,
    );
    expect(p.creates.map((c) => c.fields.email)).toEqual(['old@x.org']);
    expect(p.updates[0]!.changes).toEqual([{ field: 'email', before: 'old@x.org', after: 'new@x.org' }]);
    expect(issueCodes(p)).toEqual([]);
  });

  it('refuses a swap of emails between two accounts (no order of updates could apply it)', () => {
    const before = roster([
      account('a1', { email: 'a@x.org', mobilePhone: '+12025550101', roles: [guardianRole(['G1'])] }),
      account('a2', { firstName: 'Bo', email: 'b@x.org', mobilePhone: '+12025550102', roles: [guardianRole(['G2'])] }),
    ]);
    const p = plan(
      [
        row(2, { guardianSisId: 'G1', email: 'b@x.org', mobilePhone: '+12025550101' }),
        row(3, { guardianSisId: 'G2', firstName: 'Bo', email: 'a@x.org', mobilePhone: '+12025550102' }),
      ],
      before,
    );
    expect(p.updates).toEqual([]);
    expect(issueCodes(p)).toEqual(['CREDENTIAL_IN_USE', 'CREDENTIAL_IN_USE']);
  });
});

describe('rows and counts', () => {
  it('gives every row one outcome and counts per CONTRACTS.md', () => {
    const before = roster(
      [account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] }), account('a2', { firstName: 'Bo', email: 'bo@x.org', roles: [guardianRole(['G2'])] })],
      [link('a1', 'S1'), link('a2', 'S2')],
    );
    const p = plan(
      [
        row(2, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S1' }),
        row(3, { guardianSisId: 'G1', email: 'ana@x.org', studentSisId: 'S3' }),
        row(4, { guardianSisId: 'G2', firstName: 'Bo', email: 'bo@x.org', language: 'es', studentSisId: 'S2' }),
        row(5, { guardianSisId: 'G3', firstName: 'Cy', mobilePhone: '+12025550103', studentSisId: 'S4' }),
        row(6, { guardianSisId: 'G4', firstName: 'Di', mobilePhone: '+12025550104', studentSisId: 'S9' }),
      ],
      before,
    );
    expect(p.rows.map((r) => r.action)).toEqual(['UNCHANGED', 'LINKED', 'UPDATED', 'CREATED', 'SKIPPED']);
    expect(p.counts).toEqual({
      rows: 5,
      rowsSkipped: 1,
      guardians: 4,
      accountsCreated: 1,
      accountsUpdated: 1,
      rolesAdded: 0,
      linksAdded: 2,
      linksRemoved: 0,
      guardiansArchived: 0,
      guardiansRestored: 0,
      unchanged: 1,
    });
  });

  it('plans the same whatever the order rows are given in', () => {
    const rows = [row(3, { guardianSisId: 'G1', email: 'a@x.org', studentSisId: 'S2' }), row(2, { guardianSisId: 'G1', email: 'b@x.org', studentSisId: 'S1' })];
    expect(plan(rows, roster())).toEqual(plan([...rows].reverse(), roster()));
  });
});
