// A file with nothing to sync is a whole-file error (NO_VALID_ROWS), and its message says why.
import { describe, expect, it } from 'vitest';
import { createIssue } from '../../src/errors/issue.js';
import type { GuardianInput, RejectedRow } from '../../src/input/guardian-input.js';
import { assertHasValidRows, noValidRowsMessage } from '../../src/input/no-valid-rows.js';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import { rejectionOf } from '../support/rejection.js';

const ROW: GuardianRow = {
  line: 2,
  studentSisId: 'S1',
  guardianSisId: 'G1',
  firstName: 'Ana',
  lastName: 'Diaz',
  email: 'ana@example.org',
  mobilePhone: null,
  homePhone: null,
  language: null,
  relationship: null,
};

function input(parts: { rows?: GuardianRow[]; rejected?: RejectedRow[]; records: number }): GuardianInput {
  return { encoding: 'utf-8', encodingGuessed: false, delimiter: ',', header: {}, issues: [], mode: 'full', rows: parts.rows ?? [], rejected: parts.rejected ?? [], records: parts.records };
}

describe('noValidRowsMessage', () => {
  it('is null when a row can be synced, whatever else was skipped', () => {
    const withSkipped = input({ rows: [ROW], rejected: [{ line: 3, issues: [createIssue('MISSING_VALUE', 'empty', { line: 3 })] }], records: 2 });
    expect(noValidRowsMessage(withSkipped, 'guardians.csv', 'guardians')).toBeNull();
    expect(noValidRowsMessage(withSkipped, 'users.csv', 'oneroster')).toBeNull();
  });

  it('says a OneRoster set lists no guardian when it has no guardian row at all', () => {
    expect(noValidRowsMessage(input({ records: 40 }), 'export.zip', 'oneroster')).toBe(
      'export.zip lists no guardian linked to a student (users with the role parent, guardian or relative): nothing to sync.',
    );
  });

  it('says a guardians.csv has a header only', () => {
    expect(noValidRowsMessage(input({ records: 0 }), 'guardians.csv', 'guardians')).toBe('guardians.csv has a header but no data rows: nothing to sync.');
  });

  it('counts the skipped rows by reason when every row was skipped (OneRoster guardians too)', () => {
    const rejected = [
      { line: 2, issues: [createIssue('MISSING_VALUE', 'empty', { line: 2 })] },
      { line: 3, issues: [createIssue('MISSING_VALUE', 'empty', { line: 3 })] },
    ];
    expect(noValidRowsMessage(input({ rejected, records: 2 }), 'guardians.csv', 'guardians')).toBe(
      'None of the 2 rows of guardians.csv could be used: MISSING_VALUE ×2 (lines 2, 3). Fix those rows (each is listed with its issue).',
    );
    expect(noValidRowsMessage(input({ rejected, records: 9 }), 'users.csv', 'oneroster')).toBe(
      'None of the 9 rows of users.csv could be used: MISSING_VALUE ×2 (lines 2, 3). Fix those rows (each is listed with its issue).',
    );
  });

  it('leaves the reasons out when the skipped rows carry none', () => {
    expect(noValidRowsMessage(input({ rejected: [{ line: 2, issues: [] }], records: 1 }), 'guardians.csv', 'guardians')).toBe(
      'None of the 1 rows of guardians.csv could be used. Fix those rows (each is listed with its issue).',
    );
  });
});

describe('assertHasValidRows', () => {
  it('throws NO_VALID_ROWS naming the file, with the message', async () => {
    const error = await rejectionOf(Promise.resolve().then(() => assertHasValidRows(input({ records: 0 }), 'guardians.csv', 'guardians')));
    expect(error.code).toBe('NO_VALID_ROWS');
    expect(error.message).toBe('guardians.csv has a header but no data rows: nothing to sync.');
    expect(error.file).toBe('guardians.csv');
  });

  it('returns when the input has rows', () => {
    expect(assertHasValidRows(input({ rows: [ROW], records: 1 }), 'guardians.csv', 'guardians')).toBeUndefined();
  });
});
