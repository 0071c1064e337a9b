import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import { neutralizeFormula } from '../../src/report/neutralize-formula.js';
import { REPORT_HTML_CSP, renderReportHtml } from '../../src/report/render-report-html.js';
import { syncReportArb } from '../arbitraries/sync-report.js';
import { readHtml } from './html-structure.js';
import {
  FORMULA_PAYLOADS,
  MARKUP_PAYLOADS,
  bigReport,
  dryRunReport,
  failedNoFileReport,
  forcedReport,
  hostileReport,
  succeededReport,
  thresholdReport,
} from './report-fixtures.js';

function barOf(html: string, id: string): { width: string; above: boolean; label: string } {
  const m = new RegExp(`id="${id}-bar" role="img" aria-label="([^"]*)"[^>]*>\\n<div class="bar-fill( above)?" style="width: ([0-9.]+)%"`).exec(html);
  if (m === null) throw new Error(`no bar ${id}`);
  return { label: m[1]!, above: m[2] !== undefined, width: m[3]! };
}

describe('renderReportHtml', () => {
  it('is one self-contained document: charset, strict CSP, inline CSS, no script, no external asset', () => {
    const html = renderReportHtml(succeededReport);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_HTML_CSP}">`);
    expect(REPORT_HTML_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
    const { tags } = readHtml(html);
    expect(tags.filter((t) => t.name === 'style' && !t.closing)).toHaveLength(1);
  });

  it('shows status, scope, file and counts', () => {
    const html = renderReportHtml(succeededReport, { title: 'Nightly sync – district 100' });
    const { text } = readHtml(html);
    expect(html).toContain('<title>Nightly sync – district 100</title>');
    expect(html).toMatch(/<span class="badge tone-good" id="status" data-status="succeeded">Succeeded<\/span>/);
    expect(text).toContain('district district-100');
    expect(text).toContain('guardians.csv');
    expect(text).toContain('47.1 KiB');
    expect(text).toContain('comma (,)');
    expect(html).toContain('<tr data-count="accountsCreated"><th scope="row">Accounts created</th><td class="num">3</td></tr>');
    expect(html).toContain('<tr data-count="linksAdded"><th scope="row">Links added</th><td class="num">6</td></tr>');
    expect(text).toContain('No issues.');
  });

  it('draws the removal ratio as a bar against its maximum, and marks it exceeded', () => {
    const html = renderReportHtml(thresholdReport);
    expect(html).toMatch(/id="status" data-status="failed-threshold">Held back by the safety threshold</);
    const removal = barOf(html, 'removal-ratio');
    expect(removal).toEqual({ width: '40.00', above: true, label: 'Removals 40% of managed links (maximum 10%), exceeded' });
    const archive = barOf(html, 'archive-ratio');
    expect(archive).toEqual({ width: '5.00', above: false, label: 'Archives 5% of managed guardians (maximum 10%)' });
    expect(html).toContain('<div class="bar-max" style="left: 10.00%" title="maximum 10%">');
    expect(html).toContain('<span class="exceeded">Exceeded</span>');
    expect(readHtml(html).text).toContain('Exceeded: no link was removed and no guardian archived.');
  });

  it('marks a forced run and a dry run', () => {
    expect(renderReportHtml(forcedReport)).toContain('<span class="forced">Exceeded (forced)</span>');
    const dry = renderReportHtml(dryRunReport);
    expect(dry).toContain('<span class="badge tone-neutral" id="dry-run">Dry run</span>');
    expect(readHtml(dry).text).toContain('Dry run: nothing was changed');
  });

  it('groups issues by code with lines and hints, flags rows without guardianSisId, and lists rows with their codes', () => {
    const html = renderReportHtml(dryRunReport);
    const { text } = readHtml(html);
    expect(html).toMatch(/<details class="issue-group" id="issue-UNKNOWN_STUDENT" open>\n<summary><span class="sev sev-warning">warning<\/span> <code>UNKNOWN_STUDENT<\/code> <span>×2<\/span> <span class="lines">lines 4, 6<\/span>/);
    for (const code of ['MISSING_VALUE', 'UNKNOWN_STUDENT', 'CONFLICTING_GUARDIAN_ROWS', 'MISSING_GUARDIAN_SIS_ID', 'CLAIMED_ACCOUNT_NOT_UPDATED'] as const) {
      expect(text).toContain(ISSUE_HINTS[code]);
    }
    expect(html.indexOf('id="issue-MISSING_VALUE"')).toBeLessThan(html.indexOf('id="issue-UNKNOWN_STUDENT"'));
    expect(html).toMatch(/id="missing-guardian-sis-id"><strong>Rows without guardianSisId: 2<\/strong> <span class="lines">lines 3, 5<\/span>/);
    expect(html).toContain('<tr><td class="num">4</td><td>SKIPPED</td><td><span class="res res-WARNING">WARNING</span></td><td><code>UNKNOWN_STUDENT</code></td></tr>');
    expect(html).toContain('<tr><td class="num">8</td><td>UNCHANGED</td><td><span class="res res-SUCCESS">SUCCESS</span></td><td><code>CONFLICTING_GUARDIAN_ROWS, CLAIMED_ACCOUNT_NOT_UPDATED</code></td></tr>');
  });

  it('reads a run that stopped before a file', () => {
    const { text } = readHtml(renderReportHtml(failedNoFileReport));
    expect(text).toContain('none: the run stopped before a file was read');
    expect(text).toContain(ISSUE_HINTS.FILE_NOT_FOUND);
    expect(text).toContain('No rows were read.');
  });

  it('shows every markup payload as text and makes every formula payload inert in tables', () => {
    const html = renderReportHtml(hostileReport, { title: '<script>alert("title")</script>' });
    // `onerror=` may appear as escaped text; what matters is that no tag or attribute carries it.
    expect(html).not.toMatch(/<script|<img|<svg|<b>|<i>|<\/title><|<\/style><|<!--/i);
    const { text, tags } = readHtml(html);
    expect(tags.some((t) => [...t.attributes.keys()].some((a) => a.startsWith('on')))).toBe(false);
    for (const payload of MARKUP_PAYLOADS) expect(text).toContain(payload);
    for (const payload of FORMULA_PAYLOADS) {
      expect(text).toContain(neutralizeFormula(payload));
      expect(text).toContain(`Unknown column ${payload}`);
    }
    expect(text).toContain('<script>alert(1)</script>.csv');
    expect(text).toContain('"><img src=x onerror=alert(1)>');
    expect(text).toContain('run-<b>hostile</b>');
    expect(text).toContain('<script>alert("title")</script>');
  });

  it('caps the per-row table and says so', () => {
    const html = renderReportHtml(bigReport(10_005));
    expect(html).toContain('First 10,000 rows of 10,005; report.json has them all.');
    expect(html.match(/<tr><td class="num">\d+<\/td><td>UNCHANGED<\/td>/g)).toHaveLength(10_000);
    expect(html).toContain('<td class="num">10001</td>');
    expect(html).not.toContain('<td class="num">10002</td>');
    const small = renderReportHtml(bigReport(30), { maxRows: 10 });
    expect(small).toContain('First 10 rows of 30;');
    expect(renderReportHtml(bigReport(10_000))).not.toContain('id="rows-capped"');
  });

  it('caps the issues listed per code and points to issues.csv', () => {
    const html = renderReportHtml(hostileReport, { maxIssuesPerCode: 5 });
    expect(html).toContain('First 5 of 18 issues with this code; issues.csv lists them all.');
  });

  test.prop([syncReportArb])('any report: only the renderer\'s own tags, and every user value readable as text', (report) => {
    const html = renderReportHtml(report);
    const { text } = readHtml(html);
    expect(html).not.toMatch(/<script/i);
    for (const issue of report.issues) expect(text).toContain(neutralizeFormula(issue.message));
    expect(text).toContain(neutralizeFormula(report.scope.orgId));
    if (report.file !== null) expect(text).toContain(neutralizeFormula(report.file.name));
    const width = Math.min(100, report.threshold.removalRatio * 100).toFixed(2);
    expect(barOf(html, 'removal-ratio').width).toBe(width);
  });
});
