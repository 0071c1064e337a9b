// Session locks: one sync per scope, held as a PostgreSQL advisory lock on a connection kept
// for it. The server frees the lock the moment that connection ends, whatever ended it (a
// release, a crash, `kill -9`, a network cut the server notices, `pg_terminate_backend`), so
// a dead worker never holds a scope and no lease has to run out. The lock itself carries no
// name, so a row of `lock_holders` says who took it (shown in SYNC_IN_PROGRESS); a row whose
// backend no longer holds the lock is ignored.
//
// The advisory lock's 64-bit key is `hashtextextended('guardian-sync:<schema>:<key>', 0)`:
// stable across server versions (hash partitioning relies on it), and namespaced so stores
// in different schemas of one database never block each other. An administrator finds it in
// `pg_locks` (locktype `advisory`, objsubid 1) next to the backend pid in `lock_holders`.
import type { LockAttempt } from '../contracts/roster-store.js';
import type { PgClient, PgPool, PgQueryConfig, PgQueryResult } from './pg-types.js';
import { pgStoreFailure } from './postgres-errors.js';

/** How a lock session ends. */
export interface LockSessionCloseOptions {
  /** End the connection for good, so that any lock still on it is freed by the server, instead of giving it back. */
  readonly destroy: boolean;
}

/**
 * A connection that holds session locks: `lost` turns true when the connection reports an
 * error (the server ended it); `close({ destroy: false })` gives it back (to the pool, or
 * ends it), `close({ destroy: true })` closes it for good so that any lock still on it is
 * freed by the server.
 */
export interface LockSession {
  query(config: PgQueryConfig): Promise<PgQueryResult>;
  readonly lost: boolean;
  close(options: LockSessionCloseOptions): Promise<void>;
}

/** Opens a lock session: a client of the store's pool, or a dedicated connection. */
export type OpenLockSession = () => Promise<LockSession>;

/** A lock session on a client checked out of `pool`, kept out until the lock is released. */
export async function poolLockSession(pool: PgPool): Promise<LockSession> {
  const client = await pool.connect();
  let lost = false;
  // Without a listener, a checked-out client whose connection the server ends would throw
  // its 'error' event at the process (pg emits it) and crash the host.
  const onError = (): void => {
    lost = true;
  };
  client.on('error', onError);
  let closed = false;
  return {
    query: (config) => client.query(config),
    get lost() {
      return lost;
    },
    async close({ destroy }) {
      if (closed) return;
      closed = true;
      client.removeListener('error', onError);
      // `release(true)` ends the connection instead of pooling it: a connection that may still
      // hold a lock must never serve the pool's next caller.
      client.release(destroy || lost);
    },
  };
}

/** A lock session on a connection of its own: `create` returns a new, unconnected client; listened to, then connected. */
export async function dedicatedLockSession(create: () => PgClient | Promise<PgClient>): Promise<LockSession> {
  const client = await create();
  let lost = false;
  client.on('error', () => {
    lost = true;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let closed = false;
  return {
    query: (config) => client.query(config),
    get lost() {
      return lost;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Ending the connection frees every lock on it; an error here means it is gone already.
      await client.end().catch(() => undefined);
    },
  };
}

interface HeldLock {
  readonly key: string;
  readonly owner: string;
  readonly session: LockSession;
}

const ACQUIRED: LockAttempt = Object.freeze({ acquired: true });

/** The session locks of one store: at most one session per key, kept while the lock is held. */
export class PostgresSessionLocks {
  private readonly held = new Map<string, HeldLock>();
  /** Per key, the tail of the operations on it: acquire, renew and release of one key run one at a time. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly sql: ReturnType<typeof lockStatements>;

  constructor(
    private readonly schema: string,
    quotedSchema: string,
    private readonly open: OpenLockSession,
    /** How long a check of a held lock may take before its connection counts as lost. */
    private readonly checkTimeoutMs: number,
  ) {
    this.sql = lockStatements(quotedSchema);
  }

  /** The text whose hash is the advisory lock's key. */
  lockName(key: string): string {
    return `guardian-sync:${this.schema}:${key}`;
  }

  /**
   * Takes the lock on a session of its own (`pg_try_advisory_lock`: never waits), or says
   * who holds it. The owner that holds it in this store gets it again at once.
   */
  acquire(key: string, owner: string): Promise<LockAttempt> {
    return this.serialize(key, async () => {
      const current = this.held.get(key);
      if (current !== undefined) {
        if (await this.check(current)) return current.owner === owner ? ACQUIRED : busy(current.owner);
        // Our session is gone, and with it the lock: forget it and try afresh.
        this.held.delete(key);
        await current.session.close({ destroy: true });
      }
      let session: LockSession;
      try {
        session = await this.open();
      } catch (error) {
        throw pgStoreFailure(error, `connect to take the lock "${key}"`, 'the lock was not taken');
      }
      try {
        const result = await session.query({ text: this.sql.tryLock, values: [this.lockName(key), key, owner] });
        const row = result.rows[0] as { acquired: boolean; holder: string | null } | undefined;
        // Always one row; without it we cannot know the session holds nothing (it is ended below).
        if (row === undefined) throw new Error('The lock statement returned no row.');
        if (row.acquired) {
          this.held.set(key, { key, owner, session });
          return ACQUIRED;
        }
        await session.close({ destroy: false });
        return { acquired: false, holder: row.holder === null ? null : { owner: row.holder, expiresAt: null } };
      } catch (error) {
        // The statement may have taken the lock before failing: ending the session frees it.
        await session.close({ destroy: true });
        throw pgStoreFailure(error, `take the lock "${key}"`, 'the lock was not taken');
      }
    });
  }

  /** True while `owner` holds the lock through this store and its session still answers and holds it. */
  renew(key: string, owner: string): Promise<boolean> {
    return this.serialize(key, async () => {
      const current = this.held.get(key);
      return current !== undefined && current.owner === owner && (await this.check(current));
    });
  }

  /** Unlocks and gives the session back when `owner` holds the lock through this store; otherwise nothing. Never throws. */
  release(key: string, owner: string): Promise<void> {
    return this.serialize(key, async () => {
      const current = this.held.get(key);
      if (current === undefined || current.owner !== owner) return;
      this.held.delete(key);
      await this.unlock(key, current.session);
    });
  }

  /** Releases every lock this store holds (on close). Never throws. */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held].map(([key, lock]) => this.release(key, lock.owner).catch(() => undefined)));
  }

  /**
   * True when the session still answers and still holds the key's advisory lock. A session
   * that errors or does not answer within `checkTimeoutMs` counts as lost: the lock may
   * already be another's, and the run must stop before its next write.
   */
  private async check(lock: HeldLock): Promise<boolean> {
    if (lock.session.lost) return false;
    try {
      const result = await withTimeout(lock.session.query({ text: this.sql.holds, values: [this.lockName(lock.key)] }), this.checkTimeoutMs);
      return (result.rows[0] as { held: boolean } | undefined)?.held === true;
    } catch {
      return false;
    }
  }

  /** Unlocks and forgets the holder row; when that fails, ends the connection, which frees the lock all the same. */
  private async unlock(key: string, session: LockSession): Promise<void> {
    let clean = false;
    if (!session.lost) {
      try {
        const result = await withTimeout(session.query({ text: this.sql.unlock, values: [this.lockName(key), key] }), this.checkTimeoutMs);
        clean = (result.rows[0] as { unlocked: boolean } | undefined)?.unlocked === true;
      } catch {
        clean = false;
      }
    }
    await session.close({ destroy: !clean });
  }

  private serialize<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return result;
  }
}

function busy(owner: string): LockAttempt {
  return { acquired: false, holder: { owner, expiresAt: null } };
}

/**
 * The statements, for a schema. `$1` is the lock name (hashed to the advisory key); the
 * advisory lock of a bigint key shows in pg_locks as classid = its high 32 bits, objid = its
 * low 32 bits, objsubid = 1.
 */
function lockStatements(s: string) {
  const heldBy = (pid: string): string =>
    `SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = ${pid} ` +
    `AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) ` +
    `AND l.classid = ((hashtextextended($1, 0) >> 32) & 4294967295)::oid AND l.objid = (hashtextextended($1, 0) & 4294967295)::oid AND l.objsubid = 1`;
  return {
    // One statement: try the lock; when taken, record who holds it; when not, read who does
    // (only a holder row whose backend really holds the lock: a row left by a dead one is stale).
    tryLock:
      `WITH attempt AS (SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired), ` +
      `recorded AS (INSERT INTO ${s}.lock_holders (key, owner, pid, acquired_at) SELECT $2, $3, pg_backend_pid(), now() FROM attempt WHERE attempt.acquired ` +
      `ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, acquired_at = excluded.acquired_at RETURNING 1) ` +
      `SELECT a.acquired, (SELECT h.owner FROM ${s}.lock_holders h WHERE NOT a.acquired AND h.key = $2 AND EXISTS (${heldBy('h.pid')})) AS holder FROM attempt a`,
    // Run on the lock's own connection: answers only while it is alive, and says whether it still holds the lock.
    holds: `SELECT EXISTS (${heldBy('pg_backend_pid()')}) AS held`,
    unlock: `WITH forgotten AS (DELETE FROM ${s}.lock_holders WHERE key = $2 AND pid = pg_backend_pid()) SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS unlocked`,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
