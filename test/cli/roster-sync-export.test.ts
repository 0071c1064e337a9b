// `roster import`, `sync`, `export` and `runs` end to end in child processes against one
// SQLite roster file: exit codes 0 / 1 / 2 / 3, every --json output checked against the
// documented shape, report files, and the same file run twice changing nothing.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { runCli } from '../../src/cli/run-cli.js';
import { createMemoryIo } from './memory-io.js';
import { ANSI_ESCAPE, runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

let ws: CliWorkspace;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });
const syncJson = async (args: readonly string[]) => {
  const result = await cli(['sync', '--db', 'roster.sqlite', '--json', ...args]);
  return { result, report: syncReportShape.parse(singleJson(result)) };
};

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  await ws.write('guardians.csv', GUARDIANS_CSV);
  await ws.write('with-issues.csv', GUARDIANS_WITH_ISSUES_CSV);
  await ws.write('truncated.csv', GUARDIANS_TRUNCATED_CSV);
  await ws.write('missing-column.csv', GUARDIANS_MISSING_COLUMN_CSV);
});
afterAll(() => ws.cleanup());

// The tests of this file build on each other in order: one roster, day after day.
describe('guardian-sync roster import, sync, export, runs', () => {
  it('refuses to sync against a roster database that does not exist (exit 2, no file created)', async () => {
    const result = await cli(['sync', '--db', 'roster.sqlite', '--file', 'guardians.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('roster import');
    expect(existsSync(ws.path('roster.sqlite'))).toBe(false);
  });

  it('imports students, staff and orgs from OneRoster (exit 0, JSON counts)', async () => {
    const result = await cli(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv', '--json']);
    expect(result.code).toBe(0);
    expect(rosterImportShape.parse(singleJson(result))).toMatchObject({ orgs: 3, students: 10, staffCreated: 2, staffUpdated: 0 });
    const again = await cli(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/Staff\s+0 created, 0 updated/);
  });

  it('previews day 1 with --dry-run: the counts of a real run, and nothing changed', async () => {
    const { result, report } = await syncJson(['--file', 'guardians.csv', '--dry-run']);
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ status: 'succeeded', dryRun: true, scope: { level: 'district', orgId: 'D1' } });
    expect(report.counts).toMatchObject({ rows: 10, accountsCreated: 9, rolesAdded: 1, linksAdded: 10 });
    const exported = rosterExportShape.parse(singleJson(await cli(['export', '--db', 'roster.sqlite', '--json'])));
    expect(exported.accounts.filter((a) => a.roles.some((r) => r.role === 'guardian'))).toEqual([]);
  });

  it('syncs day 1 at district level without --org (the only district) and writes the report files', async () => {
    const { result, report } = await syncJson(['--file', 'guardians.csv', '--report', 'report-day1']);
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
    const result = await cli(['export', '--db', 'roster.sqlite', '--json']);
    expect(result.code).toBe(0);
    const roster = rosterExportShape.parse(singleJson(result));
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
    const text = await cli(['export', '--db', 'roster.sqlite']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/Roster: 11 accounts \(10 active guardians\), 10 students/);
    expect(ANSI_ESCAPE.test(text.stderr)).toBe(false);
  });

  it('runs the same file again and changes nothing', async () => {
    const { result, report } = await syncJson(['--file', 'guardians.csv']);
    expect(result.code).toBe(0);
    expect(report.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, rolesAdded: 0, linksAdded: 0, linksRemoved: 0, unchanged: 10 });
  });

  it('succeeds with warnings (exit 0) when rows are skipped, naming each by line', async () => {
    const { result, report } = await syncJson(['--file', 'with-issues.csv']);
    expect(result.code).toBe(0);
    expect(report.status).toBe('succeeded-with-warnings');
    expect(report.issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_STUDENT', line: 12 }));
    expect(report.issues).toContainEqual(expect.objectContaining({ code: 'MISSING_VALUE', line: 13, severity: 'error' }));
    expect(report.rows.filter((r) => r.action === 'SKIPPED').map((r) => r.line)).toEqual([12, 13]);
  });

  it('holds back mass removals: exit 3, failed-threshold, nothing removed', async () => {
    const text = await cli(['sync', '--db', 'roster.sqlite', '--file', 'truncated.csv']);
    expect(text.code).toBe(3);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('THRESHOLD_EXCEEDED');
    const { result, report } = await syncJson(['--file', 'truncated.csv']);
    expect(result.code).toBe(3);
    expect(report.status).toBe('failed-threshold');
    expect(report.threshold).toMatchObject({ maxRemovalRatio: 0.1, exceeded: true, removalRatio: 0.5 });
    expect(report.counts.linksRemoved).toBe(0);
    const roster = rosterExportShape.parse(singleJson(await cli(['export', '--db', 'roster.sqlite', '--json'])));
    expect(roster.accounts.flatMap((a) => a.students)).toHaveLength(10);
  });

  it('lets a dry run with a raised --max-removal preview the removals, then --force apply them', async () => {
    const preview = await syncJson(['--file', 'truncated.csv', '--max-removal', '60', '--dry-run']);
    expect(preview.result.code).toBe(0);
    expect(preview.report.counts.linksRemoved).toBe(5);
    expect(preview.report.threshold.maxRemovalRatio).toBe(0.6);
    const forced = await syncJson(['--file', 'truncated.csv', '--force']);
    expect(forced.result.code).toBe(0);
    expect(forced.report.counts.linksRemoved).toBe(5);
  });

  it('fails the run (exit 1) on a whole-file error and on a missing file, changing nothing', async () => {
    const broken = await syncJson(['--file', 'missing-column.csv']);
    expect(broken.result.code).toBe(1);
    expect(broken.report.status).toBe('failed');
    expect(broken.report.issues[0]).toMatchObject({ severity: 'error', code: 'MISSING_REQUIRED_COLUMN' });
    const missing = await syncJson(['--file', 'gone.csv']);
    expect(missing.result.code).toBe(1);
    expect(missing.report.issues.map((i) => i.code)).toContain('FILE_NOT_FOUND');
    expect(missing.report.counts.linksRemoved).toBe(0);
  });

  it('fails the run (exit 1) for an org that is not in the roster', async () => {
    const { result, report } = await syncJson(['--file', 'guardians.csv', '--level', 'school', '--org', 'NOPE']);
    expect(result.code).toBe(1);
    expect(report.issues[0]?.code).toBe('SCOPE_NOT_FOUND');
  });

  it('syncs at school level: only that school, the other school’s rows skipped as out of scope', async () => {
    const { result, report } = await syncJson(['--file', 'guardians.csv', '--level', 'school', '--org', 'SB']);
    expect(result.code).toBe(0);
    expect(report.scope).toEqual({ level: 'school', orgId: 'SB' });
    expect(report.issues.filter((i) => i.code === 'STUDENT_OUT_OF_SCOPE')).toHaveLength(6);
  });

  it('lists the runs, most recent first, with status and counts', async () => {
    const result = await cli(['runs', '--db', 'roster.sqlite', '--json']);
    expect(result.code).toBe(0);
    const { runs } = runsShape.parse(singleJson(result));
    expect(runs.length).toBeGreaterThanOrEqual(10);
    expect(runs[0]?.scope).toEqual({ level: 'school', orgId: 'SB' });
    expect(runs.map((r) => r.status)).toContain('failed-threshold');
    expect(runs.some((r) => r.dryRun)).toBe(true);
    const text = await cli(['runs', '--db', 'roster.sqlite', '--limit', '2']);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^2 runs, most recent first/);
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
      expect(await runCli(['sync', '--db', 'roster.sqlite', '--json', ...args], io), args.join(' ')).toBe(2);
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
