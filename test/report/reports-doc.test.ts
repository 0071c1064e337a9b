// docs/reports.md is checked against the code: its report.json example is exactly what
// stringifyReport writes, and its issues.csv column table is ISSUES_CSV_COLUMNS.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ISSUES_CSV_COLUMNS } from '../../src/report/format-issues-csv.js';
import { stringifyReport } from '../../src/report/stringify-report.js';
import { COUNT_KEYS } from '../../src/report/report-wording.js';
import { REPORT_CHANGE_FIELDS, REPORT_CHANGE_KINDS, type SyncReport } from '../../src/model/report.js';

const doc = await readFile(new URL('../../docs/reports.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`no section ${title}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/reports.md', () => {
  it('shows a report.json example exactly as stringifyReport writes it', () => {
    const m = /```json\n([\s\S]*?\n)```/.exec(section('report.json'));
    expect(m).not.toBeNull();
    const example = m![1]!;
    const report = JSON.parse(example) as SyncReport;
    expect(stringifyReport(report)).toBe(example);
    expect(Object.keys(report.counts)).toEqual([...COUNT_KEYS]);
    expect(Object.keys(report)).toEqual(['formatVersion', 'runId', 'startedAt', 'finishedAt', 'status', 'dryRun', 'scope', 'file', 'counts', 'threshold', 'issues', 'rows', 'changeFields', 'changes']);
    expect(report.changeFields).toEqual([...REPORT_CHANGE_FIELDS]);
  });

  it('describes every kind of change, in the order a report lists the kinds of one line, and the fields of an entry', () => {
    const kinds = [...section('Changes').matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(kinds).toEqual([...REPORT_CHANGE_KINDS]);
    expect(section('Changes')).toContain(`\`${JSON.stringify(REPORT_CHANGE_FIELDS)}\``);
  });

  it('lists the issues.csv columns in order', () => {
    const columns = [...section('issues.csv').matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1]);
    expect(columns).toEqual([...ISSUES_CSV_COLUMNS]);
  });
});
