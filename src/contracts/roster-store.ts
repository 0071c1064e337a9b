// The roster store contract: where accounts, roles, students and guardian links live.
// A host implements it over its own database and proves it with the conformance suite
// exported from `guardian-sync/testing`. The memory store is the reference implementation.
import type { SyncPlan } from '../model/plan.js';
import type { RunSummary, SyncReport } from '../model/report.js';
import type { Account, GuardianLink, Org, ResolvedScope, RosterSnapshot, Student, SyncScope } from '../model/roster.js';

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
  readonly sisId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly schoolIds: readonly string[];
}

/** Students, staff and orgs as a daily roster sync delivers them (OneRoster `roster import`). */
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

/** The roster as `guardian-sync export` prints it (CONTRACTS.md). */
export interface RosterExport {
  readonly formatVersion: 1;
  readonly accounts: readonly ExportedAccount[];
  readonly students: readonly Student[];
}

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
  /** SIS ids of students with an active guardian link to this account, from any source. */
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
   * Must return the snapshot described by `RosterSnapshot` for this scope, consistent as of
   * one moment. Must throw (any error) when the backend cannot be read.
   */
  loadSnapshot(scope: ResolvedScope, options?: { readonly signal?: AbortSignal | undefined }): Promise<RosterSnapshot>;

  /**
   * Must apply every item of the plan, in any order that leaves the same result:
   * creates (skip an id that exists), updates (set fields), role adds (set union of SIS ids,
   * status active), link adds (skip one that exists for the same account, student and
   * source), link removes (only links of `plan.source`; skip one that is gone), archives
   * and restores (set the guardian role's status). Applying the same plan twice must leave
   * the store as applying it once. Stores with `atomicApply` must apply all or nothing.
   * Must throw when an item cannot be applied; must honour `signal` between items.
   *
   * An item cannot be applied when it refers to an account that does not exist (update,
   * role add, link add, archive, restore; a plan never updates an account it creates), when
   * a link add names a student that does not exist, or when an archive or restore names an account without a guardian role. A link
   * remove of a link that is gone, or a create of an id that exists, is not a failure.
   * "Any order that leaves the same result" means the same result as this order, the one
   * the shipped stores use: updates (in plan order), creates, role adds, restores, archives,
   * link adds, link removes. Updates come first so a login an account gives up is free
   * before another account takes it; archives come before link removes so a run that dies
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

  /** Optional: load orgs, students and staff (updates in place by id / SIS id). */
  importRoster?(data: RosterImport): Promise<RosterImportResult>;

  /** Optional: the whole roster in the export shape, sorted. */
  exportRoster?(): Promise<RosterExport>;

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
  exportRoster(): Promise<RosterExport>;
  listOrgs(): Promise<readonly Org[]>;
  close(): Promise<void>;
}

// Re-exported so an adapter author needs one import.
export type { Account, GuardianLink, Org, ResolvedScope, RosterSnapshot, Student, SyncScope };
