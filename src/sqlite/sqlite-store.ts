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
import type {
  Account,
  AccountFields,
  AccountRole,
  GuardianLink,
  Org,
  ResolvedScope,
  RoleName,
  RoleStatus,
  RosterSnapshot,
  SnapshotLogins,
  SnapshotRequest,
  Student,
  SyncLevel,
  SyncScope,
} from '../model/roster.js';
import { emailKey } from '../resolve/contact-key.js';
import { compareText, sortedSisIds } from '../stores/account-roles.js';
import { buildRosterExport } from '../stores/build-roster-export.js';
import { importStaffRecords } from '../stores/import-staff.js';
import { countPlanSteps, describeStep, planSteps, type PlanStep } from '../stores/plan-steps.js';
import { applyAborted, loadAborted, stepFailure } from '../stores/store-errors.js';
import type { StoreHooks } from '../stores/store-hooks.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import { readMigrationNotes, type SqliteMigration, type SqliteMigrationNote } from './migration-notes.js';
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

const CAPABILITIES: RosterStoreCapabilities = Object.freeze({ atomicApply: true, crossProcessLock: true });

/**
 * Logins looked up per statement: SQLite accepts 32,766 parameters, but a fixed, modest batch
 * keeps one prepared statement for every request (a short batch is padded with NULL, which
 * matches nothing).
 */
const LOGIN_BATCH = 500;

const ACCOUNT_COLUMNS = 'a.id, a.first_name, a.last_name, a.email, a.mobile_phone, a.home_phone, a.language, a.claimed';
/** An account with one of its roles per row (LEFT JOIN: null role columns when it has none). */
const ACCOUNT_ROLE_COLUMNS = `${ACCOUNT_COLUMNS}, r.district_id, r.role, r.status, r.sis_ids`;

/** A row of ACCOUNT_COLUMNS. */
type AccountRow = [
  id: string,
  firstName: string,
  lastName: string,
  email: string | null,
  mobilePhone: string | null,
  homePhone: string | null,
  language: string | null,
  claimed: number,
];

/** A row of ACCOUNT_ROLE_COLUMNS. */
type AccountRoleRow = [...AccountRow, districtId: string | null, role: RoleName | null, status: RoleStatus | null, sisIds: string | null];

/** A row of `account_roles` without its key: status and SIS ids (JSON). */
type RoleRow = [status: RoleStatus, sisIds: string];

type Counts = { -readonly [K in keyof ApplyResult]: number };

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
  let migration: SqliteMigration | null;
  try {
    // WAL lets readers (loadSnapshot, runs) proceed while a plan is applied; foreign keys are
    // how a link to an unknown account or student is refused. Both are set outside any transaction.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    if (ownsDatabase) {
      db.pragma('synchronous = NORMAL');
      db.pragma(`cache_size = ${-Math.max(2, Math.floor(options.cacheSizeMiB ?? 128)) * 1024}`);
    }
    const migrated = migrateSqliteSchema(db);
    migration = migrated === null ? null : { ...migrated, unplaced: readMigrationNotes(db, migrated.fromVersion) };
  } catch (error) {
    if (ownsDatabase) db.close();
    throw error;
  }
  return new SqliteRosterStore(db, ownsDatabase, migration, options);
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
    readonly migration: SqliteMigration | null,
    options: SqliteStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.newAccountId = options.newAccountId ?? randomUUID;
    this.onApplyStep = options.onApplyStep;
    this.sql = prepareStatements(database);
  }

  migrationNotes(): readonly SqliteMigrationNote[] {
    return readMigrationNotes(this.database);
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

  async loadSnapshot(scope: ResolvedScope, request: SnapshotRequest): Promise<RosterSnapshot> {
    if (request.signal?.aborted === true) throw loadAborted();
    const { districtId } = scope;
    // One read transaction: every read sees the same moment even if another process writes.
    return this.transaction('DEFERRED', () => {
      const students = this.readStudents(districtId);
      const links = this.readLinks(districtId);
      const { accounts, ids } = this.readDistrictAccounts(districtId, links, 'all');
      for (const id of this.findLoginHolders(accounts, ids, request.logins)) {
        const account = this.readAccount(id);
        if (account !== undefined) accounts.push(account);
      }
      return { scope, students, accounts, links };
    });
  }

  async applyPlan(plan: SyncPlan, options: ApplyOptions): Promise<ApplyResult> {
    const total = countPlanSteps(plan);
    const signal = options.signal;
    if (signal?.aborted === true) throw applyAborted(0, total, true);
    const counts: Counts = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
    // IMMEDIATE: take the write lock up front, so a concurrent writer waits at BEGIN (busy
    // timeout) instead of failing halfway through.
    try {
      this.applyInTransaction(plan, signal, total, counts);
    } catch (error) {
      throw asSqliteFailure(error, 'apply the plan');
    }
    return counts;
  }

  private applyInTransaction(plan: SyncPlan, signal: AbortSignal | undefined, total: number, counts: Counts): void {
    this.transaction('IMMEDIATE', () => {
      let index = 0;
      for (const step of planSteps(plan)) {
        if (signal?.aborted === true) throw applyAborted(index, total, true);
        this.onApplyStep?.(index, step);
        try {
          this.applyStep(step, plan.scope.districtId, plan.source, counts);
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
    const { sql } = this;
    return this.transaction('IMMEDIATE', () => {
      // Districts before schools, so a school's district exists when it is written.
      const orgs = [...data.orgs].sort((a, b) => (a.type === b.type ? 0 : a.type === 'district' ? -1 : 1));
      for (const org of orgs) sql.upsertOrg.run(org.id, org.name, org.type, org.parentId);
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
          const row = sql.accountIdByStaffSisId.get(districtId, sisId) as [string] | undefined;
          return row === undefined ? undefined : this.readAccount(row[0]);
        },
        accountsByEmail: (email) => groupAccountRows(sql.accountsByEmail.iterate(email) as Iterable<AccountRoleRow>),
        accountsByMobile: (mobile) => groupAccountRows(sql.accountsByMobile.iterate(mobile) as Iterable<AccountRoleRow>),
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

  async exportRoster(districtId: string): Promise<RosterExport> {
    return this.transaction('DEFERRED', () => {
      const students = this.readStudents(districtId);
      const links = this.readLinks(districtId);
      // The export shows the district's roles only: read no others.
      const { accounts } = this.readDistrictAccounts(districtId, links, 'district');
      return buildRosterExport({ districtId, accounts, links, students });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDatabase) this.database.close();
  }

  private readStudents(districtId: string): Student[] {
    const students: Student[] = [];
    for (const row of this.sql.studentsOfDistrict.iterate(districtId) as Iterable<[string, string, string, string]>) {
      students.push({ districtId, sisId: row[0], schoolId: row[1], firstName: row[2], lastName: row[3] });
    }
    return students;
  }

  private readLinks(districtId: string): GuardianLink[] {
    const links: GuardianLink[] = [];
    for (const row of this.sql.linksOfDistrict.iterate(districtId) as Iterable<[string, string, string]>) {
      links.push({ accountId: row[0], districtId, studentSisId: row[1], source: row[2] });
    }
    return links;
  }

  /**
   * The district's accounts, each once: its role holders (along the district's range of the
   * role index, in id order), then the accounts linked to its students without a role there
   * (few: a manual invite, a staff member's link), in id order. With `roles: 'all'`, each
   * comes with its roles in every district (a role elsewhere is how the planner knows an
   * account is shared); with `'district'`, with this district's only (the export's view).
   */
  private readDistrictAccounts(districtId: string, links: readonly GuardianLink[], roles: 'all' | 'district'): { accounts: Account[]; ids: Set<string> } {
    const { sql } = this;
    const rows = roles === 'all' ? sql.holdersWithAllRoles.iterate(districtId) : sql.holdersWithDistrictRoles.iterate(districtId, districtId);
    const accounts = groupAccountRows(rows as Iterable<AccountRoleRow>);
    const ids = new Set<string>();
    for (const account of accounts) ids.add(account.id);
    const linkedOnly: string[] = [];
    for (const link of links) {
      if (ids.has(link.accountId)) continue;
      ids.add(link.accountId);
      linkedOnly.push(link.accountId);
    }
    for (const id of linkedOnly.sort(compareText)) {
      const account = roles === 'all' ? this.readAccount(id) : groupAccountRows(sql.accountWithDistrictRoles.iterate(districtId, id) as Iterable<AccountRoleRow>)[0];
      if (account !== undefined) accounts.push(account);
    }
    return { accounts, ids };
  }

  /**
   * Ids of the accounts, not among `loaded`, holding one of the request's logins, sorted. A
   * login is held by one account at most (the planner never gives a held login to another
   * account, nor does the roster import), so a login that one of `accounts` holds is not
   * looked up: for a district syncing its own file that is nearly every login, and each
   * lookup is a B-tree search (a 1,000,000-row file carries up to 2,000,000 logins).
   */
  private findLoginHolders(accounts: readonly Account[], loaded: ReadonlySet<string>, logins: SnapshotLogins): string[] {
    // Emails (with an "@") and E.164 mobiles (no "@") never collide: one set serves both.
    const held = new Set<string>();
    for (const account of accounts) {
      const email = emailKey(account.email);
      if (email !== null) held.add(email);
      if (account.mobilePhone !== null) held.add(account.mobilePhone);
    }
    const found = new Set<string>();
    this.lookUpLogins(this.sql.accountIdsByEmails, logins.emails, held, loaded, found);
    this.lookUpLogins(this.sql.accountIdsByMobiles, logins.mobiles, held, loaded, found);
    return [...found].sort(compareText);
  }

  /** Adds to `found` the accounts (not `loaded`) holding one of `logins` but those `held`, a batch of logins per statement. */
  private lookUpLogins(statement: SqliteStatement, logins: readonly string[], held: ReadonlySet<string>, loaded: ReadonlySet<string>, found: Set<string>): void {
    const batch = new Array<string | null>(LOGIN_BATCH).fill(null);
    let size = 0;
    const flush = (): void => {
      for (const row of statement.iterate(...batch) as Iterable<[string]>) if (!loaded.has(row[0])) found.add(row[0]);
      batch.fill(null);
      size = 0;
    };
    for (const login of logins) {
      if (held.has(login)) continue;
      batch[size++] = login;
      if (size === LOGIN_BATCH) flush();
    }
    if (size > 0) flush();
  }

  private applyStep(step: PlanStep, districtId: string, source: string, counts: Counts): void {
    const { sql } = this;
    switch (step.kind) {
      case 'create': {
        const { item } = step;
        const f = item.fields;
        const created = sql.insertAccount.run(item.accountId, f.firstName, f.lastName, f.email, f.mobilePhone, f.homePhone, f.language, 0);
        if (created.changes === 0) return;
        this.writeRole(item.accountId, districtId, 'guardian', 'active', sortedSisIds(item.guardianSisIds), []);
        counts.accountsCreated += 1;
        return;
      }
      case 'update': {
        const row = sql.accountById.get(step.item.accountId) as AccountRow | undefined;
        if (row === undefined) throw stepFailure(step, 'no account with this id', true);
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
      case 'id-remove': {
        // An id the role no longer holds (or a role or account that is gone) is skipped: the
        // plan's aim, the id off this account, already holds.
        const role = sql.role.get(step.item.accountId, districtId, 'guardian') as RoleRow | undefined;
        if (role === undefined) return;
        const current = parseSisIds(role[1]);
        const removed = new Set(step.item.sisIds);
        const kept = current.filter((id) => !removed.has(id));
        if (kept.length === current.length) return;
        sql.setRoleIds.run(JSON.stringify(kept), step.item.accountId, districtId, 'guardian');
        for (const id of current) if (removed.has(id)) sql.deleteRoleSisId.run(districtId, 'guardian', id, step.item.accountId);
        counts.rolesChanged += 1;
        return;
      }
      case 'role-add': {
        const accountId = step.item.accountId;
        if (sql.accountExists.get(accountId) === undefined) throw stepFailure(step, 'no account with this id', true);
        const role = sql.role.get(accountId, districtId, 'guardian') as RoleRow | undefined;
        const current = role === undefined ? [] : parseSisIds(role[1]);
        const ids = sortedSisIds([...current, ...step.item.sisIds]);
        if (role?.[0] === 'active' && ids.length === current.length) return;
        this.writeRole(accountId, districtId, 'guardian', 'active', ids, current);
        counts.rolesChanged += 1;
        return;
      }
      case 'link-add': {
        // Foreign keys refuse a link to an unknown account or student (asStepError says which).
        counts.linksAdded += sql.insertLink.run(step.item.accountId, districtId, step.item.studentSisId, source).changes;
        return;
      }
      case 'link-remove': {
        counts.linksRemoved += sql.deleteLink.run(step.item.accountId, districtId, step.item.studentSisId, source).changes;
        return;
      }
      case 'archive':
      case 'restore': {
        const status: RoleStatus = step.kind === 'archive' ? 'archived' : 'active';
        const accountId = step.item.accountId;
        const changed = sql.setRoleStatus.run(status, accountId, districtId, 'guardian', status).changes;
        if (changed === 0 && sql.role.get(accountId, districtId, 'guardian') === undefined) {
          if (sql.accountExists.get(accountId) === undefined) throw stepFailure(step, 'no account with this id', true);
          throw stepFailure(step, `the account has no guardian role in district "${districtId}"`, true);
        }
        counts.rolesChanged += changed;
        return;
      }
    }
  }

  /** The account with all its roles, or undefined. */
  private readAccount(accountId: string): Account | undefined {
    return groupAccountRows(this.sql.accountWithRoles.iterate(accountId) as Iterable<AccountRoleRow>)[0];
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
    for (const role of account.roles) this.writeRole(account.id, role.districtId, role.role, role.status, sortedSisIds(role.sisIds), null);
  }

  /**
   * Sets a role (created when missing) and indexes its SIS ids; `indexed` are the ids already
   * in `role_sis_ids` (null: unknown, insert every id and let the key skip the ones there).
   */
  private writeRole(accountId: string, districtId: string, role: RoleName, status: RoleStatus, sisIds: readonly string[], indexed: readonly string[] | null): void {
    this.sql.upsertRole.run(accountId, districtId, role, status, JSON.stringify(sisIds));
    const known = indexed === null ? undefined : new Set(indexed);
    for (const id of sisIds) if (known?.has(id) !== true) this.sql.insertRoleSisId.run(districtId, role, id, accountId);
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
  const batch = Array.from({ length: LOGIN_BATCH }, () => '?').join(', ');
  return {
    org: db.prepare('SELECT id, type, parent_id FROM orgs WHERE id = ?'),
    allOrgs: raw('SELECT id, name, type, parent_id FROM orgs ORDER BY id'),
    schoolsOfDistrict: raw("SELECT id FROM orgs WHERE type = 'school' AND parent_id = ? ORDER BY id"),
    studentsOfDistrict: raw('SELECT sis_id, school_id, first_name, last_name FROM students WHERE district_id = ?'),
    linksOfDistrict: raw('SELECT account_id, student_sis_id, source FROM links WHERE district_id = ?'),
    // The district's role holders along the role index (DISTINCT: an account holding two roles
    // there comes once; the index is in account order, so no sort), each joined with its
    // account and roles: accounts in id order, each one's roles together, in key order.
    holdersWithAllRoles: raw(
      `SELECT ${ACCOUNT_ROLE_COLUMNS} FROM (SELECT DISTINCT account_id FROM account_roles WHERE district_id = ?) h ` +
        'CROSS JOIN accounts a ON a.id = h.account_id JOIN account_roles r ON r.account_id = h.account_id',
    ),
    holdersWithDistrictRoles: raw(
      `SELECT ${ACCOUNT_ROLE_COLUMNS} FROM (SELECT DISTINCT account_id FROM account_roles WHERE district_id = ?) h ` +
        'CROSS JOIN accounts a ON a.id = h.account_id JOIN account_roles r ON r.account_id = h.account_id AND r.district_id = ?',
    ),
    accountIdsByEmails: raw(`SELECT id FROM accounts WHERE email IN (${batch})`),
    accountIdsByMobiles: raw(`SELECT id FROM accounts WHERE mobile_phone IN (${batch})`),
    accountExists: raw('SELECT 1 FROM accounts WHERE id = ?'),
    accountById: raw(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = ?`),
    accountWithRoles: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.id = ?`),
    accountWithDistrictRoles: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id AND r.district_id = ? WHERE a.id = ?`),
    accountIdByStaffSisId: raw("SELECT account_id FROM role_sis_ids WHERE district_id = ? AND role = 'staff' AND sis_id = ? ORDER BY account_id LIMIT 1"),
    accountsByEmail: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.email = ? ORDER BY a.id, r.district_id, r.role`),
    accountsByMobile: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.mobile_phone = ? ORDER BY a.id, r.district_id, r.role`),
    insertAccount: db.prepare(
      'INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    upsertAccount: db.prepare(
      'INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ' +
        'first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, mobile_phone = excluded.mobile_phone, ' +
        'home_phone = excluded.home_phone, language = excluded.language, claimed = excluded.claimed',
    ),
    updateFields: db.prepare('UPDATE accounts SET first_name = ?, last_name = ?, email = ?, mobile_phone = ?, home_phone = ?, language = ? WHERE id = ?'),
    role: raw('SELECT status, sis_ids FROM account_roles WHERE account_id = ? AND district_id = ? AND role = ?'),
    upsertRole: db.prepare(
      'INSERT INTO account_roles (account_id, district_id, role, status, sis_ids) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, district_id, role) DO UPDATE SET status = excluded.status, sis_ids = excluded.sis_ids',
    ),
    setRoleIds: db.prepare('UPDATE account_roles SET sis_ids = ? WHERE account_id = ? AND district_id = ? AND role = ?'),
    setRoleStatus: db.prepare('UPDATE account_roles SET status = ? WHERE account_id = ? AND district_id = ? AND role = ? AND status <> ?'),
    insertRoleSisId: db.prepare('INSERT INTO role_sis_ids (district_id, role, sis_id, account_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteRoleSisId: db.prepare('DELETE FROM role_sis_ids WHERE district_id = ? AND role = ? AND sis_id = ? AND account_id = ?'),
    insertLink: db.prepare('INSERT INTO links (account_id, district_id, student_sis_id, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteLink: db.prepare('DELETE FROM links WHERE account_id = ? AND district_id = ? AND student_sis_id = ? AND source = ?'),
    upsertOrg: db.prepare('INSERT INTO orgs (id, name, type, parent_id) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, parent_id = excluded.parent_id'),
    upsertStudent: db.prepare(
      'INSERT INTO students (district_id, sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (district_id, sis_id) DO UPDATE SET school_id = excluded.school_id, first_name = excluded.first_name, last_name = excluded.last_name',
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

/**
 * Accounts from rows of ACCOUNT_ROLE_COLUMNS where each account's rows are consecutive (one
 * per role, or one with null role columns when it has none).
 */
function groupAccountRows(rows: Iterable<AccountRoleRow>): Account[] {
  const accounts: Account[] = [];
  let lastId: string | undefined;
  let roles: AccountRole[] = [];
  for (const row of rows) {
    if (row[0] !== lastId) {
      lastId = row[0];
      roles = [];
      accounts.push({
        id: row[0],
        firstName: row[1],
        lastName: row[2],
        email: row[3],
        mobilePhone: row[4],
        homePhone: row[5],
        language: row[6],
        claimed: row[7] === 1,
        roles,
      });
    }
    if (row[8] !== null && row[9] !== null && row[10] !== null) roles.push({ role: row[9], districtId: row[8], sisIds: parseSisIds(row[11] ?? '[]'), status: row[10] });
  }
  return accounts;
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
