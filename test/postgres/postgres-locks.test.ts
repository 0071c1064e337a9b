// The PostgreSQL store's session locks against a real server: a lock is held by a live
// connection and freed by the server the moment that connection ends, whether the server
// terminates it or the process holding it is killed with SIGKILL; the holder is named from
// `lock_holders` only while its backend really holds the lock; stores in different schemas
// never block each other; and a lock never outlives its release on a pooled connection.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { LockAttempt } from '../../src/contracts/roster-store.js';
import { createPostgresStore, type PostgresStore } from '../../src/postgres/index.js';
import { createTestPool, describePostgres, freshSchemaName, terminateLockHolder } from './postgres-harness.js';

const child = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));
const key = 'district:D1';
const lease = (owner: string) => ({ owner, ttlMs: 60_000 });

describePostgres('PostgreSQL session locks', (url) => {
  const pool = url === '' ? undefined : createTestPool(url, 8);
  const stores: PostgresStore[] = [];
  const schemas: string[] = [];

  /** A store in `schema` (a fresh one unless given) on a pool of its own, closed after the test. */
  async function openStore(schema?: string, options: { lockConnection?: 'pool' | 'dedicated'; maxConnections?: number } = {}): Promise<PostgresStore> {
    const name = schema ?? freshSchemaName('gs_lock');
    if (schema === undefined) schemas.push(name);
    const store = await createPostgresStore({ connectionString: url, schema: name, maxConnections: options.maxConnections ?? 3, lockConnection: options.lockConnection ?? 'pool' });
    stores.push(store);
    return store;
  }

  async function advisoryLocks(schema: string): Promise<number> {
    const result = await pool!.query(
      "SELECT count(*)::int AS n FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted " +
        'AND l.classid = ((hashtextextended($1, 0) >> 32) & 4294967295)::oid AND l.objid = (hashtextextended($1, 0) & 4294967295)::oid',
      [`guardian-sync:${schema}:${key}`],
    );
    return (result.rows[0] as { n: number }).n;
  }

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const schema of schemas.splice(0)) await pool!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('names the holder of a busy lock (no expiry: a session lock has none), across stores and pools', async () => {
    const a = await openStore();
    const b = await openStore(a.schema);
    await expect(a.acquireLock(key, lease('run-a'))).resolves.toEqual({ acquired: true });
    await expect(b.acquireLock(key, lease('run-b'))).resolves.toEqual({ acquired: false, holder: { owner: 'run-a', expiresAt: null } });
    // The same owner again, from the store that holds it: still held, one advisory lock.
    await expect(a.acquireLock(key, lease('run-a'))).resolves.toEqual({ acquired: true });
    expect(await advisoryLocks(a.schema)).toBe(1);
    await expect(b.renewLock(key, lease('run-a'))).resolves.toBe(false);
    await expect(a.renewLock(key, lease('run-a'))).resolves.toBe(true);
    await b.releaseLock(key, 'run-a');
    expect(await advisoryLocks(a.schema)).toBe(1);
    await a.releaseLock(key, 'run-a');
    expect(await advisoryLocks(a.schema)).toBe(0);
    await expect(b.acquireLock(key, lease('run-b'))).resolves.toEqual({ acquired: true });
    const holders = await pool!.query(`SELECT key, owner FROM "${a.schema}".lock_holders`);
    expect(holders.rows).toEqual([{ key, owner: 'run-b' }]);
  });

  it('frees the lock when the server terminates the holding connection: the holder cannot renew, another takes it at once, nothing crashes', async () => {
    const a = await openStore();
    const b = await openStore(a.schema);
    await a.acquireLock(key, lease('run-a'));
    expect(await terminateLockHolder(pool!, a.schema, key)).toBe(1);
    await expect(a.renewLock(key, lease('run-a'))).resolves.toBe(false);
    await expect(b.acquireLock(key, lease('run-b'))).resolves.toEqual({ acquired: true });
    // The old holder's release is a no-op that does not throw, and it cannot take the lock back.
    await expect(a.releaseLock(key, 'run-a')).resolves.toBeUndefined();
    await expect(a.acquireLock(key, lease('run-a'))).resolves.toEqual({ acquired: false, holder: { owner: 'run-b', expiresAt: null } });
    // Its store still works: the broken connection left the pool.
    await expect(a.listRuns()).resolves.toEqual([]);
  });

  it('frees the lock when the process holding it is killed with SIGKILL, within a second or two', async () => {
    const store = await openStore();
    const proc = spawn(process.execPath, ['--import', 'tsx', child, url, store.schema, key, 'run-child'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: proc.stdout }).once('line', resolve);
        proc.once('exit', (code) => reject(new Error(`child exited (${code}) before taking the lock: ${stderr}`)));
      });
      const reported = JSON.parse(line) as { result: LockAttempt };
      expect(reported.result).toEqual({ acquired: true });
      await expect(store.acquireLock(key, lease('run-parent'))).resolves.toEqual({ acquired: false, holder: { owner: 'run-child', expiresAt: null } });
      proc.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      let attempt: LockAttempt = { acquired: false, holder: null };
      while (!attempt.acquired && Date.now() - killedAt < 10_000) {
        attempt = await store.acquireLock(key, lease('run-parent'));
        if (!attempt.acquired) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const waited = Date.now() - killedAt;
      expect(attempt).toEqual({ acquired: true });
      expect(waited).toBeLessThan(2_000);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  });

  it("ignores a holder row whose backend does not hold the lock (a dead holder's leftover)", async () => {
    const a = await openStore();
    const b = await openStore(a.schema);
    // A leftover of a holder that died: free lock, stale row.
    await pool!.query(`INSERT INTO "${a.schema}".lock_holders (key, owner, pid) VALUES ($1, 'run-dead', 999999)`, [key]);
    await expect(a.acquireLock(key, lease('run-a'))).resolves.toEqual({ acquired: true });
    // The row now names run-a; pretend it still named a dead backend: the busy answer names nobody.
    await pool!.query(`UPDATE "${a.schema}".lock_holders SET owner = 'run-dead', pid = 999999 WHERE key = $1`, [key]);
    await expect(b.acquireLock(key, lease('run-b'))).resolves.toEqual({ acquired: false, holder: null });
  });

  it('keeps stores in different schemas of one database from blocking each other', async () => {
    const one = await openStore();
    const two = await openStore();
    await expect(one.acquireLock(key, lease('run-1'))).resolves.toEqual({ acquired: true });
    await expect(two.acquireLock(key, lease('run-2'))).resolves.toEqual({ acquired: true });
  });

  it('holds a lock on a connection of its own with lockConnection "dedicated": a pool of one still serves queries', async () => {
    const store = await openStore(undefined, { lockConnection: 'dedicated', maxConnections: 1 });
    await store.acquireLock(key, lease('run-a'));
    await store.acquireLock('school:SA', lease('run-a'));
    await expect(store.listRuns()).resolves.toEqual([]);
    await expect(store.transaction(async (writer) => writer.readAccounts(['x']), {})).resolves.toEqual([]);
    expect(await advisoryLocks(store.schema)).toBe(1);
    await terminateLockHolder(pool!, store.schema, key);
    await expect(store.renewLock(key, lease('run-a'))).resolves.toBe(false);
    await expect(store.renewLock('school:SA', lease('run-a'))).resolves.toBe(true);
  });

  it('gives every lock back on close(), and never returns a pooled connection that still holds one', async () => {
    const a = await openStore(undefined, { maxConnections: 1 });
    const b = await openStore(a.schema);
    await a.acquireLock(key, lease('run-a'));
    await a.releaseLock(key, 'run-a');
    // The pool's only connection served the lock: after the release it holds none.
    await a.listRuns();
    expect(await advisoryLocks(a.schema)).toBe(0);
    await a.acquireLock(key, lease('run-a'));
    await a.close();
    await expect(b.acquireLock(key, lease('run-b'))).resolves.toEqual({ acquired: true });
  });
});
