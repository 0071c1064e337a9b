// The SQLite roster store (better-sqlite3): the CLI's embedded roster and a ready store for
// hosts without their own database. One transaction per plan (atomic), locks as rows with
// an expiry (shared between processes), run history with the whole report kept as JSON.
import { randomUUID } from 'node:crypto';
import type {
  ApplyOptions,
  ApplyResult,
  ListRunsOptions,
  RosterExport,
  RosterImport,
  RosterImportResult,
  RosterStoreCapabilities,
  FullRosterStore,
} from '../contracts/roster-store.js';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import type { SyncPlan } from '../model/plan.js';
import type { RunSummary, SyncReport, SyncStatus } from '../model/report.js';
import type { Account, AccountFields, AccountRole, GuardianLink, Org, ResolvedScope, RoleStatus, Student, SyncLevel, SyncScope } from '../model/roster.js';
import { sortedSisIds } from '../stores/account-roles.js';
import { buildRosterExport } from '../stores/build-roster-export.js';
import { importStaffRecords } from '../stores/import-staff.js';
import { countPlanSteps, describeStep, planSteps, type PlanStep } from '../stores/plan-steps.js';
import { applyAborted, loadAborted, stepFailure } from '../stores/store-errors.js';
import type { StoreHooks } from '../stores/store-hooks.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { migrateSqliteSchema } from './sqlite-schema.js';

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
   * time by 40% in our measurement. Used as needed, not reserved. Not applied to a
   * connection you pass (your settings stay yours).
   * @default 128
   */
  readonly cacheSizeMiB?: number | undefined;
}

/** `close()` closes the connection if the store opened it (from a path); idempotent. */
export interface SqliteStore extends FullRosterStore {
  /** The connection the store uses (for inspection and the host's own queries). */
  readonly database: SqliteDatabase;
}

const CAPABILITIES: RosterStoreCapabilities = Object.freeze({ atomicApply: true, crossProcessLock: true });

const ACCOUNT_COLUMNS =
  'id, first_name, last_name, email, mobile_phone, home_phone, language, claimed, guardian_status, guardian_sis_ids, staff_status, staff_sis_ids';

/** An `accounts` row in ACCOUNT_COLUMNS order. */
type AccountRow = [
  id: string,
  firstName: string,
  lastName: string,
  email: string | null,
  mobilePhone: string | null,
  homePhone: string | null,
  language: string | null,
  claimed: number,
  guardianStatus: RoleStatus | null,
  guardianSisIds: string | null,
  staffStatus: RoleStatus | null,
  staffSisIds: string | null,
];

/**
 * Opens (or adopts) a SQLite roster and brings its schema up to date.
 * @throws GuardianSyncError INVALID_CONFIGURATION when better-sqlite3 is needed but not
 *   installed, or the file belongs to a newer guardian-sync or to another program.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const ownsDatabase = typeof options.database === 'string';
  const db: SqliteDatabase =
    typeof options.database === 'string'
      ? new (loadBetterSqlite3())(options.database, { timeout: options.busyTimeoutMs ?? 5_000 })
      : options.database;
  try {
    // WAL lets readers (loadSnapshot, runs) proceed while a plan is applied; foreign keys are
    // how a link to an unknown account or student is refused. Both are set outside any transaction.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    if (ownsDatabase) {
      db.pragma('synchronous = NORMAL');
      db.pragma(`cache_size = ${-Math.max(2, Math.floor(options.cacheSizeMiB ?? 128)) * 1024}`);
    }
    migrateSqliteSchema(db);
  } catch (error) {
    if (ownsDatabase) db.close();
    throw error;
  }
  return new SqliteRosterStore(db, ownsDatabase, options);
}

class SqliteRosterStore implements SqliteStore {
  readonly capabilities = CAPABILITIES;
  private closed = false;
  private readonly now: () => number;
  private readonly newAccountId: () => string;
  private readonly onApplyStep: ((step: number, item: PlanStep) => void) | undefined;
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(
    readonly database: SqliteDatabase,
    private readonly ownsDatabase: boolean,
    options: SqliteStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.newAccountId = options.newAccountId ?? randomUUID;
    this.onApplyStep = options.onApplyStep;
    this.sql = prepareStatements(database);
  }

  async resolveScope(scope: SyncScope): Promise<ResolvedScope | null> {
    const org = this.sql.org.get(scope.orgId) as { id: string; type: string; parent_id: string | null } | undefined;
    if (org === undefined || org.type !== scope.level) return null;
    if (org.type === 'district') {
      const schoolIds = (this.sql.schoolsOfDistrict.all(org.id) as unknown[][]).map((row) => String(row[0]));
      return { level: scope.level, orgId: org.id, districtId: org.id, schoolIds };
    }
    // A school without a district stands alone: it is its own district.
    return { level: scope.level, orgId: org.id, districtId: org.parent_id ?? org.id, schoolIds: [org.id] };
  }

  async loadSnapshot(scope: ResolvedScope, options?: { readonly signal?: AbortSignal | undefined }) {
    if (options?.signal?.aborted === true) throw loadAborted();
    // One read transaction: the three reads see the same moment even if another process writes.
    return this.transaction('DEFERRED', () => {
      const students: Student[] = [];
      for (const row of this.sql.studentsOfDistrict.iterate(scope.districtId) as Iterable<[string, string, string, string]>) {
        students.push({ sisId: row[0], schoolId: row[1], firstName: row[2], lastName: row[3] });
      }
      return { scope, students, accounts: this.readAccounts(), links: this.readLinks() };
    });
  }

  async applyPlan(plan: SyncPlan, options: ApplyOptions): Promise<ApplyResult> {
    const total = countPlanSteps(plan);
    const signal = options.signal;
    if (signal?.aborted === true) throw applyAborted(0, total, true);
    const counts = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
    // IMMEDIATE: take the write lock up front, so a concurrent writer waits at BEGIN (busy
    // timeout) instead of failing halfway through.
    try {
      this.applyInTransaction(plan, signal, total, counts);
    } catch (error) {
      throw asSqliteFailure(error, 'apply the plan');
    }
    return counts;
  }

  private applyInTransaction(plan: SyncPlan, signal: AbortSignal | undefined, total: number, counts: { -readonly [K in keyof ApplyResult]: number }): void {
    this.transaction('IMMEDIATE', () => {
      let index = 0;
      for (const step of planSteps(plan)) {
        if (signal?.aborted === true) throw applyAborted(index, total, true);
        this.onApplyStep?.(index, step);
        try {
          this.applyStep(step, plan.source, counts);
        } catch (error) {
          throw asStepError(step, error);
        }
        index += 1;
      }
    });
  }

  async acquireLock(key: string, options: { readonly owner: string; readonly ttlMs: number }): Promise<boolean> {
    const now = this.now();
    // One statement: take a free lock, renew our own, or take over an expired one. Atomic
    // across connections and processes; `changes` says whether we hold it now.
    return this.sql.acquireLock.run(key, options.owner, now + options.ttlMs, now).changes === 1;
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    this.sql.releaseLock.run(key, owner);
  }

  async saveRun(report: SyncReport): Promise<void> {
    this.sql.saveRun.run(
      report.runId,
      report.scope.level,
      report.scope.orgId,
      report.status,
      report.dryRun ? 1 : 0,
      report.startedAt,
      report.finishedAt,
      JSON.stringify(report.counts),
      JSON.stringify(report),
    );
  }

  async listRuns(options: ListRunsOptions = {}): Promise<readonly RunSummary[]> {
    const limit = options.limit === undefined ? -1 : Math.max(0, Math.floor(options.limit));
    const rows = (
      options.scope === undefined ? this.sql.listRuns.all(limit) : this.sql.listRunsOfScope.all(options.scope.level, options.scope.orgId, limit)
    ) as { run_id: string; scope_level: SyncLevel; scope_org_id: string; status: SyncStatus; dry_run: number; started_at: string; finished_at: string; counts: string }[];
    return rows.map((row) => ({
      runId: row.run_id,
      scope: { level: row.scope_level, orgId: row.scope_org_id },
      status: row.status,
      dryRun: row.dry_run === 1,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: JSON.parse(row.counts) as RunSummary['counts'],
    }));
  }

  async getRun(runId: string): Promise<SyncReport | null> {
    const row = this.sql.getRun.get(runId) as { report: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.report) as SyncReport);
  }

  async importRoster(data: RosterImport): Promise<RosterImportResult> {
    try {
      return this.importInTransaction(data);
    } catch (error) {
      throw asSqliteFailure(error, 'import the roster');
    }
  }

  private importInTransaction(data: RosterImport): RosterImportResult {
    return this.transaction('IMMEDIATE', () => {
      // Districts before schools, so a school's district exists when it is written.
      const orgs = [...data.orgs].sort((a, b) => (a.type === b.type ? 0 : a.type === 'district' ? -1 : 1));
      for (const org of orgs) this.sql.upsertOrg.run(org.id, org.name, org.type, org.parentId);
      for (const student of data.students) {
        try {
          this.sql.upsertStudent.run(student.sisId, student.schoolId, student.firstName, student.lastName);
        } catch (error) {
          throw new GuardianSyncError(
            'STORE_FAILED',
            `Roster import: student "${student.sisId}" belongs to school "${student.schoolId}", which is not in the roster (${sqliteCode(error)}); nothing was imported. Import the school's org too.`,
          );
        }
      }
      const counts = importStaffRecords(data.staff, {
        accountByStaffSisId: (sisId) => {
          const row = this.sql.accountByRoleSisId.raw(true).get('staff', sisId) as AccountRow | undefined;
          return row === undefined ? undefined : toAccount(row);
        },
        accountsByEmail: (email) => (this.sql.accountsByEmail.raw(true).all(email) as AccountRow[]).map(toAccount),
        accountsByMobile: (mobile) => (this.sql.accountsByMobile.raw(true).all(mobile) as AccountRow[]).map(toAccount),
        write: (account) => this.writeAccount(account),
        newAccountId: this.newAccountId,
      });
      return { orgs: data.orgs.length, students: data.students.length, ...counts };
    });
  }

  async listOrgs(): Promise<readonly Org[]> {
    return (this.sql.allOrgs.all() as unknown[][]).map(([id, name, type, parentId]) => ({
      id: String(id),
      name: String(name),
      type: type === 'school' ? 'school' : 'district',
      parentId: parentId === null ? null : String(parentId),
    }));
  }

  async exportRoster(): Promise<RosterExport> {
    return this.transaction('DEFERRED', () => {
      const students: Student[] = [];
      for (const row of this.sql.allStudents.iterate() as Iterable<[string, string, string, string]>) {
        students.push({ sisId: row[0], schoolId: row[1], firstName: row[2], lastName: row[3] });
      }
      return buildRosterExport({ accounts: this.readAccounts(), links: this.readLinks(), students });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDatabase) this.database.close();
  }

  private readAccounts(): Account[] {
    const accounts: Account[] = [];
    for (const row of this.sql.allAccounts.iterate() as Iterable<AccountRow>) accounts.push(toAccount(row));
    return accounts;
  }

  private readLinks(): GuardianLink[] {
    const links: GuardianLink[] = [];
    for (const row of this.sql.allLinks.iterate() as Iterable<[string, string, string]>) {
      links.push({ accountId: row[0], studentSisId: row[1], source: row[2] });
    }
    return links;
  }

  private applyStep(step: PlanStep, source: string, counts: { -readonly [K in keyof ApplyResult]: number }): void {
    const { sql } = this;
    switch (step.kind) {
      case 'create': {
        const { item } = step;
        const ids = sortedSisIds(item.guardianSisIds);
        const f = item.fields;
        const created = sql.insertAccount.run(item.accountId, f.firstName, f.lastName, f.email, f.mobilePhone, f.homePhone, f.language, 0, 'active', JSON.stringify(ids), null, null);
        if (created.changes === 0) return;
        for (const id of ids) sql.insertRoleSisId.run('guardian', id, item.accountId);
        counts.accountsCreated += 1;
        return;
      }
      case 'update': {
        const row = this.requireAccountRow(step);
        const next = { firstName: row[1], lastName: row[2], email: row[3], mobilePhone: row[4], homePhone: row[5], language: row[6] } as { -readonly [K in keyof AccountFields]: AccountFields[K] };
        for (const change of step.item.changes) {
          if (change.field === 'firstName' || change.field === 'lastName') next[change.field] = change.after ?? '';
          else next[change.field] = change.after;
        }
        if (
          next.firstName === row[1] &&
          next.lastName === row[2] &&
          next.email === row[3] &&
          next.mobilePhone === row[4] &&
          next.homePhone === row[5] &&
          next.language === row[6]
        ) {
          return;
        }
        sql.updateFields.run(next.firstName, next.lastName, next.email, next.mobilePhone, next.homePhone, next.language, step.item.accountId);
        counts.accountsUpdated += 1;
        return;
      }
      case 'role-add': {
        const row = this.requireAccountRow(step);
        const current = row[9] === null ? [] : parseSisIds(row[9]);
        const ids = sortedSisIds([...current, ...step.item.sisIds]);
        if (row[8] === 'active' && ids.length === current.length) return;
        sql.updateGuardianRole.run('active', JSON.stringify(ids), step.item.accountId);
        for (const id of ids) sql.insertRoleSisId.run('guardian', id, step.item.accountId);
        counts.rolesChanged += 1;
        return;
      }
      case 'link-add': {
        // Foreign keys refuse a link to an unknown account or student (asStepError says which).
        counts.linksAdded += sql.insertLink.run(step.item.accountId, step.item.studentSisId, source).changes;
        return;
      }
      case 'link-remove': {
        counts.linksRemoved += sql.deleteLink.run(step.item.accountId, step.item.studentSisId, source).changes;
        return;
      }
      case 'archive':
      case 'restore': {
        const status: RoleStatus = step.kind === 'archive' ? 'archived' : 'active';
        const changed = sql.setGuardianStatus.run(status, step.item.accountId, status).changes;
        if (changed === 0) {
          const row = this.requireAccountRow(step);
          if (row[8] === null) throw stepFailure(step, 'the account has no guardian role', true);
        }
        counts.rolesChanged += changed;
        return;
      }
    }
  }

  private requireAccountRow(step: PlanStep): AccountRow {
    const row = this.sql.accountById.raw(true).get(step.item.accountId) as AccountRow | undefined;
    if (row === undefined) throw stepFailure(step, 'no account with this id', true);
    return row;
  }

  private writeAccount(account: Account): void {
    const guardian = account.roles.find((r) => r.role === 'guardian');
    const staff = account.roles.find((r) => r.role === 'staff');
    this.sql.upsertAccount.run(
      account.id,
      account.firstName,
      account.lastName,
      account.email,
      account.mobilePhone,
      account.homePhone,
      account.language,
      account.claimed ? 1 : 0,
      guardian?.status ?? null,
      guardian === undefined ? null : JSON.stringify(sortedSisIds(guardian.sisIds)),
      staff?.status ?? null,
      staff === undefined ? null : JSON.stringify(sortedSisIds(staff.sisIds)),
    );
    for (const role of account.roles) for (const id of role.sisIds) this.sql.insertRoleSisId.run(role.role, id, account.id);
  }

  /** Runs `body` in one transaction; rolls back on any throw. */
  private transaction<T>(mode: 'DEFERRED' | 'IMMEDIATE', body: () => T): T {
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
    studentsOfDistrict: raw(
      "SELECT sis_id, school_id, first_name, last_name FROM students WHERE school_id IN (SELECT id FROM orgs WHERE type = 'school' AND coalesce(parent_id, id) = ?)",
    ),
    allStudents: raw('SELECT sis_id, school_id, first_name, last_name FROM students'),
    allAccounts: raw(`SELECT ${ACCOUNT_COLUMNS} FROM accounts`),
    allLinks: raw('SELECT account_id, student_sis_id, source FROM links'),
    accountById: raw(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`),
    accountByRoleSisId: raw(`SELECT ${ACCOUNT_COLUMNS.replace(/(^|, )/g, '$1a.')} FROM role_sis_ids r JOIN accounts a ON a.id = r.account_id WHERE r.role = ? AND r.sis_id = ? ORDER BY a.id LIMIT 1`),
    accountsByEmail: raw(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = ?`),
    accountsByMobile: raw(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE mobile_phone = ?`),
    insertAccount: db.prepare(`INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
    upsertAccount: db.prepare(
      `INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ` +
        'first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, mobile_phone = excluded.mobile_phone, ' +
        'home_phone = excluded.home_phone, language = excluded.language, claimed = excluded.claimed, guardian_status = excluded.guardian_status, ' +
        'guardian_sis_ids = excluded.guardian_sis_ids, staff_status = excluded.staff_status, staff_sis_ids = excluded.staff_sis_ids',
    ),
    updateFields: db.prepare('UPDATE accounts SET first_name = ?, last_name = ?, email = ?, mobile_phone = ?, home_phone = ?, language = ? WHERE id = ?'),
    updateGuardianRole: db.prepare('UPDATE accounts SET guardian_status = ?, guardian_sis_ids = ? WHERE id = ?'),
    setGuardianStatus: db.prepare('UPDATE accounts SET guardian_status = ? WHERE id = ? AND guardian_status IS NOT NULL AND guardian_status <> ?'),
    insertRoleSisId: db.prepare('INSERT INTO role_sis_ids (role, sis_id, account_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    insertLink: db.prepare('INSERT INTO links (account_id, student_sis_id, source) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteLink: db.prepare('DELETE FROM links WHERE account_id = ? AND student_sis_id = ? AND source = ?'),
    upsertOrg: db.prepare('INSERT INTO orgs (id, name, type, parent_id) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, parent_id = excluded.parent_id'),
    upsertStudent: db.prepare(
      'INSERT INTO students (sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?) ON CONFLICT (sis_id) DO UPDATE SET school_id = excluded.school_id, first_name = excluded.first_name, last_name = excluded.last_name',
    ),
    acquireLock: db.prepare(
      'INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE locks.owner = excluded.owner OR locks.expires_at <= ?',
    ),
    releaseLock: db.prepare('DELETE FROM locks WHERE key = ? AND owner = ?'),
    saveRun: db.prepare(
      'INSERT OR REPLACE INTO runs (run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    listRuns: db.prepare('SELECT run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?'),
    listRunsOfScope: db.prepare(
      'SELECT run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts FROM runs WHERE scope_level = ? AND scope_org_id = ? ORDER BY started_at DESC, run_id DESC LIMIT ?',
    ),
    getRun: db.prepare('SELECT report FROM runs WHERE run_id = ?'),
  };
}

function parseSisIds(json: string): string[] {
  return JSON.parse(json) as string[];
}

function toAccount(row: AccountRow): Account {
  const roles: AccountRole[] = [];
  if (row[8] !== null) roles.push({ role: 'guardian', sisIds: row[9] === null ? [] : parseSisIds(row[9]), status: row[8] });
  if (row[10] !== null) roles.push({ role: 'staff', sisIds: row[11] === null ? [] : parseSisIds(row[11]), status: row[10] });
  return {
    id: row[0],
    firstName: row[1],
    lastName: row[2],
    email: row[3],
    mobilePhone: row[4],
    homePhone: row[5],
    language: row[6],
    claimed: row[7] === 1,
    roles,
  };
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

/**
 * A SQLite error outside any plan item (BEGIN or COMMIT: busy, disk full, read-only file)
 * as STORE_FAILED with the SQLite code only; our own errors and foreign ones pass through.
 */
function asSqliteFailure(error: unknown, doing: string): unknown {
  const code = sqliteCode(error);
  if (isGuardianSyncError(error) || !code.startsWith('SQLITE_')) return error;
  const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  return new GuardianSyncError(
    'STORE_FAILED',
    busy
      ? `The SQLite roster is busy: another process kept it locked for longer than the busy timeout (${code}); nothing was changed. Run again.`
      : `The SQLite store could not ${doing} (${code}); nothing was changed. Check that the database file is writable and the disk has space.`,
    { transient: busy },
  );
}

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

/**
 * Our own errors pass through; a SQLite error becomes STORE_FAILED naming the item by kind
 * and ids and the SQLite code only (its message can quote values).
 */
function asStepError(step: PlanStep, error: unknown): unknown {
  if (isGuardianSyncError(error)) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return stepFailure(step, 'it refers to an account or student that is not in the roster', true);
  return new GuardianSyncError(
    'STORE_FAILED',
    `The SQLite store could not apply the ${describeStep(step)} (${code}); nothing of the plan was applied. Run the sync again.`,
    { transient: code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') },
  );
}
