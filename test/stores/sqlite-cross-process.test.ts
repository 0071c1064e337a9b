// The SQLite store's `crossProcessLock` and `lockKind: 'lease'`, between real processes:
// processes opening one file at once (each migrating it if first) and racing for one scope
// lock: exactly one gets it, and exactly one migrates the file; a lock held by a live process
// is refused with its holder; a lock whose holder was killed (SIGKILL) on this host is taken
// over at once, by exactly one of several racing takers; a lease ends by time, and then its
// old holder's renewal is refused.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { LockAttempt } from '../../src/contracts/roster-store.js';
import { createSqliteStore, SQLITE_SCHEMA_VERSION, type SqliteStore } from '../../src/sqlite/index.js';
import type { LockChildCommand } from './fixtures/lock-child.js';

const script = fileURLToPath(new URL('./fixtures/lock-child.ts', import.meta.url));
const KEY = 'district:D1';
let dir: string | undefined;
const children: LockChild[] = [];
const stores: SqliteStore[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  for (const store of stores.splice(0)) await store.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function newFile(): string {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-lock-'));
  return join(dir, 'roster.sqlite');
}

function openStore(file: string): SqliteStore {
  const store = createSqliteStore({ database: file });
  stores.push(store);
  return store;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

interface Ready {
  readonly pid: number;
  readonly migratedFrom: number | null;
}

/** A child process running fixtures/lock-child.ts on `file`, driven a command at a time. */
class LockChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly ready: Promise<Ready>;
  private readonly lines: AsyncIterator<string>;

  constructor(file: string) {
    this.process = spawn(process.execPath, ['--import', 'tsx', script, file], { cwd: process.cwd() });
    this.process.stderr.on('data', (chunk: Buffer) => void process.stderr.write(chunk));
    this.lines = createInterface({ input: this.process.stdout })[Symbol.asyncIterator]();
    this.ready = this.next() as Promise<Ready>;
    children.push(this);
  }

  async send(command: LockChildCommand): Promise<LockAttempt | boolean | null> {
    this.process.stdin.write(`${JSON.stringify(command)}\n`);
    return ((await this.next()) as { result: LockAttempt | boolean | null }).result;
  }

  /** Kills the process with SIGKILL (no cleanup of any kind) and waits until it is gone. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGKILL');
    await exited;
  }

  /** Ends stdin: the child closes its store and exits. */
  async end(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', resolve));
    this.process.stdin.end();
    return exited;
  }

  private async next(): Promise<unknown> {
    const line = await this.lines.next();
    if (line.done === true) throw new Error('the lock child exited without answering');
    return JSON.parse(line.value);
  }
}

/** Three children open `file` at once; then all try the scope lock at one instant. */
async function race(file: string): Promise<{ owner: string; ready: Ready; attempt: LockAttempt }[]> {
  const racers = ['run-1', 'run-2', 'run-3'].map((owner) => ({ owner, child: new LockChild(file) }));
  const ready = await Promise.all(racers.map((r) => r.child.ready));
  // Far enough ahead that every command has reached its child.
  const at = Date.now() + 500;
  const attempts = await Promise.all(racers.map((r) => r.child.send({ op: 'acquire', key: KEY, owner: r.owner, at })));
  // Every racer stays alive until all have tried: a holder that exited could be taken over.
  expect(await Promise.all(racers.map((r) => r.child.end()))).toEqual([0, 0, 0]);
  return racers.map((r, i) => ({ owner: r.owner, ready: ready[i] as Ready, attempt: attempts[i] as LockAttempt }));
}

it('gives the scope lock to exactly one of three processes racing on a new file', async () => {
  const file = newFile();
  const results = await race(file);
  expect(results.filter((r) => r.attempt.acquired)).toHaveLength(1);
  const holder = results.find((r) => r.attempt.acquired)?.owner;
  for (const r of results.filter((x) => !x.attempt.acquired)) expect(r.attempt).toMatchObject({ holder: { owner: holder } });
  // A new file: one process created the schema (from version 0), the others found it made.
  expect(results.map((r) => r.ready.migratedFrom).sort()).toEqual([0, null, null]);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.prepare('SELECT owner, host, pid FROM locks WHERE key = ?').get(KEY)).toEqual({
      owner: holder,
      host: hostname(),
      pid: results.find((r) => r.attempt.acquired)?.ready.pid,
    });
  } finally {
    db.close();
  }
}, 60_000);

it('migrates a version-1 file once when three processes open it at once', async () => {
  const file = newFile();
  copyFileSync(fileURLToPath(new URL('./fixtures/v1-demo.sqlite', import.meta.url)), file);
  const results = await race(file);
  expect(results.map((r) => r.ready.migratedFrom).sort()).toEqual([1, null, null]);
  expect(results.filter((r) => r.attempt.acquired)).toHaveLength(1);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM students').pluck(true).get()).toBe(42);
    expect(db.prepare('SELECT count(*) FROM links').pluck(true).get()).toBe(74);
    expect(db.prepare("SELECT count(*) FROM account_roles WHERE district_id = 'D100'").pluck(true).get()).toBe(59);
  } finally {
    db.close();
  }
}, 60_000);

it("refuses a lock a live process holds, naming its owner and lease end; takes it over at once when that process is killed", async () => {
  const file = newFile();
  const parent = openStore(file);
  const child = new LockChild(file);
  await child.ready;
  const sentAt = Date.now();
  // A ten-minute lease: nothing below waits for it.
  expect(await child.send({ op: 'acquire', key: KEY, owner: 'run-child', ttlMs: 600_000 })).toEqual({ acquired: true });
  const attempt = await parent.acquireLock(KEY, { owner: 'run-parent', ttlMs: 60_000 });
  expect(attempt).toMatchObject({ acquired: false, holder: { owner: 'run-child' } });
  const expiresAt = attempt.acquired ? Number.NaN : Date.parse(attempt.holder?.expiresAt ?? '');
  expect(expiresAt).toBeGreaterThanOrEqual(sentAt + 600_000);
  expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);

  await child.kill();
  const killedAt = Date.now();
  expect(await parent.acquireLock(KEY, { owner: 'run-parent', ttlMs: 60_000 })).toEqual({ acquired: true });
  expect(Date.now() - killedAt).toBeLessThan(5_000);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.prepare('SELECT owner, pid FROM locks WHERE key = ?').get(KEY)).toEqual({ owner: 'run-parent', pid: process.pid });
  } finally {
    db.close();
  }
}, 60_000);

it('gives a killed holder\'s lock to exactly one of three processes taking it over at once', async () => {
  const file = newFile();
  const holder = new LockChild(file);
  await holder.ready;
  expect(await holder.send({ op: 'acquire', key: KEY, owner: 'run-killed', ttlMs: 600_000 })).toEqual({ acquired: true });
  await holder.kill();
  const results = await race(file);
  expect(results.filter((r) => r.attempt.acquired)).toHaveLength(1);
  const winner = results.find((r) => r.attempt.acquired)?.owner;
  for (const r of results.filter((x) => !x.attempt.acquired)) expect(r.attempt).toMatchObject({ holder: { owner: winner } });
}, 60_000);

it("extends a lease the owner renews; once it ended and another process took it, the old holder's renewal is refused", async () => {
  const file = newFile();
  const parent = openStore(file);
  const child = new LockChild(file);
  await child.ready;
  const db = new Database(file, { readonly: true });
  const leaseEnd = (): number => db.prepare('SELECT expires_at FROM locks WHERE key = ?').pluck(true).get(KEY) as number;
  try {
    const ttlMs = 1_000;
    expect(await child.send({ op: 'acquire', key: KEY, owner: 'run-child', ttlMs })).toEqual({ acquired: true });
    const first = leaseEnd();
    await sleep(300);
    expect(await child.send({ op: 'renew', key: KEY, owner: 'run-child', ttlMs })).toBe(true);
    const renewed = leaseEnd();
    expect(renewed).toBeGreaterThanOrEqual(first + 300);
    // Past the end of the first lease, before the end of the renewed one: still the child's.
    await sleep(first - Date.now() + 100);
    expect(Date.now()).toBeLessThan(renewed);
    expect(await parent.acquireLock(KEY, { owner: 'run-parent', ttlMs: 60_000 })).toMatchObject({ acquired: false, holder: { owner: 'run-child' } });
    // The child stops renewing (alive, e.g. stalled): its lease ends, the parent takes it.
    await sleep(renewed - Date.now() + 50);
    expect(await parent.acquireLock(KEY, { owner: 'run-parent', ttlMs: 60_000 })).toEqual({ acquired: true });
    expect(await child.send({ op: 'renew', key: KEY, owner: 'run-child', ttlMs })).toBe(false);
    expect(await child.send({ op: 'acquire', key: KEY, owner: 'run-child', ttlMs })).toMatchObject({ acquired: false, holder: { owner: 'run-parent' } });
    expect(await parent.renewLock(KEY, { owner: 'run-parent', ttlMs: 60_000 })).toBe(true);
  } finally {
    db.close();
  }
}, 60_000);
