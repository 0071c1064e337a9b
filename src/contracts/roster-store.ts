// The roster store contract: where accounts, roles, students and guardian links live.
// A store implements keyed reads, set-based writes, locks and run history; the library owns
// what a sync means (`applyPlan` decides every row and the order they are written in). A
// host proves its store with the conformance suite exported from `guardian-sync/testing`.
import type { RunSummary, SavedReport } from '../model/report.js';
import type { Account, AccountFields, GuardianLink, Org, ResolvedScope, RoleName, RoleStatus, RosterSnapshot, SnapshotLogins, SnapshotRequest, Student, SyncScope } from '../model/roster.js';

export interface RosterStoreCapabilities {
  /**
   * `transaction` is all or nothing: when its body throws, nothing it wrote is visible; and
   * the accounts and roles its body reads (the rows it then rewrites) do not change under it
   * before it ends (the SQLite store: one write transaction at a time; the PostgreSQL store:
   * its reads lock them, `FOR UPDATE`). A store without transactions declares false: the
   * library writes every store in the same order (see {@link RosterWriter}), one that
   * converges when an interrupted run is repeated, so such a store ends right once it is.
   */
  readonly atomicApply: boolean;
  /**
   * What the store's locks promise:
   * - `lease`: a lock lasts `ttlMs` from its last acquire or renew; a holder that stops
   *   renewing (a killed process) loses it when the lease ends.
   * - `session`: a lock is held by a live connection (a PostgreSQL advisory lock) and freed
   *   by the server when the holder's connection or process dies; `ttlMs` is not used.
   */
  readonly lockKind: 'lease' | 'session';
  /** Locks are shared between processes (a database row or a server session), not only within one process. */
  readonly crossProcessLock: boolean;
}

/** An account as a store keeps it, without its roles (roles are rows of their own). */
export interface StoredAccount extends AccountFields {
  readonly id: string;
  readonly claimed: boolean;
}

/** One role of one account in one district: the store's key is (accountId, districtId, role). */
export interface StoredRole {
  readonly accountId: string;
  readonly districtId: string;
  readonly role: RoleName;
  readonly status: RoleStatus;
  /** Sorted and unique (the library writes them so). */
  readonly sisIds: readonly string[];
}

/** A new account and the roles it starts with (each role's `accountId` is the account's id). */
export interface NewAccount {
  readonly account: StoredAccount;
  readonly roles: readonly StoredRole[];
}

/**
 * The primitives the library applies a plan through: keyed reads of the rows a plan touches
 * and set-based writes, one kind of row per call. They carry no sync rules: the library
 * decides every row (see `applyPlan` and `planWrites`) and writes them in batches of at most
 * `RosterStore.writeBatchSize` rows, phase by phase in this order, for every store:
 * account updates (`updateAccounts`), guardian roles giving SIS ids up (`putRoles`), new
 * accounts with their roles (`insertAccounts`), role adds, restores, archives (`putRoles`
 * each), link inserts (`insertLinks`), link deletes (`deleteLinks`); docs/adapters.md says
 * why. A call may be one statement over the whole batch (the PostgreSQL store) or a
 * prepared statement per row (the SQLite store's inserts and updates: no round trips
 * in-process). Every method must throw when the backend fails.
 */
export interface RosterWriter {
  /** The accounts with these ids that exist (any order; missing ids are left out). */
  readAccounts(ids: readonly string[]): Promise<readonly StoredAccount[]>;
  /** The roles named `role` in `districtId` of these accounts that exist (any order). */
  readRoles(districtId: string, role: RoleName, accountIds: readonly string[]): Promise<readonly StoredRole[]>;
  /** Which of these SIS ids are students of `districtId` (any order). */
  readStudentIds(districtId: string, sisIds: readonly string[]): Promise<readonly string[]>;
  /**
   * Inserts new accounts, each with the roles it starts with (the library has read that
   * none of these ids exists). No account may ever be without its roles: write both in one
   * statement or one call of the backend (the PostgreSQL and memory stores), or inside the
   * store's transaction (the SQLite store); a store without transactions has only the first.
   */
  insertAccounts(accounts: readonly NewAccount[]): Promise<void>;
  /**
   * Sets the fields of existing accounts to these values (`claimed` is never changed by a
   * sync: leave it as stored). Rows come in the order the library gives; an email or mobile
   * one row gives up is never taken by another row of the same call, so a unique index on
   * logins holds after every statement.
   */
  updateAccounts(accounts: readonly StoredAccount[]): Promise<void>;
  /** Writes these roles whole: inserted when missing, replaced (status and SIS ids) when present. */
  putRoles(roles: readonly StoredRole[]): Promise<void>;
  /** Inserts these links, skipping any that exists (same account, district, student and source); returns how many it inserted. */
  insertLinks(links: readonly GuardianLink[]): Promise<number>;
  /** Deletes these links (same account, district, student and source), skipping any that is gone; returns how many it deleted. */
  deleteLinks(links: readonly GuardianLink[]): Promise<number>;
}

export interface TransactionOptions {
  readonly signal?: AbortSignal | undefined;
}

/** What a store did with a plan: changes that took effect now (a re-applied plan counts 0). */
export interface ApplyResult {
  readonly accountsCreated: number;
  readonly accountsUpdated: number;
  /** Guardian roles added, or given new SIS ids. */
  readonly rolesAdded: number;
  /** Guardian roles that gave SIS ids up to another account. */
  readonly idsRemoved: number;
  readonly guardiansArchived: number;
  readonly guardiansRestored: number;
  readonly linksAdded: number;
  readonly linksRemoved: number;
}

export interface LockOptions {
  /** Identifies the holder (the run id): only the holder may renew or release. */
  readonly owner: string;
  /** A `lease` lock ends this long after its last acquire or renew. Not used by `session` locks. */
  readonly ttlMs: number;
}

/** Who holds a lock, as far as the store knows: shown in `SYNC_IN_PROGRESS`. */
export interface LockHolder {
  /** The holder's owner string (the run id of the run holding it). */
  readonly owner: string;
  /** When the lease ends (ISO-8601), or null for a session lock (it lasts while its connection does). */
  readonly expiresAt: string | null;
}

export type LockAttempt = { readonly acquired: true } | { readonly acquired: false; readonly holder: LockHolder | null };

export interface ListRunsOptions {
  readonly scope?: SyncScope | undefined;
  /** Most recent first; at most this many. */
  readonly limit?: number | undefined;
}

/** Staff account as the daily roster sync delivers it. */
export interface StaffRecord {
  /** The district the staff role belongs to; `sisId` is unique only inside it. */
  readonly districtId: string;
  readonly sisId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly schoolIds: readonly string[];
}

/**
 * Students, staff and orgs as a daily roster sync delivers them (OneRoster `roster import`).
 * Students and staff carry their district: an import must never change another district's
 * students, staff roles or links, even where SIS ids are equal.
 */
export interface RosterImport {
  readonly orgs: readonly Org[];
  readonly students: readonly Student[];
  readonly staff: readonly StaffRecord[];
  /**
   * Districts to fold into another, in the import's transaction, before its rows are
   * written: the placeholder district of an import without orgs.csv, once an import names
   * the real one (`importOneRosterRoster` decides). For each merge the store must move
   * every student of `from` to `into` (a student `into` already has by SIS id keeps its
   * row), every link to a student of `from` to the student of `into` with that SIS id (an
   * equal link is kept once), every role in `from` into the account's role of that name in
   * `into` (SIS ids united; active when either was), and every school of `from` to `into`;
   * then delete org `from`. Nothing of another district changes. Absent: nothing to fold.
   */
  readonly mergeDistricts?: readonly DistrictMerge[] | undefined;
}

/** One district folded into another by a roster import ({@link RosterImport.mergeDistricts}). */
export interface DistrictMerge {
  /** The district that goes away. */
  readonly from: string;
  /** The district that takes its students, roles and links. */
  readonly into: string;
}

export interface RosterImportResult {
  readonly orgs: number;
  readonly students: number;
  readonly staffCreated: number;
  readonly staffUpdated: number;
}

/**
 * The roster as one district sees it (`guardian-sync export --org`): its students, and the
 * accounts holding a role in the district or a link to one of its students, each with that
 * district's roles only and that district's students it is linked to.
 */
export interface RosterExport {
  readonly formatVersion: 1;
  /** The district this export is the view of. */
  readonly districtId: string;
  readonly accounts: readonly ExportedAccount[];
  readonly students: readonly ExportedStudent[];
}

/** A student of the exported district (the district is the export's). */
export type ExportedStudent = Omit<Student, 'districtId'>;

export interface ExportedAccount extends AccountFields {
  readonly id: string;
  readonly claimed: boolean;
  readonly roles: readonly { readonly role: string; readonly sisIds: readonly string[]; readonly status: string }[];
  /** SIS ids of the district's students linked to this account (any source) while its guardian role there is active. */
  readonly students: readonly string[];
}

export interface RosterStore {
  readonly capabilities: RosterStoreCapabilities;

  /**
   * Must return the scope with its district and the schools it covers when the org exists
   * and has the scope's level (a district for `district`, a school for `school`);
   * must return null when it does not. Must not throw for an unknown org.
   */
  resolveScope(scope: SyncScope): Promise<ResolvedScope | null>;

  /**
   * Must return the keyed snapshot described by `RosterSnapshot` for this scope and these
   * logins, consistent as of one moment: the district's students, the accounts holding a
   * role in the district or a link to its students, the accounts holding one of
   * `request.logins`, and the district's links. Must not return other districts' students
   * or links; should read with indexed lookups (by district, by student, by login), never
   * by scanning every account. Must throw (any error) when the backend cannot be read.
   */
  loadSnapshot(scope: ResolvedScope, request: SnapshotRequest): Promise<RosterSnapshot>;

  /**
   * Must run `body` with a writer and return what it returns. A store with `atomicApply`
   * runs it in one transaction (committed when `body` resolves, rolled back when it throws;
   * see {@link RosterStoreCapabilities.atomicApply}) and must not run two bodies at once on
   * one connection; a store without just calls it. The library's `applyPlan` is the only
   * caller a sync needs.
   */
  transaction<T>(body: (writer: RosterWriter) => Promise<T>, options: TransactionOptions): Promise<T>;

  /** Rows per write call: what one call of the backend handles well (the SQL stores: 1,000, PostgreSQL's by default; the memory store: 10,000). */
  readonly writeBatchSize: number;

  /**
   * Must take the lock and return `{ acquired: true }` when no live lock on `key` exists, or
   * the current one has the same owner (a `lease` lock then lasts `ttlMs` from now); must
   * return `{ acquired: false, holder }`, without waiting, when another owner holds a live
   * one. A `lease` lock is live until its lease ends; a `session` lock while the connection
   * that took it is open. A store may take over a lock whose holder it knows is gone (the
   * SQLite store: a process of this host that no longer exists).
   */
  acquireLock(key: string, options: LockOptions): Promise<LockAttempt>;

  /**
   * Must extend a lock `owner` holds (a `lease` lock then lasts `ttlMs` from now) and return
   * true; must return false when `owner` no longer holds it (its lease ended and another
   * owner took it, or its session is gone). The library renews while a run works and stops
   * the run before its next write once this returns false.
   */
  renewLock(key: string, options: LockOptions): Promise<boolean>;

  /** Must release the lock when `owner` holds it; must do nothing otherwise. Must not throw when not held. */
  releaseLock(key: string, owner: string): Promise<void>;

  /**
   * Must store the report so that `getRun` returns it whole and `listRuns` lists it. Saving
   * the same runId again replaces it: a run is saved as `running` when it takes the lock,
   * then again with its outcome, so a run killed on the way leaves a `running` entry (the
   * next run of the scope marks it `interrupted`). Store it as `stringifyReport(report)`
   * writes it: that leaves out the guardians' display names the in-memory changes carry
   * for report.html, so the history holds no names.
   */
  saveRun(report: SavedReport): Promise<void>;

  /** Must return runs most recent first (by `startedAt`), filtered by scope when given. */
  listRuns(options?: ListRunsOptions): Promise<readonly RunSummary[]>;

  /** Must return the report saved under `runId`, or null. */
  getRun(runId: string): Promise<SavedReport | null>;

  /**
   * Optional: load orgs, students and staff. Updates in place by org id, by (district,
   * student SIS id) and by (district, staff SIS id); a district's import never changes
   * another district's students, staff roles or links.
   */
  importRoster?(data: RosterImport): Promise<RosterImportResult>;

  /** Optional: the roster as district `districtId` sees it, in the export shape, sorted. */
  exportRoster?(districtId: string): Promise<RosterExport>;

  /**
   * Optional: must return every org (districts and schools), sorted by id. Lets a caller
   * default the scope to the only district without reading the roster.
   */
  listOrgs?(): Promise<readonly Org[]>;

  /** Optional: release connections. Idempotent. */
  close?(): Promise<void>;
}

/** A store with every optional method: what the shipped stores are, and what the CLI needs. */
export interface FullRosterStore extends RosterStore {
  importRoster(data: RosterImport): Promise<RosterImportResult>;
  exportRoster(districtId: string): Promise<RosterExport>;
  listOrgs(): Promise<readonly Org[]>;
  close(): Promise<void>;
}

// Re-exported so an adapter author needs one import.
export type { Account, GuardianLink, Org, ResolvedScope, RoleName, RoleStatus, RosterSnapshot, SnapshotLogins, SnapshotRequest, Student, SyncScope };
