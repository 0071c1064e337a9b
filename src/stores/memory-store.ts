// The memory roster store: the reference implementation of the RosterStore contract, and
// the store tests and small hosts use. It applies a plan item by item (not atomic), which is
// what lets the conformance suite prove that a non-atomic store converges after an
// interruption; `onApplyStep` interrupts it deterministically. Its tables and indexes live
// in memory-roster-data.ts: every read of a district goes through the indexes, so a sync of
// one district costs what that district holds, not what the platform holds.
import { randomUUID } from 'node:crypto';
import type {
  ApplyOptions,
  ApplyResult,
  FullRosterStore,
  ListRunsOptions,
  RosterImport,
  RosterImportResult,
  RosterStoreCapabilities,
} from '../contracts/roster-store.js';
import type { SyncPlan } from '../model/plan.js';
import type { RunSummary, SyncReport } from '../model/report.js';
import type { Account, AccountFields, ResolvedScope, RosterSnapshot, SyncScope } from '../model/roster.js';
import { compareText, pickAccountFields, sameAccount, unionRole, withoutRoleIds, withRoleStatus } from './account-roles.js';
import { buildRosterExport } from './build-roster-export.js';
import { importStaffRecords } from './import-staff.js';
import {
  accountByStaffSisId,
  accountsWithEmail,
  accountsWithMobile,
  createMemoryRosterData,
  deleteLink,
  putAccount,
  putLink,
  putOrg,
  putStudent,
  readDistrict,
  schoolIdsOf,
  studentOf,
  type MemoryRosterData,
  type MemoryRosterSeed,
} from './memory-roster-data.js';
import { countPlanSteps, planSteps, type PlanStep } from './plan-steps.js';
import { compareRunsRecentFirst, runMatchesScope, summarizeRun } from './run-summary.js';
import type { StoreHooks } from './store-hooks.js';
import { applyAborted, loadAborted, stepFailure } from './store-errors.js';

export {
  createMemoryRosterData,
  memoryLinkKey,
  memoryStaffIdKey,
  memoryStudentKey,
  seedMemoryRosterData,
  type MemoryDistrictIndex,
  type MemoryDistrictMember,
  type MemoryDistrictView,
  type MemoryLock,
  type MemoryRosterData,
  type MemoryRosterIndexes,
  type MemoryRosterSeed,
  type MemoryRun,
} from './memory-roster-data.js';

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
      return { level: scope.level, orgId: org.id, districtId: org.id, schoolIds: [...schoolIdsOf(data, org.id)].sort(compareText) };
    }
    // A school without a district stands alone: it is its own district.
    return { level: scope.level, orgId: org.id, districtId: org.parentId ?? org.id, schoolIds: [org.id] };
  }

  /** Applies one item; every role and link item concerns `districtId` (the plan's) only. */
  function applyStep(step: PlanStep, districtId: string, source: string, counts: MutableApplyResult): void {
    switch (step.kind) {
      case 'create': {
        const { item } = step;
        if (data.accounts.has(item.accountId)) return;
        putAccount(data, {
          id: item.accountId,
          ...pickAccountFields(item.fields),
          claimed: false,
          roles: unionRole([], 'guardian', districtId, item.guardianSisIds, 'active'),
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
        if (replaceIfChanged(account, next)) counts.accountsUpdated += 1;
        return;
      }
      case 'id-remove': {
        // Not a failure when the account or its role is gone: the ids are off it either way.
        const account = data.accounts.get(step.item.accountId);
        if (account === undefined) return;
        if (replaceIfChanged(account, { ...account, roles: withoutRoleIds(account.roles, 'guardian', districtId, step.item.sisIds) })) counts.rolesChanged += 1;
        return;
      }
      case 'role-add': {
        const account = requireAccount(step);
        if (replaceIfChanged(account, { ...account, roles: unionRole(account.roles, 'guardian', districtId, step.item.sisIds, 'active') })) counts.rolesChanged += 1;
        return;
      }
      case 'link-add': {
        const { accountId, studentSisId } = step.item;
        requireAccount(step);
        if (studentOf(data, districtId, studentSisId) === undefined) throw stepFailure(step, `no student with this SIS id in district "${districtId}"`, false);
        if (putLink(data, { accountId, districtId, studentSisId, source })) counts.linksAdded += 1;
        return;
      }
      case 'link-remove': {
        if (deleteLink(data, { accountId: step.item.accountId, districtId, studentSisId: step.item.studentSisId, source })) counts.linksRemoved += 1;
        return;
      }
      case 'archive':
      case 'restore': {
        const account = requireAccount(step);
        const roles = withRoleStatus(account.roles, 'guardian', districtId, step.kind === 'archive' ? 'archived' : 'active');
        if (roles === undefined) throw stepFailure(step, `the account has no guardian role in district "${districtId}"`, false);
        if (replaceIfChanged(account, { ...account, roles })) counts.rolesChanged += 1;
        return;
      }
    }
  }

  function requireAccount(step: PlanStep): Account {
    const account = data.accounts.get(step.item.accountId);
    if (account === undefined) throw stepFailure(step, 'no account with this id', false);
    return account;
  }

  /** Stores `next` when it differs from `account`; true when it did. */
  function replaceIfChanged(account: Account, next: Account): boolean {
    if (sameAccount(account, next)) return false;
    putAccount(data, next);
    return true;
  }

  return {
    capabilities: CAPABILITIES,
    data,

    async resolveScope(scope) {
      return resolveScopeNow(scope);
    },

    async loadSnapshot(scope, request) {
      if (request?.signal?.aborted === true) throw loadAborted();
      const view = readDistrict(data, scope.districtId, request?.logins);
      const snapshot: RosterSnapshot = { scope, students: view.students, accounts: view.accounts, links: view.links };
      return snapshot;
    },

    async applyPlan(plan: SyncPlan, applyOptions: ApplyOptions): Promise<ApplyResult> {
      const counts: MutableApplyResult = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
      const total = countPlanSteps(plan);
      const signal = applyOptions.signal;
      const { districtId } = plan.scope;
      let step = 0;
      for (const item of planSteps(plan)) {
        if (step > 0 && step % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal?.aborted === true) throw applyAborted(step, total, false);
        onApplyStep?.(step, item);
        applyStep(item, districtId, plan.source, counts);
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
      for (const org of roster.orgs) putOrg(data, { ...org });
      // By (district, SIS id): a district's students never replace another district's.
      for (const student of roster.students) putStudent(data, { ...student });
      const counts = importStaffRecords(roster.staff, {
        accountByStaffSisId: (districtId, sisId) => accountByStaffSisId(data, districtId, sisId),
        accountsByEmail: (email) => accountsWithEmail(data, email),
        accountsByMobile: (mobile) => accountsWithMobile(data, mobile),
        write: (account) => putAccount(data, account),
        newAccountId,
      });
      return { orgs: roster.orgs.length, students: roster.students.length, ...counts };
    },

    async exportRoster(districtId) {
      const view = readDistrict(data, districtId);
      return buildRosterExport({ districtId, accounts: view.accounts, links: view.links, students: view.students });
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


