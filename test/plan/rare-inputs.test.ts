// Inputs a district's daily file rarely carries, which the link, id and outcome stages must
// still get right: a guardian with dozens of rows and an account with dozens of links (past
// the scan limits of RowsAsking and OwnLinks), repeated links (damaged data), ids merged three
// ways that split again, rows the file could not use, and issues without a line.
import { describe, expect, it } from 'vitest';
import type { Student } from '../../src/model/roster.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { LINKS_SCAN_LIMIT } from '../../src/plan/own-links.js';
import { ROWS_SCAN_LIMIT } from '../../src/plan/rows-asking.js';
import { DISTRICT, OTHER_SOURCE, SCHOOL_A, SCHOOL_SCOPE, SOURCE, STUDENTS } from '../arbitraries/roster.js';
import { account, guardianRole, issueCodes, link, newId, plan, roster, row } from './plan-fixtures.js';

/** Twelve more students of school A: K01 … K12. */
const K = Array.from({ length: 12 }, (_, i) => `K${String(i + 1).padStart(2, '0')}`);
const MORE_STUDENTS: readonly Student[] = [...STUDENTS, ...K.map((sisId) => ({ districtId: DISTRICT, sisId, schoolId: SCHOOL_A, firstName: 'Kid', lastName: sisId }))];

function bigRoster(...args: Parameters<typeof roster>): ReturnType<typeof roster> {
  return { ...roster(...args), students: MORE_STUDENTS };
}

const ana = { guardianSisId: 'G1', email: 'ana@x.org' };

describe('a guardian with more rows than RowsAsking scans', () => {
  const before = bigRoster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'K01'), link('a1', 'K02'), link('a1', 'K03'), link('a1', 'K04', OTHER_SOURCE)]);
  // K05 … K12 asked twice each, K01 twice, K02 once, and an unknown student.
  const students = ['K01', 'K02', ...K.slice(4), 'X1', 'K05', 'K01', ...K.slice(5)];

  it('adds one link per new student with every asking line, keeps the asked ones, removes the others', () => {
    expect(students.length).toBeGreaterThan(ROWS_SCAN_LIMIT);
    const p = plan(
      students.map((studentSisId, i) => row(i + 2, { ...ana, studentSisId })),
      before,
      { force: true },
    );
    expect(p.linkAdds).toEqual([
      { accountId: 'a1', studentSisId: 'K05', lines: [4, 13] },
      ...K.slice(5).map((studentSisId, i) => ({ accountId: 'a1', studentSisId, lines: [5 + i, 15 + i] })),
    ]);
    expect(p.linkRemoves).toEqual([{ accountId: 'a1', studentSisId: 'K03', lines: [] }]);
    expect(p.archives).toEqual([]);
    expect(issueCodes(p)).toEqual(['UNKNOWN_STUDENT']);
    expect(p.rows.filter((r) => r.action !== 'LINKED')).toEqual([
      { line: 2, action: 'UNCHANGED', result: 'SUCCESS' },
      { line: 3, action: 'UNCHANGED', result: 'SUCCESS' },
      { line: 12, action: 'SKIPPED', result: 'WARNING' },
      { line: 14, action: 'UNCHANGED', result: 'SUCCESS' },
    ]);
  });

  it('in a delta file, removes the links its delete rows name, with every deleting line', () => {
    const rows = [...K.slice(0, 9), ...K.slice(0, 9)].map((studentSisId, i) => row(i + 2, { ...ana, studentSisId, delete: true }));
    expect(rows.length).toBeGreaterThan(ROWS_SCAN_LIMIT);
    const p = plan(rows, before, { mode: 'delta', force: true });
    expect(p.linkRemoves).toEqual([
      { accountId: 'a1', studentSisId: 'K01', lines: [2, 11] },
      { accountId: 'a1', studentSisId: 'K02', lines: [3, 12] },
      { accountId: 'a1', studentSisId: 'K03', lines: [4, 13] },
    ]);
    // The link of another source stays: the guardian is not archived.
    expect(p.archives).toEqual([]);
    expect(p.rows.filter((r) => r.action === 'UPDATED').map((r) => r.line)).toEqual([2, 3, 4, 11, 12, 13]);
    expect(p.rows.filter((r) => r.action === 'UNCHANGED')).toHaveLength(rows.length - 6);
  });
});

describe('repeated stored links (damaged data) count once', () => {
  it('in an account with more links than OwnLinks scans: one removal per student, and the ratio counts each once', () => {
    const a1Links = [...K, 'K01', 'K02', 'K03', 'K04', 'K05'].map((s) => link('a1', s));
    const a2Links = [...K, ...K.slice(0, 6)].map((s) => link('a2', s));
    expect(a1Links.length).toBeGreaterThan(LINKS_SCAN_LIMIT);
    expect(a2Links.length).toBeGreaterThan(LINKS_SCAN_LIMIT);
    const before = bigRoster(
      [account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] }), account('a2', { firstName: 'Bo', email: 'bo@x.org', roles: [guardianRole(['G2'])] })],
      [...a1Links, link('a1', 'K06', OTHER_SOURCE), ...a2Links],
    );
    const p = plan([row(2, { ...ana, studentSisId: 'K01' }), row(3, { ...ana, studentSisId: 'K02' })], before, { force: true });
    expect(p.linkAdds).toEqual([]);
    expect(p.linkRemoves).toEqual([...K.slice(2).map((s) => ({ accountId: 'a1', studentSisId: s, lines: [] })), ...K.map((s) => ({ accountId: 'a2', studentSisId: s, lines: [] }))]);
    // G2 is not in the file: every link of a2 goes, and its guardian role is archived.
    expect(p.archives).toEqual([{ accountId: 'a2', role: 'guardian', lines: [] }]);
    expect(p.threshold).toMatchObject({ removalRatio: 22 / 24, archiveRatio: 1 / 2 });
  });

  it('in an account with a few links: one removal per student, then the archive', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1'), link('a1', 'S1'), link('a1', 'S2')]);
    const p = plan([row(2, { guardianSisId: 'G2', firstName: 'Bo', email: 'bo@x.org', studentSisId: 'S3' })], before, { force: true });
    expect(p.linkRemoves).toEqual([
      { accountId: 'a1', studentSisId: 'S1', lines: [] },
      { accountId: 'a1', studentSisId: 'S2', lines: [] },
    ]);
    expect(p.archives).toEqual([{ accountId: 'a1', role: 'guardian', lines: [] }]);
    expect(p.threshold).toMatchObject({ removalRatio: 1, archiveRatio: 1 });
  });

  it('a guardian that gains a link is not archived, though every link it had goes', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1'), link('a1', 'S1')]);
    const p = plan([row(2, { ...ana, studentSisId: 'S2' })], before, { force: true });
    expect(p.linkRemoves).toEqual([{ accountId: 'a1', studentSisId: 'S1', lines: [] }]);
    expect(p.linkAdds).toEqual([{ accountId: 'a1', studentSisId: 'S2', lines: [2] }]);
    expect(p.archives).toEqual([]);
  });
});

describe('§2.1: ids merged on one account that split', () => {
  it('takes every id that leaves an account off it in one item, on the lines of the guardians moving', () => {
    const before = roster([
      account('a', { email: 'ana@x.org', roles: [guardianRole(['G1', 'G2', 'G3'])] }),
      account('b', { firstName: 'Li', lastName: 'Ng', email: 'li@x.org', roles: [guardianRole(['G4', 'G5'])] }),
    ]);
    const bo = { guardianSisId: 'G2', firstName: 'Bo', lastName: 'Smith', email: 'bo@x.org' };
    const p = plan(
      [
        row(2, { ...ana, studentSisId: 'S1' }),
        // Two pairs of one guardian on one line, as OneRoster gives them.
        row(3, { ...bo, studentSisId: 'S2' }),
        row(3, { ...bo, studentSisId: 'S3' }),
        row(4, { guardianSisId: 'G3', firstName: 'Cy', lastName: 'Ng', email: 'cy@x.org', studentSisId: 'S4' }),
        row(5, { guardianSisId: 'G4', firstName: 'Li', lastName: 'Ng', email: 'li@x.org', studentSisId: 'S5' }),
        row(6, { guardianSisId: 'G5', firstName: 'Mo', lastName: 'Ng', email: 'mo@x.org', studentSisId: 'S1' }),
      ],
      before,
    );
    expect(p.idRemoves).toEqual([
      { accountId: 'a', role: 'guardian', sisIds: ['G2', 'G3'], lines: [3, 4] },
      { accountId: 'b', role: 'guardian', sisIds: ['G5'], lines: [6] },
    ]);
    expect(p.creates.map((c) => c.accountId)).toEqual([newId('G2'), newId('G3'), newId('G5')]);
    expect(p.issues.map((i) => [i.code, i.line])).toEqual([
      ['GUARDIAN_ID_MOVED', 3],
      ['GUARDIAN_ID_MOVED', 4],
      ['GUARDIAN_ID_MOVED', 6],
    ]);
    // An info issue marks no row.
    expect(p.rows.every((r) => r.result === 'SUCCESS')).toBe(true);
  });

  it('takes an id that two accounts hold (damaged data) off both, and reports the move once', () => {
    const before = roster([
      account('a', { email: 'ana@x.org', roles: [guardianRole(['G1', 'G2'])] }),
      account('c', { firstName: 'Cy', lastName: 'Ng', email: 'cy@x.org', roles: [guardianRole(['G2', 'G3'])] }),
    ]);
    const p = plan(
      [
        row(2, { ...ana, studentSisId: 'S1' }),
        row(3, { guardianSisId: 'G2', firstName: 'Bo', lastName: 'Smith', email: 'bo@x.org', studentSisId: 'S2' }),
        row(4, { guardianSisId: 'G3', firstName: 'Cy', lastName: 'Ng', email: 'cy@x.org', studentSisId: 'S3' }),
      ],
      before,
    );
    expect(p.idRemoves).toEqual([
      { accountId: 'a', role: 'guardian', sisIds: ['G2'], lines: [3] },
      { accountId: 'c', role: 'guardian', sisIds: ['G2'], lines: [3] },
    ]);
    expect(p.creates.map((c) => c.accountId)).toEqual([newId('G2')]);
    expect(p.issues.map((i) => [i.code, i.line])).toEqual([['GUARDIAN_ID_MOVED', 3]]);
  });
});

describe('rows the file could not use, issues without a line, new account ids', () => {
  it('checks the student of every skipped row that has one (UNKNOWN_STUDENT, STUDENT_OUT_OF_SCOPE)', () => {
    const p = buildPlan({
      rows: [row(2, { ...ana, studentSisId: 'S1' })],
      skippedRows: [{ line: 3, studentSisId: 'S9' }, { line: 4, studentSisId: '' }, { line: 5 }, { line: 6, studentSisId: 'S1' }, { line: 7, studentSisId: 'S4' }],
      snapshot: roster([], [], SCHOOL_SCOPE),
      settings: { source: SOURCE, newAccountId: newId },
    });
    expect(p.issues.map((i) => [i.code, i.line])).toEqual([
      ['UNKNOWN_STUDENT', 3],
      ['STUDENT_OUT_OF_SCOPE', 7],
    ]);
    expect(p.rows).toEqual([{ line: 2, action: 'CREATED', result: 'SUCCESS' }]);
  });

  it('puts issues without a line first and marks rows only by the lines an issue names', () => {
    const before = roster([account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1'])] })], [link('a1', 'S1'), link('a1', 'S2')]);
    const p = plan(
      [
        row(2, { ...ana, studentSisId: 'S1' }),
        row(3, { ...ana, studentSisId: 'S9' }),
        row(4, { guardianSisId: 'G2', firstName: 'Bo', email: 'bo@x.org', studentSisId: 'S3' }),
        row(5, { guardianSisId: 'G2', firstName: 'Bo', email: 'bo2@x.org', studentSisId: 'S4' }),
      ],
      before,
    );
    expect(p.issues.map((i) => [i.code, i.line, i.lines ?? null])).toEqual([
      ['THRESHOLD_EXCEEDED', null, null],
      ['UNKNOWN_STUDENT', 3, null],
      ['CONFLICTING_GUARDIAN_ROWS', 5, [4, 5]],
    ]);
    expect(p.held.linkRemoves).toBe(1);
    expect(p.rows.map((r) => r.result)).toEqual(['SUCCESS', 'WARNING', 'WARNING', 'WARNING']);
  });

  it('names new accounts with random UUIDs unless told otherwise', () => {
    const p = buildPlan({ rows: [row(2, { ...ana, studentSisId: 'S1' })], snapshot: roster(), settings: { source: SOURCE } });
    expect(p.creates.map((c) => c.accountId)).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u)]);
    expect(p.linkAdds.map((l) => l.accountId)).toEqual(p.creates.map((c) => c.accountId));
  });
});
