// The family roster page (`guardian-sync export --html`): one self-contained HTML file in
// which district staff check families visually (the article's last step: "verify family
// rosters on the District, School Directory and Classroom pages"): the district's schools
// with their counts, every student with their guardians, a search and filters. It holds
// guardians' contacts, like `export --json`, and is meant for district staff who may see the
// roster (docs/cli.md).
//
// Safe to open from a mail or a shared folder: no network at all, and a CSP that allows only
// the page's own inline style and script, by hash. Values in the markup are HTML-escaped;
// the roster itself is JSON escaped for a script element, which the script shows a page at a
// time through textContent (roster-page-script.ts): the first page from a small copy placed
// before the script, so it shows while the browser still reads the whole roster after it,
// and a 600,000-student district never builds 600,000 entries.
import type { RosterExport } from '../contracts/roster-store.js';
import { escapeHtml } from './escape-html.js';
import { cspHash, htmlPageHead, selfContainedCsp } from './html-page-head.js';
import { stringifyScriptJson } from './escape-script-json.js';
import { formatCount } from './report-wording.js';
import { buildRosterPageData, firstStudentsDocument, type RosterPageCounts, type RosterPageData, type RosterPageSchool } from './roster-page-data.js';
import { ROSTER_PAGE_SCRIPT } from './roster-page-script.js';
import { ROSTER_PAGE_STYLE } from './roster-page-style.js';

export interface RenderRosterHtmlOptions {
  /**
   * The district's schools with their names, e.g. the schools of `store.listOrgs()` whose
   * parent is the district. A school without students still gets its row of counts; a
   * student's school that is not listed is shown by its id.
   * @default [] (schools are the students' school ids)
   * @example [{ id: 'SCH-ELM', name: 'Elm Elementary' }]
   */
  readonly schools?: readonly RosterPageSchool[] | undefined;
  /**
   * When the export was taken (ISO 8601), printed under the title so a reader knows how old
   * the page is. The renderer reads no clock.
   * @default undefined (not printed)
   * @example new Date().toISOString()
   */
  readonly exportedAt?: string | undefined;
  /**
   * Entries (students, or guardians under a guardian filter) per page of the list.
   * @default 50
   */
  readonly pageSize?: number | undefined;
  /**
   * The page title and heading.
   * @default 'Family roster of district <districtId>'
   */
  readonly title?: string | undefined;
}

export const DEFAULT_ROSTER_PAGE_SIZE = 50;

/** Schools listed open above the list; a larger district's table starts folded so the list stays near the top. */
const SCHOOLS_SHOWN_OPEN = 20;

/**
 * The page's Content-Security-Policy: nothing may load (no fetch, image, font or frame) and
 * only the page's own style and script run, by hash. A host serving the page over HTTP
 * should also send it as a header, with `frame-ancestors 'none'` (a meta tag cannot).
 */
export const ROSTER_HTML_CSP = selfContainedCsp(cspHash(ROSTER_PAGE_SCRIPT), cspHash(ROSTER_PAGE_STYLE));

/** Renders one district's roster export as the family roster page (one HTML document, UTF-8). */
export function renderRosterHtml(roster: RosterExport, options: RenderRosterHtmlOptions = {}): string {
  const data = buildRosterPageData(roster, options.schools ?? []);
  const title = options.title ?? `Family roster of district ${roster.districtId}`;
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_ROSTER_PAGE_SIZE));
  const t = data.totals;
  const exported = options.exportedAt === undefined ? '' : ` Exported ${escapeHtml(options.exportedAt)}.`;

  return `${htmlPageHead({ csp: ROSTER_HTML_CSP, title, style: ROSTER_PAGE_STYLE, noIndex: true })}
<body>
<main id="roster" data-page-size="${pageSize}" data-students="${t.students}" data-state="loading">
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">District <span class="mono" id="district-id">${escapeHtml(data.districtId)}</span>: ${formatCount(t.students)} ${plural(t.students, 'student', 'students')} in ${formatCount(
    data.schools.length,
  )} ${plural(data.schools.length, 'school', 'schools')}, ${formatCount(t.activeGuardians)} ${plural(t.activeGuardians, 'guardian', 'guardians')}.${exported}</p>
<p class="notice" role="note" id="audience"><strong>Confidential: guardians' names, emails and mobile numbers.</strong> For district staff who may see this district's roster; do not send it to parents or post it.</p>
</header>
<section id="totals" aria-labelledby="totals-title"><h2 id="totals-title">District counts</h2>
${renderTotals(data)}
</section>
<section id="schools" aria-labelledby="schools-title"><h2 id="schools-title">Schools</h2>
${renderSchools(data)}
</section>
<section id="results" aria-labelledby="results-title"><h2 id="results-title">Students and guardians</h2>
<div class="controls" role="search">
<label class="search">Search: student or guardian name, or SIS id<input type="search" id="search" autocomplete="off" spellcheck="false" placeholder="e.g. Garcia or 100042"></label>
<label>Show<select id="filter">
<option value="all">All students (${formatCount(t.students)})</option>
<option value="no-guardian">Students with no guardian (${formatCount(t.studentsWithoutGuardian)})</option>
<option value="no-login">Guardians with no login: no email, no mobile (${formatCount(t.activeGuardiansWithoutLogin)})</option>
<option value="not-claimed">Guardians who have not claimed their account (${formatCount(t.activeGuardiansNotClaimed)})</option>
<option value="archived">Archived guardians (${formatCount(t.archivedGuardians)})</option>
</select></label>
<label>School<select id="school">
<option value="">All schools</option>
${data.schools.map((s, i) => `<option value="${i}">${escapeHtml(s.name)} (${formatCount(s.counts.students)})</option>`).join('\n')}
</select></label>
</div>
<p class="status" id="status" role="status" aria-live="polite">Loading the roster…</p>
${renderPager('pager-top')}
<ol class="list" id="list" aria-busy="true"></ol>
${renderPager('pager-bottom')}
<noscript><p class="notice">The list of students needs JavaScript; the counts above are complete without it.</p></noscript>
</section>
<footer>guardian-sync family roster, from the roster export of district ${escapeHtml(data.districtId)} (<code>guardian-sync export --json</code> holds the same data, with account ids).
A guardian has no login when the roster holds neither an email nor a mobile number for them: they get no messages. Archived guardians are no longer in the district's guardian file and keep no links to students.</footer>
</main>
<script type="application/json" id="roster-first">${stringifyScriptJson(firstStudentsDocument(data.document, pageSize))}</script>
<script>${ROSTER_PAGE_SCRIPT}</script>
<script type="application/json" id="roster-data">${stringifyScriptJson(data.document)}</script>
</body>
</html>
`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function renderTotals(data: RosterPageData): string {
  const t = data.totals;
  const items: [id: string, label: string, value: number][] = [
    ['students', 'Students', t.students],
    ['students-without-guardian', 'Students with no guardian', t.studentsWithoutGuardian],
    ['guardians', 'Guardians', t.activeGuardians],
    ['guardians-without-login', 'Guardians with no login', t.activeGuardiansWithoutLogin],
    ['guardians-not-claimed', 'Guardians not claimed', t.activeGuardiansNotClaimed],
    ['archived-guardians', 'Archived guardians', t.archivedGuardians],
  ];
  return `<dl class="totals">
${items.map(([id, label, value]) => `<div class="total" data-total="${id}"><dt>${label}</dt><dd>${formatCount(value)}</dd></div>`).join('\n')}
</dl>`;
}

function renderSchoolRow(school: RosterPageSchool & { readonly counts: RosterPageCounts }, index: number): string {
  const c = school.counts;
  const id = school.name === school.id ? '' : `<span class="school-id mono">${escapeHtml(school.id)}</span>`;
  return `<tr data-school-id="${escapeHtml(school.id)}"><th scope="row"><button type="button" class="school" data-school="${index}">${escapeHtml(school.name)}</button>${id}</th><td class="num">${formatCount(
    c.students,
  )}</td><td class="num">${formatCount(c.studentsWithoutGuardian)}</td><td class="num">${formatCount(c.guardians)}</td><td class="num">${formatCount(c.guardiansWithoutLogin)}</td></tr>`;
}

function renderSchools(data: RosterPageData): string {
  const n = data.schools.length;
  if (n === 0) return '<p class="meta">No schools: the roster holds no students for this district.</p><table id="schools-table" hidden></table>';
  return `<details class="schools"${n <= SCHOOLS_SHOWN_OPEN ? ' open' : ''}>
<summary>Counts per school (${formatCount(n)} ${plural(n, 'school', 'schools')}); choose a school to list its students</summary>
<table id="schools-table">
<thead><tr><th scope="col">School</th><th scope="col" class="num">Students</th><th scope="col" class="num">No guardian</th><th scope="col" class="num">Guardians</th><th scope="col" class="num">No login</th></tr></thead>
<tbody>
${data.schools.map(renderSchoolRow).join('\n')}
</tbody>
</table>
</details>`;
}

function renderPager(id: string): string {
  return `<nav class="pager" id="${id}" aria-label="Pages" hidden><button type="button" data-go="first">First</button><button type="button" data-go="previous">Previous</button><span class="page"></span><button type="button" data-go="next">Next</button><button type="button" data-go="last">Last</button></nav>`;
}
