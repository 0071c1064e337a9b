import { createHash } from 'node:crypto';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import type { ReportChange, SyncReport } from '../../src/model/report.js';
import type { ChangesSectionData } from '../../src/report/changes-section-html.js';
import { CHANGES_SECTION_SCRIPT } from '../../src/report/changes-section-script.js';
import { escapeHtml } from '../../src/report/escape-html.js';
import { neutralizeFormula } from '../../src/report/neutralize-formula.js';
import { REPORT_HTML_CSP, renderReportHtml } from '../../src/report/render-report-html.js';
import { syncReportArb } from '../arbitraries/sync-report.js';
import { readHtml, type HtmlStructure } from './html-structure.js';
import {
  FORMULA_PAYLOADS,
  MARKUP_PAYLOADS,
  bigReport,
  changesReport,
  dryRunReport,
  failedNoFileReport,
  forcedReport,
  hostileReport,
  succeededReport,
  thresholdReport,
} from './report-fixtures.js';

/**
 * The page's scripts are exactly the renderer's own: none without changes; with changes the
 * JSON data (no `<` in it, so no user value can end the element) and the one script the
 * CSP allows by hash. Returns the data.
 */
function ownScripts(page: HtmlStructure, report: Pick<SyncReport, 'changes'>): ChangesSectionData | null {
  if (report.changes.length === 0) {
    expect(page.scripts).toEqual([]);
    return null;
  }
  expect(page.scripts).toHaveLength(2);
  const [data, code] = page.scripts;
  expect(Object.fromEntries(data!.attributes)).toEqual({ type: 'application/json', id: 'changes-data' });
  expect(data!.text).not.toMatch(/[<>&\u2028\u2029]/);
  expect(code!.attributes.size).toBe(0);
  expect(code!.text).toBe(CHANGES_SECTION_SCRIPT);
  return JSON.parse(data!.text) as ChangesSectionData;
}

function barOf(html: string, id: string): { width: string; above: boolean; label: string } {
  const m = new RegExp(`id="${id}-bar" role="img" aria-label="([^"]*)"[^>]*>\\n<div class="bar-fill( above)?" style="width: ([0-9.]+)%"`).exec(html);
  if (m === null) throw new Error(`no bar ${id}`);
  return { label: m[1]!, above: m[2] !== undefined, width: m[3]! };
}

describe('renderReportHtml', () => {
  it('is one self-contained document: charset, strict CSP, inline CSS, only its own script, no external asset', () => {
    const html = renderReportHtml(succeededReport);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_HTML_CSP)}">`);
    const hash = createHash('sha256').update(CHANGES_SECTION_SCRIPT, 'utf8').digest('base64');
    expect(REPORT_HTML_CSP).toBe(`default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`);
    expect(html).not.toMatch(/<link|<img|src=|href=|url\(|@import/i);
    const page = readHtml(html);
    expect(page.tags.filter((t) => t.name === 'style' && !t.closing)).toHaveLength(1);
    expect(ownScripts(page, succeededReport)).not.toBeNull();
    // A report without changes has nothing to search: no script at all.
    expect(ownScripts(readHtml(renderReportHtml(failedNoFileReport)), failedNoFileReport)).toBeNull();
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
    const page = readHtml(html);
    ownScripts(page, hostileReport);
    // `onerror=` may appear as escaped text; what matters is that no tag or attribute carries it.
    const markup = html.replace(/<script type="application\/json" id="changes-data">[^<]*<\/script>/, '').replace(`<script>${CHANGES_SECTION_SCRIPT}</script>`, '');
    expect(markup).not.toMatch(/<script|<img|<svg|<b>|<i>|<\/title><|<\/style><|<!--/i);
    const { text, tags } = page;
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
    const page = readHtml(html);
    const { text } = page;
    const data = ownScripts(page, report);
    for (const issue of report.issues) expect(text).toContain(neutralizeFormula(issue.message));
    // At most 12 changes: every one is on the first page, and in the data, inert for spreadsheets.
    for (const change of report.changes) {
      expect(text).toContain(neutralizeFormula(change.accountId));
      if (change.name !== undefined) expect(text).toContain(neutralizeFormula(change.name));
    }
    expect(data?.groups.flatMap((g) => g.accounts).sort()).toEqual(report.changes.length === 0 ? undefined : report.changes.map((c) => neutralizeFormula(c.accountId)).sort());
    expect(text).toContain(neutralizeFormula(report.scope.orgId));
    if (report.file !== null) expect(text).toContain(neutralizeFormula(report.file.name));
    const width = Math.min(100, report.threshold.removalRatio * 100).toFixed(2);
    expect(barOf(html, 'removal-ratio').width).toBe(width);
  });
});

describe('renderReportHtml: the Changes section', () => {
  /** The rows the server rendered in a group's table, as [line, name, account, detail?] cells. */
  function groupRows(html: string, kind: ReportChange['kind']): string[][] {
    const start = html.indexOf(`<details class="change-group" id="changes-${kind}"`);
    if (start === -1) return [];
    const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => readHtml(c[1]!).text));
  }

  it('groups the changes by kind, in kind order, with lines, names, account ids, fields and students', () => {
    const html = renderReportHtml(succeededReport);
    const kinds = [...html.matchAll(/<details class="change-group" id="changes-([a-z-]+)" data-group="(\d)" data-kind="\1" open>/g)].map((m) => m[1]);
    expect(kinds).toEqual(['created', 'updated', 'role-added', 'linked']);
    expect(html).toContain('<summary><strong>Accounts created</strong> <span class="group-count">×3</span></summary>');
    expect(groupRows(html, 'created')).toEqual([
      ['2, 3', 'Ana López', 'acc-1'],
      ['4', 'Luis López', 'acc-2'],
      ['5', 'Grace Kim', 'acc-3'],
    ]);
    expect(groupRows(html, 'updated')).toEqual([['6, 7', 'Maria García', 'staff-1', 'email, mobilePhone']]);
    expect(groupRows(html, 'linked')[0]).toEqual(['2', 'Ana López', 'acc-1', 'S-0001']);
    const { text } = readHtml(html);
    expect(text).toContain('11 changes this run made, by kind');
    expect(text).toContain("Guardians' names are shown on this page only");
    // The section sits between the threshold and the issues, as in the text summary.
    expect(html.indexOf('<section id="threshold">')).toBeLessThan(html.indexOf('<section id="changes"'));
    expect(html.indexOf('<section id="changes"')).toBeLessThan(html.indexOf('<section id="issues">'));
  });

  it('shows a change no line asks for with a dash, and says a dry run changed nothing', () => {
    const html = renderReportHtml(dryRunReport);
    expect(groupRows(html, 'unlinked')).toEqual([['\u2014', 'Tom Baker', 'acc-3', 'S-0003']]);
    expect(readHtml(html).text).toContain('7 changes a real run would make (this dry run made none)');
  });

  it('says when nothing changed, and when a report was saved before changes were recorded', () => {
    const none = readHtml(renderReportHtml({ ...succeededReport, changes: [] }));
    expect(none.text).toContain('This run changed nothing in the roster.');
    expect(none.scripts).toEqual([]);
    expect(readHtml(renderReportHtml({ ...dryRunReport, changes: [] })).text).toContain('A real run would change nothing.');
    const { changes: _changes, changeFields: _fields, ...old } = succeededReport;
    const page = readHtml(renderReportHtml(old as SyncReport));
    expect(page.text).toContain('This report was saved before reports listed their changes');
    expect(page.scripts).toEqual([]);
  });

  it('renders one page of each kind and puts the rest, up to the cap, in the data for the script', () => {
    const report = changesReport(2_000);
    const html = renderReportHtml(report, { changesPageSize: 10, maxChangesPerKind: 150 });
    const created = report.changes.filter((c) => c.kind === 'created');
    expect(created.length).toBeGreaterThan(150);
    expect(groupRows(html, 'created')).toHaveLength(10);
    expect(groupRows(html, 'created')[0]).toEqual([String(created[0]!.lines[0]), created[0]!.name, created[0]!.accountId]);
    expect(html).toContain(`The first 150 of ${created.length} are listed and searched here; report.json has them all (without names).`);
    const data = ownScripts(readHtml(html), report)!;
    expect(data.pageSize).toBe(10);
    const group = data.groups.find((g) => g.kind === 'created')!;
    expect(group.count).toBe(created.length);
    expect(group.names).toEqual(created.slice(0, 150).map((c) => c.name));
    expect(group.lines).toEqual(created.slice(0, 150).map((c) => c.lines));
    expect(group.details).toBeUndefined();
    expect(data.groups.find((g) => g.kind === 'updated')!.details!.slice(0, 2)).toEqual(['email, language', 'lastName']);
    // The pager shows where the page sits once the script runs; without it, the first page stands alone.
    expect(html).toContain('<span class="page">1–10 of 150</span>');
  });

  it('shows hostile names and ids as text, inert in spreadsheets, in the table and in the data', () => {
    const html = renderReportHtml(hostileReport);
    const data = ownScripts(readHtml(html), hostileReport)!;
    const names = data.groups.find((g) => g.kind === 'created')!.names;
    expect(names).toEqual([...FORMULA_PAYLOADS, ...MARKUP_PAYLOADS].map(neutralizeFormula));
    const rows = groupRows(html, 'created');
    expect(rows.map((r) => r[1])).toEqual(names.slice(0, 25));
    for (const name of names) expect(name).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
  });
});
