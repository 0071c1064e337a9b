// The roster store contract: where accounts, roles, students and guardian links live.
// A host implements it over its own database and proves it with the conformance suite
// exported from `guardian-sync/testing`. The memory store is the reference implementation.
import type { SyncPlan } from '../model/plan.js';
import type { RunSummary, SyncReport } from '../model/report.js';
import type { Account, GuardianLink, Org, ResolvedScope, RosterSnapshot, SnapshotLogins, SnapshotRequest, Student, SyncScope } from '../model/roster.js';

export interface RosterStoreCapabilities {
  /** `applyPlan` is all or nothing: after a throw, nothing of the plan is visible. */
  readonly atomicApply: boolean;
  /** Locks are shared between processes (a database row), not only within one process. */
  readonly crossProcessLock: boolean;
}

export interface ApplyOptions {
  readonly runId: string;
  readonly signal?: AbortSignal | undefined;
}

/** What a store did with a plan. Counts are of changes that took effect now (a re-applied item counts 0). */
export interface ApplyResult {
  readonly accountsCreated: number;
  readonly accountsUpdated: number;
  readonly rolesChanged: number;
  readonly linksAdded: number;
  readonly linksRemoved: number;
}

export interface LockOptions {
  /** Identifies the holder (the run id): only the holder may release. */
  readonly owner: string;
  /** The lock expires after this long, so a crashed worker cannot hold a scope forever. */
  readonly ttlMs: number;
}

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

export interface ExportedAccount {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly language: string | null;
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
   * Must apply every item of the plan, in any order that leaves the same result. Every
   * role and link item concerns the plan's district (`plan.scope.districtId`) and no other:
   * creates (skip an id that exists; the new account gets a guardian role in the district),
   * updates (set fields), role adds (the district's guardian role: set union of SIS ids,
   * status active; created when missing), id removes (take the SIS ids off the district's
   * guardian role; skip ids it no longer holds), link adds (skip one that exists for the
   * same account, district, student and source), link removes (only links of
   * `plan.source`; skip one that is gone), archives and restores (set the status of the
   * district's guardian role). Applying the same plan twice must leave
   * the store as applying it once. Stores with `atomicApply` must apply all or nothing.
   * Must throw when an item cannot be applied; must honour `signal` between items.
   *
   * An item cannot be applied when it refers to an account that does not exist (update,
   * role add, link add, archive, restore; a plan never updates an account it creates), when
   * a link add names a student that does not exist, or when an archive or restore names an account without a guardian role in the district. A link
   * remove of a link that is gone, or a create of an id that exists, is not a failure.
   * "Any order that leaves the same result" means the same result as this order, the one
   * the shipped stores use: updates (in plan order), id removes, creates, role adds,
   * restores, archives, link adds, link removes. Updates come first so a login an account
   * gives up is free before another account takes it; id removes come before creates and
   * role adds so an SIS id is never on two accounts of a district; archives come before link removes so a run that dies
   * in between still converges when repeated. A non-atomic store must apply in this order
   * (`planSteps` yields it); an atomic store may batch freely inside its transaction.
   * `ApplyResult` counts only what changed now: a second apply of the same plan counts 0.
   */
  applyPlan(plan: SyncPlan, options: ApplyOptions): Promise<ApplyResult>;

  /**
   * Must return true and hold the lock when no unexpired lock on `key` exists (or the
   * current one is held by the same owner); must return false, without waiting, when
   * another owner holds an unexpired lock.
   */
  acquireLock(key: string, options: LockOptions): Promise<boolean>;

  /** Must release the lock when `owner` holds it; must do nothing otherwise. Must not throw when not held. */
  releaseLock(key: string, owner: string): Promise<void>;

  /** Must store the report so that `getRun` returns it whole and `listRuns` lists it. Saving the same runId again replaces it. */
  saveRun(report: SyncReport): Promise<void>;

  /** Must return runs most recent first (by `startedAt`), filtered by scope when given. */
  listRuns(options?: ListRunsOptions): Promise<readonly RunSummary[]>;

  /** Must return the report saved under `runId`, or null. */
  getRun(runId: string): Promise<SyncReport | null>;

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
export type { Account, GuardianLink, Org, ResolvedScope, RosterSnapshot, SnapshotLogins, SnapshotRequest, Student, SyncScope };
