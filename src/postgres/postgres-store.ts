// The PostgreSQL roster store (node-postgres): a store for hosts whose roster lives in
// PostgreSQL, or that run several workers against one roster. Atomic transactions, keyed
// snapshots in one REPEATABLE READ READ ONLY transaction, set-based writes, session locks
// the server frees when a worker dies, run history with the whole report as jsonb.
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
import type { Org, ResolvedScope, RosterSnapshot, SnapshotRequest, SyncLevel, SyncScope } from '../model/roster.js';
import { stringifyReport } from '../report/stringify-report.js';
import { compareText } from '../model/compare-text.js';
import { buildRosterExport } from '../stores/build-roster-export.js';
import { applyAborted, loadAborted } from '../stores/store-errors.js';
import { loadPg } from './load-pg.js';
import type { PgClient, PgPool, PgPoolClient } from './pg-types.js';
import { describePgError, isTransientPgError, pgStoreFailure } from './postgres-errors.js';
import { importPostgresRoster } from './postgres-import.js';
import { dedicatedLockSession, PostgresSessionLocks, poolLockSession, type OpenLockSession } from './postgres-locks.js';
import { PostgresReads } from './postgres-reads.js';
import {
  DEFAULT_POSTGRES_SCHEMA,
  migratePostgresSchema,
  POSTGRES_SCHEMA_VERSION,
  quoteSchema,
  readPostgresSchemaVersion,
  validateSchemaName,
  type PostgresMigration,
} from './postgres-schema.js';
import { createPostgresWriter } from './postgres-writer.js';

/**
 * Where a session lock's connection comes from:
 * - `'pool'`: a client checked out of the store's pool and kept out while the lock is held
 *   (each held lock uses one of the pool's connections, so a sync needs a pool of at least
 *   two: the lock's, and one for its reads and writes);
 * - `'dedicated'`: a connection of its own per lock, opened from `connectionString` (the
 *   pool's connections stay for queries);
 * - a function returning a new, unconnected `pg.Client` (the store listens for its errors,
 *   connects it, and ends it on release), e.g. one straight to the server when the pool
 *   goes through PgBouncer in transaction mode, where session locks do not hold.
 */
export type PostgresLockConnection = 'pool' | 'dedicated' | (() => PgClient | Promise<PgClient>);

export interface PostgresStoreCommonOptions {
  /** The schema the store's tables live in (created when missing). @default 'guardian_sync' */
  readonly schema?: string | undefined;
  /**
   * Bring the schema up to date on open (`migratePostgresSchema`). With false the store only
   * checks that the schema is at the version this code writes, and refuses to open
   * otherwise: for hosts that migrate from a deploy step with a role that may create tables.
   * @default true
   */
  readonly migrate?: boolean | undefined;
  /** See {@link PostgresLockConnection}. @default 'pool' */
  readonly lockConnection?: PostgresLockConnection | undefined;
  /**
   * How long checking a held lock (renewLock) may take before its connection counts as lost
   * and the lock as no longer held. @default 10000
   */
  readonly lockCheckTimeoutMs?: number | undefined;
  /** Rows per write call (`writeBatchSize`). @default 1000 */
  readonly writeBatchSize?: number | undefined;
  /** Ids of accounts a roster import creates. @default crypto.randomUUID */
  readonly newAccountId?: (() => string) | undefined;
}

/** Options of {@link createPostgresStore}: a pool of yours, or a connection string. */
export type PostgresStoreOptions = PostgresStoreCommonOptions &
  (
    | {
        /**
         * A `pg.Pool` (or anything with its `query`, `connect` and `end`). It stays yours:
         * `close()` does not end it. Give it an `error` listener, as node-postgres asks of
         * every pool: an idle connection the server ends is reported there.
         */
        readonly pool: PgPool;
        readonly connectionString?: undefined;
      }
    | {
        /**
         * A PostgreSQL connection string (`postgresql://user@host:5432/db`): the store loads
         * `pg` (an optional peer dependency), opens its own pool and ends it on `close()`.
         */
        readonly connectionString: string;
        readonly pool?: undefined;
        /** Connections of the store's pool. @default 10 */
        readonly maxConnections?: number | undefined;
      }
  );

/** `close()` releases the locks the store holds and ends the pool if the store opened it; idempotent. */
export interface PostgresStore extends FullRosterStore {
  /** The pool the store uses (for inspection and the host's own queries). */
  readonly pool: PgPool;
  /** The schema the store's tables live in. */
  readonly schema: string;
  /** The migration this store ran when it opened, or null when the schema was already current. */
  readonly migration: PostgresMigration | null;
}

const CAPABILITIES: RosterStoreCapabilities = Object.freeze({ atomicApply: true, lockKind: 'session', crossProcessLock: true });

/**
 * One statement per batch of 1000 rows: large enough that the round trip is a small part
 * of the statement, small enough that a batch's arrays and its plan stay cheap.
 */
const DEFAULT_WRITE_BATCH = 1_000;

/**
 * Opens a PostgreSQL roster store and (unless `migrate: false`) brings its schema up to date.
 * @example const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * @example const store = await createPostgresStore({ pool, schema: 'roster' });
 * @throws GuardianSyncError INVALID_CONFIGURATION for invalid options, when `pg` is needed but
 *   not installed, or when the schema belongs to a newer guardian-sync or to something else;
 *   STORE_FAILED when the database cannot be reached or migrated.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = validateSchemaName(options.schema ?? DEFAULT_POSTGRES_SCHEMA);
  const connectionString = options.connectionString;
  if ((options.pool === undefined) === (connectionString === undefined)) {
    throw new GuardianSyncError('INVALID_CONFIGURATION', 'The PostgreSQL store needs exactly one of "pool" and "connectionString".');
  }
  const lockConnection = options.lockConnection ?? 'pool';
  if (lockConnection === 'dedicated' && connectionString === undefined) {
    throw new GuardianSyncError('INVALID_CONFIGURATION', 'lockConnection "dedicated" needs "connectionString"; with your own pool, pass a function returning a pg.Client.');
  }
  const writeBatchSize = options.writeBatchSize ?? DEFAULT_WRITE_BATCH;
  if (!Number.isInteger(writeBatchSize) || writeBatchSize < 1) throw new GuardianSyncError('INVALID_CONFIGURATION', 'writeBatchSize must be a positive integer.');

  let pool: PgPool;
  if (options.pool !== undefined) pool = options.pool;
  else {
    const pg = loadPg();
    const maxConnections = 'maxConnections' in options ? options.maxConnections : undefined;
    pool = new pg.Pool({ connectionString: connectionString!, application_name: 'guardian-sync', max: maxConnections ?? 10 });
    // node-postgres reports an idle connection the server ended on the pool; unheard, the
    // event would crash the process. The pool drops that connection itself.
    pool.on('error', () => undefined);
  }
  const ownsPool = options.pool === undefined;

  let openLockSession: OpenLockSession;
  if (lockConnection === 'pool') openLockSession = () => poolLockSession(pool);
  else if (lockConnection === 'dedicated') {
    const pg = loadPg();
    openLockSession = () => dedicatedLockSession(() => new pg.Client({ connectionString: connectionString!, application_name: 'guardian-sync lock' }));
  } else {
    openLockSession = () => dedicatedLockSession(lockConnection);
  }

  try {
    let migration: PostgresMigration | null = null;
    if (options.migrate === false) await checkSchemaVersion(pool, schema);
    else migration = await migratePostgresSchema(pool, { schema });
    return new PostgresRosterStore(pool, ownsPool, schema, migration, openLockSession, {
      writeBatchSize,
      lockCheckTimeoutMs: options.lockCheckTimeoutMs ?? 10_000,
      newAccountId: options.newAccountId ?? randomUUID,
    });
  } catch (error) {
    if (ownsPool) await pool.end().catch(() => undefined);
    throw error;
  }
}

async function checkSchemaVersion(pool: PgPool, schema: string): Promise<void> {
  let version: number;
  try {
    version = await readPostgresSchemaVersion(pool, schema);
  } catch (error) {
    throw pgStoreFailure(error, `read the schema version of "${schema}"`, 'nothing was changed');
  }
  if (version !== POSTGRES_SCHEMA_VERSION) {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      version > POSTGRES_SCHEMA_VERSION
        ? `The PostgreSQL schema "${schema}" has guardian-sync schema version ${version}, newer than this guardian-sync understands (${POSTGRES_SCHEMA_VERSION}): upgrade guardian-sync.`
        : `The PostgreSQL schema "${schema}" is at guardian-sync schema version ${version}, not ${POSTGRES_SCHEMA_VERSION}: run migratePostgresSchema (or open the store with migrate: true).`,
    );
  }
}

interface StoreSettings {
  readonly writeBatchSize: number;
  readonly lockCheckTimeoutMs: number;
  readonly newAccountId: () => string;
}

/** A client checked out of the pool for one unit of work, and whether it may go back. */
interface Checkout {
  readonly client: PgPoolClient;
  /** Marks the client unfit for reuse (its transaction could not be ended); it is destroyed on release. */
  spoil(): void;
}

class PostgresRosterStore implements PostgresStore {
  readonly capabilities = CAPABILITIES;
  readonly writeBatchSize: number;
  private readonly s: string;
  private readonly reads: PostgresReads;
  private readonly locks: PostgresSessionLocks;
  private readonly sql: ReturnType<typeof storeStatements>;
  private closed = false;

  constructor(
    readonly pool: PgPool,
    private readonly ownsPool: boolean,
    readonly schema: string,
    readonly migration: PostgresMigration | null,
    openLockSession: OpenLockSession,
    private readonly settings: StoreSettings,
  ) {
    this.writeBatchSize = settings.writeBatchSize;
    this.s = quoteSchema(schema);
    this.reads = new PostgresReads(this.s);
    this.locks = new PostgresSessionLocks(schema, this.s, openLockSession, settings.lockCheckTimeoutMs);
    this.sql = storeStatements(this.s);
  }

  async resolveScope(scope: SyncScope): Promise<ResolvedScope | null> {
    const found = await this.query('resolve the scope', this.sql.org, [scope.orgId]);
    const org = found.rows[0] as { id: string; type: string; parent_id: string | null } | undefined;
    if (org === undefined || org.type !== scope.level) return null;
    if (org.type === 'district') {
      const schools = await this.query('resolve the scope', this.sql.schoolsOfDistrict, [org.id]);
      const schoolIds = (schools.rows as { id: string }[]).map((row) => row.id).sort(compareText);
      return { level: scope.level, orgId: org.id, districtId: org.id, schoolIds };
    }
    // A school without a district stands alone: it is its own district.
    return { level: scope.level, orgId: org.id, districtId: org.parent_id ?? org.id, schoolIds: [org.id] };
  }

  async loadSnapshot(scope: ResolvedScope, request: SnapshotRequest): Promise<RosterSnapshot> {
    const signal = request.signal;
    const check = (): void => {
      if (signal?.aborted === true) throw loadAborted();
    };
    check();
    const { districtId } = scope;
    // One REPEATABLE READ READ ONLY transaction: every statement sees the same moment, so a
    // sync applied meanwhile by another worker shows entirely or not at all.
    return this.readTransaction('load the roster snapshot', async (client) => {
      check();
      const students = await this.reads.students(client, districtId);
      check();
      const links = await this.reads.links(client, districtId);
      check();
      const accounts = await this.reads.districtAccounts(client, districtId);
      const holders = await this.reads.loginHolders(client, request.logins, accounts, check);
      check();
      return { scope, students, accounts: holders.length === 0 ? accounts : [...accounts, ...holders], links };
    });
  }

  async transaction<T>(body: (writer: RosterWriter) => Promise<T>, options: TransactionOptions): Promise<T> {
    const signal = options.signal;
    if (signal?.aborted === true) throw applyAborted();
    return this.withClient('apply the plan', async ({ client, spoil }) => {
      // READ COMMITTED (PostgreSQL's default) is enough here and never fails with a
      // serialization error to retry: the writer reads the rows it is about to write with
      // FOR UPDATE, so each is the latest committed and cannot change under us until COMMIT
      // (a concurrent writer of the same row waits), and every write is keyed. The sync's
      // scope lock keeps a second sync of the same scope out in the first place.
      await this.statement(client, 'begin a transaction', 'BEGIN');
      let open = true;
      const guard = (): void => {
        if (!open) throw new GuardianSyncError('STORE_FAILED', 'The PostgreSQL store was written to after its transaction ended: keep every write inside the transaction body.');
        if (signal?.aborted === true) throw applyAborted();
      };
      try {
        const result = await body(createPostgresWriter(client, this.s, guard));
        // Cancelled while the body ran: nothing of it may stay.
        if (signal?.aborted === true) throw applyAborted();
        await this.statement(client, 'commit the plan', 'COMMIT');
        open = false;
        return result;
      } catch (error) {
        open = false;
        await this.rollback(client, spoil);
        throw error;
      }
    });
  }

  async acquireLock(key: string, options: LockOptions): Promise<LockAttempt> {
    return this.locks.acquire(key, options.owner);
  }

  async renewLock(key: string, options: LockOptions): Promise<boolean> {
    return this.locks.renew(key, options.owner);
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    await this.locks.release(key, owner);
  }

  async saveRun(report: SavedReport): Promise<void> {
    await this.query('save the run', this.sql.saveRun, [
      report.runId,
      report.scope.level,
      report.scope.orgId,
      report.status,
      report.dryRun,
      report.startedAt,
      report.finishedAt,
      JSON.stringify(report.counts),
      JSON.stringify(report.threshold) ?? null,
      jsonbText(report),
    ]);
  }

  async listRuns(options: ListRunsOptions = {}): Promise<readonly RunSummary[]> {
    // LIMIT NULL is no limit.
    const limit = options.limit === undefined ? null : Math.max(0, Math.floor(options.limit));
    const result =
      options.scope === undefined
        ? await this.query('list runs', this.sql.listRuns, [limit])
        : await this.query('list runs', this.sql.listRunsOfScope, [options.scope.level, options.scope.orgId, limit]);
    const rows = result.rows as {
      run_id: string;
      scope_level: SyncLevel;
      scope_org_id: string;
      status: RunStatus;
      dry_run: boolean;
      started_at: string;
      finished_at: string;
      counts: RunSummary['counts'];
      threshold: NonNullable<RunSummary['threshold']> | null;
    }[];
    return rows.map((row) => ({
      runId: row.run_id,
      scope: { level: row.scope_level, orgId: row.scope_org_id },
      status: row.status,
      dryRun: row.dry_run,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: row.counts,
      // NULL only for a run saved without a threshold in its report (see schema version 2).
      ...(row.threshold === null ? {} : { threshold: row.threshold }),
    }));
  }

  async getRun(runId: string): Promise<SavedReport | null> {
    const result = await this.query('read the run', this.sql.getRun, [runId]);
    const row = result.rows[0] as { report: SavedReport } | undefined;
    return row === undefined ? null : row.report;
  }

  async importRoster(data: RosterImport): Promise<RosterImportResult> {
    return this.withClient('import the roster', async ({ client, spoil }) => {
      await this.statement(client, 'begin a transaction', 'BEGIN');
      try {
        const result = await importPostgresRoster(client, this.s, this.reads, data, this.settings.newAccountId);
        await client.query({ text: 'COMMIT' });
        return result;
      } catch (error) {
        await this.rollback(client, spoil);
        throw pgStoreFailure(error, 'import the roster', 'nothing was imported');
      }
    });
  }

  async exportRoster(districtId: string): Promise<RosterExport> {
    return this.readTransaction('export the roster', async (client) => {
      const students = await this.reads.students(client, districtId);
      const links = await this.reads.links(client, districtId);
      // All roles of each account; the export keeps the district's own.
      const accounts = await this.reads.districtAccounts(client, districtId);
      return buildRosterExport({ districtId, accounts, links, students });
    });
  }

  async listOrgs(): Promise<readonly Org[]> {
    const result = await this.query('list orgs', this.sql.allOrgs, []);
    return (result.rows as { id: string; name: string; type: string; parent_id: string | null }[])
      .map((row): Org => ({ id: row.id, name: row.name, type: row.type === 'school' ? 'school' : 'district', parentId: row.parent_id }))
      .sort((a, b) => compareText(a.id, b.id));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.locks.releaseAll();
    if (this.ownsPool) await this.pool.end().catch(() => undefined);
  }

  /** One statement on the pool (autocommit). */
  private async query(what: string, text: string, values: readonly unknown[]) {
    if (this.closed) throw new GuardianSyncError('STORE_FAILED', `The PostgreSQL store is closed: cannot ${what}.`);
    try {
      return await this.pool.query({ text, values });
    } catch (error) {
      throw pgStoreFailure(error, what, 'nothing was changed');
    }
  }

  /** One statement on a checked-out client, failures as STORE_FAILED. */
  private async statement(client: PgPoolClient, what: string, text: string): Promise<void> {
    try {
      await client.query({ text });
    } catch (error) {
      throw pgStoreFailure(error, what);
    }
  }

  /** `body` in a REPEATABLE READ READ ONLY transaction on one client. */
  private readTransaction<T>(what: string, body: (client: PgPoolClient) => Promise<T>): Promise<T> {
    return this.withClient(what, async ({ client, spoil }) => {
      await this.statement(client, what, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await body(client);
        await client.query({ text: 'COMMIT' });
        return result;
      } catch (error) {
        await this.rollback(client, spoil);
        throw pgStoreFailure(error, what, 'nothing was changed');
      }
    });
  }

  /**
   * Runs `work` with a client checked out of the pool, listening for its connection errors
   * (unheard, pg would throw them at the process) and destroying it afterwards if it broke.
   */
  private async withClient<T>(what: string, work: (checkout: Checkout) => Promise<T>): Promise<T> {
    if (this.closed) throw new GuardianSyncError('STORE_FAILED', `The PostgreSQL store is closed: cannot ${what}.`);
    let client: PgPoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new GuardianSyncError('STORE_FAILED', `The PostgreSQL store could not connect to ${what} (${describePgError(error)}); nothing was changed.`, {
        transient: isTransientPgError(error),
      });
    }
    let broken = false;
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      return await work({
        client,
        spoil() {
          broken = true;
        },
      });
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** Rolls back; a client whose rollback fails is spoiled (destroyed), never reused with a transaction open. */
  private async rollback(client: PgPoolClient, spoil: () => void): Promise<void> {
    try {
      await client.query({ text: 'ROLLBACK' });
    } catch {
      spoil();
    }
  }
}

/**
 * The report as jsonb input. PostgreSQL text cannot hold U+0000, and jsonb refuses its
 * escape: a NUL a report quoted from a broken file is kept as U+FFFD instead.
 */
function jsonbText(report: SavedReport): string {
  // As report.json writes it: change entries lose their display names (report.html's only).
  const json = stringifyReport(report);
  return json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json;
}

function storeStatements(s: string) {
  const summary = 'run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, threshold';
  return {
    org: `SELECT id, type, parent_id FROM ${s}.orgs WHERE id = $1`,
    schoolsOfDistrict: `SELECT id FROM ${s}.orgs WHERE parent_id = $1 AND type = 'school'`,
    allOrgs: `SELECT id, name, type, parent_id FROM ${s}.orgs`,
    saveRun:
      `INSERT INTO ${s}.runs (run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, threshold, report) ` +
      'VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb) ON CONFLICT (run_id) DO UPDATE SET ' +
      'scope_level = excluded.scope_level, scope_org_id = excluded.scope_org_id, status = excluded.status, dry_run = excluded.dry_run, ' +
      'started_at = excluded.started_at, finished_at = excluded.finished_at, counts = excluded.counts, threshold = excluded.threshold, report = excluded.report',
    listRuns: `SELECT ${summary} FROM ${s}.runs ORDER BY started_at DESC, run_id DESC LIMIT $1`,
    listRunsOfScope: `SELECT ${summary} FROM ${s}.runs WHERE scope_level = $1 AND scope_org_id = $2 ORDER BY started_at DESC, run_id DESC LIMIT $3`,
    getRun: `SELECT report FROM ${s}.runs WHERE run_id = $1`,
  };
}
