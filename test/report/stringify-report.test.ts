import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { REPORT_CHANGE_FIELDS, type SyncReport } from '../../src/model/report.js';
import { reportJsonPieces, stringifyReport } from '../../src/report/stringify-report.js';
import { syncReportArb } from '../arbitraries/sync-report.js';
import { bigReport, changesReport, dryRunReport, succeededReport } from './report-fixtures.js';

/** The report as report.json must hold it: changes without their in-memory display names. */
function withoutNames(report: SyncReport): SyncReport {
  return { ...report, changes: report.changes.map(({ name: _name, ...change }) => change) };
}

describe('stringifyReport', () => {
  it('puts one issue and one row per line, the rest pretty-printed', () => {
    const text = stringifyReport(dryRunReport);
    const lines = text.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('  "formatVersion": 1,');
    expect(text).toContain('\n  "scope": {\n    "level": "district",\n    "orgId": "district-100"\n  },\n');
    expect(text).toContain('\n    {"line":2,"action":"CREATED","result":"WARNING"},\n');
    expect(text).toContain('\n    {"severity":"warning","code":"UNKNOWN_STUDENT","line":4,"column":"studentSisId","message":"Student S-0099 is not in the roster."},\n');
    expect(text.endsWith('\n  ]\n}\n')).toBe(true);
    expect(lines.filter((l) => l.startsWith('    {"line":'))).toHaveLength(dryRunReport.rows.length);
  });

  it('keeps every row across its internal chunks (10,001 rows)', () => {
    const report = bigReport(10_001);
    const text = stringifyReport(report);
    expect(JSON.parse(text)).toEqual(withoutNames(report));
    expect(text.split('\n').filter((l) => /^    \{"line":\d+,"action":"UNCHANGED","result":"SUCCESS"\},?$/.test(l))).toHaveLength(10_001);
  });

  it('gives the same text in pieces of at most 4,096 items, for writing a big report without holding it whole', () => {
    const report = bigReport(10_001);
    const pieces = [...reportJsonPieces(report)];
    expect(pieces.join('')).toBe(stringifyReport(report));
    const rowPieces = pieces.filter((p) => p.includes('"action":"UNCHANGED"'));
    expect(rowPieces.map((p) => p.match(/"action":"UNCHANGED"/g)?.length)).toEqual([4096, 4096, 1809]);
  });

  it('writes empty lists as []', () => {
    expect(stringifyReport({ ...succeededReport, rows: [] })).toContain('  "issues": [],\n  "rows": []\n}\n');
  });

  it('leaves out undefined members, as JSON.stringify does', () => {
    const text = stringifyReport({ a: 1, b: undefined, rows: [{ line: 2, x: undefined }] });
    expect(JSON.parse(text)).toEqual({ a: 1, rows: [{ line: 2 }] });
  });

  it('puts one change per line with the fields of changeFields, in that order, and never a name', () => {
    const text = stringifyReport(succeededReport);
    expect(text).toContain('\n  "changeFields": [\n    "kind",\n    "lines",\n    "accountId",\n    "fields",\n    "studentSisId"\n  ],\n  "changes": [\n');
    expect(text).toContain('\n    {"kind":"created","lines":[2,3],"accountId":"acc-1"},\n');
    expect(text).toContain('\n    {"kind":"updated","lines":[6,7],"accountId":"staff-1","fields":["email","mobilePhone"]},\n');
    expect(text).toContain('\n    {"kind":"linked","lines":[7],"accountId":"staff-1","studentSisId":"S-0006"}\n  ]');
    for (const line of text.split('\n').filter((l) => l.startsWith('    {"kind":'))) expect(line).not.toContain('"name"');
    expect(text).not.toContain('López');
  });

  it('leaves out any field a change has in memory beyond changeFields, whatever its key order', () => {
    const change = { studentSisId: 'S1', email: 'ana@example.com', name: 'Ana', fields: ['email'], accountId: 'a-1', lines: [2], kind: 'linked' };
    const text = stringifyReport({ changes: [change] });
    expect(text).toBe('{\n  "changes": [\n    {"kind":"linked","lines":[2],"accountId":"a-1","fields":["email"],"studentSisId":"S1"}\n  ]\n}\n');
    expect(Object.keys((JSON.parse(text) as { changes: object[] }).changes[0]!)).toEqual([...REPORT_CHANGE_FIELDS]);
  });

  it('keeps every change across its internal chunks (10,003 changes)', () => {
    const report = changesReport(10_003);
    const text = stringifyReport(report);
    expect(JSON.parse(text)).toEqual(withoutNames(report));
    expect(text.split('\n').filter((l) => l.startsWith('    {"kind":'))).toHaveLength(10_003);
  });

  test.prop([syncReportArb])('parses back to exactly what JSON.stringify gives, names left out', (report) => {
    const text = stringifyReport(report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(withoutNames(report))));
    expect(Object.keys(JSON.parse(text) as object)).toEqual(Object.keys(report));
    for (const change of (JSON.parse(text) as SyncReport).changes) for (const key of Object.keys(change)) expect(REPORT_CHANGE_FIELDS).toContain(key);
  });
});
