// The SQLite store's `crossProcessLock`: separate processes opening one file at once (each
// migrating it if first) and racing for one scope lock: exactly one gets it, and exactly one
// migrates the file.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION } from '../../src/sqlite/index.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./fixtures/lock-child.ts', import.meta.url));
let dir: string | undefined;

afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface ChildResult {
  readonly owner: string;
  readonly acquired: boolean;
  readonly migratedFrom: number | null;
}

/** Three processes open `file` and race for the scope lock. */
async function race(file: string): Promise<ChildResult[]> {
  // Far enough ahead that every child has started and opened the file.
  const startAt = Date.now() + 2_500;
  const owners = ['run-1', 'run-2', 'run-3'];
  const outputs = await Promise.all(
    owners.map((owner) => run(process.execPath, ['--import', 'tsx', child, file, owner, String(startAt)], { cwd: process.cwd(), timeout: 60_000 })),
  );
  return outputs.map((o) => JSON.parse(o.stdout) as ChildResult);
}

it('gives the scope lock to exactly one of three processes racing on a new file', async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-lock-'));
  const file = join(dir, 'roster.sqlite');
  const results = await race(file);
  expect(results.filter((r) => r.acquired)).toHaveLength(1);
  // A new file: one process created the schema (from version 0), the others found it made.
  expect(results.map((r) => r.migratedFrom).sort()).toEqual([0, null, null]);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    const holder = results.find((r) => r.acquired)?.owner;
    expect(db.prepare('SELECT owner FROM locks WHERE key = ?').get('district:D1')).toEqual({ owner: holder });
  } finally {
    db.close();
  }
});

it('migrates a version-1 file once when three processes open it at once', async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-lock-'));
  const file = join(dir, 'roster.sqlite');
  copyFileSync(fileURLToPath(new URL('./fixtures/v1-demo.sqlite', import.meta.url)), file);
  const results = await race(file);
  expect(results.map((r) => r.migratedFrom).sort()).toEqual([1, null, null]);
  expect(results.filter((r) => r.acquired)).toHaveLength(1);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM students').pluck(true).get()).toBe(42);
    expect(db.prepare('SELECT count(*) FROM links').pluck(true).get()).toBe(74);
    expect(db.prepare("SELECT count(*) FROM account_roles WHERE district_id = 'D100'").pluck(true).get()).toBe(59);
  } finally {
    db.close();
  }
});
