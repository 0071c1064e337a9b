import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssuesCsv } from '../../src/report/format-issues-csv.js';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import { stringifyReport } from '../../src/report/stringify-report.js';
import { writeReportFiles } from '../../src/report/write-report-files.js';
import type { SyncReport } from '../../src/model/report.js';
import { dryRunReport, hostileReport } from './report-fixtures.js';

/** report.json holds the report without the changes' display names (report.html has them). */
function withoutNames(report: SyncReport): SyncReport {
  return { ...report, changes: report.changes.map(({ name: _name, ...change }) => change) };
}

describe('writeReportFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guardian-sync-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the folder and writes report.json, issues.csv and report.html, and nothing else', async () => {
    const target = join(dir, 'nested', 'run-1');
    const paths = await writeReportFiles(target, dryRunReport);
    expect(paths).toEqual({ json: join(target, 'report.json'), csv: join(target, 'issues.csv'), html: join(target, 'report.html') });
    expect((await readdir(target)).sort()).toEqual(['issues.csv', 'report.html', 'report.json']);
    const json = await readFile(paths.json, 'utf8');
    expect(JSON.parse(json)).toEqual(withoutNames(dryRunReport));
    expect(json).not.toContain('Ana López');
    expect(json).toBe(stringifyReport(dryRunReport));
    const csvBytes = await readFile(paths.csv);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvBytes.toString('utf8')).toBe(formatIssuesCsv(dryRunReport));
    expect(await readFile(paths.html, 'utf8')).toBe(renderReportHtml(dryRunReport));
  });

  it('replaces the files of an earlier run', async () => {
    await writeReportFiles(dir, hostileReport);
    await writeReportFiles(dir, dryRunReport);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toEqual(withoutNames(dryRunReport));
    expect((await readdir(dir)).sort()).toEqual(['issues.csv', 'report.html', 'report.json']);
  });

  it('accepts a relative folder and returns absolute paths', async () => {
    const relativeDir = relative(process.cwd(), join(dir, 'rel'));
    expect(isAbsolute(relativeDir)).toBe(false);
    const paths = await writeReportFiles(relativeDir, dryRunReport);
    expect(paths.json).toBe(join(dir, 'rel', 'report.json'));
  });

  it("throws the file system's error when the folder cannot be made", async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    await expect(writeReportFiles(join(blocker, 'reports'), dryRunReport)).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
  });
});
