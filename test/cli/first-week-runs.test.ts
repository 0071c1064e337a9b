// Issue 19, items 4 to 8 and the roster wording of 10, through the CLI in child processes
// against SQLite roster files, each with the input the issue names: Ctrl-C in the middle of a
// run, `--report` onto a file, a forced run's headline, `--org` typos and level mistakes, a
// file whose every row is dropped, and rosters that cannot be opened or written.
import { EventEmitter } from 'node:events';
import { copyFile, chmod, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trapInterrupts } from '../../src/cli/interrupt-trap.js';
import { createSqliteStore } from '../../src/sqlite/index.js';
import { createWorkspace, GUARDIANS_CSV, GUARDIANS_TRUNCATED_CSV, ORGS_CSV, USERS_CSV, type CliWorkspace } from './cli-fixtures.js';
import { errorShape, rosterExportShape, runsShape, syncReportShape, validationShape } from './json-shapes.js';
import { runCliProcess, singleJson, startCliProcess, type CliResult, type StartNodeOptions } from './run-cli-process.js';

let ws: CliWorkspace;
let copies = 0;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

/** Rows in the big file: enough that reading and planning it take seconds, so a signal lands mid-run. */
const BIG_ROWS = 100_000;

/** A private copy of the roster after the day-1 sync. */
async function day1Roster(): Promise<string> {
  const name = `roster-${++copies}.sqlite`;
  await copyFile(ws.path('day1.sqlite'), ws.path(name));
  return name;
}

function runsOf(db: string): { runId: string; status: string }[] {
  const sqlite = new Database(ws.path(db), { readonly: true });
  try {
    return sqlite.prepare('SELECT run_id AS runId, status FROM runs ORDER BY started_at').all() as { runId: string; status: string }[];
  } finally {
    sqlite.close();
  }
}

/** Waits until the roster's history holds a run that is `running` (it holds its lock and works). */
async function untilRunning(db: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (runsOf(db).some((r) => r.status === 'running')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no run of ${db} became running within ${timeoutMs} ms`);
}

/** Starts a sync of the big file; resolves once it holds the lock, with the process. */
async function startBigSync(db: string, extra: readonly string[] = [], options: StartNodeOptions = {}) {
  const started = startCliProcess(['sync', '--db', db, '--file', 'big.csv', ...extra], { cwd: ws.dir, ...options });
  await untilRunning(db);
  return started;
}

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  await ws.write('guardians.csv', GUARDIANS_CSV);
  await ws.write('truncated.csv', GUARDIANS_TRUNCATED_CSV);
  const rows = ['studentSisId,guardianSisId,firstName,lastName,email,mobilePhone'];
  for (let i = 0; i < BIG_ROWS; i++) rows.push(`S${(i % 10) + 1},B${i},Parent${i},Big,parent.big${i}@mail.example,`);
  await ws.write('big.csv', rows.join('\n'));
  // Written long ago, as a nightly export is: a local file is read at once, with no settle wait.
  const past = new Date(Date.now() - 3_600_000);
  for (const name of ['guardians.csv', 'truncated.csv', 'big.csv']) await utimes(ws.path(name), past, past);
  expect((await cli(['roster', 'import', '--db', 'day1.sqlite', 'users.csv', 'orgs.csv'])).code).toBe(0);
  expect((await cli(['sync', '--db', 'day1.sqlite', '--file', 'guardians.csv'])).code).toBe(0);
}, 120_000);
afterAll(() => ws.cleanup());

describe('issue 19 item 4: Ctrl-C during a sync', () => {
  it('SIGINT mid-run: exit 130 and one line; the run is saved as cancelled, and the next run is not refused as another sync running', async () => {
    const db = await day1Roster();
    const { child, result } = await startBigSync(db);
    child.kill('SIGINT');
    const stopped = await result;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stdout).toBe('');
    const lines = stopped.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^guardian-sync sync: stopped by SIGINT: .*The lock on district D1 is released, and "guardian-sync runs" lists run \S+ as cancelled\.$/);

    expect(runsOf(db).map((r) => r.status)).toEqual(['succeeded', 'cancelled']);
    const runs = await cli(['runs', '--db', db, '--limit', '1']);
    expect(runs.stderr).toMatch(/Cancelled {2}district D1/);
    expect(runsShape.parse(singleJson(await cli(['runs', '--db', db, '--json']))).runs[0]?.status).toBe('cancelled');

    // Nothing of the big file landed (the apply never began), and the district is free at once.
    const next = await cli(['sync', '--db', db, '--file', 'guardians.csv', '--json']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/SYNC_IN_PROGRESS|Another sync/);
    expect(syncReportShape.parse(singleJson(next)).counts).toMatchObject({ accountsCreated: 0, linksAdded: 0, linksRemoved: 0 });
  }, 120_000);

  it('SIGTERM (a scheduler stopping the job) is handled the same way, with exit 143', async () => {
    const db = await day1Roster();
    const { child, result } = await startBigSync(db, ['--json']);
    child.kill('SIGTERM');
    const stopped = await result;
    expect(stopped.code, stopped.stderr).toBe(143);
    expect(stopped.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stopped.stderr).toContain('stopped by SIGTERM');
    // --json still prints exactly one document: the report of the stopped run.
    const report = syncReportShape.parse(singleJson(stopped));
    expect(report.issues[0]?.code).toBe('ABORTED');
    expect(runsOf(db).find((r) => r.runId === report.runId)?.status).toBe('cancelled');
  }, 120_000);
});

describe('issue 19 item 4: the interrupt trap', () => {
  /** `process` as the trap sees it: listeners, and an exit that records its code. */
  function fakeProcess() {
    const emitter = new EventEmitter();
    const exits: number[] = [];
    return { emitter, exits, target: { on: emitter.on.bind(emitter), off: emitter.off.bind(emitter), exit: (code: number) => void exits.push(code) } };
  }

  it('the first SIGINT aborts the signal and keeps the process; a second exits at once with 130 and one line', () => {
    const { emitter, exits, target } = fakeProcess();
    const said: string[] = [];
    const trap = trapInterrupts(target, (line) => said.push(line));
    emitter.emit('SIGINT');
    expect(trap.signal.aborted).toBe(true);
    expect(trap.received()).toBe('SIGINT');
    expect(exits).toEqual([]);
    emitter.emit('SIGINT');
    expect(exits).toEqual([130]);
    expect(said).toEqual(['guardian-sync: SIGINT again: stopped at once. The run stays "running" in the history until the next run of its scope marks it interrupted.']);
  });

  it('a second SIGTERM exits 143; once released, the trap listens no more', () => {
    const { emitter, exits, target } = fakeProcess();
    const trap = trapInterrupts(target, () => undefined);
    emitter.emit('SIGTERM');
    emitter.emit('SIGTERM');
    expect(exits).toEqual([143]);
    trap.release();
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('issue 19 item 5: --report onto a path that cannot take the report', () => {
  it('sync --force --report <an existing file>: exit 2 before the run, and nothing is applied', async () => {
    const db = await day1Roster();
    await ws.write('existing-report.txt', 'not a folder');
    const result = await cli(['sync', '--db', db, '--file', 'truncated.csv', '--force', '--report', 'existing-report.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--report existing-report.txt is a file, not a folder');
    expect(runsOf(db).map((r) => r.status)).toEqual(['succeeded']);
    const exported = rosterExportShape.parse(singleJson(await cli(['export', '--db', db, '--json'])));
    expect(exported.accounts.flatMap((a) => a.students)).toHaveLength(10);
  });

  it('a report folder holding a folder named report.json is refused before the run too (exit 2)', async () => {
    const db = await day1Roster();
    await mkdir(ws.path('blocked/report.json'), { recursive: true });
    const result = await cli(['sync', '--db', db, '--file', 'truncated.csv', '--force', '--report', 'blocked']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('report.json in it is a folder');
    expect(runsOf(db)).toHaveLength(1);
  });

  it('report files that still cannot be written after the run: exit 4, saying the run finished and not to run it again', async () => {
    const db = await day1Roster();
    await mkdir(ws.path('vanishing'), { recursive: true });
    // Forced, so the run itself succeeds (the big file drops every day-1 link): exit 0 but for the files.
    const { result } = await startBigSync(db, ['--dry-run', '--force', '--report', 'vanishing']);
    // The folder was checked; while the run reads, someone replaces it with a file.
    await rm(ws.path('vanishing'), { recursive: true });
    await writeFile(ws.path('vanishing'), 'now a file');
    const done = await result;
    expect(done.code, done.stderr).toBe(4);
    expect(done.stderr).toMatch(/the run finished \(run \S+, saved in the roster's run history\), but its report files could not be written into vanishing \(EEXIST\)\. Do not run the sync again for this/);
    expect(runsOf(db).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  }, 180_000);
});

describe('issue 19 item 6: a forced run says it was forced, and by how much', () => {
  it('the text headline, report.json, report.html and runs all say "forced" with the ratio it went over', async () => {
    const db = await day1Roster();
    const result = await cli(['sync', '--db', db, '--file', 'truncated.csv', '--force', '--report', 'forced-report']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^guardian-sync: Succeeded, forced past the safety threshold\n/);
    expect(result.stderr).toContain('Forced past the safety threshold: removals 50% of managed links and archives 50% of managed guardians, above the maximum of 10%, were applied.');
    expect(result.stderr).not.toContain('found nothing to warn about');

    const json = syncReportShape.parse(JSON.parse(await readFile(ws.path('forced-report/report.json'), 'utf8')));
    expect(json.threshold).toMatchObject({ removalRatio: 0.5, archiveRatio: 0.5, exceeded: true, forced: true });
    const html = await readFile(ws.path('forced-report/report.html'), 'utf8');
    expect(html).toMatch(/<span class="badge tone-warn" id="status" data-status="succeeded">Succeeded, forced past the safety threshold<\/span>/);
    expect(html).toContain('removals 50% of managed links and archives 50% of managed guardians, above the maximum of 10%, were applied');

    const runs = await cli(['runs', '--db', db, '--limit', '1']);
    expect(runs.stderr).toContain('Succeeded, forced past the safety threshold  district D1');
    expect(runs.stderr).toContain('forced: removals 50% of managed links and archives 50% of managed guardians, above the maximum of 10%');
    expect(runsShape.parse(singleJson(await cli(['runs', '--db', db, '--limit', '1', '--json']))).runs[0]?.threshold).toMatchObject({ forced: true, removalRatio: 0.5 });
  });

  it('a held run says what to do in the words of the CLI: --force or a higher --max-removal', async () => {
    const result = await cli(['sync', '--db', await day1Roster(), '--file', 'truncated.csv']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Exceeded: no link was removed and no guardian archived. If the changes are intended, run again with --force or a higher --max-removal.');
    expect(result.stderr).toContain('→ Check the file is complete');
    expect(result.stderr).toMatch(/→ .*run again with --force or a higher --max-removal/);
  });
});

describe('issue 19 item 7: an org the roster does not have is a configuration error', () => {
  it('--org D-NOPE: exit 2 with SCOPE_NOT_FOUND naming the districts it has, and no run', async () => {
    const db = await day1Roster();
    const result = await cli(['sync', '--db', db, '--file', 'guardians.csv', '--org', 'D-NOPE', '--json']);
    expect(result.code).toBe(2);
    expect(errorShape.parse(singleJson(result)).error.code).toBe('SCOPE_NOT_FOUND');
    expect(result.stderr).toContain('--org D-NOPE: the roster has no district with this id; its districts are D1 (ids are case-sensitive).');
    expect(runsOf(db)).toHaveLength(1);
  });

  it('--level school --org <a district id>: says it is a district, and which flags sync it', async () => {
    const result = await cli(['sync', '--db', await day1Roster(), '--file', 'guardians.csv', '--level', 'school', '--org', 'D1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--org D1 is a district, not a school: sync the whole district with --level district, or one of its schools (SA, SB) with --level school --org <school id>.');
    expect(result.stderr).not.toContain('No school with id');
  });

  it('SYNC_IN_PROGRESS is worded as another run holding the lock, not as a file error', async () => {
    const db = await day1Roster();
    const holder = createSqliteStore({ database: ws.path(db) });
    try {
      expect(await holder.acquireLock('district:D1', { owner: 'run-of-another-process', ttlMs: 600_000 })).toEqual({ acquired: true });
      const result = await cli(['sync', '--db', db, '--file', 'guardians.csv']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^guardian-sync: Failed\n {2}Another sync of the same district or school was running, so this run read and changed nothing\. Run it again when that one has finished\.\n/);
      expect(result.stderr).not.toMatch(/whole-file/);
      expect(result.stderr).toMatch(/error +SYNC_IN_PROGRESS/);
      expect(result.stderr).toContain('Another sync of district D1 is running (run run-of-another-process holds its lock; the lease ends at ');
    } finally {
      await holder.releaseLock('district:D1', 'run-of-another-process');
      await holder.close();
    }
  });
});

describe('issue 19 item 8: why rows were dropped', () => {
  const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone';

  it('NO_VALID_ROWS names the reasons, counted per code with their first lines, and the report keeps the rows and their issues', async () => {
    await ws.write('all-dropped.csv', [HEADER, 'S1,G1,,Lee,ann@mail.example,', 'S2,G2,Bo,,bo@mail.example,', 'S3,G3,Cy,Lee,,'].join('\n'));
    const db = await day1Roster();
    const result = await cli(['sync', '--db', db, '--file', 'all-dropped.csv', '--json']);
    expect(result.code).toBe(1);
    const report = syncReportShape.parse(singleJson(result));
    expect(report.issues[0]).toMatchObject({
      code: 'NO_VALID_ROWS',
      message: 'None of the 3 rows of all-dropped.csv could be used: MISSING_VALUE ×2 (lines 2, 3), NO_CONTACT_CREDENTIAL ×1 (line 4). Fix those rows (each is listed with its issue).',
    });
    expect(report.issues.map((i) => [i.code, i.line])).toEqual([
      ['NO_VALID_ROWS', null],
      ['MISSING_VALUE', 2],
      ['MISSING_VALUE', 3],
      ['NO_CONTACT_CREDENTIAL', 4],
    ]);
    expect(report.counts).toMatchObject({ rows: 3, rowsSkipped: 3 });
    expect(report.rows.map((r) => r.action)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
    const text = await cli(['sync', '--db', db, '--file', 'all-dropped.csv']);
    expect(text.stderr).toMatch(/^guardian-sync: Failed\n {2}No row of the file could be used \(see the row errors below\): the run stopped before any change\.\n/);
    expect(text.stderr).toMatch(/error +MISSING_VALUE +×2 +lines 2, 3/);
  });

  it('validate: rows skipped without an error are counted by the warning that skipped them, so the counts agree with "0 errors"', async () => {
    const rows = [HEADER];
    for (let i = 1; i <= 30; i++) rows.push(i <= 3 ? `S${i},G${i},Kim,Park${i},,` : `S${(i % 10) + 1},G${i},Ann,Lee${i},ann${i}@mail.example,`);
    await ws.write('no-contacts.csv', rows.join('\n'));
    const text = await cli(['validate', 'no-contacts.csv']);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('Rows        30  (3 skipped: NO_CONTACT_CREDENTIAL ×3)');
    expect(text.stderr).toContain('Issues (0 errors, 3 warnings)');
    expect(text.stderr).not.toContain('skipped for errors');
    const json = singleJson(await cli(['validate', 'no-contacts.csv', '--json']));
    validationShape.parse(json);
    expect((json as { counts: unknown }).counts).toMatchObject({ rows: 30, rowsSkipped: 3, rowsSkippedByCode: { NO_CONTACT_CREDENTIAL: 3 } });
  });
});

describe('issue 19 item 10: a roster that cannot be opened or written says where and what to do', () => {
  it('a --db that is a folder, or not a database: exit 2, naming the path (no "unexpected error")', async () => {
    await mkdir(ws.path('a-folder.sqlite'), { recursive: true });
    const folder = await cli(['runs', '--db', 'a-folder.sqlite']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`The SQLite roster ${ws.path('a-folder.sqlite')} could not be opened (SQLITE_CANTOPEN): check that the path names a file (not a folder)`);
    await ws.write('notes.sqlite', 'these are my notes');
    const notDb = await cli(['sync', '--db', 'notes.sqlite', '--file', 'guardians.csv']);
    expect(notDb.code).toBe(2);
    expect(notDb.stderr).toContain(`${ws.path('notes.sqlite')} is not a SQLite database (SQLITE_NOTADB)`);
    for (const result of [folder, notDb]) expect(result.stderr).not.toContain('unexpected error');
  });

  it('a read-only roster: STORE_FAILED naming the file and what to make writable, never "running again is safe"', async () => {
    const db = await day1Roster();
    // Root ignores file modes: run the CLI as an unprivileged user then.
    const asRoot = process.getuid?.() === 0;
    await chmod(ws.dir, 0o777);
    await chmod(ws.path(db), 0o444);
    const started = startCliProcess(['sync', '--db', db, '--file', 'guardians.csv'], { cwd: ws.dir, ...(asRoot ? { user: { uid: 65534, gid: 65534 } } : {}) });
    const result = await started.result;
    await chmod(ws.path(db), 0o644);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`the SQLite roster ${ws.path(db)} is read-only for this process (SQLITE_READONLY)`);
    expect(result.stderr).toContain(`Make ${ws.path(db)} and its folder writable by the user running the sync`);
    expect(result.stderr).not.toMatch(/again is safe|can be retried and will converge/);
  });
});
