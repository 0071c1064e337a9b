// `npm run demo` works: the demo runs every step with the exit code it expects, prints the
// final export, adds a second district to the same roster (reused SIS ids, one shared
// parent), and leaves the roster, both districts' exports and report.html behind. It runs in
// a temp folder so a developer's own .demo/ is left alone.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterExportShape } from '../cli/json-shapes.js';
import { runExample, type ExampleResult } from './run-example.js';

let dir: string;
let result: ExampleResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guardian-sync-demo-'));
  result = await runExample('demo.ts', { GUARDIAN_SYNC_DEMO_DIR: join(dir, 'demo') });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  it('runs every step with its expected exit code', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Expected exit code');
    for (const step of ['validate', 'roster import', 'sync', 'runs']) expect(result.stderr).toContain(`$ guardian-sync ${step}`);
    expect(result.stderr).toContain('--dry-run');
  });

  it('shows the day-2 story: the Windows-1252 file, the bad row, the unknown student, the threshold held', () => {
    expect(result.stderr).toMatch(/Encoding\s+windows-1252/);
    expect(result.stderr).toContain('WRONG_FIELD_COUNT');
    expect(result.stderr).toContain('UNKNOWN_STUDENT');
    expect(result.stderr).toContain('Dry run');
  });

  it('prints the final export, with the accounts day 2 changed', async () => {
    expect(result.stderr).toContain('The roster export of district D100');
    expect(result.stderr).toMatch(/Roster of district D100: \d+ accounts \(\d+ active guardians\), 300 students/);
    expect(result.stderr).toContain('Siobhán O’Neill');
    expect(result.stderr).toMatch(/roles: guardian G9002; staff T005/);
    const roster = rosterExportShape.parse(JSON.parse(await readFile(join(dir, 'demo', 'export-D100.json'), 'utf8')));
    const siobhan = roster.accounts.find((a) => a.roles.some((r) => r.sisIds.includes('G9001')));
    expect(siobhan).toMatchObject({ firstName: 'Siobhán', lastName: 'O’Neill', email: 'siobhan.oneill@mail.example' });
  });

  it('adds a second district to the same roster: equal SIS ids stay apart, the shared parent is one account in both views', async () => {
    expect(result.stderr).toContain('$ guardian-sync sync --db');
    expect(result.stderr).toContain('--org D200');
    expect(result.stderr).toMatch(/2 districts \(D100, D200\): choose one with --org <id>/);
    expect(result.stderr).toMatch(/Roster of district D200: \d+ accounts \(\d+ active guardians\), 12 students/);
    const read = async (name: string) => rosterExportShape.parse(JSON.parse(await readFile(join(dir, 'demo', name), 'utf8')));
    const [first, second] = [await read('export-D100.json'), await read('export-D200.json')];
    expect(second.students).toHaveLength(12);
    // Student 100001, guardian G1000 and staff T001 are different people in each district.
    const student = (roster: typeof first) => roster.students.find((s) => s.sisId === '100001');
    expect(student(first)?.schoolId).not.toBe(student(second)?.schoolId);
    expect(student(first)?.firstName).not.toBe(student(second)?.firstName);
    const holder = (roster: typeof first, role: string, id: string) => roster.accounts.filter((a) => a.roles.some((r) => r.role === role && r.sisIds.includes(id)));
    for (const [role, id] of [['guardian', 'G1000'], ['staff', 'T001']] as const) {
      expect(holder(first, role, id), `${role} ${id} in D100`).toHaveLength(1);
      expect(holder(second, role, id), `${role} ${id} in D200`).toHaveLength(1);
      expect(holder(first, role, id)[0]?.id).not.toBe(holder(second, role, id)[0]?.id);
    }
    expect(holder(second, 'guardian', 'G1000')[0]?.students).toEqual(['100001', '100002']);
    // The shared parent: the same account in both views, a guardian in each, each view with its own student.
    const sharedIds = new Set(first.accounts.map((a) => a.id));
    const shared = second.accounts.filter((a) => sharedIds.has(a.id));
    expect(shared).toHaveLength(1);
    expect(shared[0]?.roles).toEqual([{ role: 'guardian', sisIds: ['G1007'], status: 'active' }]);
    expect(shared[0]?.students).toEqual(['100012']);
    const inFirst = first.accounts.find((a) => a.id === shared[0]?.id);
    expect(inFirst?.roles.map((r) => r.role)).toEqual(['guardian']);
    expect(inFirst?.students.length).toBeGreaterThan(0);
    expect(inFirst?.students).not.toContain('100012');
    expect(result.stderr).toContain('is one account in both views (same id)');
  });

  it('leaves the roster database, both exports and the day-2 report files', () => {
    for (const file of ['roster.sqlite', 'export-D100.json', 'export-D200.json', 'report/report.html', 'report/report.json', 'report/issues.csv', 'family-roster-D100.html']) {
      expect(existsSync(join(dir, 'demo', file)), file).toBe(true);
    }
  });
});
