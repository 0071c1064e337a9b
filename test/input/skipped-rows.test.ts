// Why rows were skipped, counted per reason: what NO_VALID_ROWS and `validate` say.
import { describe, expect, it } from 'vitest';
import { createIssue, type Issue } from '../../src/errors/issue.js';
import { describeSkippedRows, skippedRowsByCode, skipReason, summarizeSkippedRows } from '../../src/input/skipped-rows.js';

const missing = (line: number): Issue => createIssue('MISSING_VALUE', `line ${line}: studentSisId is empty`, { line, column: 'studentSisId' });
const badEmail = (line: number): Issue => createIssue('INVALID_EMAIL', `line ${line}: email is not an address`, { line, column: 'email' });
const noContact = (line: number): Issue => createIssue('NO_CONTACT_CREDENTIAL', `line ${line}: no usable email or mobile`, { line });

describe('skipReason', () => {
  it('is the first error, even after a warning', () => {
    expect(skipReason([badEmail(2), missing(2), createIssue('WRONG_FIELD_COUNT', 'ragged', { line: 2 })])).toBe('MISSING_VALUE');
  });

  it('is the last issue when none is an error (the verdict comes after the fields that led to it)', () => {
    expect(skipReason([badEmail(3), noContact(3)])).toBe('NO_CONTACT_CREDENTIAL');
  });

  it('is null for a row without issues', () => {
    expect(skipReason([])).toBeNull();
  });
});

describe('summarizeSkippedRows', () => {
  it('counts rows per reason, most rows first, ties in the order first seen, and keeps the first five lines', () => {
    const rejected = [
      { line: 2, issues: [badEmail(2), noContact(2)] },
      { line: 3, issues: [missing(3)] },
      ...[4, 5, 6, 7, 8, 9].map((line) => ({ line, issues: [badEmail(line), noContact(line)] })),
      { line: 10, issues: [] },
      { line: 11, issues: [createIssue('WRONG_FIELD_COUNT', 'ragged', { line: 11 })] },
    ];
    expect(summarizeSkippedRows(rejected)).toEqual([
      { code: 'NO_CONTACT_CREDENTIAL', rows: 7, lines: [2, 4, 5, 6, 7] },
      { code: 'MISSING_VALUE', rows: 1, lines: [3] },
      { code: 'WRONG_FIELD_COUNT', rows: 1, lines: [11] },
    ]);
  });

  it('is empty when nothing was skipped', () => {
    expect(summarizeSkippedRows([])).toEqual([]);
  });
});

describe('describeSkippedRows and skippedRowsByCode', () => {
  const summary = summarizeSkippedRows([
    { line: 2, issues: [missing(2)] },
    { line: 3, issues: [missing(3)] },
    { line: 4, issues: [noContact(4)] },
    ...[5, 6, 7, 8, 9, 10].map((line) => ({ line, issues: [createIssue('WRONG_FIELD_COUNT', 'ragged', { line })] })),
  ]);

  it('says each reason with its count and lines, "line" for one, "…" when lines were left out', () => {
    expect(describeSkippedRows(summary)).toBe('WRONG_FIELD_COUNT ×6 (lines 5, 6, 7, 8, 9, …), MISSING_VALUE ×2 (lines 2, 3), NO_CONTACT_CREDENTIAL ×1 (line 4)');
  });

  it('says nothing when nothing was skipped', () => {
    expect(describeSkippedRows([])).toBe('');
  });

  it('gives the counts as a plain record for JSON', () => {
    expect(skippedRowsByCode(summary)).toEqual({ WRONG_FIELD_COUNT: 6, MISSING_VALUE: 2, NO_CONTACT_CREDENTIAL: 1 });
    expect(skippedRowsByCode([])).toEqual({});
  });
});
