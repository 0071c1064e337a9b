import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, ISSUE_HINTS, ISSUE_SEVERITY } from '../../src/errors/issue-codes.js';

// The minimum set CONTRACTS.md promises, with its severities.
const CONTRACT_ERRORS = [
  'FILE_NOT_FOUND', 'FILE_EMPTY', 'FILE_TOO_LARGE', 'BINARY_FILE', 'UNDECODABLE', 'MALFORMED_CSV',
  'MISSING_REQUIRED_COLUMN', 'DUPLICATE_COLUMN', 'NO_VALID_ROWS', 'SCOPE_NOT_FOUND', 'SYNC_IN_PROGRESS',
  'SOURCE_UNAVAILABLE', 'HOST_KEY_MISMATCH', 'AUTH_FAILED', 'MISSING_VALUE', 'WRONG_FIELD_COUNT', 'THRESHOLD_EXCEEDED',
] as const;
const CONTRACT_WARNINGS = [
  'INVALID_EMAIL', 'INVALID_PHONE', 'UNKNOWN_LANGUAGE', 'NO_CONTACT_CREDENTIAL', 'UNKNOWN_STUDENT',
  'STUDENT_OUT_OF_SCOPE', 'CONFLICTING_GUARDIAN_ROWS', 'DUPLICATE_IDENTITY', 'CREDENTIAL_IN_USE',
  'MISSING_GUARDIAN_SIS_ID', 'UNKNOWN_COLUMN', 'ENCODING_GUESSED',
] as const;

describe('issue codes', () => {
  it('holds the minimum set of CONTRACTS.md with the promised severities', () => {
    for (const code of CONTRACT_ERRORS) expect(ISSUE_SEVERITY[code], code).toBe('error');
    for (const code of CONTRACT_WARNINGS) expect(ISSUE_SEVERITY[code], code).toBe('warning');
    expect(ISSUE_SEVERITY.CLAIMED_ACCOUNT_NOT_UPDATED).toBe('info');
  });

  it('has no duplicates and a hint for every code', () => {
    expect(new Set(ISSUE_CODES).size).toBe(ISSUE_CODES.length);
    for (const code of ISSUE_CODES) expect(ISSUE_HINTS[code].length, code).toBeGreaterThan(10);
  });

  it('is documented in docs/issue-codes.md exactly, in order', () => {
    const doc = readFileSync(new URL('../../docs/issue-codes.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(documented).toEqual(ISSUE_CODES.map((code) => [code, ISSUE_SEVERITY[code]]));
  });
});
