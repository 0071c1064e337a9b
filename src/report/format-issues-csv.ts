// issues.csv: one row per issue, for a district to open in Excel, LibreOffice or Sheets.
// Every cell is made inert (formula triggers get a leading `'`) because messages and
// column names carry text from the district's own file, and a spreadsheet would run it.
import { stringify } from 'csv-stringify/sync';
import { ISSUE_HINTS } from '../errors/issue-codes.js';
import type { SyncReport } from '../model/report.js';
import { neutralizeFormula } from './neutralize-formula.js';

/** The columns of issues.csv, in order. More may be added at the end, never removed. */
export const ISSUES_CSV_COLUMNS = ['severity', 'code', 'line', 'column', 'message', 'lines', 'hint'] as const;

/** Excel reads a UTF-8 CSV as Windows-1252 unless it starts with a byte order mark. */
export const UTF8_BOM = '\uFEFF';

/**
 * Renders issues.csv: a UTF-8 BOM, a header, then one CRLF-ended record per issue in the
 * report's order. `line` is empty for file- and run-level issues; `lines` lists the other
 * lines involved, separated by spaces.
 */
export function formatIssuesCsv(report: Pick<SyncReport, 'issues'>): string {
  const records = report.issues.map((issue) =>
    [
      issue.severity,
      issue.code,
      issue.line === null ? '' : String(issue.line),
      issue.column ?? '',
      issue.message,
      issue.lines === undefined ? '' : issue.lines.join(' '),
      ISSUE_HINTS[issue.code],
    ].map(neutralizeFormula),
  );
  return (
    UTF8_BOM +
    stringify(records, {
      header: true,
      columns: [...ISSUES_CSV_COLUMNS],
      record_delimiter: 'windows',
      // Trap: once record_delimiter is set, csv-stringify stops quoting fields that hold a
      // bare LF or CR (quote_record_delimiter defaults to !record_delimiter), and a message
      // with a line break would split its record. Quote them explicitly.
      quote_record_delimiter: true,
      // A second guard with the same trigger list: a cell that starts with `'` is left
      // alone, so nothing is escaped twice.
      escape_formulas: true,
    })
  );
}
