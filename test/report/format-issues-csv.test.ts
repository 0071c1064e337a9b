import { test } from '@fast-check/vitest';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import { ISSUES_CSV_COLUMNS, UTF8_BOM, formatIssuesCsv } from '../../src/report/format-issues-csv.js';
import { isFormulaLike, neutralizeFormula } from '../../src/report/neutralize-formula.js';
import { syncReportArb } from '../arbitraries/sync-report.js';
import { FORMULA_PAYLOADS, MARKUP_PAYLOADS, dryRunReport, hostileReport, succeededReport } from './report-fixtures.js';

function parseCsv(csv: string): string[][] {
  // bom: true strips the BOM, as Excel does; no relaxing: the file must be strict CSV.
  return parse(csv, { bom: true }) as string[][];
}

describe('formatIssuesCsv', () => {
  it('starts with a UTF-8 BOM and the header, with CRLF records', () => {
    const csv = formatIssuesCsv(succeededReport);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv).toBe(`${UTF8_BOM}severity,code,line,column,message,lines,hint\r\n`);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('writes one record per issue with line, column, other lines and the hint', () => {
    const records = parseCsv(formatIssuesCsv(dryRunReport));
    expect(records[0]).toEqual([...ISSUES_CSV_COLUMNS]);
    expect(records).toHaveLength(dryRunReport.issues.length + 1);
    expect(records[1]).toEqual(['warning', 'UNKNOWN_STUDENT', '4', 'studentSisId', 'Student S-0099 is not in the roster.', '', ISSUE_HINTS.UNKNOWN_STUDENT]);
    const conflicting = records.find((r) => r[1] === 'CONFLICTING_GUARDIAN_ROWS');
    expect(conflicting?.[5]).toBe('2 8');
  });

  it('leaves the line empty for file- and run-level issues', () => {
    const records = parseCsv(formatIssuesCsv(hostileReport));
    const unknownColumn = records.filter((r) => r[1] === 'UNKNOWN_COLUMN');
    expect(unknownColumn.length).toBeGreaterThan(0);
    for (const r of unknownColumn) expect(r[2]).toBe('');
  });

  it('makes every formula payload inert, in messages and in columns', () => {
    const records = parseCsv(formatIssuesCsv(hostileReport)).slice(1);
    const cells = records.flat();
    for (const cell of cells) expect(isFormulaLike(cell)).toBe(false);
    const messages = records.map((r) => r[4]);
    const columns = records.map((r) => r[3]);
    for (const payload of FORMULA_PAYLOADS) {
      expect(messages).toContain(`'${payload}`);
      expect(columns).toContain(`'${payload}`);
    }
    // Markup is not a spreadsheet trigger: it comes back exactly.
    for (const payload of MARKUP_PAYLOADS) expect(messages).toContain(payload);
  });

  it('quotes line breaks inside a cell so they stay in their record', () => {
    const report = { issues: [{ severity: 'warning', code: 'INVALID_EMAIL', line: 3, column: 'email', message: 'two\nlines\rand a "quote", here' }] } as const;
    const csv = formatIssuesCsv(report);
    expect(csv).toContain('"two\nlines\rand a ""quote"", here"');
    expect(parseCsv(csv)[1]?.[4]).toBe('two\nlines\rand a "quote", here');
  });

  test.prop([syncReportArb])('any report: parses back to the same issues, every cell inert', (report) => {
    const records = parseCsv(formatIssuesCsv(report));
    expect(records).toHaveLength(report.issues.length + 1);
    report.issues.forEach((issue, i) => {
      const record = records[i + 1]!;
      expect(record).toHaveLength(ISSUES_CSV_COLUMNS.length);
      expect(record[0]).toBe(issue.severity);
      expect(record[1]).toBe(issue.code);
      expect(record[2]).toBe(issue.line === null ? '' : String(issue.line));
      expect(record[3]).toBe(neutralizeFormula(issue.column ?? ''));
      expect(record[4]).toBe(neutralizeFormula(issue.message));
      for (const cell of record) expect(isFormulaLike(cell)).toBe(false);
    });
  });
});
