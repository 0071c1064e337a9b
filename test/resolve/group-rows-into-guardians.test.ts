// IDENTITY-RULES.md §1: rows grouped into guardians inside one file.
import { describe, expect, it } from 'vitest';
import { contactKey } from '../../src/resolve/contact-key.js';
import { countGuardians } from '../../src/resolve/count-guardians.js';
import { groupRowsIntoGuardians } from '../../src/resolve/group-rows-into-guardians.js';
import { row } from '../plan/plan-fixtures.js';

describe('contactKey', () => {
  it('is null without email and mobile, so such people are never equal to anyone', () => {
    expect(contactKey({ firstName: 'Ana', lastName: 'Garcia', email: null, mobilePhone: null })).toBeNull();
  });
  it('folds letter case of names and emails but not accents', () => {
    const base = { lastName: 'Garcia', email: 'ana@x.org', mobilePhone: null };
    expect(contactKey({ ...base, firstName: 'ANA', email: 'Ana@X.org' })).toBe(contactKey({ ...base, firstName: 'ana' }));
    expect(contactKey({ ...base, firstName: 'José' })).not.toBe(contactKey({ ...base, firstName: 'Jose' }));
  });
  it('compares NFD stored text equal to NFC file text', () => {
    const base = { lastName: 'Garcia', email: 'j@x.org', mobilePhone: null };
    expect(contactKey({ ...base, firstName: 'José'.normalize('NFD') })).toBe(contactKey({ ...base, firstName: 'José' }));
  });
  it('cannot be imitated by moving text between fields', () => {
    const a = contactKey({ firstName: 'Ana M', lastName: 'Garcia', email: 'a@x.org', mobilePhone: null });
    const b = contactKey({ firstName: 'Ana', lastName: 'M Garcia', email: 'a@x.org', mobilePhone: null });
    expect(a).not.toBe(b);
  });
});

describe('groupRowsIntoGuardians', () => {
  it('§1.1: rows of one guardianSisId are one guardian (siblings)', () => {
    const { guardians, issues } = groupRowsIntoGuardians([
      row(2, { guardianSisId: 'G1', studentSisId: 'S1', email: 'ana@x.org' }),
      row(3, { guardianSisId: 'G1', studentSisId: 'S2', email: 'ana@x.org' }),
      row(4, { guardianSisId: 'G1', studentSisId: 'S3', email: 'ana@x.org' }),
    ]);
    expect(guardians).toHaveLength(1);
    expect(guardians[0]!.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(issues).toEqual([]);
  });

  it('§1.3: one id with conflicting rows: the first row wins and the conflict lists lines and fields', () => {
    const { guardians, issues } = groupRowsIntoGuardians([
      row(5, { guardianSisId: 'G1', studentSisId: 'S2', email: 'other@x.org', mobilePhone: '+12025550101' }),
      row(2, { guardianSisId: 'G1', studentSisId: 'S1', email: 'ana@x.org', mobilePhone: '+12025550101' }),
      row(3, { guardianSisId: 'G1', studentSisId: 'S3', firstName: 'ANA', email: 'ana@x.org', mobilePhone: '+12025550101' }),
    ]);
    expect(guardians).toHaveLength(1);
    expect(guardians[0]!.fields.email).toBe('ana@x.org');
    expect(guardians[0]!.rows.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'CONFLICTING_GUARDIAN_ROWS', severity: 'warning', line: 5, column: 'email', lines: [2, 5] });
    expect(issues[0]!.message).toContain('email');
    expect(issues[0]!.message).not.toContain('other@x.org');
  });

  it('§1.4: two ids with equal contact keys are one person holding both ids (DUPLICATE_IDENTITY)', () => {
    const { guardians, issues } = groupRowsIntoGuardians([
      row(2, { guardianSisId: 'G1', studentSisId: 'S1', email: 'ana@x.org' }),
      row(3, { guardianSisId: 'G7', studentSisId: 'S2', firstName: 'ANA', email: 'ana@x.org' }),
    ]);
    expect(guardians).toHaveLength(1);
    expect(guardians[0]!.sisIds).toEqual(['G1', 'G7']);
    expect(guardians[0]!.rows.map((r) => r.studentSisId)).toEqual(['S1', 'S2']);
    expect(issues.map((i) => i.code)).toEqual(['DUPLICATE_IDENTITY']);
    expect(issues[0]).toMatchObject({ line: 3, lines: [2, 3] });
  });

  it('§1.5: a row without id joins the guardian with an id and the same contact key', () => {
    const { guardians } = groupRowsIntoGuardians([
      row(2, { studentSisId: 'S2', email: 'ana@x.org' }),
      row(3, { guardianSisId: 'G1', studentSisId: 'S1', email: 'ana@x.org' }),
    ]);
    expect(guardians).toHaveLength(1);
    expect(guardians[0]!.sisIds).toEqual(['G1']);
    expect(guardians[0]!.firstLine).toBe(2);
  });

  it('§1.2: rows without ids group by contact key; José and Jose are two people', () => {
    const { guardians } = groupRowsIntoGuardians([
      row(2, { firstName: 'José', email: 'j@x.org', studentSisId: 'S1' }),
      row(3, { firstName: 'Jose', email: 'j@x.org', studentSisId: 'S2' }),
      row(4, { firstName: 'JOSÉ', email: 'j@x.org', studentSisId: 'S3' }),
    ]);
    expect(guardians.map((g) => g.rows.map((r) => r.line))).toEqual([[2, 4], [3]]);
  });

  it('same name with no contacts: never merged', () => {
    const { guardians } = groupRowsIntoGuardians([row(2, { studentSisId: 'S1' }), row(3, { studentSisId: 'S2' })]);
    expect(guardians).toHaveLength(2);
    expect(guardians.every((g) => g.key === null)).toBe(true);
  });

  it('countGuardians counts people, not rows', () => {
    expect(
      countGuardians([
        row(2, { guardianSisId: 'G1', email: 'a@x.org' }),
        row(3, { guardianSisId: 'G1', studentSisId: 'S2', email: 'a@x.org' }),
        row(4, { email: 'b@x.org' }),
        row(5, { guardianSisId: 'G2', email: 'b@x.org' }),
      ]),
    ).toBe(2);
  });
});
