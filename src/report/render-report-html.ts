// report.html: one self-contained page (inline CSS, one inline script allowed by its hash,
// no external assets, a CSP that forbids everything else) that a district can open from a
// mail or a shared folder. Every user value is HTML-escaped, and table cells are also made
// inert for spreadsheets, because people copy tables from a report into Excel. The script
// only searches and pages the Changes section; without it the page reads the same, with the
// first page of each kind of change.
import type { IssueCode } from '../errors/issue-codes.js';
import type { RowOutcome } from '../model/plan.js';
import type { SyncReport } from '../model/report.js';
import { DEFAULT_CHANGES_PAGE_SIZE, DEFAULT_MAX_HTML_CHANGES_PER_KIND, renderChangesSection } from './changes-section-html.js';
import { CHANGES_SECTION_SCRIPT } from './changes-section-script.js';
import { escapeHtml } from './escape-html.js';
import { cspHash, htmlPageHead, selfContainedCsp } from './html-page-head.js';
import { neutralizeFormula } from './neutralize-formula.js';
import {
  COUNT_KEYS,
  COUNT_LABELS,
  DRY_RUN_NOTE,
  describeOutcome,
  formatBytes,
  formatCount,
  formatDelimiter,
  formatDuration,
  formatRatio,
  readThreshold,
  type RatioReading,
} from './report-wording.js';
import { summarizeIssues, type IssueGroup } from './summarize-issues.js';

export interface RenderReportHtmlOptions {
  /**
   * The page title and heading.
   * @default 'guardian-sync report'
   */
  readonly title?: string | undefined;
  /**
   * Row results shown in the per-row table; the rest are in report.json.
   * @default 10000
   */
  readonly maxRows?: number | undefined;
  /**
   * Issues listed per code; all of them are in issues.csv.
   * @default 1000
   */
  readonly maxIssuesPerCode?: number | undefined;
  /**
   * Changes listed, and searchable, per kind (created, updated, links added…); all of them
   * are in report.json, without names.
   * @default 50000
   */
  readonly maxChangesPerKind?: number | undefined;
  /**
   * Changes per page of a kind in the Changes section.
   * @default 25
   */
  readonly changesPageSize?: number | undefined;
}

export const DEFAULT_MAX_HTML_ROWS = 10_000;
export const DEFAULT_MAX_HTML_ISSUES_PER_CODE = 1_000;

/**
 * The page's Content-Security-Policy: nothing loads (no fetch, image, font or frame) and no
 * script runs but the page's own Changes script, by its hash. Inline styles stay allowed:
 * the threshold bars are drawn with style attributes. A host serving the page over HTTP
 * should also send it as a header, with `frame-ancestors 'none'` (a meta tag cannot).
 */
export const REPORT_HTML_CSP = selfContainedCsp(cspHash(CHANGES_SECTION_SCRIPT), "'unsafe-inline'");

/** A user value as table-cell text: inert in a spreadsheet, then HTML-escaped. */
function cell(value: string): string {
  return escapeHtml(neutralizeFormula(value));
}

const STYLE = `
:root { color-scheme: light; --text: #1f2933; --muted: #52606d; --line: #e4e7eb; --panel: #f5f7fa;
  --good: #0e7c3a; --good-bg: #e3f9e5; --warn: #8d5b00; --warn-bg: #fff3c4; --bad: #ab091e; --bad-bg: #ffe3e3;
  --neutral: #364152; --neutral-bg: #e4e7eb; --bar: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: #fff; }
main { max-width: 960px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.status { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 0 0 6px; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 999px; font-weight: 600; font-size: 14px; }
.tone-good { color: var(--good); background: var(--good-bg); }
.tone-warn { color: var(--warn); background: var(--warn-bg); }
.tone-bad { color: var(--bad); background: var(--bad-bg); }
.tone-neutral { color: var(--neutral); background: var(--neutral-bg); }
.meaning, .note, .hint { color: var(--muted); margin: 4px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.msg { overflow-wrap: anywhere; }
.issues { table-layout: fixed; }
.issues th:nth-child(1) { width: 80px; }
.issues th:nth-child(2) { width: 200px; }
.issues td { overflow-wrap: anywhere; }
.rows { table-layout: fixed; }
.rows th:nth-child(1) { width: 80px; }
.rows th:nth-child(2) { width: 130px; }
.rows th:nth-child(3) { width: 120px; }
.counts { width: auto; min-width: 320px; }
.counts th { font-weight: normal; }
.ratio { margin: 12px 0; }
.bar { position: relative; width: 100%; max-width: 560px; height: 14px; margin-top: 4px; background: var(--panel);
  border: 1px solid var(--line); border-radius: 3px; }
.bar-fill { height: 100%; background: var(--bar); border-radius: 2px 0 0 2px; }
.bar-fill.above { background: var(--bad); }
.bar-max { position: absolute; top: -4px; bottom: -4px; width: 2px; margin-left: -1px; background: var(--text); }
.exceeded { color: var(--bad); font-weight: 700; }
.forced { color: var(--warn); font-weight: 700; }
.verdict { margin: 8px 0; }
.verdict.bad { color: var(--bad); font-weight: 600; }
details { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; padding: 0 12px; }
summary { cursor: pointer; padding: 8px 0; display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; }
.sev { display: inline-block; min-width: 64px; padding: 1px 8px; border-radius: 4px; font-size: 13px; font-weight: 600; text-align: center; }
.sev-error, .res-ERROR { color: var(--bad); background: var(--bad-bg); }
.sev-warning, .res-WARNING { color: var(--warn); background: var(--warn-bg); }
.sev-info { color: var(--neutral); background: var(--neutral-bg); }
.res-SUCCESS { color: var(--good); background: var(--good-bg); }
.res { padding: 0 6px; border-radius: 4px; font-size: 13px; }
.lines { color: var(--muted); }
.callout { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: 8px 12px; margin: 12px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
.notice { border-left: 4px solid var(--neutral); background: var(--panel); padding: 8px 12px; margin: 12px 0; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin: 12px 0; }
.controls input { font: inherit; padding: 4px 8px; min-width: 260px; border: 1px solid #9aa5b1; border-radius: 4px; }
[hidden] { display: none !important; }
#change-status { color: var(--muted); }
.changes { table-layout: fixed; }
.changes th:nth-child(1) { width: 110px; }
.changes th:nth-child(3) { width: 34%; }
.changes.with-detail th:nth-child(3) { width: 30%; }
.changes.with-detail th:nth-child(4) { width: 22%; }
.changes td { overflow-wrap: anywhere; }
.change-group summary strong { font-weight: 600; }
.group-count { color: var(--muted); font-variant-numeric: tabular-nums; }
.pager { display: flex; gap: 8px; align-items: center; margin: 8px 0 12px; }
.pager button { font: inherit; padding: 2px 10px; }
`;

function renderRatio(id: string, r: RatioReading, { forced }: { readonly forced: boolean }): string {
  const pct = Math.min(100, Math.max(0, r.ratio * 100));
  const maxPct = Math.min(100, Math.max(0, r.maxRatio * 100));
  const flag = r.above ? (forced ? ' <span class="forced">Exceeded (forced)</span>' : ' <span class="exceeded">Exceeded</span>') : '';
  const label = `${r.text}${r.above ? (forced ? ', exceeded, forced' : ', exceeded') : ''}`;
  // The bar is a picture of the numbers beside it: its label carries the same text for
  // screen readers, and the ratio and maximum are also data attributes for tools and tests.
  return `<div class="ratio" id="${id}">
<div>${escapeHtml(r.text)}${flag}</div>
<div class="bar" id="${id}-bar" role="img" aria-label="${escapeHtml(label)}" data-ratio="${r.ratio}" data-max="${r.maxRatio}">
<div class="bar-fill${r.above ? ' above' : ''}" style="width: ${pct.toFixed(2)}%"></div>
<div class="bar-max" style="left: ${maxPct.toFixed(2)}%" title="maximum ${escapeHtml(formatRatio(r.maxRatio))}"></div>
</div>
</div>`;
}

function renderLines(g: IssueGroup): string {
  if (g.lineCount === 0) return '';
  const more = g.lineCount - g.lines.length;
  return `<span class="lines">${g.lineCount === 1 ? 'line' : 'lines'} ${g.lines.map(formatCount).join(', ')}${
    more > 0 ? ` …and ${formatCount(more)} more` : ''
  }</span>`;
}

function renderGroup(g: IssueGroup, maxIssues: number): string {
  const shown = g.issues.slice(0, maxIssues);
  const body = shown
    .map(
      (i) =>
        `<tr><td class="num">${i.line === null ? '' : i.line}</td><td>${cell(i.column ?? '')}</td><td class="msg">${cell(i.message)}${
          i.lines !== undefined && i.lines.length > 0 ? ` <span class="lines">(lines ${i.lines.map(formatCount).join(', ')})</span>` : ''
        }</td></tr>`,
    )
    .join('\n');
  const note =
    g.count > shown.length
      ? `<p class="note">First ${formatCount(shown.length)} of ${formatCount(g.count)} issues with this code; issues.csv lists them all.</p>`
      : '';
  return `<details class="issue-group" id="issue-${g.code}" open>
<summary><span class="sev sev-${g.severity}">${g.severity}</span> <code>${g.code}</code> <span>×${formatCount(g.count)}</span> ${renderLines(g)}</summary>
<p class="hint">${escapeHtml(g.hint)}</p>
<table class="issues"><thead><tr><th class="num">Line</th><th>Column</th><th>Message</th></tr></thead>
<tbody>
${body}
</tbody></table>
${note}
</details>`;
}

function renderRows(rows: readonly RowOutcome[], codesByLine: ReadonlyMap<number, readonly IssueCode[]>, maxRows: number): string {
  if (rows.length === 0) return '<p class="note">No rows were read.</p>';
  const shown = rows.length > maxRows ? rows.slice(0, maxRows) : rows;
  const body = shown
    .map((r) => {
      const codes = codesByLine.get(r.line);
      return `<tr><td class="num">${r.line}</td><td>${r.action}</td><td><span class="res res-${r.result}">${r.result}</span></td><td>${
        codes === undefined ? '' : `<code>${codes.join(', ')}</code>`
      }</td></tr>`;
    })
    .join('\n');
  const note =
    rows.length > shown.length
      ? `<p class="note" id="rows-capped">First ${formatCount(shown.length)} rows of ${formatCount(rows.length)}; report.json has them all.</p>`
      : '';
  return `${note}<table class="rows"><thead><tr><th class="num">Line</th><th>Action</th><th>Result</th><th>Issues</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}

/** Issue codes per file line, in first-seen order, for the per-row table. */
function codesByLine(report: SyncReport): Map<number, IssueCode[]> {
  const map = new Map<number, IssueCode[]>();
  const add = (line: number, code: IssueCode): void => {
    const codes = map.get(line);
    if (codes === undefined) map.set(line, [code]);
    else if (!codes.includes(code)) codes.push(code);
  };
  for (const issue of report.issues) {
    if (issue.line !== null) add(issue.line, issue.code);
    if (issue.lines !== undefined) for (const line of issue.lines) add(line, issue.code);
  }
  return map;
}

/** Renders the whole report as one HTML document (UTF-8). */
export function renderReportHtml(report: SyncReport, options: RenderReportHtmlOptions = {}): string {
  const title = options.title ?? 'guardian-sync report';
  const maxRows = Math.max(0, Math.floor(options.maxRows ?? DEFAULT_MAX_HTML_ROWS));
  const maxIssues = Math.max(0, Math.floor(options.maxIssuesPerCode ?? DEFAULT_MAX_HTML_ISSUES_PER_CODE));
  const status = describeOutcome(report);
  const duration = formatDuration(report.startedAt, report.finishedAt);
  const t = readThreshold(report);
  const groups = summarizeIssues(report.issues, { maxLines: 20 });
  const missingIds = groups.find((g) => g.code === 'MISSING_GUARDIAN_SIS_ID');
  const changes = renderChangesSection(report, {
    maxPerKind: options.maxChangesPerKind ?? DEFAULT_MAX_HTML_CHANGES_PER_KIND,
    pageSize: options.changesPageSize ?? DEFAULT_CHANGES_PAGE_SIZE,
  });

  const runFacts: [string, string][] = [
    ['Run id', `<span class="mono">${cell(report.runId)}</span>`],
    ['Started', cell(report.startedAt)],
    ['Finished', `${cell(report.finishedAt)}${duration !== null ? ` (${duration})` : ''}`],
    ['Scope', `${report.scope.level} <span class="mono">${cell(report.scope.orgId)}</span>`],
  ];
  const f = report.file;
  const fileFacts: [string, string][] =
    f === null
      ? [['File', 'none: the run stopped before a file was read']]
      : [
          ['File', cell(f.name)],
          ['Size', formatBytes(f.size)],
          ['Encoding', cell(f.encoding)],
          ['Delimiter', escapeHtml(formatDelimiter(f.delimiter))],
          ['Rows', formatCount(f.rows)],
          ['SHA-256', `<span class="mono">${cell(f.sha256)}</span>`],
        ];
  const facts = [...runFacts, ...fileFacts].map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n');

  const counts = COUNT_KEYS.map(
    (key) => `<tr data-count="${key}"><th scope="row">${COUNT_LABELS[key]}</th><td class="num">${formatCount(report.counts[key])}</td></tr>`,
  ).join('\n');

  const issues =
    groups.length === 0
      ? '<p class="note">No issues.</p>'
      : `<p class="note">${formatCount(report.issues.length)} ${report.issues.length === 1 ? 'issue' : 'issues'} in ${groups.length} ${
          groups.length === 1 ? 'code' : 'codes'
        }; issues.csv lists them all.</p>\n${groups.map((g) => renderGroup(g, maxIssues)).join('\n')}`;

  const missingNote =
    missingIds === undefined
      ? ''
      : `<div class="callout" id="missing-guardian-sis-id"><strong>Rows without guardianSisId: ${formatCount(
          missingIds.lineCount || missingIds.count,
        )}</strong> ${renderLines(missingIds)}<br>${escapeHtml(missingIds.hint)}</div>`;

  return `${htmlPageHead({ csp: REPORT_HTML_CSP, title, style: STYLE })}
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="status"><span class="badge tone-${status.tone}" id="status" data-status="${escapeHtml(report.status)}">${escapeHtml(status.label)}</span>${
    report.dryRun ? ' <span class="badge tone-neutral" id="dry-run">Dry run</span>' : ''
  }</p>
<p class="meaning">${escapeHtml(status.meaning)}${report.dryRun ? ` ${DRY_RUN_NOTE}` : ''}</p>
</header>
<section id="summary"><h2>Run and file</h2>
<dl>
${facts}
</dl>
</section>
<section id="counts"><h2>Counts</h2>
<table class="counts"><tbody>
${counts}
</tbody></table>
</section>
<section id="threshold"><h2>Safety threshold</h2>
<p class="note">Removals, archives${t.logins === null ? '' : ' and login changes'}, each as a share of what this sync managed before the run, against the one maximum (the black mark).</p>
${renderRatio('removal-ratio', t.removal, { forced: t.forced })}
${renderRatio('archive-ratio', t.archive, { forced: t.forced })}${t.logins === null ? '' : `\n${renderRatio('login-change-ratio', t.logins, { forced: t.forced })}`}
<p class="verdict${t.exceeded && !t.forced ? ' bad' : ''}" id="threshold-verdict">${escapeHtml(t.verdict)}</p>
</section>
${changes.html}
<section id="issues"><h2>Issues</h2>
${missingNote}
${issues}
</section>
<section id="rows"><h2>Rows</h2>
${renderRows(report.rows, codesByLine(report), maxRows)}
</section>
<footer>guardian-sync report, format ${report.formatVersion}. report.json holds the same data for scripts, with accounts named by id only.</footer>
</main>${changes.scripted ? `\n<script>${CHANGES_SECTION_SCRIPT}</script>` : ''}
</body>
</html>
`;
}
