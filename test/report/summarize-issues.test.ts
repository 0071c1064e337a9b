import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import { createIssue } from '../../src/errors/issue.js';
import { SEVERITY_RANK, summarizeIssues } from '../../src/report/summarize-issues.js';
import { issueArb } from '../arbitraries/sync-report.js';
import { dryRunReport } from './report-fixtures.js';

describe('summarizeIssues', () => {
  it('groups by code, errors first, with counts, lines and hints', () => {
    const groups = summarizeIssues(dryRunReport.issues);
    expect(groups.map((g) => [g.code, g.severity, g.count])).toEqual([
      ['MISSING_VALUE', 'error', 1],
      ['UNKNOWN_STUDENT', 'warning', 2],
      ['CONFLICTING_GUARDIAN_ROWS', 'warning', 1],
      ['MISSING_GUARDIAN_SIS_ID', 'warning', 2],
      ['CLAIMED_ACCOUNT_NOT_UPDATED', 'info', 1],
    ]);
    const conflicting = groups.find((g) => g.code === 'CONFLICTING_GUARDIAN_ROWS');
    expect(conflicting?.lines).toEqual([2, 8]);
    expect(groups.find((g) => g.code === 'UNKNOWN_STUDENT')?.hint).toBe(ISSUE_HINTS.UNKNOWN_STUDENT);
  });

  it('keeps the first maxLines distinct lines and counts them all', () => {
    const issues = [9, 3, 3, 7, 1, 12, 5].map((line) => createIssue('INVALID_PHONE', 'bad phone', { line }));
    const [group] = summarizeIssues(issues, { maxLines: 3 });
    expect(group?.lines).toEqual([1, 3, 5]);
    expect(group?.lineCount).toBe(6);
    expect(group?.count).toBe(7);
  });

  it('gives a group the most severe severity of its issues', () => {
    const issues = [createIssue('THRESHOLD_EXCEEDED', 'forced', { severity: 'warning' }), createIssue('THRESHOLD_EXCEEDED', 'held')];
    expect(summarizeIssues(issues)[0]?.severity).toBe('error');
  });

  test.prop([fc.array(issueArb, { maxLength: 40 }), fc.integer({ min: 0, max: 12 })])(
    'loses no issue, sorts groups, and lists only lines the issues name',
    (issues, maxLines) => {
      const groups = summarizeIssues(issues, { maxLines });
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(issues.length);
      expect(new Set(groups.map((g) => g.code)).size).toBe(groups.length);
      for (let i = 1; i < groups.length; i++) {
        const a = groups[i - 1]!;
        const b = groups[i]!;
        const order = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || ISSUE_CODES.indexOf(a.code) - ISSUE_CODES.indexOf(b.code);
        expect(order).toBeLessThan(0);
      }
      for (const g of groups) {
        const named = new Set(g.issues.flatMap((i) => [...(i.line === null ? [] : [i.line]), ...(i.lines ?? [])]));
        expect(g.lineCount).toBe(named.size);
        expect(g.lines.length).toBe(Math.min(maxLines, named.size));
        expect([...g.lines]).toEqual([...named].sort((x, y) => x - y).slice(0, maxLines));
        expect(g.issues.every((i) => i.code === g.code)).toBe(true);
      }
    },
  );
});
