// The SQLite store's `crossProcessLock`: separate processes opening one new file at once
// (each migrating it if first) and racing for one scope lock: exactly one gets it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

it('gives the scope lock to exactly one of three processes racing on a new file', async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-lock-'));
  const file = join(dir, 'roster.sqlite');
  // Far enough ahead that every child has started and opened the file.
  const startAt = Date.now() + 2_500;
  const owners = ['run-1', 'run-2', 'run-3'];
  const outputs = await Promise.all(
    owners.map((owner) => run(process.execPath, ['--import', 'tsx', child, file, owner, String(startAt)], { cwd: process.cwd(), timeout: 60_000 })),
  );
  const results = outputs.map((o) => JSON.parse(o.stdout) as { owner: string; acquired: boolean });
  expect(results.filter((r) => r.acquired)).toHaveLength(1);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    const holder = results.find((r) => r.acquired)?.owner;
    expect(db.prepare('SELECT owner FROM locks WHERE key = ?').get('district:D1')).toEqual({ owner: holder });
  } finally {
    db.close();
  }
});
