import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import { formatReportText, toTerminalSafe } from '../../src/report/format-report-text.js';
import { syncReportArb } from '../arbitraries/sync-report.js';
import type { SyncReport } from '../../src/model/report.js';
import { changesReport, dryRunReport, failedFileReport, failedNoFileReport, forcedReport, hostileReport, succeededReport, thresholdReport } from './report-fixtures.js';

// Any ANSI escape sequence (CSI): color must appear only when asked for.
const ANSI_CSI = /\u001b\[/;

describe('formatReportText', () => {
  it('shows status, scope, file and every count of a succeeded run', () => {
    const text = formatReportText(succeededReport);
    expect(text).toMatch(/^guardian-sync: Succeeded\n/);
    expect(text).toContain('Scope     district district-100');
    expect(text).toContain('guardians.csv · 47.1 KiB · utf-8 · comma (,) · 6 rows');
    expect(text).toMatch(/Rows read +6/);
    expect(text).toMatch(/Accounts created +3/);
    expect(text).toMatch(/Links added +6/);
    expect(text).toMatch(/Guardian roles added +1/);
    expect(text).toContain('Removals 0% of managed links (maximum 10%)');
    expect(text).toContain('Issues    none');
    expect(text).not.toMatch(ANSI_CSI);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('says why a run failed, with line and hint', () => {
    const text = formatReportText(failedFileReport);
    expect(text).toContain('guardian-sync: Failed');
    expect(text).toMatch(/error +MALFORMED_CSV +×1 +line 7/);
    expect(text).toContain(failedFileReport.issues[0]!.message);
    expect(text).toContain(ISSUE_HINTS.MALFORMED_CSV);
  });

  it('says when no file was read', () => {
    const text = formatReportText(failedNoFileReport);
    expect(text).toContain('File      none (the run stopped before a file was read)');
    expect(text).toContain(ISSUE_HINTS.FILE_NOT_FOUND);
  });

  it('shows the threshold exceeded, held back, with both ratios against the maximum', () => {
    const text = formatReportText(thresholdReport);
    expect(text).toContain('guardian-sync: Held back by the safety threshold');
    expect(text).toContain('Removals 40% of managed links (maximum 10%)  EXCEEDED');
    expect(text).toContain('Archives 5% of managed guardians (maximum 10%)\n');
    expect(text).toContain('Exceeded: no link was removed and no guardian archived.');
  });

  it('marks a forced run', () => {
    const text = formatReportText(forcedReport);
    expect(text).toContain('EXCEEDED (forced)');
    expect(text).toContain('Exceeded, but forced: the removals and archives were applied.');
  });

  it('marks a dry run and lists issues by code with lines and hints, and the rows without guardianSisId', () => {
    const text = formatReportText(dryRunReport);
    expect(text).toContain('guardian-sync: Succeeded with warnings (dry run)');
    expect(text).toContain('Dry run: nothing was changed');
    expect(text).toContain('windows-1252 · semicolon (;) · 7 rows');
    expect(text).toMatch(/warning +UNKNOWN_STUDENT +×2 +lines 4, 6/);
    expect(text).toMatch(/warning +CONFLICTING_GUARDIAN_ROWS +×1 +lines 2, 8/);
    expect(text).toContain(`→ ${ISSUE_HINTS.UNKNOWN_STUDENT}`);
    expect(text).toContain(`Rows without guardianSisId: 2 (lines 3, 5). ${ISSUE_HINTS.MISSING_GUARDIAN_SIS_ID}`);
    // Errors before warnings before info.
    expect(text.indexOf('MISSING_VALUE')).toBeLessThan(text.indexOf('UNKNOWN_STUDENT'));
    expect(text.indexOf('UNKNOWN_STUDENT')).toBeLessThan(text.indexOf('CLAIMED_ACCOUNT_NOT_UPDATED'));
  });

  it('caps the line numbers per code', () => {
    const text = formatReportText(hostileReport, { maxLines: 3 });
    expect(text).toMatch(/INVALID_EMAIL +×18 +lines 10, 11, 12 …and 15 more/);
  });

  it('colors only when asked', () => {
    const colored = formatReportText(thresholdReport, { color: true });
    expect(colored).toMatch(ANSI_CSI);
    expect(colored).toContain('\u001b[31m');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatReportText(thresholdReport));
  });

  it('lists the changes by kind with lines, account ids, fields and students, never names', () => {
    const text = formatReportText(succeededReport);
    expect(text).toContain('Changes   11; by line and account id (report.html has names)\n');
    expect(text).toContain(
      [
        '  Accounts created  ×3',
        '    lines 2, 3       acc-1',
        '    line 4           acc-2',
        '    line 5           acc-3',
        '  Accounts updated  ×1',
        '    lines 6, 7       staff-1  email, mobilePhone',
        '  Guardian roles added  ×1',
        '    lines 6, 7       staff-1',
        '  Links added  ×6',
        '    line 2           acc-1  student S-0001',
      ].join('\n'),
    );
    expect(text).not.toContain('López');
    // After the threshold, before the issues.
    expect(text.indexOf('Threshold')).toBeLessThan(text.indexOf('Changes'));
    expect(text.indexOf('Changes')).toBeLessThan(text.indexOf('Issues'));
  });

  it('shows the first 20 changes of each kind, then how many more', () => {
    const report = changesReport(1_000);
    const text = formatReportText(report);
    const created = report.changes.filter((c) => c.kind === 'created');
    expect(text).toContain(`  Accounts created  ×${created.length}\n`);
    for (const change of created.slice(0, 20)) expect(text).toContain(`    ${`line ${change.lines[0]}`.padEnd(16)} ${change.accountId}\n`);
    expect(text).not.toContain(` ${created[20]!.accountId}\n`);
    expect(text).toContain(`    … and ${created.length - 20} more\n`);
    expect(text).toContain('    (no line)        acc-6\n');
    expect(formatReportText(report, { maxChanges: 2 })).toContain(`    … and ${created.length - 2} more\n`);
  });

  it('says a dry run would change nothing, and shows no Changes line for a report saved before changes existed', () => {
    expect(formatReportText({ ...dryRunReport, changes: [] })).toContain('Changes   none would be made\n');
    expect(formatReportText(dryRunReport)).toContain('Changes   7 (dry run: what a real run would change); by line and account id');
    const { changes: _changes, changeFields: _fields, ...old } = succeededReport;
    expect(formatReportText(old as SyncReport)).not.toContain('Changes');
  });

  it('prints user values on one line with control characters shown, not obeyed', () => {
    expect(toTerminalSafe('a\u001b[2Jb\nc\u202ed')).toBe('a\\u001b[2Jb c\\u202ed');
    expect(toTerminalSafe('x'.repeat(300))).toHaveLength(200);
  });

  test.prop([syncReportArb])('any report: status label and counts shown, no escape sequence from user values', (report) => {
    const text = formatReportText(report);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toMatch(new RegExp(`Rows read +${report.counts.rows.toLocaleString('en-US')}`));
    expect(text).toMatch(new RegExp(`Unchanged +${report.counts.unchanged.toLocaleString('en-US')}`));
    for (const issue of report.issues) expect(text).toContain(issue.code);
  });
});
