// Issue 19, a district's first week, the file parts, end to end through the CLI with the
// issue's inputs: a 200-student roster whose day-2 guardians.csv is still being written
// (item 3: FILE_UNSTABLE, nothing applied), a `.done` marker, a file that grows while it is
// read, a file the sync may not read, and a file over the size limit (item 10: wording that
// names the path and the flag, sizes in MiB).
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, copyFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { sshdRequired, startSshd } from '../support/sshd.js';
import { createWorkspace, orgsCsv, studentUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { errorShape, rosterExportShape, syncReportShape, validationShape } from './json-shapes.js';
import { createMemoryIo } from './memory-io.js';
import { runCliProcess, singleJson, startCliProcess, type CliResult } from './run-cli-process.js';

// In-process runs only: a file whose path is a key here gets the bytes appended right after
// the first read of it, as an export that goes on writing while the sync reads would.
const growOnRead = vi.hoisted(() => new Map<string, string>());
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args) => {
    const handle = await actual.open(...args);
    const path = String(args[0]);
    const extra = growOnRead.get(path);
    if (extra === undefined) return handle;
    growOnRead.delete(path);
    const read = handle.read.bind(handle) as (...readArgs: unknown[]) => Promise<unknown>;
    Object.assign(handle, {
      read: async (...readArgs: unknown[]) => {
        const result = await read(...readArgs);
        await actual.appendFile(path, extra);
        Object.assign(handle, { read });
        return result;
      },
    });
    return handle;
  };
  return { ...actual, default: { ...actual, open }, open };
});

const STUDENTS = 200;
const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone';
/** One guardian per student, as the district's SIS exports them; ends with a line break. */
const GUARDIANS = `${[HEADER, ...Array.from({ length: STUDENTS }, (_, i) => `S${i + 1},G${i + 1},Parent${i + 1},Family,parent${i + 1}@mail.example,`)].join('\n')}\n`;
/** 95% of the file, paused in the middle of row 191 (a writer stopped mid-row). */
const CUT = GUARDIANS.indexOf(`S${Math.round(STUDENTS * 0.95) + 1},G`) + 7;
/** The nightly case: the export was written hours before the sync runs. */
const HOURS_AGO = new Date(Date.now() - 3 * 3_600_000);

let ws: CliWorkspace;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

/** A roster of 200 students, synced on day 1 from the complete file: 200 guardians, 200 links. */
const DAY1_DB = 'day1.sqlite';

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', orgsCsv({ D1: ['SA'] }));
  await ws.write('users.csv', [USERS_HEADER, ...Array.from({ length: STUDENTS }, (_, i) => studentUser(`S${i + 1}`, 'SA', `Kid${i + 1}`, 'Student'))].join('\n'));
  expect((await cli(['roster', 'import', '--db', DAY1_DB, 'users.csv', 'orgs.csv'])).code).toBe(0);
  await writeAtRest('day1.csv', GUARDIANS);
  const result = await cli(['sync', '--db', DAY1_DB, '--file', 'day1.csv', '--json']);
  expect(result.code, result.stderr).toBe(0);
  expect(syncReportShape.parse(singleJson(result)).counts.linksAdded).toBe(STUDENTS);
});
afterAll(() => ws.cleanup());

/** A copy of the day-1 roster for one test (the CLI has closed it: no journal is left beside it). */
async function rosterAfterDay1(db: string): Promise<void> {
  await copyFile(ws.path(DAY1_DB), ws.path(db));
}

/**
 * The CLI in this process: for usage errors (no child to start), for the growOnRead hook, and
 * to time the settle wait without a child's start-up in it.
 */
async function cliHere(args: readonly string[]): Promise<CliResult> {
  const io = createMemoryIo({ cwd: ws.dir });
  const code = await runCli(args, io);
  return { code, stdout: io.output.stdout, stderr: io.output.stderr };
}

async function writeAtRest(name: string, content: string | Uint8Array): Promise<string> {
  const path = await ws.write(name, content);
  await utimes(path, HOURS_AGO, HOURS_AGO);
  return path;
}

/** Active guardians and links of the roster: what "nothing was applied" is checked against. */
async function rosterState(db: string): Promise<{ active: number; links: number }> {
  const result = await cli(['export', '--db', db, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const accounts = rosterExportShape.parse(singleJson(result)).accounts;
  return {
    active: accounts.filter((a) => a.roles.some((r) => r.role === 'guardian' && r.status === 'active')).length,
    links: accounts.reduce((sum, a) => sum + a.students.length, 0),
  };
}

function failedWith(result: CliResult, code: string) {
  expect(result.code, result.stderr).toBe(1);
  const report = syncReportShape.parse(singleJson(result));
  expect(report.status).toBe('failed');
  expect(report.issues[0]?.code).toBe(code);
  expect(report.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, linksAdded: 0, linksRemoved: 0, guardiansArchived: 0 });
  return report.issues[0];
}

describe('item 3: a guardians.csv still being written is not synced as complete', () => {
  it('written to 95% and paused mid-row, its writer going on while the sync waits: FILE_UNSTABLE, exit 1, nothing applied; the finished file then syncs', async () => {
    const db = 'paused.sqlite';
    await rosterAfterDay1(db);
    const path = ws.path('guardians.csv');
    expect(GUARDIANS[CUT - 1]).not.toBe('\n');
    await writeFile(path, GUARDIANS.slice(0, CUT));

    // The sync starts on the partial file (default settle wait); the export then goes on, a
    // few bytes at a time, for as long as the sync runs (a slow machine starts it late).
    let exited = false;
    const run = cli(['sync', '--db', db, '--file', 'guardians.csv', '--json']).finally(() => (exited = true));
    let at = CUT;
    while (!exited && at < GUARDIANS.length) {
      await sleep(200);
      await appendFile(path, GUARDIANS.slice(at, Math.min(GUARDIANS.length, at + 20)));
      at += 20;
    }
    const result = await run;
    if (at < GUARDIANS.length) await appendFile(path, GUARDIANS.slice(at));
    const issue = failedWith(result, 'FILE_UNSTABLE');
    expect(issue?.message.startsWith(`${path} is still being written: it `), issue?.message).toBe(true);
    expect(issue?.message).toMatch(/: it (changed within the 2 s it must hold still|grew while it was read|was modified while it was read)/);
    expect(await rosterState(db)).toEqual({ active: STUDENTS, links: STUDENTS });

    // Finished and quiet: the next run takes it, and the complete file changes nothing.
    const next = await cli(['sync', '--db', db, '--file', 'guardians.csv', '--json']);
    expect(next.code, next.stderr).toBe(0);
    const report = syncReportShape.parse(singleJson(next));
    expect(report.counts).toMatchObject({ rows: STUDENTS, linksRemoved: 0, guardiansArchived: 0, unchanged: STUDENTS });
  });

  it('paused mid-row for longer than the settle wait, with no marker: FILE_UNSTABLE (the file stops mid-row), exit 1, nothing applied', async () => {
    const db = 'paused-long.sqlite';
    await rosterAfterDay1(db);
    const path = await writeAtRest('paused.csv', GUARDIANS.slice(0, CUT));
    const refused = await cli(['sync', '--db', db, '--file', 'paused.csv', '--json']);
    const issue = failedWith(refused, 'FILE_UNSTABLE');
    expect(issue?.message).toMatch(/ends in the middle of a row: line 192 has 2 of 6 fields and no line break after it/);
    expect(issue?.message).toContain(path.split('/').pop()!);
    expect(await rosterState(db)).toEqual({ active: STUDENTS, links: STUDENTS });
  });

  it('paused longer than any wait: --require-done-marker refuses it until guardians.csv.done is written after the file, then takes it and removes the marker', async () => {
    const db = 'marker.sqlite';
    await rosterAfterDay1(db);
    const path = await writeAtRest('marked.csv', GUARDIANS.slice(0, CUT));

    const refused = await cli(['sync', '--db', db, '--file', 'marked.csv', '--require-done-marker', '--json']);
    const issue = failedWith(refused, 'FILE_UNSTABLE');
    expect(issue?.message).toBe(
      `${path} has no marked.csv.done marker next to it, and this sync requires one: nothing was changed. The export must write the marker once the file is complete.`,
    );
    expect(await rosterState(db)).toEqual({ active: STUDENTS, links: STUDENTS });

    // The export finishes, then writes the marker: taken at once, whatever the settle wait.
    await writeFile(path, GUARDIANS);
    await writeFile(`${path}.done`, '');
    const taken = await cli(['sync', '--db', db, '--file', 'marked.csv', '--require-done-marker', '--settle', '3600', '--json']);
    expect(taken.code, taken.stderr).toBe(0);
    expect(syncReportShape.parse(singleJson(taken)).counts).toMatchObject({ rows: STUDENTS, linksRemoved: 0 });
    await expect(stat(`${path}.done`)).rejects.toMatchObject({ code: 'ENOENT' });

    // The marker vouched once: the same file needs a new one.
    failedWith(await cli(['sync', '--db', db, '--file', 'marked.csv', '--require-done-marker', '--json']), 'FILE_UNSTABLE');
  });

  it('a file that grows while it is read: FILE_UNSTABLE naming the path, exit 1, nothing applied', async () => {
    const db = 'grows.sqlite';
    await rosterAfterDay1(db);
    const path = await writeAtRest('growing.csv', GUARDIANS.slice(0, GUARDIANS.indexOf('S191,')));
    growOnRead.set(path, GUARDIANS.slice(GUARDIANS.indexOf('S191,')));
    const issue = failedWith(await cliHere(['sync', '--db', db, '--file', 'growing.csv', '--json']), 'FILE_UNSTABLE');
    expect(issue?.message).toMatch(/growing\.csv is still being written: it grew while it was read \(from \d+ bytes\)\. Nothing was changed; run again once it is complete\.$/);
    expect(issue?.message).toContain(path);
    expect(await rosterState(db)).toEqual({ active: STUDENTS, links: STUDENTS });
  });

  it('--settle sets the wait: 3 waits until the just-written file is 3 s quiet, 0 takes it at once; bad values and a marker for a folder are usage errors (exit 2)', async () => {
    const db = 'settle.sqlite';
    await rosterAfterDay1(db);
    /** How long after the file's last change the run ended. */
    const endedAfterWrite = async (settle: string): Promise<number> => {
      const path = await ws.write('fresh.csv', GUARDIANS);
      const modified = (await stat(path)).mtimeMs;
      const result = await cliHere(['sync', '--db', db, '--file', 'fresh.csv', '--settle', settle, '--json']);
      expect(result.code, result.stderr).toBe(0);
      return Date.parse(syncReportShape.parse(singleJson(result)).finishedAt) - modified;
    };
    expect(await endedAfterWrite('3')).toBeGreaterThanOrEqual(2990);
    expect(await endedAfterWrite('0')).toBeLessThan(2990);

    for (const bad of ['soon', '7200', '1e3']) {
      const result = await cliHere(['sync', '--db', db, '--file', 'fresh.csv', '--settle', bad, '--json']);
      expect(result.code).toBe(2);
      expect(errorShape.parse(singleJson(result)).error.message).toContain('--settle expects a number of seconds from 0 to 3600');
    }
    const folder = await cliHere(['sync', '--db', db, '--format', 'oneroster', '--file', '.', '--require-done-marker', '--json']);
    expect(folder.code).toBe(2);
    expect(errorShape.parse(singleJson(folder)).error.message).toContain('--require-done-marker needs a file');
  });
});

describe('item 10: local file errors in their own words, and the size limit', () => {
  it('permission denied (chmod 000): names the path and what to do, never "the SFTP server and network"', async () => {
    const db = 'denied.sqlite';
    await rosterAfterDay1(db);
    const path = await writeAtRest('denied.csv', GUARDIANS);
    await chmod(path, 0o000);
    // Root reads any file: there the CLI runs as nobody (uid 65534), with the workspace and
    // the roster opened up to it, so the check runs in CI too.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      await chmod(ws.dir, 0o777);
      await chmod(ws.path(db), 0o666);
    }
    const run = (args: readonly string[]): Promise<CliResult> =>
      asRoot ? startCliProcess(args, { cwd: ws.dir, user: { uid: 65534, gid: 65534 } }).result : cli(args);
    try {
      const json = await run(['sync', '--db', db, '--file', 'denied.csv', '--json']);
      const issue = failedWith(json, 'SOURCE_UNAVAILABLE');
      expect(issue?.message).toBe(`${path} cannot be read: permission denied. Give the user running the sync read access to the file and its folder, then run again.`);
      const text = await run(['sync', '--db', db, '--file', 'denied.csv']);
      expect(text.code).toBe(1);
      expect(text.stderr).toContain(`${path} cannot be read: permission denied.`);
      expect(text.stderr).not.toContain('SFTP server and network');
      const validate = await run(['validate', 'denied.csv']);
      expect(validate.code).toBe(1);
      expect(validate.stderr).toContain(`${path} cannot be read: permission denied.`);
    } finally {
      await chmod(path, 0o644);
      if (asRoot) await chmod(ws.dir, 0o700);
    }
  });

  it('--max-file-size: FILE_TOO_LARGE names the size in MiB and the flag; a higher limit lets the file through; bad sizes exit 2', async () => {
    const db = 'size.sqlite';
    await rosterAfterDay1(db);
    // The day-1 file padded with a trailing column of filler to 1.5 MiB.
    const filler = 'x'.repeat(Math.ceil((1.5 * 1024 * 1024) / STUDENTS));
    const big = `${[`${HEADER},notes`, ...GUARDIANS.trimEnd().split('\n').slice(1).map((row) => `${row},${filler}`)].join('\n')}\n`;
    const path = await writeAtRest('big.csv', big);
    const size = (await stat(path)).size;
    const mib = (size / 1024 / 1024).toFixed(1);

    const refused = await cli(['sync', '--db', db, '--file', 'big.csv', '--max-file-size', '1MiB', '--json']);
    const issue = failedWith(refused, 'FILE_TOO_LARGE');
    expect(issue?.message).toBe(
      `big.csv is ${size.toLocaleString('en-US')} bytes (${mib} MiB), over the size limit of 1 MiB: check the export holds only guardians, or raise the limit with --max-file-size.`,
    );
    const text = await cli(['sync', '--db', db, '--file', 'big.csv', '--max-file-size', '1048576']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('raise the limit with --max-file-size.');
    expect(text.stderr).not.toMatch(/\d MB\b/);

    const validate = await cli(['validate', 'big.csv', '--max-file-size', '1MiB', '--json']);
    expect(validate.code).toBe(1);
    expect(validationShape.parse(singleJson(validate)).issues[0]).toMatchObject({ code: 'FILE_TOO_LARGE', message: issue?.message });

    const raised = await cli(['sync', '--db', db, '--file', 'big.csv', '--max-file-size', '2MiB', '--dry-run']);
    expect(raised.code, raised.stderr).toBe(0);
    expect(raised.stderr).toContain(`big.csv · ${mib} MiB · utf-8`);
    const checked = await cli(['validate', 'big.csv', '--max-file-size', '0.002GiB']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toMatch(new RegExp(`Size\\s+${mib} MiB`));

    for (const bad of ['200 megs', '0', '5GiB', '1e6']) {
      const result = await cliHere(['sync', '--db', db, '--file', 'big.csv', '--max-file-size', bad, '--json']);
      expect(result.code, bad).toBe(2);
      expect(errorShape.parse(singleJson(result)).error.message).toMatch(/--max-file-size (expects a size such as 200MiB|can be at most 4GiB)/);
    }
  });
});

describe.skipIf(!sshdRequired())('item 3 over SFTP: the same flags', () => {
  it('--require-done-marker refuses an upload without guardians.csv.done, and takes it once the marker is there', async () => {
    const db = 'sftp.sqlite';
    await rosterAfterDay1(db);
    const server = await startSshd();
    try {
      const dir = await server.makeDir(`first-week-${randomBytes(4).toString('hex')}`);
      await server.writeFile(join(dir, 'guardians.csv'), GUARDIANS, HOURS_AGO);
      const keyFile = await ws.write('sftp_key', server.privateKey);
      await chmod(keyFile, 0o600);
      const args = ['sync', '--db', db, '--sftp', `sftp://${server.username}@127.0.0.1:${server.port}${dir}/guardians.csv`, '--key', keyFile, '--host-key', server.hostKeyFingerprint, '--json'];

      const refused = await cli([...args, '--require-done-marker']);
      expect(failedWith(refused, 'FILE_UNSTABLE')?.message).toMatch(/guardians\.csv has no guardians\.csv\.done marker/);

      await server.writeFile(join(dir, 'guardians.csv.done'), '');
      const taken = await cli([...args, '--require-done-marker', '--dry-run']);
      expect(taken.code, taken.stderr).toBe(0);
      expect(syncReportShape.parse(singleJson(taken)).counts).toMatchObject({ rows: STUDENTS, linksRemoved: 0 });
    } finally {
      await server.stop();
    }
  });
});
