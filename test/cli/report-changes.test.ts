// Issue 14, part 2, through the CLI in child processes: a sync's report says what changed.
// report.json and `--json` list the changes by kind, line and account id, with the field
// names of an update and never a name or a contact; report.html shows them with the
// guardians' names; the text summary shows the first 20 of each kind and counts the rest.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, ORGS_CSV, USERS_CSV, type CliWorkspace } from './cli-fixtures.js';
import { syncReportShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

let ws: CliWorkspace;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone';
/** 25 guardians of the ten students (line i + 2 is guardian G(i+1)); G5 is teacher Tina, already in the roster. */
const ROWS = Array.from({ length: 25 }, (_, i) =>
  i === 4 ? 'S5,G5,Tina,Teacher,tina@school.example,202-555-0101' : `S${(i % 10) + 1},G${i + 1},Parent${i + 1},Family,parent${i + 1}@mail.example,`,
);
/** Day 2: G3 has a new email and mobile, G7's row is gone. */
const DAY2_ROWS = ROWS.filter((r) => !r.startsWith('S7,G7,')).map((r) => (r.startsWith('S3,G3,') ? 'S3,G3,Parent3,Family,new3@mail.example,(202) 555-0133' : r));

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', ORGS_CSV);
  await ws.write('users.csv', USERS_CSV);
  await ws.write('day1.csv', [HEADER, ...ROWS].join('\n'));
  await ws.write('day2.csv', [HEADER, ...DAY2_ROWS].join('\n'));
  expect((await cli(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv'])).code).toBe(0);
}, 60_000);
afterAll(() => ws.cleanup());

describe('issue 14, part 2: the report shows what changed', () => {
  it('a dry run prints the first 20 changes of each kind by line and account id, then how many more; no name, no contact', async () => {
    const result = await cli(['sync', '--db', 'roster.sqlite', '--file', 'day1.csv', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stderr;
    expect(text).toContain('Changes   50 (dry run: what a real run would change); by line and account id (report.html has names)');
    expect(text).toMatch(/\n {2}Accounts created {2}×24\n(?: {4}line \d+ +\S+\n){20} {4}… and 4 more\n/);
    expect(text).toMatch(/\n {2}Guardian roles added {2}×1\n {4}line 6 +\S+\n/);
    expect(text).toMatch(/\n {2}Links added {2}×25\n {4}line 2 +\S+ {2}student S1\n/);
    expect(text).not.toMatch(/Parent\d|Tina|@mail\.example|@school\.example/);
  });

  it('report.json and --json list every change without names or contacts; report.html shows them with names', async () => {
    const result = await cli(['sync', '--db', 'roster.sqlite', '--file', 'day1.csv', '--json', '--report', 'day1']);
    expect(result.code, result.stderr).toBe(0);
    const report = syncReportShape.parse(singleJson(result));
    const json = await readFile(ws.path('day1/report.json'), 'utf8');
    expect(JSON.parse(json)).toEqual(JSON.parse(result.stdout));
    expect(report.changeFields).toEqual(['kind', 'lines', 'accountId', 'fields', 'studentSisId']);
    const changes = report.changes ?? [];
    expect(changes.filter((c) => c.kind === 'created')).toHaveLength(report.counts.accountsCreated);
    expect(changes.filter((c) => c.kind === 'linked').map((c) => [c.lines, c.studentSisId])).toEqual(ROWS.map((row, i) => [[i + 2], row.split(',')[0]]));
    // In line order: each row's account first, then its link.
    expect(changes.slice(0, 4).map((c) => `${c.kind} ${c.lines.join(',')}`)).toEqual(['created 2', 'linked 2', 'created 3', 'linked 3']);
    for (const text of [result.stdout, json]) expect(text).not.toMatch(/Parent\d|Tina|@mail\.example|@school\.example|555-01|\+1202555/);

    const html = await readFile(ws.path('day1/report.html'), 'utf8');
    expect(html).toContain('<section id="changes" data-state="static"><h2>Changes</h2>');
    expect(html).toContain('<summary><strong>Accounts created</strong> <span class="group-count">×24</span></summary>');
    const tina = changes.find((c) => c.kind === 'role-added')!;
    expect(html).toContain(`<tr><td class="num">6</td><td>Tina Teacher</td><td class="mono">${tina.accountId}</td></tr>`);
    expect(html).toContain('<td>Parent1 Family</td>');
    // Names only: no contact value of a guardian anywhere in the page.
    expect(html).not.toMatch(/@mail\.example|@school\.example|555-01|\+1202555/);
  });

  it('day 2: an update names the fields it changed (not their values), a dropped row its link removed', async () => {
    const result = await cli(['sync', '--db', 'roster.sqlite', '--file', 'day2.csv', '--max-removal', '50', '--report', 'day2']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\n {2}Accounts updated {2}×1\n {4}line 4 +\S+ {2}email, mobilePhone\n/);
    expect(result.stderr).toMatch(/\n {2}Links removed {2}×1\n {4}\(no line\) +\S+ {2}student S7\n/);
    expect(result.stderr).not.toMatch(/new3|555-01|\+1202555/);
    const report = syncReportShape.parse(JSON.parse(await readFile(ws.path('day2/report.json'), 'utf8')));
    expect(report.changes?.map(({ accountId: _id, ...c }) => c)).toEqual([
      { kind: 'updated', lines: [4], fields: ['email', 'mobilePhone'] },
      // No line asks for these: they come last, in kind order.
      { kind: 'archived', lines: [] },
      { kind: 'unlinked', lines: [], studentSisId: 'S7' },
    ]);
    const html = await readFile(ws.path('day2/report.html'), 'utf8');
    expect(html).toMatch(/<tr><td class="num">4<\/td><td>Parent3 Family<\/td><td class="mono">[^<]+<\/td><td>email, mobilePhone<\/td><\/tr>/);
    expect(html).toMatch(/<tr><td class="num">—<\/td><td>Parent7 Family<\/td><td class="mono">[^<]+<\/td><td>S7<\/td><\/tr>/);
    expect(html).not.toMatch(/new3@|555-01|\+1202555/);
  });
});
