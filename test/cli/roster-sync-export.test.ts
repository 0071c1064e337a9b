// `roster import`, `sync`, `export` and `runs` end to end in child processes against SQLite
// roster files: exit codes 0 / 1 / 2 / 3, every --json output checked against the documented
// shape, report files, and the same file run twice changing nothing. Each test works on its
// own copy of a roster prepared once (imported, or imported and synced on day 1), so no
// test depends on another having run.
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import {
  createWorkspace,
  GUARDIANS_CSV,
  GUARDIANS_MISSING_COLUMN_CSV,
  GUARDIANS_TRUNCATED_CSV,
  GUARDIANS_WITH_ISSUES_CSV,
  ORGS_CSV,
  USERS_CSV,
  type CliWorkspace,
} from './cli-fixtures.js';
import { errorShape, isSortedBy, rosterExportShape, rosterImportShape, runsShape, syncReportShape } from './json-shapes.js';
import { createMemoryIo } from './memory-io.js';
import { ANSI_ESCAPE, runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

let ws: CliWorkspace;
let copies = 0;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

/** A private copy of a prepared roster: `imported` (students and staff) or `day1` (plus the day-1 sync). */
async function rosterCopy(base: 'imported' | 'day1'): Promise<string> {
  const name = `copy-${++copies}.sqlite`;
  // The store closes its database on exit, which checkpoints the WAL into the main file.
  await copyFile(ws.path(`${base}.sqlite`), ws.path(name));
  return name;
}

const syncJson = async (db: string, args: readonly string[]) => {
  const result = await cli(['sync', '--db', db, '--json', ...args]);
  return { result, report: syncReportShape.parse(singleJson(result)) };
};
const exportJson = async (db: string) => rosterExportShape.parse(singleJson(await cli(['export', '--db', db, '--json'])));

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  await ws.write('guardians.csv', GUARDIANS_CSV);
  await ws.write('with-issues.csv', GUARDIANS_WITH_ISSUES_CSV);
  await ws.write('truncated.csv', GUARDIANS_TRUNCATED_CSV);
  await ws.write('missing-column.csv', GUARDIANS_MISSING_COLUMN_CSV);
  expect((await cli(['roster', 'import', '--db', 'imported.sqlite', 'users.csv', 'orgs.csv'])).code).toBe(0);
  await copyFile(ws.path('imported.sqlite'), ws.path('day1.sqlite'));
  expect((await cli(['sync', '--db', 'day1.sqlite', '--file', 'guardians.csv'])).code).toBe(0);
});
afterAll(() => ws.cleanup());

describe('guardian-sync roster import, sync, export, runs', () => {
  it('refuses to sync against a roster database that does not exist (exit 2, no file created)', async () => {
    const result = await cli(['sync', '--db', 'nothing-here.sqlite', '--file', 'guardians.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('roster import');
    expect(existsSync(ws.path('nothing-here.sqlite'))).toBe(false);
  });

  it('imports students, staff and orgs from OneRoster (exit 0, JSON counts), and again in place', async () => {
    const result = await cli(['roster', 'import', '--db', 'fresh/roster.sqlite', 'users.csv', 'orgs.csv', '--json']);
    expect(result.code).toBe(0);
    expect(rosterImportShape.parse(singleJson(result))).toMatchObject({ orgs: 3, students: 10, staffCreated: 2, staffUpdated: 0, districts: ['D1'] });
    const again = await cli(['roster', 'import', '--db', 'fresh/roster.sqlite', 'users.csv', 'orgs.csv']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/Staff\s+0 created, 0 updated/);
    expect(again.stderr).toMatch(/Districts\s+D1\n/);
  });

  it('previews day 1 with --dry-run: the counts of a real run, and nothing changed', async () => {
    const db = await rosterCopy('imported');
    const { result, report } = await syncJson(db, ['--file', 'guardians.csv', '--dry-run']);
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ status: 'succeeded', dryRun: true, scope: { level: 'district', orgId: 'D1' } });
    expect(report.counts).toMatchObject({ rows: 10, accountsCreated: 9, rolesAdded: 1, linksAdded: 10 });
    expect((await exportJson(db)).accounts.filter((a) => a.roles.some((r) => r.role === 'guardian'))).toEqual([]);
  });

  it('syncs day 1 at district level without --org (the only district) and writes the report files', async () => {
    const db = await rosterCopy('imported');
    const { result, report } = await syncJson(db, ['--file', 'guardians.csv', '--report', 'report-day1']);
    expect(result.code).toBe(0);
    expect(report.status).toBe('succeeded');
    expect(report.file).toMatchObject({ name: 'guardians.csv', encoding: 'utf-8', delimiter: ',', rows: 10 });
    expect(report.counts).toMatchObject({ rows: 10, guardians: 10, accountsCreated: 9, rolesAdded: 1, linksAdded: 10, linksRemoved: 0 });
    expect(report.rows).toHaveLength(10);
    expect(result.stderr).toContain('Report written');
    const saved = syncReportShape.parse(JSON.parse(await readFile(ws.path('report-day1/report.json'), 'utf8')));
    expect(saved.runId).toBe(report.runId);
    expect(await readFile(ws.path('report-day1/issues.csv'), 'utf8')).toContain('severity,code,line,column,message');
    expect(await readFile(ws.path('report-day1/report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  });

  it('exports the roster: the documented shape, sorted, the teacher-parent one account with two roles', async () => {
    const roster = await exportJson('day1.sqlite');
    expect(roster.districtId).toBe('D1');
    expect(isSortedBy(roster.accounts, (a) => a.id)).toBe(true);
    expect(isSortedBy(roster.students, (s) => s.sisId)).toBe(true);
    expect(roster.students).toHaveLength(10);
    const tina = roster.accounts.filter((a) => a.firstName === 'Tina');
    expect(tina).toHaveLength(1);
    expect(tina[0]).toMatchObject({ email: 'tina@school.example', mobilePhone: '+12025550101', students: ['S5'] });
    expect(tina[0]?.roles).toEqual([
      { role: 'guardian', sisIds: ['G5'], status: 'active' },
      { role: 'staff', sisIds: ['T1'], status: 'active' },
    ]);
    const text = await cli(['export', '--db', 'day1.sqlite']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^Roster of district D1: 11 accounts \(10 active guardians\), 10 students/);
    expect(ANSI_ESCAPE.test(text.stderr)).toBe(false);
  });

  it('on a terminal, draws a progress bar from the run\'s progress events and colors the summary; NO_COLOR keeps only the bar', async () => {
    const db = await rosterCopy('day1');
    const tty = createMemoryIo({ cwd: ws.dir, tty: true });
    expect(await runCli(['sync', '--db', db, '--file', 'guardians.csv', '--dry-run'], tty)).toBe(0);
    expect(tty.output.stderr).toContain('\r\u001b[2KLoading the roster…');
    expect(tty.output.stderr).toMatch(/\u001b\[\d+m/);
    expect(tty.output.stdout).toBe('');
    const noColor = createMemoryIo({ cwd: ws.dir, tty: true, env: { NO_COLOR: '1' } });
    expect(await runCli(['sync', '--db', db, '--file', 'guardians.csv', '--dry-run'], noColor)).toBe(0);
    expect(noColor.output.stderr).toContain('\r\u001b[2K');
    expect(noColor.output.stderr).not.toMatch(/\u001b\[\d+m/);
  });

  it('runs the same file again and changes nothing', async () => {
    const { result, report } = await syncJson(await rosterCopy('day1'), ['--file', 'guardians.csv']);
    expect(result.code).toBe(0);
    expect(report.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, rolesAdded: 0, linksAdded: 0, linksRemoved: 0, unchanged: 10 });
  });

  it('succeeds with warnings (exit 0) when rows are skipped, naming each by line', async () => {
    const { result, report } = await syncJson(await rosterCopy('day1'), ['--file', 'with-issues.csv']);
    expect(result.code).toBe(0);
    expect(report.status).toBe('succeeded-with-warnings');
    expect(report.issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_STUDENT', line: 12 }));
    expect(report.issues).toContainEqual(expect.objectContaining({ code: 'MISSING_VALUE', line: 13, severity: 'error' }));
    expect(report.rows.filter((r) => r.action === 'SKIPPED').map((r) => r.line)).toEqual([12, 13]);
  });

  it('holds back mass removals: exit 3, failed-threshold, nothing removed; the run history says so', async () => {
    const db = await rosterCopy('day1');
    const text = await cli(['sync', '--db', db, '--file', 'truncated.csv']);
    expect(text.code).toBe(3);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('THRESHOLD_EXCEEDED');
    const { result, report } = await syncJson(db, ['--file', 'truncated.csv']);
    expect(result.code).toBe(3);
    expect(report.status).toBe('failed-threshold');
    expect(report.threshold).toMatchObject({ maxRemovalRatio: 0.1, exceeded: true, removalRatio: 0.5 });
    expect(report.counts.linksRemoved).toBe(0);
    expect((await exportJson(db)).accounts.flatMap((a) => a.students)).toHaveLength(10);

    const runs = await cli(['runs', '--db', db, '--json']);
    expect(runs.code).toBe(0);
    const listed = runsShape.parse(singleJson(runs)).runs;
    expect(listed.map((r) => r.status)).toEqual(['failed-threshold', 'failed-threshold', 'succeeded']);
    expect(listed[0]?.runId).toBe(report.runId);
    const limited = await cli(['runs', '--db', db, '--limit', '2']);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toMatch(/^2 runs, most recent first/);
    expect(limited.stderr).toContain('Held back by the safety threshold');
  });

  it('lets a dry run with a raised --max-removal preview the removals, then --force apply them', async () => {
    const db = await rosterCopy('day1');
    const preview = await syncJson(db, ['--file', 'truncated.csv', '--max-removal', '60', '--dry-run']);
    expect(preview.result.code).toBe(0);
    expect(preview.report.counts.linksRemoved).toBe(5);
    expect(preview.report.threshold.maxRemovalRatio).toBe(0.6);
    const forced = await syncJson(db, ['--file', 'truncated.csv', '--force']);
    expect(forced.result.code).toBe(0);
    expect(forced.report.counts.linksRemoved).toBe(5);
    expect((await exportJson(db)).accounts.flatMap((a) => a.students)).toHaveLength(5);
  });

  it('fails the run (exit 1) on a whole-file error and on a missing file, changing nothing', async () => {
    const db = await rosterCopy('day1');
    const broken = await syncJson(db, ['--file', 'missing-column.csv']);
    expect(broken.result.code).toBe(1);
    expect(broken.report.status).toBe('failed');
    expect(broken.report.issues[0]).toMatchObject({ severity: 'error', code: 'MISSING_REQUIRED_COLUMN' });
    const missing = await syncJson(db, ['--file', 'gone.csv']);
    expect(missing.result.code).toBe(1);
    expect(missing.report.issues.map((i) => i.code)).toContain('FILE_NOT_FOUND');
    expect((await exportJson(db)).accounts.flatMap((a) => a.students)).toHaveLength(10);
  });

  it('refuses an org that is not in the roster as a configuration error (exit 2, SCOPE_NOT_FOUND), before any run', async () => {
    const db = await rosterCopy('day1');
    const result = await cli(['sync', '--db', db, '--json', '--file', 'guardians.csv', '--level', 'school', '--org', 'NOPE']);
    expect(result.code).toBe(2);
    expect(singleJson(result)).toMatchObject({ formatVersion: 1, error: { code: 'SCOPE_NOT_FOUND' } });
    expect(result.stderr).toContain('--org NOPE: the roster has no school with this id; its schools are SA, SB');
  });

  it('syncs at school level: only that school, the other school’s rows skipped as out of scope', async () => {
    const { result, report } = await syncJson(await rosterCopy('day1'), ['--file', 'guardians.csv', '--level', 'school', '--org', 'SB']);
    expect(result.code).toBe(0);
    expect(report.scope).toEqual({ level: 'school', orgId: 'SB' });
    expect(report.issues.filter((i) => i.code === 'STUDENT_OUT_OF_SCOPE')).toHaveLength(6);
    expect(report.counts).toMatchObject({ linksAdded: 0, linksRemoved: 0 });
  });

  it('exits 2 for usage errors of sync, each also one JSON document with --json (in-process)', async () => {
    const cases: string[][] = [
      ['--file', 'guardians.csv', '--sftp', 'sftp://u@127.0.0.1/g.csv'],
      ['--file', 'guardians.csv', '--level', 'county'],
      ['--file', 'guardians.csv', '--max-removal', '150'],
      ['--file', 'guardians.csv', '--host-key', 'SHA256:abc'],
      ['--file', 'guardians.csv', 'extra-argument'],
    ];
    for (const args of cases) {
      // In-process: the same dispatcher and command as the binary, without a process start each.
      const io = createMemoryIo({ cwd: ws.dir });
      expect(await runCli(['sync', '--db', 'day1.sqlite', '--json', ...args], io), args.join(' ')).toBe(2);
      errorShape.parse(JSON.parse(io.output.stdout));
    }
  });

  it('asks for --org when the roster holds two districts (exit 2)', async () => {
    await ws.write('orgs2.csv', `${ORGS_CSV}\nD2,active,2026-08-15,Oak County,district,OC,\nSC,active,2026-08-15,Oak High,school,SC,D2`);
    await ws.write('users2.csv', `${USERS_CSV}\nS99,active,2026-08-15,true,SC,student,s99,,Kid,Student,,S99,,,,,,`);
    expect((await cli(['roster', 'import', '--db', 'two.sqlite', 'users2.csv', 'orgs2.csv'])).code).toBe(0);
    const result = await cli(['sync', '--db', 'two.sqlite', '--file', 'guardians.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('2 districts (D1, D2): choose one with --org <id>');
  });
});
