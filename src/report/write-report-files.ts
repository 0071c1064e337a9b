// The one I/O step of the reports: writes report.json, issues.csv and report.html into a
// folder (the CLI's `--report <dir>`). Each file is written to a temporary name and then
// renamed, so a reader (a district's file share, a monitoring job) never sees half a file.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SyncReport } from '../model/report.js';
import { formatIssuesCsv } from './format-issues-csv.js';
import { renderReportHtml, type RenderReportHtmlOptions } from './render-report-html.js';
import { stringifyReport } from './stringify-report.js';

export interface ReportFilePaths {
  readonly json: string;
  readonly csv: string;
  readonly html: string;
}

export const REPORT_FILE_NAMES = { json: 'report.json', csv: 'issues.csv', html: 'report.html' } as const;

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Creates `dir` (and its parents) when missing and writes the three report files into it,
 * replacing earlier ones. report.json is the SyncReport, pretty-printed with one line per
 * issue, row and change, without the changes' display names (stringifyReport); report.html
 * has the names.
 * Returns the absolute paths written. Throws the file system's error when `dir` cannot
 * be created or written.
 */
export async function writeReportFiles(dir: string, report: SyncReport, options: RenderReportHtmlOptions = {}): Promise<ReportFilePaths> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths: ReportFilePaths = {
    json: join(root, REPORT_FILE_NAMES.json),
    csv: join(root, REPORT_FILE_NAMES.csv),
    html: join(root, REPORT_FILE_NAMES.html),
  };
  await writeAtomically(paths.json, stringifyReport(report));
  await writeAtomically(paths.csv, formatIssuesCsv(report));
  await writeAtomically(paths.html, renderReportHtml(report, options));
  return paths;
}
