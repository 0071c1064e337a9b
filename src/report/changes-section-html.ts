// The Changes section of report.html: one collapsible group per kind of change (accounts
// created, updated, links added…), each listing line, guardian name, account id and what
// changed. The server renders the first page of each group, so the section reads without
// JavaScript; the changes of each kind (up to a cap) also go into a JSON element, from which
// the page's script (changes-section-script.ts) searches and pages.
//
// Names are shown here and only here: report.html stays on the host, for the district staff
// who may see the roster. No contact value is in a change to begin with.
import type { ReportChange, SyncReport } from '../model/report.js';
import { escapeHtml } from './escape-html.js';
import { stringifyScriptJson } from './escape-script-json.js';
import { groupChanges, type ChangeGroup } from './group-changes.js';
import { neutralizeFormula } from './neutralize-formula.js';
import { CHANGE_KIND_LABELS, CHANGE_KIND_MEANINGS, changeDetail, formatCount } from './report-wording.js';

export const DEFAULT_MAX_HTML_CHANGES_PER_KIND = 50_000;
export const DEFAULT_CHANGES_PAGE_SIZE = 25;

export interface ChangesSectionOptions {
  /** Changes listed (and searchable) per kind; report.json has them all. */
  readonly maxPerKind: number;
  /** Rows per page of a group. */
  readonly pageSize: number;
}

/** The JSON the section embeds for its script: per kind, columns of the changes listed (values already made inert for spreadsheets). */
export interface ChangesSectionData {
  readonly pageSize: number;
  readonly groups: readonly {
    readonly kind: ReportChange['kind'];
    /** Changes of this kind in the report (the columns hold the first `maxPerKind`). */
    readonly count: number;
    readonly lines: readonly (readonly number[])[];
    readonly names: readonly string[];
    readonly accounts: readonly string[];
    /** Field names of an update or the student of a link; absent for the other kinds. */
    readonly details?: readonly string[];
  }[];
}

export interface ChangesSection {
  readonly html: string;
  /** True when the section needs the page's script (it has changes to search). */
  readonly scripted: boolean;
}

/** A user value as table-cell text: inert in a spreadsheet (people copy tables into Excel). */
const inert = neutralizeFormula;

/** The header of the column of `changeDetail`, for the kinds that have one. */
const DETAIL_HEADER: Partial<Record<ReportChange['kind'], string>> = { updated: 'Fields changed', linked: 'Student', unlinked: 'Student' };

/** The lines column: no line asks for an archive or a removed link. */
function linesText(lines: readonly number[]): string {
  return lines.length === 0 ? '\u2014' : lines.join(', ');
}

function renderRow(change: ReportChange, { withDetail }: { readonly withDetail: boolean }): string {
  const detail = withDetail ? `<td>${escapeHtml(inert(changeDetail(change)))}</td>` : '';
  return `<tr><td class="num">${linesText(change.lines)}</td><td>${escapeHtml(inert(change.name ?? ''))}</td><td class="mono">${escapeHtml(inert(change.accountId))}</td>${detail}</tr>`;
}

function renderGroup(group: ChangeGroup, index: number, pageSize: number): string {
  const label = CHANGE_KIND_LABELS[group.kind];
  const detailHeader = DETAIL_HEADER[group.kind];
  const withDetail = detailHeader !== undefined;
  const listed = group.changes.length;
  const capped =
    group.count > listed
      ? `<p class="note capped">The first ${formatCount(listed)} of ${formatCount(group.count)} are listed and searched here; report.json has them all (without names).</p>\n`
      : '';
  const rows = group.changes
    .slice(0, pageSize)
    .map((change) => renderRow(change, { withDetail }))
    .join('\n');
  return `<details class="change-group" id="changes-${group.kind}" data-group="${index}" data-kind="${group.kind}" open>
<summary><strong>${label}</strong> <span class="group-count">×${formatCount(group.count)}</span></summary>
<p class="hint">${escapeHtml(CHANGE_KIND_MEANINGS[group.kind])}</p>
${capped}<table class="changes${withDetail ? ' with-detail' : ''}"><thead><tr><th class="num" scope="col">Line</th><th scope="col">Guardian</th><th scope="col">Account</th>${
    withDetail ? `<th scope="col">${detailHeader}</th>` : ''
  }</tr></thead>
<tbody>
${rows}
</tbody></table>
<nav class="pager" aria-label="Pages of ${label.toLowerCase()}"${listed > pageSize ? '' : ' hidden'}><button type="button" data-go="previous" disabled>Previous</button> <span class="page">1\u2013${formatCount(
    Math.min(pageSize, listed),
  )} of ${formatCount(listed)}</span> <button type="button" data-go="next">Next</button></nav>
</details>`;
}

function sectionData(groups: readonly ChangeGroup[], pageSize: number): ChangesSectionData {
  return {
    pageSize,
    groups: groups.map((g) => {
      const columns = {
        kind: g.kind,
        count: g.count,
        lines: g.changes.map((c) => c.lines),
        names: g.changes.map((c) => inert(c.name ?? '')),
        accounts: g.changes.map((c) => inert(c.accountId)),
      };
      return DETAIL_HEADER[g.kind] === undefined ? columns : { ...columns, details: g.changes.map((c) => inert(changeDetail(c))) };
    }),
  };
}

function intro(report: SyncReport, total: number): string {
  if (total === 0) return report.dryRun ? 'A real run would change nothing.' : 'This run changed nothing in the roster.';
  const what = report.dryRun ? `${formatCount(total)} ${total === 1 ? 'change' : 'changes'} a real run would make (this dry run made none)` : `${formatCount(total)} ${total === 1 ? 'change' : 'changes'} this run made`;
  return `${what}, by kind, each with the lines of the file behind it. Search by line number, name, account or student id.`;
}

/** The Changes section of `report` (an old report with no `changes` says it has none recorded). */
export function renderChangesSection(report: SyncReport, options: ChangesSectionOptions): ChangesSection {
  const title = '<h2>Changes</h2>';
  // Reports saved before changes existed have none: that is "not recorded", not "nothing changed".
  if (report.changes === undefined) {
    return { html: `<section id="changes">${title}\n<p class="note">This report was saved before reports listed their changes; the counts above are all it has.</p>\n</section>`, scripted: false };
  }
  const pageSize = Math.max(1, Math.floor(options.pageSize));
  const groups = groupChanges(report.changes, options.maxPerKind);
  const total = report.changes.length;
  const head = `<section id="changes" data-state="static">${title}
<p class="note">${escapeHtml(intro(report, total))}</p>`;
  if (groups.length === 0) return { html: `${head}\n</section>`, scripted: false };
  const listed = groups.some((g) => g.changes.length > 0);
  return {
    html: `${head}
<p class="notice" id="changes-audience">Guardians' names are shown on this page only, for the district staff who read this report; report.json and the text summary name accounts by id. No email or phone number is part of a change.</p>
<div class="controls" id="change-controls" role="search" hidden><label for="change-search">Search by line or name</label> <input type="search" id="change-search" autocomplete="off" spellcheck="false" placeholder="e.g. 42 or Garcia"> <span id="change-status" role="status" aria-live="polite"></span></div>
<noscript><p class="note">Searching and paging need JavaScript; each kind shows its first ${formatCount(pageSize)} changes.</p></noscript>
${groups.map((g, i) => renderGroup(g, i, pageSize)).join('\n')}
${listed ? `<script type="application/json" id="changes-data">${stringifyScriptJson(sectionData(groups, pageSize))}</script>\n` : ''}</section>`,
    scripted: listed,
  };
}
