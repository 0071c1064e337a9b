// The SQLite store's scope locks: a row per key with its owner and lease end, shared by every
// process opening the file. Each row also says which process holds it (host, pid and, on
// Linux, pid namespace), so a lock whose holder was killed on this host is taken over at
// once instead of blocking the scope until its lease ends.
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LockAttempt, LockOptions } from '../contracts/roster-store.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** The process taking or renewing a lock, as the `locks` row records it. */
export interface LockProcess {
  readonly host: string;
  readonly pid: number;
  /**
   * `/proc/self/ns/pid` on Linux (e.g. `pid:[4026531836]`), null elsewhere. Containers that
   * share the host's name (docker `--network host`, Kubernetes `hostNetwork`) have their own
   * process ids: a pid is only looked up when the holder's namespace is ours.
   */
  readonly pidNamespace: string | null;
}

export function currentLockProcess(): LockProcess {
  let pidNamespace: string | null = null;
  try {
    pidNamespace = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux, or /proc is not mounted: the host name and pid alone.
  }
  return { host: hostname(), pid: process.pid, pidNamespace };
}

/**
 * True only when process `pid` certainly does not exist here: signal 0 checks without
 * sending anything; ESRCH is "no such process", EPERM means it exists under another user.
 */
export function processIsGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown } | null)?.code === 'ESRCH';
  }
}

/** A row of the `holder` statement. */
type LockRow = readonly [owner: string, expiresAt: number, host: string | null, pid: number | null, pidNamespace: string | null];

/** Attempts at most, when the row changes between our statements (released, or taken over by another process). */
const ATTEMPTS = 3;

export class SqliteLocks {
  private readonly sql;

  constructor(
    db: SqliteDatabase,
    private readonly self: LockProcess,
    private readonly now: () => number,
  ) {
    this.sql = {
      // One statement: take a free lock, renew our own, or take over one whose lease ended.
      // Atomic across connections and processes; `changes` says whether we hold it now.
      acquire: db.prepare(
        'INSERT INTO locks (key, owner, expires_at, host, pid, pid_namespace) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET ' +
          'owner = excluded.owner, expires_at = excluded.expires_at, host = excluded.host, pid = excluded.pid, pid_namespace = excluded.pid_namespace ' +
          'WHERE locks.owner = excluded.owner OR locks.expires_at <= ?',
      ),
      holder: db.prepare('SELECT owner, expires_at, host, pid, pid_namespace FROM locks WHERE key = ?').raw(true),
      // Conditional on the holder we found gone: of two processes taking over at once, one changes the row.
      takeOver: db.prepare(
        'UPDATE locks SET owner = ?, expires_at = ?, host = ?, pid = ?, pid_namespace = ? WHERE key = ? AND owner = ? AND host = ? AND pid = ? AND pid_namespace IS ?',
      ),
      renew: db.prepare('UPDATE locks SET expires_at = ?, host = ?, pid = ?, pid_namespace = ? WHERE key = ? AND owner = ?'),
      release: db.prepare('DELETE FROM locks WHERE key = ? AND owner = ?'),
    };
  }

  /**
   * Takes the lock when it is free, ours, past its lease, or held by a process of this host
   * (and pid namespace) that no longer exists; else says who holds it.
   */
  acquire(key: string, options: LockOptions): LockAttempt {
    const { host, pid, pidNamespace } = this.self;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const now = this.now();
      const expiresAt = now + options.ttlMs;
      if (this.sql.acquire.run(key, options.owner, expiresAt, host, pid, pidNamespace, now).changes === 1) return { acquired: true };
      const row = this.sql.holder.get(key) as LockRow | undefined;
      // Released between the two statements: try again.
      if (row === undefined) continue;
      if (!this.holderIsGone(row)) return refused(row);
      const [holder, , holderHost, holderPid, holderPidNamespace] = row;
      if (this.sql.takeOver.run(options.owner, expiresAt, host, pid, pidNamespace, key, holder, holderHost, holderPid, holderPidNamespace).changes === 1) return { acquired: true };
      // Another process took it over first: look at the new holder.
    }
    const row = this.sql.holder.get(key) as LockRow | undefined;
    return row === undefined ? { acquired: false, holder: null } : refused(row);
  }

  /** Extends the lease when `owner` still holds the row (also past its lease, if no one took it). */
  renew(key: string, options: LockOptions): boolean {
    const { host, pid, pidNamespace } = this.self;
    return this.sql.renew.run(this.now() + options.ttlMs, host, pid, pidNamespace, key, options.owner).changes === 1;
  }

  release(key: string, owner: string): void {
    this.sql.release.run(key, owner);
  }

  /** A holder recorded on this host and pid namespace whose process is gone. Rows from before schema version 3 have no process: never. */
  private holderIsGone([, , host, pid, pidNamespace]: LockRow): boolean {
    return host === this.self.host && pidNamespace === this.self.pidNamespace && pid !== null && processIsGone(pid);
  }
}

function refused([owner, expiresAt]: LockRow): LockAttempt {
  return { acquired: false, holder: { owner, expiresAt: isoTime(expiresAt) } };
}

/** An epoch-ms lease end as ISO-8601; null for one no date can show (a lease of `ttlMs: Infinity`). */
function isoTime(ms: number): string | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
