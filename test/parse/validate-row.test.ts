import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { KeptField } from '../../src/model/guardian-row.js';
import { guardianRowSchema } from '../../src/parse/guardian-row-schema.js';
import { validateGuardianRow } from '../../src/parse/validate-row.js';
import { rawRow } from '../arbitraries/guardian-csv.js';

const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);

describe('validateGuardianRow', () => {
  it('normalizes every field of a good row', () => {
    const result = validateGuardianRow(
      {
        studentSisId: ' 00123 ',
        guardianSisId: 'G\u200B7',
        firstName: ' Jose\u0301 ',
        lastName: 'García\u00A0 López',
        email: 'Ann@Example.ORG',
        mobilePhone: '(202) 555-0143',
        homePhone: '202-555-0199 ext. 9',
        language: 'Spanish',
        relationship: ' Mother ',
      },
      7,
    );
    expect(result).toEqual({
      row: {
        line: 7,
        studentSisId: '00123',
        guardianSisId: 'G7',
        firstName: 'José',
        lastName: 'García López',
        email: 'ann@example.org',
        mobilePhone: '+12025550143',
        homePhone: '+12025550199;ext=9',
        language: 'es',
        relationship: 'Mother',
      },
      issues: [],
      studentSisId: '00123',
    });
  });

  it('uses the default region for numbers without a country code', () => {
    const row = validateGuardianRow({ studentSisId: 'S', firstName: 'A', lastName: 'B', mobilePhone: '07400 123456' }, 2, { defaultRegion: 'GB' }).row;
    expect(row?.mobilePhone).toBe('+447400123456');
  });

  it('keeps a row whose email is invalid but whose mobile works, with a warning naming the column', () => {
    const result = validateGuardianRow({ studentSisId: 'S', firstName: 'A', lastName: 'B', email: 'ann@', mobilePhone: '202 555 0143' }, 3);
    expect(result.row?.email).toBeNull();
    expect(result.issues).toEqual([expect.objectContaining({ code: 'INVALID_EMAIL', line: 3, column: 'email', severity: 'warning' })]);
  });

  it('never puts the whole row in a message', () => {
    const result = validateGuardianRow({ studentSisId: 'S-SECRET-1', firstName: 'Privatefirst', lastName: 'Privatelast', email: 'bad', mobilePhone: '12' }, 4);
    for (const issue of result.issues) {
      expect(issue.message).not.toContain('Privatefirst');
      expect(issue.message).not.toContain('S-SECRET-1');
    }
    expect(codes(result.issues)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE']);
  });

  it('keeps a row whose logins are invalid, marking them kept: an existing account keeps its own (issue 19, item 1)', () => {
    const result = validateGuardianRow({ studentSisId: 'S1', guardianSisId: 'G1', firstName: 'Ana', lastName: 'Diaz', email: 'not an email', mobilePhone: 'N/A', homePhone: '', language: 'Englsh' }, 3);
    expect(codes(result.issues)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE', 'UNKNOWN_LANGUAGE']);
    expect(result.row).toMatchObject({ email: null, mobilePhone: null, language: null, kept: ['email', 'mobilePhone', 'language'] });
    for (const issue of result.issues) expect(issue.message).toContain('keeps its stored');
  });

  it('keeps what a missing column would have said, and clears only on an empty cell', () => {
    const missing = validateGuardianRow({ studentSisId: 'S1', firstName: 'Ana', lastName: 'Diaz', email: 'ana@x.org' }, 2);
    expect(missing.row?.kept).toEqual(['mobilePhone', 'homePhone', 'language']);
    const empty = validateGuardianRow({ studentSisId: 'S1', firstName: 'Ana', lastName: 'Diaz', email: 'ana@x.org', mobilePhone: '', homePhone: '', language: '' }, 2);
    expect(empty.row?.kept).toBeUndefined();
  });

  it('still refuses a row whose logins are both empty cells (NO_CONTACT_CREDENTIAL)', () => {
    const result = validateGuardianRow({ studentSisId: 'S1', firstName: 'Ana', lastName: 'Diaz', email: '', mobilePhone: ' ' }, 2);
    expect(result.row).toBeNull();
    expect(codes(result.issues)).toEqual(['NO_CONTACT_CREDENTIAL']);
  });

  it('does not warn about a missing guardianSisId when the column does not exist', () => {
    const result = validateGuardianRow({ studentSisId: 'S', firstName: 'A', lastName: 'B', email: 'a@example.org' }, 2);
    expect(result.issues).toEqual([]);
    expect(result.row?.guardianSisId).toBeNull();
  });

  test.prop([rawRow, fc.integer({ min: 1, max: 1_000_000 })])('every row it returns matches the schema; every skipped row says why', (raw, line) => {
    const result = validateGuardianRow(raw, line);
    for (const issue of result.issues) expect(issue.line).toBe(line);
    if (result.row !== null) {
      expect(guardianRowSchema.safeParse(result.row).success).toBe(true);
      expect(result.issues.every((i) => i.severity !== 'error')).toBe(true);
    } else {
      expect(result.issues.some((i) => i.severity === 'error' || i.code === 'NO_CONTACT_CREDENTIAL')).toBe(true);
    }
  });

  test.prop([rawRow])('validating a validated row again changes nothing', (raw) => {
    const first = validateGuardianRow(raw, 2).row;
    if (first === null) return;
    const { line, kept, ...fields } = first;
    // A kept field is one the row does not know: written back as a missing column, it stays kept.
    const known = Object.entries(fields).filter(([k]) => !(kept ?? []).includes(k as KeptField));
    const again = validateGuardianRow(Object.fromEntries(known.map(([k, v]) => [k, v === null ? '' : String(v).replace(/;ext=(\d+)$/, ' ext. $1')])), line).row;
    expect(again).toEqual(first);
  });
});
