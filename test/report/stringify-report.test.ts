import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringifyReport } from '../../src/report/stringify-report.js';
import { syncReportArb } from '../arbitraries/sync-report.js';
import { bigReport, dryRunReport, succeededReport } from './report-fixtures.js';

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
    expect(JSON.parse(text)).toEqual(report);
    expect(text.split('\n').filter((l) => /^    \{"line":\d+,"action":"UNCHANGED","result":"SUCCESS"\},?$/.test(l))).toHaveLength(10_001);
  });

  it('writes empty lists as []', () => {
    expect(stringifyReport({ ...succeededReport, rows: [] })).toContain('  "issues": [],\n  "rows": []\n}\n');
  });

  it('leaves out undefined members, as JSON.stringify does', () => {
    const text = stringifyReport({ a: 1, b: undefined, rows: [{ line: 2, x: undefined }] });
    expect(JSON.parse(text)).toEqual({ a: 1, rows: [{ line: 2 }] });
  });

  test.prop([syncReportArb])('parses back to exactly what JSON.stringify gives', (report) => {
    const text = stringifyReport(report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(Object.keys(JSON.parse(text) as object)).toEqual(Object.keys(report));
  });
});
