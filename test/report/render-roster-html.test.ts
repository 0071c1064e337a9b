// The family roster page (`export --html`) as text: every tag and attribute is the
// renderer's own (no user value opens a tag, ends an attribute or closes a script element),
// the CSP allows exactly the page's style and script by hash, the embedded JSON gives back the
// roster's values unchanged, and the counts, order and first page are right. The page in a
// real browser is render-roster-html-browser.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExportedAccount, RosterExport } from '../../src/contracts/roster-store.js';
import { stringifyScriptJson } from '../../src/report/escape-script-json.js';
import { renderRosterHtml, ROSTER_HTML_CSP } from '../../src/report/render-roster-html.js';
import { buildRosterPageData, firstStudentsDocument, type RosterPageDocument } from '../../src/report/roster-page-data.js';

const HOSTILE_STUDENT_FIRST = '<script>alert(1)</script>';
const HOSTILE_STUDENT_LAST = '</script><script>alert(2)</script><!--';
const HOSTILE_GUARDIAN_FIRST = '"onmouseover="alert(3)';
const HOSTILE_GUARDIAN_LAST = `x'><img src=x onerror=alert(4)>`;
const HOSTILE_EMAIL = '"><svg onload=alert(5)>@evil.example';
const HOSTILE_SCHOOL = `<b>Birch</b> "Middle" & 'Co'`;
const HOSTILE_DISTRICT = 'D1"><script>alert(6)</script>';

function account(id: string, fields: Partial<ExportedAccount>): ExportedAccount {
  return {
    id,
    firstName: 'First',
    lastName: 'Last',
    email: `${id.toLowerCase()}@mail.example`,
    mobilePhone: null,
    homePhone: null,
    language: 'en',
    claimed: false,
    roles: [{ role: 'guardian', sisIds: [`G-${id}`], status: 'active' }],
    students: [],
    ...fields,
  };
}

/**
 * Two schools with students and one without. School SA: S3 (hostile names), S2 Álvarez, S4
 * Brown (no guardian), S1 García; school SB: S5 and S6 Stone. A1 is a guardian in both
 * schools, A3 has no login, A4 is also staff, A5 is archived, A6 is staff only, A7 is an
 * active guardian linked to no student.
 */
const ROSTER: RosterExport = {
  formatVersion: 1,
  districtId: HOSTILE_DISTRICT,
  students: [
    { sisId: 'S1', schoolId: 'SA', firstName: 'Mia', lastName: 'García' },
    { sisId: 'S2', schoolId: 'SA', firstName: 'Ana', lastName: 'Álvarez' },
    { sisId: 'S3', schoolId: 'SA', firstName: HOSTILE_STUDENT_FIRST, lastName: HOSTILE_STUDENT_LAST },
    { sisId: 'S4', schoolId: 'SA', firstName: 'Leo', lastName: 'Brown' },
    { sisId: 'S5', schoolId: 'SB"><b>', firstName: 'Eva', lastName: 'Stone' },
    { sisId: 'S6', schoolId: 'SB"><b>', firstName: 'Tom', lastName: 'Stone' },
  ],
  accounts: [
    account('A1', { firstName: 'Rosa', lastName: 'García', mobilePhone: '+16175550101', language: 'es', claimed: true, students: ['S1', 'S5'] }),
    account('A2', {
      firstName: HOSTILE_GUARDIAN_FIRST,
      lastName: HOSTILE_GUARDIAN_LAST,
      email: HOSTILE_EMAIL,
      language: '<i>en</i>',
      roles: [{ role: 'guardian', sisIds: ['G2"><b>'], status: 'active' }],
      students: ['S1', 'S3'],
    }),
    account('A3', { firstName: 'Ana', lastName: 'Álvarez', email: null, mobilePhone: null, language: null, students: ['S2'] }),
    account('A4', {
      firstName: 'Tim',
      lastName: 'Stone',
      claimed: true,
      roles: [
        { role: 'guardian', sisIds: ['G4'], status: 'active' },
        { role: 'staff', sisIds: ['T1'], status: 'active' },
      ],
      students: ['S5', 'S6'],
    }),
    account('A5', { firstName: 'Olga', lastName: 'Parent', roles: [{ role: 'guardian', sisIds: ['G5'], status: 'archived' }] }),
    account('A6', { firstName: 'Tess', lastName: 'Teacher', roles: [{ role: 'staff', sisIds: ['T2'], status: 'active' }] }),
    account('A7', { firstName: 'Lou', lastName: 'Lonely' }),
  ],
};

const SCHOOLS = [
  { id: 'SA', name: 'Maple Elementary' },
  { id: 'SB"><b>', name: HOSTILE_SCHOOL },
  { id: 'SC', name: 'Cedar High' },
];

const html = renderRosterHtml(ROSTER, { schools: SCHOOLS, exportedAt: '2026-12-01T08:00:00.000Z"><b>', title: `Roster <script>alert(7)</script>` });

// ---------------------------------------------------------------------------------------
// A strict reader of the page: tags and attributes from the renderer's vocabulary only,
// every attribute value quoted and free of markup characters, no `<` or `>` in text, and
// script and style contents returned raw for their own checks.

const TAGS = new Set([
  '!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'h1', 'h2', 'p', 'span', 'strong',
  'code', 'dl', 'dt', 'dd', 'div', 'details', 'summary', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'button', 'label', 'input', 'select',
  'option', 'ol', 'nav', 'noscript', 'script',
]);
const ATTRIBUTES = /^(html|lang|charset|http-equiv|content|name|id|class|role|type|scope|hidden|open|value|autocomplete|spellcheck|placeholder|aria-[a-z]+|data-[a-z-]+)$/;

interface Page {
  readonly tags: { readonly name: string; readonly attributes: ReadonlyMap<string, string> }[];
  readonly text: string;
  readonly scripts: { readonly type: string | undefined; readonly id: string | undefined; readonly body: string }[];
  readonly styles: string[];
}

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function readPage(page: string): Page {
  const tags: Page['tags'] = [];
  const texts: string[] = [];
  const scripts: Page['scripts'][number][] = [];
  const styles: string[] = [];
  const tagPattern = /<(\/?)(!doctype|[a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/giy;
  let pos = 0;
  while (pos < page.length) {
    const lt = page.indexOf('<', pos);
    const chunk = page.slice(pos, lt === -1 ? page.length : lt);
    if (chunk.includes('>')) throw new Error(`stray '>' in text: ${JSON.stringify(chunk.slice(0, 80))}`);
    texts.push(chunk);
    if (lt === -1) break;
    tagPattern.lastIndex = lt;
    const m = tagPattern.exec(page);
    if (m === null) throw new Error(`not a tag of the page at ${lt}: ${JSON.stringify(page.slice(lt, lt + 80))}`);
    const name = (m[2] ?? '').toLowerCase();
    if (!TAGS.has(name)) throw new Error(`unexpected tag <${name}>`);
    const attributes = new Map<string, string>();
    for (const a of (m[3] ?? '').matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)) {
      const attr = (a[1] ?? '').toLowerCase();
      if (!ATTRIBUTES.test(attr)) throw new Error(`unexpected attribute ${attr} on <${name}>`);
      attributes.set(attr, decode(a[2] ?? ''));
    }
    tags.push({ name, attributes });
    pos = lt + m[0].length;
    if (m[1] !== '/' && (name === 'script' || name === 'style')) {
      // Raw text: it ends at the first `</script` or `</style`, whatever it means.
      const end = page.toLowerCase().indexOf(`</${name}`, pos);
      if (end === -1) throw new Error(`unclosed <${name}>`);
      const body = page.slice(pos, end);
      if (name === 'style') styles.push(body);
      else scripts.push({ type: attributes.get('type'), id: attributes.get('id'), body });
      pos = end;
    }
  }
  return { tags, text: decode(texts.join('')), scripts, styles };
}

const page = readPage(html);
const scriptJson = (id: string): RosterPageDocument => {
  const body = page.scripts.find((s) => s.id === id)?.body;
  if (body === undefined) throw new Error(`no script #${id}`);
  return JSON.parse(body) as RosterPageDocument;
};
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

describe('renderRosterHtml: safety', () => {
  it('uses only its own tags and attributes: no user value opens a tag or an attribute', () => {
    // readPage throws on any other tag, attribute, unquoted value or stray `<` / `>`.
    expect(page.tags.length).toBeGreaterThan(50);
    for (const tag of page.tags) for (const name of tag.attributes.keys()) expect(name).not.toMatch(/^on/);
    expect(page.tags.filter((t) => t.name === 'script').length).toBe(6); // three opened, three closed
  });

  it('shows hostile values as text, escaped in elements and attributes', () => {
    expect(page.text).toContain(HOSTILE_SCHOOL);
    expect(html).toContain('&lt;b&gt;Birch&lt;/b&gt; &quot;Middle&quot; &amp; &#39;Co&#39;');
    expect(page.text).toContain('Roster <script>alert(7)</script>');
    expect(page.text).toContain(HOSTILE_DISTRICT);
    expect(page.text).toContain('Exported 2026-12-01T08:00:00.000Z"><b>.');
    const row = page.tags.find((t) => t.name === 'tr' && t.attributes.has('data-school-id') && t.attributes.get('data-school-id') === 'SB"><b>');
    expect(row, 'the school row keeps its id, escaped in the attribute').toBeDefined();
    expect(html).toContain('data-school-id="SB&quot;&gt;&lt;b&gt;"');
  });

  it('embeds the roster as JSON no user value can end: no `<`, `>` or `&`, and it parses back to the same values', () => {
    const data = page.scripts.filter((s) => s.type === 'application/json');
    expect(data.map((s) => s.id)).toEqual(['roster-first', 'roster-data']);
    for (const { body } of data) expect(body).not.toMatch(/[<>&\u2028\u2029]/);
    const doc = scriptJson('roster-data');
    expect(doc.students.firstName).toContain(HOSTILE_STUDENT_FIRST);
    expect(doc.students.lastName).toContain(HOSTILE_STUDENT_LAST);
    expect(doc.guardians.firstName).toContain(HOSTILE_GUARDIAN_FIRST);
    expect(doc.guardians.lastName).toContain(HOSTILE_GUARDIAN_LAST);
    expect(doc.guardians.email).toContain(HOSTILE_EMAIL);
    expect(doc.guardians.language).toContain('<i>en</i>');
    expect(doc.schools.name).toContain(HOSTILE_SCHOOL);
    expect(doc.guardians.roles.flat(2)).toContain('G2"><b>');
  });

  it('sets a CSP that loads nothing and runs only the page’s own style and script, by hash', () => {
    const meta = page.tags.find((t) => t.name === 'meta' && t.attributes.get('http-equiv') === 'Content-Security-Policy');
    const csp = meta?.attributes.get('content') ?? '';
    expect(csp).toBe(ROSTER_HTML_CSP);
    const directives = new Map(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe');
    const code = page.scripts.filter((s) => s.type === undefined);
    expect(code).toHaveLength(1);
    expect(directives.get('script-src')).toEqual([`'sha256-${sha256(code[0]?.body ?? '')}'`]);
    expect(page.styles).toHaveLength(1);
    expect(directives.get('style-src')).toEqual([`'sha256-${sha256(page.styles[0] ?? '')}'`]);
    // Nothing to load: no tag has a src, href, action or style attribute (readPage allows none;
    // the same words inside the escaped JSON are data, and hostile on purpose).
    for (const tag of page.tags) for (const name of tag.attributes.keys()) expect(name).not.toMatch(/^(src|href|action|formaction|style|srcset)$/);
    expect(page.tags.map((t) => t.name)).not.toContain('link');
  });

  it('puts the script after the first-page data and before the whole roster, which it reads once parsed', () => {
    const order = page.scripts.map((s) => s.id ?? 'code');
    expect(order).toEqual(['roster-first', 'code', 'roster-data']);
    expect(page.scripts[1]?.body).not.toContain('innerHTML');
  });
});

describe('renderRosterHtml: counts and order', () => {
  const data = buildRosterPageData(ROSTER, SCHOOLS);

  it('counts per school: students, students with no guardian, distinct guardians, guardians with no login', () => {
    const counts = Object.fromEntries(data.schools.map((s) => [s.id, s.counts]));
    expect(counts).toEqual({
      SA: { students: 4, studentsWithoutGuardian: 1, guardians: 3, guardiansWithoutLogin: 1 },
      'SB"><b>': { students: 2, studentsWithoutGuardian: 0, guardians: 2, guardiansWithoutLogin: 0 },
      SC: { students: 0, studentsWithoutGuardian: 0, guardians: 0, guardiansWithoutLogin: 0 },
    });
  });

  it('counts the district: a guardian of two schools once, unlinked and archived guardians apart, staff-only accounts not at all', () => {
    expect(data.totals).toEqual({
      students: 6,
      studentsWithoutGuardian: 1,
      guardians: 4,
      guardiansWithoutLogin: 1,
      activeGuardians: 5,
      activeGuardiansWithoutLogin: 1,
      activeGuardiansNotClaimed: 3,
      archivedGuardians: 1,
    });
    expect(data.document.guardians.firstName).not.toContain('Tess');
  });

  it('prints the counts in the page: the district, each school row, and each filter', () => {
    const total = (id: string): string | undefined => html.match(new RegExp(`data-total="${id}"><dt>[^<]*</dt><dd>([^<]*)</dd>`))?.[1];
    expect([total('students'), total('students-without-guardian'), total('guardians'), total('guardians-without-login'), total('guardians-not-claimed'), total('archived-guardians')]).toEqual([
      '6', '1', '5', '1', '3', '1',
    ]);
    const row = (id: string): string[] => [...(html.match(new RegExp(`<tr data-school-id="${id}">.*?</tr>`))?.[0] ?? '').matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1] ?? '');
    expect(row('SA')).toEqual(['4', '1', '3', '1']);
    expect(row('SB&quot;&gt;&lt;b&gt;')).toEqual(['2', '0', '2', '0']);
    expect(row('SC')).toEqual(['0', '0', '0', '0']);
    expect(page.text).toContain('Students with no guardian (1)');
    expect(page.text).toContain('Guardians with no login: no email, no mobile (1)');
    expect(page.text).toContain('Archived guardians (1)');
    expect(page.text).toContain('Maple Elementary (4)');
  });

  it('orders schools by name, students by school then last and first name (accents folded), and each student’s guardians by name', () => {
    const doc = data.document;
    expect(doc.schools.id).toEqual(['SB"><b>', 'SC', 'SA']);
    expect(doc.students.sisId).toEqual(['S5', 'S6', 'S3', 'S2', 'S4', 'S1']);
    const guardiansOf = (sisId: string): string[] => {
      const i = doc.students.sisId.indexOf(sisId);
      const from = doc.students.guardianCount.slice(0, i).reduce((a, b) => a + b, 0);
      return doc.students.guardians.slice(from, from + (doc.students.guardianCount[i] ?? 0)).map((g) => doc.guardians.lastName[g] ?? '');
    };
    expect(guardiansOf('S1')).toEqual(['García', HOSTILE_GUARDIAN_LAST]);
    expect(guardiansOf('S5')).toEqual(['García', 'Stone']);
    expect(guardiansOf('S4')).toEqual([]);
    expect(doc.guardians.lastName).toEqual(['Álvarez', 'García', 'Lonely', 'Parent', 'Stone', HOSTILE_GUARDIAN_LAST]);
  });

  it('keeps roles, claimed and contacts as stored', () => {
    const doc = data.document;
    const g = doc.guardians.lastName.indexOf('Stone');
    expect(doc.guardians.roles[g]?.map(([role, status, ...ids]) => [doc.roleNames[role], doc.statusNames[status], ...ids])).toEqual([
      ['guardian', 'active', 'G4'],
      ['staff', 'active', 'T1'],
    ]);
    expect(doc.guardians.claimed[g]).toBe(1);
    const archived = doc.guardians.lastName.indexOf('Parent');
    expect(doc.statusNames[doc.guardians.roles[archived]?.[0]?.[1] ?? -1]).toBe('archived');
    const noLogin = doc.guardians.lastName.indexOf('Álvarez');
    expect([doc.guardians.email[noLogin], doc.guardians.mobilePhone[noLogin], doc.guardians.language[noLogin]]).toEqual([null, null, null]);
    expect(doc.guardians.mobilePhone[doc.guardians.lastName.indexOf('García')]).toBe('+16175550101');
  });
});

describe('renderRosterHtml: the first page', () => {
  it('embeds the first page of students with their guardians only, equal to the first page of the whole roster', () => {
    const small = renderRosterHtml(ROSTER, { schools: SCHOOLS, pageSize: 3 });
    expect(small).toContain('data-page-size="3"');
    expect(small).toContain('data-students="6"');
    const read = readPage(small);
    const json = (id: string): RosterPageDocument => JSON.parse(read.scripts.find((s) => s.id === id)?.body ?? 'null') as RosterPageDocument;
    const [first, whole] = [json('roster-first'), json('roster-data')];
    expect(first.students.sisId).toEqual(whole.students.sisId.slice(0, 3));
    const names = (doc: RosterPageDocument, count: number): string[][] => {
      const out: string[][] = [];
      let k = 0;
      for (let i = 0; i < count; i++) {
        const n = doc.students.guardianCount[i] ?? 0;
        out.push(doc.students.guardians.slice(k, k + n).map((g) => `${doc.guardians.firstName[g]} ${doc.guardians.lastName[g]} ${doc.guardians.email[g]}`));
        k += n;
      }
      return out;
    };
    expect(names(first, 3)).toEqual(names(whole, 3));
    // Only the guardians of those students: S5, S6 and S3 have A1, A4 and A2.
    expect(first.guardians.lastName).toEqual(['García', 'Stone', HOSTILE_GUARDIAN_LAST]);
  });

  it('holds every student when they fit on one page, and the guardians linked to them only', () => {
    const doc = buildRosterPageData(ROSTER, SCHOOLS).document;
    const first = firstStudentsDocument(doc, 50);
    expect(first.students.sisId).toEqual(doc.students.sisId);
    expect(first.students.guardianCount).toEqual(doc.students.guardianCount);
    expect(first.students.guardians.map((g) => first.guardians.email[g])).toEqual(doc.students.guardians.map((g) => doc.guardians.email[g]));
    // Lonely (active, no student) and Parent (archived) wait for the whole roster.
    expect(first.guardians.lastName).toEqual(['Álvarez', 'García', 'Stone', HOSTILE_GUARDIAN_LAST]);
  });
});

describe('renderRosterHtml: edges', () => {
  it('names a student’s school by its id when the school list does not have it, and needs no list at all', () => {
    const doc = buildRosterPageData(ROSTER).document;
    expect(doc.schools).toEqual({ id: ['SA', 'SB"><b>'], name: ['SA', 'SB"><b>'] });
  });

  it('renders a district without students or guardians', () => {
    const empty = renderRosterHtml({ formatVersion: 1, districtId: 'D0', accounts: [], students: [] });
    const read = readPage(empty);
    expect(read.text).toContain('No schools: the roster holds no students for this district.');
    expect(read.text).toContain('All students (0)');
    expect(JSON.parse(read.scripts.find((s) => s.id === 'roster-data')?.body ?? '')).toMatchObject({ students: { sisId: [] }, guardians: { firstName: [] } });
  });

  it('says who the page is for', () => {
    expect(page.text).toContain("Confidential: guardians' names, emails and mobile numbers.");
    expect(page.text).toContain('For district staff who may see this district');
    expect(page.text).toContain('do not send it to parents');
  });
});

describe('stringifyScriptJson', () => {
  it('writes markup characters and line separators as \\u escapes and parses back to the same value', () => {
    const value = { a: '</script><!-- <script>', b: 'x & y > z', c: 'line\u2028para\u2029end', d: ['"quoted"', "'single'"] };
    const text = stringifyScriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('refuses a value with no JSON form', () => {
    expect(() => stringifyScriptJson(undefined)).toThrow(TypeError);
  });
});
