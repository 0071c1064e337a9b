// `guardian-sync export --html <file>` end to end in child processes against a SQLite roster:
// the family roster page is written (atomically, readable by its owner only) with the
// district's schools by name, its students and guardians; markup in a guardian's name from
// the guardian file stays text; `--json` still prints exactly the export; a path that cannot
// take the page is a usage error before the roster is read; and one district of several
// needs --org.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterPageDocument } from '../../src/report/roster-page-data.js';
import { createWorkspace, GUARDIAN_ROWS, ORGS_CSV, orgsCsv, studentUser, USERS_CSV, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { errorShape, rosterExportShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

const HOSTILE_FIRST = '<script>alert(1)</script>';
const HOSTILE_LAST = '"onmouseover="alert(2)';

let ws: CliWorkspace;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

/** The JSON element `id` of a written page. */
function pageJson(html: string, id: string): RosterPageDocument {
  const match = html.match(new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`));
  if (match === null) throw new Error(`no #${id} in the page`);
  return JSON.parse(match[1] ?? '') as RosterPageDocument;
}

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  // Day 1 of the CLI fixtures, with student S10's guardian renamed to markup.
  const rows = GUARDIAN_ROWS.map((row) => (row.startsWith('S10,') ? `S10,G10,${HOSTILE_FIRST},"""onmouseover=""alert(2)",parent10@mail.example,` : row));
  await ws.write('guardians.csv', ['studentSisId,guardianSisId,firstName,lastName,email,mobilePhone', ...rows].join('\n'));
  expect((await cli(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv'])).code).toBe(0);
  const synced = await cli(['sync', '--db', 'roster.sqlite', '--file', 'guardians.csv']);
  expect(synced.code, synced.stderr).toBe(0);
});
afterAll(() => ws.cleanup());

describe('guardian-sync export --html', () => {
  it('writes the family roster page and says who may read it', async () => {
    const result = await cli(['export', '--db', 'roster.sqlite', '--html', 'family-roster.html']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Roster of district D1: \d+ accounts \(10 active guardians\), 10 students$/m);
    expect(result.stderr).toMatch(/^Family roster page of district D1 written: family-roster\.html \([\d.]+ KiB, 10 students\)\.$/m);
    expect(result.stderr).toContain('give it only to district staff who may see this district');
    expect(result.stderr).toContain('never to parents');
    // The page replaces the account-by-account text.
    expect(result.stderr).not.toContain('roles: guardian');

    const html = await readFile(ws.path('family-roster.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-`);
    expect(html).toMatch(/Exported \d{4}-\d\d-\d\dT/);
    // Schools by their names from orgs.csv, with their counts (6 and 4 students, one guardian each).
    expect(html).toMatch(/<tr data-school-id="SA"><th scope="row"><button type="button" class="school" data-school="\d">Maple Elementary<\/button><span class="school-id mono">SA<\/span><\/th><td class="num">6<\/td><td class="num">0<\/td><td class="num">6<\/td><td class="num">0<\/td><\/tr>/);
    expect(html).toContain('>Maple Middle</button>');
    const doc = pageJson(html, 'roster-data');
    expect(doc.students.sisId).toHaveLength(10);
    expect(doc.schools.name).toEqual(['Maple Elementary', 'Maple Middle']);
    // Teacher Tina is also guardian G5: listed with both roles. Teacher Tom, staff only, is not a guardian.
    const tina = doc.guardians.firstName.indexOf('Tina');
    expect(doc.guardians.roles[tina]?.map(([role]) => doc.roleNames[role])).toEqual(['guardian', 'staff']);
    expect(doc.guardians.firstName).not.toContain('Tom');
  });

  it('keeps markup from the guardian file as text: escaped in the JSON, never in the markup', async () => {
    expect((await cli(['export', '--db', 'roster.sqlite', '--html', 'hostile.html'])).code).toBe(0);
    const html = await readFile(ws.path('hostile.html'), 'utf8');
    const doc = pageJson(html, 'roster-data');
    expect(doc.guardians.firstName).toContain(HOSTILE_FIRST);
    expect(doc.guardians.lastName).toContain(HOSTILE_LAST);
    expect(html).not.toContain(HOSTILE_FIRST);
    expect(html).not.toContain('onmouseover="');
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('writes the file for its owner only, replacing an earlier page, and leaves no temporary file', async () => {
    await mkdir(ws.path('pages'), { recursive: true });
    for (let i = 0; i < 2; i++) expect((await cli(['export', '--db', 'roster.sqlite', '--html', 'pages/roster.html'])).code).toBe(0);
    if (process.platform !== 'win32') expect((await stat(ws.path('pages/roster.html'))).mode & 0o777).toBe(0o600);
    expect(await readdir(ws.path('pages'))).toEqual(['roster.html']);
  });

  it('creates a missing folder for the page', async () => {
    const result = await cli(['export', '--db', 'roster.sqlite', '--html', 'new/folder/roster.html']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(ws.path('new/folder/roster.html'))).toBe(true);
  });

  it('prints exactly the export JSON on stdout with --json, and writes the page too', async () => {
    const result = await cli(['export', '--db', 'roster.sqlite', '--json', '--html', 'with-json.html']);
    expect(result.code, result.stderr).toBe(0);
    const roster = rosterExportShape.parse(singleJson(result));
    expect(roster.districtId).toBe('D1');
    expect(roster.students).toHaveLength(10);
    expect(result.stderr).toContain('Family roster page of district D1 written: with-json.html');
    expect(pageJson(await readFile(ws.path('with-json.html'), 'utf8'), 'roster-data').students.sisId.toSorted()).toEqual(roster.students.map((s) => s.sisId).toSorted());
  });

  it('refuses a folder, an empty path or an unwritable place before reading the roster (exit 2)', async () => {
    await mkdir(ws.path('a-folder'), { recursive: true });
    const folder = await cli(['export', '--db', 'roster.sqlite', '--html', 'a-folder']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('--html a-folder is a folder: give a file name for the page');
    const empty = await cli(['export', '--db', 'roster.sqlite', '--html', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--html needs a file name');
    // Checked before the roster: a roster that does not exist is not what the message is about.
    const below = await cli(['export', '--db', 'missing.sqlite', '--html', 'users.csv/roster.html', '--json']);
    expect(below.code).toBe(2);
    expect(below.stderr).toContain('--html users.csv/roster.html: its folder could not be created');
    expect(errorShape.parse(singleJson(below)).error.code).toBe('INVALID_CONFIGURATION');
  });

  it('needs --org when the roster holds several districts, and writes nothing without it', async () => {
    await ws.write('d2-orgs.csv', orgsCsv({ D2: ['SZ'] }));
    await ws.write('d2-users.csv', [USERS_HEADER, studentUser('Z1', 'SZ', 'Zoë', 'Zed')].join('\n'));
    expect((await cli(['roster', 'import', '--db', 'roster.sqlite', 'd2-users.csv', 'd2-orgs.csv'])).code).toBe(0);
    const without = await cli(['export', '--db', 'roster.sqlite', '--html', 'two.html']);
    expect(without.code).toBe(2);
    expect(existsSync(ws.path('two.html'))).toBe(false);
    const d2 = await cli(['export', '--db', 'roster.sqlite', '--org', 'D2', '--html', 'd2.html']);
    expect(d2.code, d2.stderr).toBe(0);
    const doc = pageJson(await readFile(ws.path('d2.html'), 'utf8'), 'roster-data');
    expect(doc.students.sisId).toEqual(['Z1']);
    expect(doc.schools.name).toEqual(['School SZ']);
    expect(doc.guardians.firstName).toEqual([]);
  });
});
