// The memory roster store: the reference implementation of the RosterStore contract, and
// the store tests and small hosts use. It applies a plan item by item (not atomic), which is
// what lets the conformance suite prove that a non-atomic store converges after an
// interruption; `onApplyStep` interrupts it deterministically.
import { randomUUID } from 'node:crypto';
import type {
  ApplyOptions,
  ApplyResult,
  ListRunsOptions,
  RosterImport,
  RosterImportResult,
  RosterStoreCapabilities,
  FullRosterStore,
} from '../contracts/roster-store.js';
import type { SyncPlan } from '../model/plan.js';
import type { RunSummary, SyncReport } from '../model/report.js';
import type { Account, AccountFields, GuardianLink, Org, ResolvedScope, RosterSnapshot, Student, SyncScope } from '../model/roster.js';
import { compareText, sameAccount, sortedSisIds, unionRole, withRoleStatus } from './account-roles.js';
import { buildRosterExport } from './build-roster-export.js';
import { importStaffRecords } from './import-staff.js';
import { countPlanSteps, planSteps, type PlanStep } from './plan-steps.js';
import { compareRunsRecentFirst, runMatchesScope, summarizeRun } from './run-summary.js';
import type { StoreHooks } from './store-hooks.js';
import { applyAborted, loadAborted, stepFailure } from './store-errors.js';

/** Roster data to start a store with (tests, demos, hosts that load their own data). */
export interface MemoryRosterSeed {
  readonly orgs?: readonly Org[] | undefined;
  readonly students?: readonly Student[] | undefined;
  readonly accounts?: readonly Account[] | undefined;
  readonly links?: readonly GuardianLink[] | undefined;
}

export interface MemoryLock {
  readonly owner: string;
  /** Epoch milliseconds (of the store's clock) after which the lock is free. */
  readonly expiresAt: number;
}

/**
 * The live data behind a memory store. Values are treated as immutable: the store replaces
 * an account or link rather than changing it, so a snapshot handed out stays as it was.
 * Exposed for inspection (the conformance suite reads it directly) and for seeding; writing
 * to it bypasses the contract's checks.
 */
export interface MemoryRosterData {
  readonly orgs: Map<string, Org>;
  readonly students: Map<string, Student>;
  readonly accounts: Map<string, Account>;
  /** Keyed by {@link memoryLinkKey}. */
  readonly links: Map<string, GuardianLink>;
  readonly locks: Map<string, MemoryLock>;
  /** Saved runs by run id. */
  readonly runs: Map<string, MemoryRun>;
}

/**
 * A saved run: its summary, and the report as JSON. JSON, not a structured clone: the
 * history must not change when the caller changes its report object, and for a
 * 1,000,000-row report `JSON.stringify` is several times faster than `structuredClone`.
 */
export interface MemoryRun {
  readonly summary: RunSummary;
  readonly json: string;
}

export interface MemoryStoreOptions extends StoreHooks {
  /** Roster to start with. @example { orgs: [{ id: 'D1', name: 'District', type: 'district', parentId: null }] } */
  readonly initial?: MemoryRosterSeed | undefined;
}

export interface MemoryStore extends FullRosterStore {
  /** The live data; see {@link MemoryRosterData}. */
  readonly data: MemoryRosterData;
}

const CAPABILITIES: RosterStoreCapabilities = Object.freeze({ atomicApply: false, crossProcessLock: false });

/** Items between two yields to the event loop, so an abort signal can fire during a long apply. */
const YIELD_EVERY = 10_000;

/** Key of a link in {@link MemoryRosterData.links}. */
export function memoryLinkKey(accountId: string, studentSisId: string, source: string): string {
  return `${accountId}\u0000${studentSisId}\u0000${source}`;
}

/** Creates an empty data set, or one holding `seed`. */
export function createMemoryRosterData(seed: MemoryRosterSeed = {}): MemoryRosterData {
  const data: MemoryRosterData = {
    orgs: new Map(),
    students: new Map(),
    accounts: new Map(),
    links: new Map(),
    locks: new Map(),
    runs: new Map(),
  };
  seedMemoryRosterData(data, seed);
  return data;
}

/** Adds (or replaces, by id) the seed's values in `data`. */
export function seedMemoryRosterData(data: MemoryRosterData, seed: MemoryRosterSeed): void {
  for (const org of seed.orgs ?? []) data.orgs.set(org.id, { ...org });
  for (const student of seed.students ?? []) data.students.set(student.sisId, { ...student });
  for (const account of seed.accounts ?? []) data.accounts.set(account.id, copyAccount(account));
  for (const link of seed.links ?? []) data.links.set(memoryLinkKey(link.accountId, link.studentSisId, link.source), { ...link });
}

/** Creates a memory store. @example const store = createMemoryStore({ initial: { orgs, students } }); */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const data = createMemoryRosterData(options.initial);
  const now = options.now ?? Date.now;
  const newAccountId = options.newAccountId ?? randomUUID;
  const onApplyStep = options.onApplyStep;

  function resolveScopeNow(scope: SyncScope): ResolvedScope | null {
    const org = data.orgs.get(scope.orgId);
    if (org === undefined || org.type !== scope.level) return null;
    if (org.type === 'district') {
      const schoolIds = [...data.orgs.values()]
        .filter((o) => o.type === 'school' && o.parentId === org.id)
        .map((o) => o.id)
        .sort(compareText);
      return { level: scope.level, orgId: org.id, districtId: org.id, schoolIds };
    }
    // A school without a district stands alone: it is its own district.
    return { level: scope.level, orgId: org.id, districtId: org.parentId ?? org.id, schoolIds: [org.id] };
  }

  function districtSchools(districtId: string): Set<string> {
    const schools = new Set<string>();
    for (const org of data.orgs.values()) {
      if (org.type === 'school' && (org.parentId ?? org.id) === districtId) schools.add(org.id);
    }
    return schools;
  }

  function applyStep(step: PlanStep, source: string, counts: MutableApplyResult): void {
    switch (step.kind) {
      case 'create': {
        const { item } = step;
        if (data.accounts.has(item.accountId)) return;
        data.accounts.set(item.accountId, {
          id: item.accountId,
          ...pickFields(item.fields),
          claimed: false,
          roles: unionRole([], 'guardian', item.guardianSisIds, 'active'),
        });
        counts.accountsCreated += 1;
        return;
      }
      case 'update': {
        const account = requireAccount(step);
        const next: Account = { ...account };
        const fields = next as { -readonly [K in keyof AccountFields]: AccountFields[K] };
        for (const change of step.item.changes) {
          if (change.field === 'firstName' || change.field === 'lastName') fields[change.field] = change.after ?? '';
          else fields[change.field] = change.after;
        }
        if (!sameAccount(account, next)) {
          data.accounts.set(account.id, next);
          counts.accountsUpdated += 1;
        }
        return;
      }
      case 'role-add': {
        const account = requireAccount(step);
        const next: Account = { ...account, roles: unionRole(account.roles, 'guardian', step.item.sisIds, 'active') };
        if (!sameAccount(account, next)) {
          data.accounts.set(account.id, next);
          counts.rolesChanged += 1;
        }
        return;
      }
      case 'link-add': {
        const { accountId, studentSisId } = step.item;
        requireAccount(step);
        if (!data.students.has(studentSisId)) throw stepFailure(step, 'no student with this SIS id', false);
        const key = memoryLinkKey(accountId, studentSisId, source);
        if (data.links.has(key)) return;
        data.links.set(key, { accountId, studentSisId, source });
        counts.linksAdded += 1;
        return;
      }
      case 'link-remove': {
        if (data.links.delete(memoryLinkKey(step.item.accountId, step.item.studentSisId, source))) counts.linksRemoved += 1;
        return;
      }
      case 'archive':
      case 'restore': {
        const account = requireAccount(step);
        const status = step.kind === 'archive' ? 'archived' : 'active';
        const roles = withRoleStatus(account.roles, 'guardian', status);
        if (roles === undefined) throw stepFailure(step, 'the account has no guardian role', false);
        const next: Account = { ...account, roles };
        if (!sameAccount(account, next)) {
          data.accounts.set(account.id, next);
          counts.rolesChanged += 1;
        }
        return;
      }
    }
  }

  function requireAccount(step: PlanStep): Account {
    const account = data.accounts.get(step.item.accountId);
    if (account === undefined) throw stepFailure(step, 'no account with this id', false);
    return account;
  }

  return {
    capabilities: CAPABILITIES,
    data,

    async resolveScope(scope) {
      return resolveScopeNow(scope);
    },

    async loadSnapshot(scope, loadOptions) {
      if (loadOptions?.signal?.aborted === true) throw loadAborted();
      const schools = districtSchools(scope.districtId);
      const snapshot: RosterSnapshot = {
        scope,
        students: [...data.students.values()].filter((s) => schools.has(s.schoolId)),
        accounts: [...data.accounts.values()],
        links: [...data.links.values()],
      };
      return snapshot;
    },

    async applyPlan(plan: SyncPlan, applyOptions: ApplyOptions): Promise<ApplyResult> {
      const counts: MutableApplyResult = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
      const total = countPlanSteps(plan);
      const signal = applyOptions.signal;
      let step = 0;
      for (const item of planSteps(plan)) {
        if (step > 0 && step % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal?.aborted === true) throw applyAborted(step, total, false);
        onApplyStep?.(step, item);
        applyStep(item, plan.source, counts);
        step += 1;
      }
      return { ...counts };
    },

    async acquireLock(key, lockOptions) {
      const at = now();
      const current = data.locks.get(key);
      if (current !== undefined && current.owner !== lockOptions.owner && current.expiresAt > at) return false;
      data.locks.set(key, { owner: lockOptions.owner, expiresAt: at + lockOptions.ttlMs });
      return true;
    },

    async releaseLock(key, owner) {
      if (data.locks.get(key)?.owner === owner) data.locks.delete(key);
    },

    async saveRun(report) {
      data.runs.set(report.runId, { summary: summarizeRun(report), json: JSON.stringify(report) });
    },

    async listRuns(listOptions: ListRunsOptions = {}): Promise<readonly RunSummary[]> {
      const runs = [...data.runs.values()].map((run) => structuredClone(run.summary)).filter((run) => runMatchesScope(run, listOptions.scope));
      runs.sort(compareRunsRecentFirst);
      return listOptions.limit === undefined ? runs : runs.slice(0, Math.max(0, listOptions.limit));
    },

    async getRun(runId) {
      const run = data.runs.get(runId);
      return run === undefined ? null : (JSON.parse(run.json) as SyncReport);
    },

    async importRoster(roster: RosterImport): Promise<RosterImportResult> {
      for (const org of roster.orgs) data.orgs.set(org.id, { ...org });
      for (const student of roster.students) data.students.set(student.sisId, { ...student });
      // Lookup indexes for this import only: the memory store keeps no credential index.
      const byEmail = new Map<string, Account[]>();
      const byMobile = new Map<string, Account[]>();
      const byStaffSisId = new Map<string, Account>();
      const index = (account: Account): void => {
        if (account.email !== null) pushTo(byEmail, account.email.toLowerCase(), account);
        if (account.mobilePhone !== null) pushTo(byMobile, account.mobilePhone, account);
        for (const role of account.roles) {
          if (role.role !== 'staff') continue;
          for (const id of role.sisIds) {
            // Two accounts holding one staff id (bad seed data): the smallest id wins, as in SQLite.
            const holder = byStaffSisId.get(id);
            if (holder === undefined || holder.id === account.id || account.id < holder.id) byStaffSisId.set(id, account);
          }
        }
      };
      const unindex = (account: Account): void => {
        if (account.email !== null) removeFrom(byEmail, account.email.toLowerCase(), account.id);
        if (account.mobilePhone !== null) removeFrom(byMobile, account.mobilePhone, account.id);
      };
      for (const account of data.accounts.values()) index(account);
      const counts = importStaffRecords(roster.staff, {
        accountByStaffSisId: (sisId) => byStaffSisId.get(sisId),
        accountsByEmail: (email) => byEmail.get(email.toLowerCase()) ?? [],
        accountsByMobile: (mobile) => byMobile.get(mobile) ?? [],
        write: (account) => {
          const previous = data.accounts.get(account.id);
          if (previous !== undefined) unindex(previous);
          data.accounts.set(account.id, account);
          index(account);
        },
        newAccountId,
      });
      return { orgs: roster.orgs.length, students: roster.students.length, ...counts };
    },

    async exportRoster() {
      return buildRosterExport({ accounts: data.accounts.values(), links: data.links.values(), students: data.students.values() });
    },

    async listOrgs() {
      return [...data.orgs.values()].map((org) => ({ ...org })).sort((a, b) => compareText(a.id, b.id));
    },

    async close() {
      // Nothing to release; kept so hosts can close any store the same way.
    },
  };
}

interface MutableApplyResult {
  accountsCreated: number;
  accountsUpdated: number;
  rolesChanged: number;
  linksAdded: number;
  linksRemoved: number;
}

function pickFields(fields: AccountFields): AccountFields {
  return {
    firstName: fields.firstName,
    lastName: fields.lastName,
    email: fields.email,
    mobilePhone: fields.mobilePhone,
    homePhone: fields.homePhone,
    language: fields.language,
  };
}

function copyAccount(account: Account): Account {
  return {
    id: account.id,
    ...pickFields(account),
    claimed: account.claimed,
    roles: account.roles.map((r) => ({ role: r.role, sisIds: sortedSisIds(r.sisIds), status: r.status })),
  };
}

function pushTo(map: Map<string, Account[]>, key: string, account: Account): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [account]);
  else list.push(account);
}

function removeFrom(map: Map<string, Account[]>, key: string, accountId: string): void {
  const list = map.get(key);
  if (list === undefined) return;
  const kept = list.filter((a) => a.id !== accountId);
  if (kept.length === 0) map.delete(key);
  else map.set(key, kept);
}
