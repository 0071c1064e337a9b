// The SQLite roster store (better-sqlite3): the CLI's embedded roster and a ready store for
// hosts without their own database. One transaction per apply (atomic; the library drives the
// writer, src/sqlite/sqlite-writer.ts), locks as leased rows shared between processes
// (src/sqlite/sqlite-locks.ts), run history with the whole report kept as JSON.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type {
  FullRosterStore,
  ListRunsOptions,
  LockAttempt,
  LockOptions,
  RosterExport,
  RosterImport,
  RosterImportResult,
  RosterStoreCapabilities,
  RosterWriter,
  TransactionOptions,
} from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { RunStatus, RunSummary, SavedReport } from '../model/report.js';
import type { Account, Org, ResolvedScope, RosterSnapshot, SnapshotRequest, SyncLevel, SyncScope } from '../model/roster.js';
import { stringifyReport } from '../report/stringify-report.js';
import { sortedSisIds } from '../model/account-roles.js';
import { ACCOUNT_ROLE_COLUMNS_SQL, groupAccountRows as groupAccountColumns, type AccountRoleColumns } from '../stores/account-rows.js';
import { buildRosterExport } from '../stores/build-roster-export.js';
import { importStaffRecords } from '../stores/import-staff.js';
import { loadAborted } from '../stores/store-errors.js';
import type { StoreHooks } from '../stores/store-hooks.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { asOpenFailure, asSqliteFailure, sqliteCode } from './sqlite-errors.js';
import { currentLockProcess, SqliteLocks } from './sqlite-locks.js';
import { readMigrationNotes, type SqliteMigration, type SqliteMigrationNote } from './migration-notes.js';
import { mergeSqliteDistrict } from './sqlite-import.js';
import { migrateSqliteSchema } from './sqlite-schema.js';
import { parseSisIds } from './sis-ids-text.js';
import { SqliteSnapshotReads } from './sqlite-snapshot-reads.js';
import { createSqliteWriter, prepareWriterStatements, putRole, SQLITE_WRITE_BATCH_SIZE, type SqliteWriterStatements } from './sqlite-writer.js';

export interface SqliteStoreOptions extends StoreHooks {
  /**
   * A better-sqlite3 `Database` (or anything with the same methods), or the path of the
   * database file to open (created when missing; `:memory:` for a private in-memory one).
   * A connection you pass stays yours: `close()` does not close it.
   * @example createSqliteStore({ database: 'roster.sqlite' })
   * @example createSqliteStore({ database: new Database('roster.sqlite') })
   */
  readonly database: SqliteDatabase | string;
  /** How long a write waits for another process's write lock, when the store opens the file. @default 5000 */
  readonly busyTimeoutMs?: number | undefined;
  /**
   * SQLite page cache of a connection the store opens, in MiB. SQLite's default (2 MiB) makes
   * a 1,000,000-link apply re-read index pages from the OS over and over; 128 MiB cut its CPU
   * time by 40% in our measurement. Used as needed, not reserved. A district's reads
   * (`loadSnapshot`, `exportRoster`) and a run's report (`saveRun`) visit each page about
   * once and use a small cache instead.
   * Not applied to a connection you pass (your settings stay yours).
   * @default 128
   */
  readonly cacheSizeMiB?: number | undefined;
}

/** `close()` closes the connection if the store opened it (from a path); idempotent. */
export interface SqliteStore extends FullRosterStore {
  /** The connection the store uses (for inspection and the host's own queries). */
  readonly database: SqliteDatabase;
  /**
   * The schema migration this store ran when it opened the file, or null when the file was
   * already at `SQLITE_SCHEMA_VERSION` (`fromVersion` is 0 for a new file). `unplaced`
   * lists what could not be carried over: a version-1 roster holding several districts
   * cannot say which district a role of an account without links belongs to (an archived
   * guardian, a staff member), so such roles are dropped and listed here, by ids only (no
   * names or contacts). Show them to whoever runs the upgrade: a roster import or the
   * district's next sync gives most of them back.
   */
  readonly migration: SqliteMigration | null;
  /**
   * Every note any migration of this file left (kept in its `migration_notes` table), in the
   * order they were written: the same as `migration.unplaced` of the process that migrated,
   * for the processes that did not.
   */
  migrationNotes(): readonly SqliteMigrationNote[];
}

const CAPABILITIES: RosterStoreCapabilities = Object.freeze({ atomicApply: true, lockKind: 'lease', crossProcessLock: true });

/** A row of ACCOUNT_ROLE_COLUMNS_SQL: SIS ids come back as JSON text. */
type AccountRoleRow = AccountRoleColumns<string>;
// Rows of the raw statements below (`prepareStatements`), column by column in SELECT order.
/** `allOrgs`. */
type OrgRow = readonly [id: string, name: string, type: string, parentId: string | null];
/** Statements that select one id: `schoolsOfDistrict`, `accountIdByStaffSisId`. */
type IdRow = readonly [id: string];

/**
 * Opens (or adopts) a SQLite roster and brings its schema up to date.
 * @throws GuardianSyncError INVALID_CONFIGURATION when better-sqlite3 is needed but not
 *   installed, the path cannot be opened (a folder, a folder that does not exist) or is not
 *   a SQLite database, or the file belongs to a newer guardian-sync or to another program;
 *   STORE_FAILED when the file is read-only for this process. Messages name the path.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const ownsDatabase = typeof options.database === 'string';
  // A temporary or in-memory database has no path worth naming.
  const file = typeof options.database === 'string' && options.database !== ':memory:' && options.database !== '' ? options.database : undefined;
  const db: SqliteDatabase = typeof options.database === 'string' ? openDatabaseFile(options.database, options.busyTimeoutMs ?? 5_000) : options.database;
  let migration: SqliteMigration | null;
  try {
    // WAL lets other connections read (snapshots, runs) while one applies a plan; foreign keys
    // are how a link to an unknown account or student is refused. Both are set outside any transaction.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    if (ownsDatabase) {
      db.pragma('synchronous = NORMAL');
      db.pragma(`cache_size = ${cacheSizePragma(options.cacheSizeMiB ?? DEFAULT_CACHE_MIB)}`);
    }
    const migrated = migrateSqliteSchema(db);
    migration = migrated === null ? null : { ...migrated, unplaced: readMigrationNotes(db, migrated.fromVersion) };
  } catch (error) {
    if (ownsDatabase) db.close();
    // SQLite reads the file first here (WAL needs it writable, a foreign file is not a database).
    throw file !== undefined && sqliteCode(error).startsWith('SQLITE_') ? asOpenFailure(error, file) : error;
  }
  return new SqliteRosterStore(db, ownsDatabase, migration, options, file);
}

const DEFAULT_CACHE_MIB = 128;
/** The page cache of a district's read and a run's report (see `withSmallCache`). */
const SMALL_CACHE_MIB = 8;

/** `PRAGMA cache_size` takes KiB as a negative number; SQLite's own floor is 2 MiB here. */
function cacheSizePragma(mib: number): number {
  return -Math.max(2, Math.floor(mib)) * 1024;
}

/** Opens the file by path; a path that cannot be opened is said with the path (asOpenFailure). */
function openDatabaseFile(path: string, timeout: number): SqliteDatabase {
  const Database = loadBetterSqlite3();
  try {
    return new Database(path, { timeout });
  } catch (error) {
    throw asOpenFailure(error, path);
  }
}

class SqliteRosterStore implements SqliteStore {
  readonly capabilities = CAPABILITIES;
  readonly writeBatchSize = SQLITE_WRITE_BATCH_SIZE;
  private closed = false;
  private readonly newAccountId: () => string;
  private readonly sql: ReturnType<typeof prepareStatements>;
  /** The page cache of the plan's writes, when the store opened the connection (see `withSmallCache`). */
  private readonly cacheSizeMiB: number;
  /** A district's reads (loadSnapshot, exportRoster). */
  private readonly reads: SqliteSnapshotReads;
  private readonly writes: SqliteWriterStatements;
  private readonly locks: SqliteLocks;
  /**
   * The connection is one, synchronous, and a transaction's body is async: while a body is
   * pending, the connection is inside its transaction. Every method that opens a transaction
   * (`transaction`, `loadSnapshot`, `importRoster`, `exportRoster`) and `close` waits here for
   * the one before it, so none begins inside another or reads rows not yet committed.
   * Single statements (locks, run history, scopes, orgs) do not wait: run while a body is
   * pending, they are part of its transaction (no other connection can write meanwhile: it
   * holds the file's write lock). That is what lets a run's lease heartbeat renew its lock
   * during a long apply; a rollback undoes such a statement with the rest.
   */
  private queue: Promise<void> = Promise.resolve();
  /** The transaction whose body is pending, if any. */
  private open: object | null = null;
  /** The transaction the running code is the body of, to refuse a call that would wait for its own body. */
  private readonly bodyOf = new AsyncLocalStorage<object>();

  constructor(
    readonly database: SqliteDatabase,
    private readonly ownsDatabase: boolean,
    readonly migration: SqliteMigration | null,
    options: SqliteStoreOptions,
    /** The database file when the store opened it by path: failures name it. */
    private readonly file?: string | undefined,
  ) {
    this.newAccountId = options.newAccountId ?? randomUUID;
    this.cacheSizeMiB = options.cacheSizeMiB ?? DEFAULT_CACHE_MIB;
    this.sql = prepareStatements(database);
    this.reads = new SqliteSnapshotReads(database);
    this.writes = prepareWriterStatements(database);
    this.locks = new SqliteLocks(database, currentLockProcess(), options.now ?? Date.now);
  }

  migrationNotes(): readonly SqliteMigrationNote[] {
    return readMigrationNotes(this.database);
  }

  async resolveScope(scope: SyncScope): Promise<ResolvedScope | null> {
    const org = this.sql.org.get(scope.orgId) as { id: string; type: string; parent_id: string | null } | undefined;
    if (org === undefined || org.type !== scope.level) return null;
    if (org.type === 'district') {
      const schoolIds = (this.sql.schoolsOfDistrict.all(org.id) as IdRow[]).map(([schoolId]) => schoolId);
      return { level: scope.level, orgId: org.id, districtId: org.id, schoolIds };
    }
    // A school without a district stands alone: it is its own district.
    return { level: scope.level, orgId: org.id, districtId: org.parent_id ?? org.id, schoolIds: [org.id] };
  }

  async loadSnapshot(scope: ResolvedScope, request: SnapshotRequest): Promise<RosterSnapshot> {
    if (request.signal?.aborted === true) throw loadAborted();
    const { districtId } = scope;
    return this.serially('load the roster', () => {
      if (request.signal?.aborted === true) throw loadAborted();
      // One read transaction: every read sees the same moment even if another process writes.
      return this.withSmallCache(() =>
        this.atomically('DEFERRED', () => {
          const { students, accounts, links, loaded } = this.reads.district(districtId, 'all');
          for (const account of this.reads.loginHolders(accounts, loaded, request.logins)) accounts.push(account);
          return { scope, students, accounts, links };
        }),
      );
    });
  }

  transaction<T>(body: (writer: RosterWriter) => Promise<T>, options: TransactionOptions): Promise<T> {
    return this.serially('open a transaction', async () => {
      if (options.signal?.aborted === true) throw transactionAborted();
      // IMMEDIATE: take the write lock up front, so a concurrent writer waits at BEGIN (busy
      // timeout) instead of failing halfway through.
      try {
        this.database.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw asSqliteFailure(error, 'start a transaction', this.file);
      }
      const token = {};
      this.open = token;
      let result: T;
      try {
        const writer = createSqliteWriter(this.writes, () => this.open === token);
        result = await this.bodyOf.run(token, () => body(writer));
      } catch (error) {
        this.open = null;
        rollback(this.database);
        throw error;
      }
      this.open = null;
      try {
        this.database.exec('COMMIT');
      } catch (error) {
        rollback(this.database);
        throw asSqliteFailure(error, 'commit the transaction', this.file);
      }
      return result;
    });
  }

  async acquireLock(key: string, options: LockOptions): Promise<LockAttempt> {
    try {
      return this.locks.acquire(key, options);
    } catch (error) {
      throw asSqliteFailure(error, `take the lock "${key}"`, this.file);
    }
  }

  async renewLock(key: string, options: LockOptions): Promise<boolean> {
    try {
      return this.locks.renew(key, options);
    } catch (error) {
      throw asSqliteFailure(error, `renew the lock "${key}"`, this.file);
    }
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    try {
      this.locks.release(key, owner);
    } catch (error) {
      throw asSqliteFailure(error, `release the lock "${key}"`, this.file);
    }
  }

  async saveRun(report: SavedReport): Promise<void> {
    try {
      // The summary and the report (schema version 5: two tables) change together. The
      // report's pages are written once: a big cache would only hold them (71 MB at 1,000,000 rows).
      this.withSmallCache(() => this.atomically('IMMEDIATE', () => {
        this.sql.saveRun.run(
          report.runId,
          report.scope.level,
          report.scope.orgId,
          report.status,
          report.dryRun ? 1 : 0,
          report.startedAt,
          report.finishedAt,
          JSON.stringify(report.counts),
          JSON.stringify(report.threshold) ?? null,
        );
        // As report.json writes it: change entries lose their display names (report.html's only).
        this.sql.saveRunReport.run(report.runId, stringifyReport(report));
      }));
    } catch (error) {
      throw asSqliteFailure(error, `save run "${report.runId}"`, this.file);
    }
  }

  async listRuns(options: ListRunsOptions = {}): Promise<readonly RunSummary[]> {
    const limit = options.limit === undefined ? -1 : Math.max(0, Math.floor(options.limit));
    const rows = (
      options.scope === undefined ? this.sql.listRuns.all(limit) : this.sql.listRunsOfScope.all(options.scope.level, options.scope.orgId, limit)
    ) as {
      run_id: string;
      scope_level: SyncLevel;
      scope_org_id: string;
      status: RunStatus;
      dry_run: number;
      started_at: string;
      finished_at: string;
      counts: string;
      threshold: string | null;
    }[];
    return rows.map((row) => ({
      runId: row.run_id,
      scope: { level: row.scope_level, orgId: row.scope_org_id },
      status: row.status,
      dryRun: row.dry_run === 1,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: JSON.parse(row.counts) as RunSummary['counts'],
      // NULL only for a run saved without a threshold in its report (see schema version 4).
      ...(row.threshold === null ? {} : { threshold: JSON.parse(row.threshold) as NonNullable<RunSummary['threshold']> }),
    }));
  }

  async getRun(runId: string): Promise<SavedReport | null> {
    const row = this.sql.getRun.get(runId) as { report: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.report) as SavedReport);
  }

  async importRoster(data: RosterImport): Promise<RosterImportResult> {
    return this.serially('import the roster', () => {
      try {
        return this.importInTransaction(data);
      } catch (error) {
        throw asSqliteFailure(error, 'import the roster', this.file);
      }
    });
  }

  private importInTransaction(data: RosterImport): RosterImportResult {
    const { sql } = this;
    return this.atomically('IMMEDIATE', () => {
      // Districts before schools, so a school's district exists when it is written.
      const orgs = [...data.orgs].sort((a, b) => (a.type === b.type ? 0 : a.type === 'district' ? -1 : 1));
      for (const org of orgs) sql.upsertOrg.run(org.id, org.name, org.type, org.parentId);
      // After the orgs (the district merged into is one of them), before the rows, which then
      // update the moved students in place.
      for (const merge of data.mergeDistricts ?? []) mergeSqliteDistrict(this.database, this.writes, merge.from, merge.into);
      for (const student of data.students) {
        try {
          // Keyed by (district, SIS id): another district's student with the same SIS id is another row.
          sql.upsertStudent.run(student.districtId, student.sisId, student.schoolId, student.firstName, student.lastName);
        } catch (error) {
          throw new GuardianSyncError(
            'STORE_FAILED',
            `Roster import: student "${student.sisId}" of district "${student.districtId}" belongs to school "${student.schoolId}", which is not in the roster (${sqliteCode(error)}); nothing was imported. Import the school's org too.`,
          );
        }
      }
      const counts = importStaffRecords(data.staff, {
        accountByStaffSisId: (districtId, sisId) => {
          const [accountId] = (sql.accountIdByStaffSisId.get(districtId, sisId) as IdRow | undefined) ?? [];
          return accountId === undefined ? undefined : this.reads.account(accountId);
        },
        accountsByEmail: (email) => groupAccountRows(sql.accountsByEmail.all(email) as AccountRoleRow[]),
        accountsByMobile: (mobile) => groupAccountRows(sql.accountsByMobile.all(mobile) as AccountRoleRow[]),
        write: (account) => this.writeAccount(account),
        newAccountId: this.newAccountId,
      });
      return { orgs: data.orgs.length, students: data.students.length, ...counts };
    });
  }

  async listOrgs(): Promise<readonly Org[]> {
    return (this.sql.allOrgs.all() as OrgRow[]).map(([id, name, type, parentId]) => ({
      id,
      name,
      type: type === 'school' ? 'school' : 'district',
      parentId,
    }));
  }

  async exportRoster(districtId: string): Promise<RosterExport> {
    return this.serially('export the roster', () =>
      this.withSmallCache(() =>
        this.atomically('DEFERRED', () => {
          // The export shows the district's roles only: read no others.
          const { students, accounts, links } = this.reads.district(districtId, 'district');
          return buildRosterExport({ districtId, accounts, links, students });
        }),
      ),
    );
  }

  async close(): Promise<void> {
    // After the transaction in progress, if any: closing under it would roll it back.
    await this.serially('close the store', () => {
      if (this.closed) return;
      this.closed = true;
      if (this.ownsDatabase) this.database.close();
    });
  }

  /**
   * Runs `run` once every method queued before it has finished (see `queue`). Refused from
   * inside a transaction's body: it would wait for that body, which waits for it.
   */
  private serially<T>(doing: string, run: () => T | Promise<T>): Promise<T> {
    if (this.open !== null && this.bodyOf.getStore() === this.open) {
      return Promise.reject(
        new GuardianSyncError(
          'STORE_FAILED',
          `The SQLite store cannot ${doing} inside a transaction's body: it would wait for that transaction to end, which waits for it. Use the writer, or do it after the transaction.`,
        ),
      );
    }
    const result = this.queue.then(run);
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Writes an account a roster import made or changed, with its roles. */
  private writeAccount(account: Account): void {
    this.sql.upsertAccount.run(
      account.id,
      account.firstName,
      account.lastName,
      account.email,
      account.mobilePhone,
      account.homePhone,
      account.language,
      account.claimed ? 1 : 0,
    );
    for (const role of account.roles) putRole(this.writes, account.id, role.districtId, role.role, role.status, sortedSisIds(role.sisIds));
  }

  /**
   * Runs `work` with a small page cache on a connection the store opened: for a district's
   * read and a run's report, which visit each page about once, so a big cache mostly holds
   * pages that are not used again. At 1,000,000 rows the 128 MiB cache added 140 MiB to a dry
   * run's peak RSS during the read and saved no time (2 and 8 MiB read as fast). The
   * configured size is back for the plan's writes, which do revisit pages.
   */
  private withSmallCache<T>(work: () => T): T {
    if (!this.ownsDatabase) return work();
    this.database.pragma(`cache_size = ${cacheSizePragma(SMALL_CACHE_MIB)}`);
    try {
      return work();
    } finally {
      this.database.pragma(`cache_size = ${cacheSizePragma(this.cacheSizeMiB)}`);
    }
  }

  /** Runs a synchronous `body` in one transaction; rolls back on any throw. */
  private atomically<T>(mode: 'DEFERRED' | 'IMMEDIATE', body: () => T): T {
    this.database.exec(`BEGIN ${mode}`);
    try {
      const result = body();
      this.database.exec('COMMIT');
      return result;
    } catch (error) {
      rollback(this.database);
      throw error;
    }
  }
}

function prepareStatements(db: SqliteDatabase) {
  const raw = (sql: string): SqliteStatement => db.prepare(sql).raw(true);
  return {
    org: db.prepare('SELECT id, type, parent_id FROM orgs WHERE id = ?'),
    allOrgs: raw('SELECT id, name, type, parent_id FROM orgs ORDER BY id'),
    schoolsOfDistrict: raw("SELECT id FROM orgs WHERE type = 'school' AND parent_id = ? ORDER BY id"),
    accountIdByStaffSisId: raw("SELECT account_id FROM role_sis_ids WHERE district_id = ? AND role = 'staff' AND sis_id = ? ORDER BY account_id LIMIT 1"),
    accountsByEmail: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS_SQL} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.email = ? ORDER BY a.id, r.district_id, r.role`),
    accountsByMobile: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS_SQL} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.mobile_phone = ? ORDER BY a.id, r.district_id, r.role`),
    upsertAccount: db.prepare(
      'INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ' +
        'first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, mobile_phone = excluded.mobile_phone, ' +
        'home_phone = excluded.home_phone, language = excluded.language, claimed = excluded.claimed',
    ),
    upsertOrg: db.prepare('INSERT INTO orgs (id, name, type, parent_id) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, parent_id = excluded.parent_id'),
    upsertStudent: db.prepare(
      'INSERT INTO students (district_id, sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (district_id, sis_id) DO UPDATE SET school_id = excluded.school_id, first_name = excluded.first_name, last_name = excluded.last_name',
    ),
    saveRun: db.prepare(
      'INSERT OR REPLACE INTO runs (run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, threshold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    saveRunReport: db.prepare('INSERT OR REPLACE INTO run_reports (run_id, report) VALUES (?, ?)'),
    listRuns: db.prepare('SELECT run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, threshold FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?'),
    listRunsOfScope: db.prepare(
      'SELECT run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, threshold FROM runs WHERE scope_level = ? AND scope_org_id = ? ORDER BY started_at DESC, run_id DESC LIMIT ?',
    ),
    getRun: db.prepare('SELECT report FROM run_reports WHERE run_id = ?'),
  };
}

/** Accounts with their roles from rows of ACCOUNT_ROLE_COLUMNS_SQL, each account's rows together. */
function groupAccountRows(rows: readonly AccountRoleRow[]): Account[] {
  return groupAccountColumns(rows, parseSisIds);
}

/** Rolls back an open transaction; never throws, so the error that caused it is the one reported. */
function rollback(db: SqliteDatabase): void {
  if (db.inTransaction === false) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // No transaction was open (a connection without `inTransaction`), or SQLite already
    // rolled it back itself (e.g. after SQLITE_FULL): nothing is left to undo.
  }
}

/** The transaction was cancelled through its AbortSignal before it began. */
function transactionAborted(): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'The SQLite transaction was cancelled before it began; nothing was changed. Run again.', { transient: true });
}
