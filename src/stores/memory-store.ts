// The memory roster store: the store tests and small hosts use. It has no transactions
// (not atomic): the writes land as the library makes them, which is what lets the
// conformance suite prove that the library's apply order converges after an interruption.
// Logins are not unique-indexed here (the planner keeps them unique; the PostgreSQL store
// enforces it). Its tables and indexes live in
// memory-roster-data.ts: every read of a district goes through the indexes, so a sync of one
// district costs what that district holds, not what the platform holds.
import { randomUUID } from 'node:crypto';
import type {
  FullRosterStore,
  ListRunsOptions,
  RosterImport,
  RosterImportResult,
  RosterStoreCapabilities,
  RosterWriter,
  StoredAccount,
  StoredRole,
} from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { RunSummary, SavedReport } from '../model/report.js';
import { roleIn, type ResolvedScope, type RosterSnapshot, type SyncScope } from '../model/roster.js';
import { stringifyReport } from '../report/stringify-report.js';
import { pickAccountFields, sortedSisIds, sortRoles } from '../model/account-roles.js';
import { compareText } from '../model/compare-text.js';
import { buildRosterExport } from './build-roster-export.js';
import { importStaffRecords } from './import-staff.js';
import {
  accountByStaffSisId,
  accountsWithEmail,
  accountsWithMobile,
  createMemoryRosterData,
  deleteLink,
  mergeDistrict,
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
import { compareRunsRecentFirst, runMatchesScope, summarizeRun } from './run-summary.js';
import type { StoreHooks } from './store-hooks.js';
import { applyAborted, loadAborted } from './store-errors.js';

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

const CAPABILITIES: RosterStoreCapabilities = Object.freeze({ atomicApply: false, lockKind: 'lease', crossProcessLock: false });

/** Rows per write call; each call yields to the event loop first, so an abort signal can fire during a long apply. */
const WRITE_BATCH = 10_000;

/** Creates a memory store. @example const store = createMemoryStore({ initial: { orgs, students } }); */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const data = createMemoryRosterData(options.initial);
  const now = options.now ?? Date.now;
  const newAccountId = options.newAccountId ?? randomUUID;

  function resolveScopeNow(scope: SyncScope): ResolvedScope | null {
    const org = data.orgs.get(scope.orgId);
    if (org === undefined || org.type !== scope.level) return null;
    if (org.type === 'district') {
      return { level: scope.level, orgId: org.id, districtId: org.id, schoolIds: [...schoolIdsOf(data, org.id)].sort(compareText) };
    }
    // A school without a district stands alone: it is its own district.
    return { level: scope.level, orgId: org.id, districtId: org.parentId ?? org.id, schoolIds: [org.id] };
  }

  const writer: RosterWriter = {
    async readAccounts(ids) {
      const out: StoredAccount[] = [];
      for (const id of ids) {
        const account = data.accounts.get(id);
        if (account !== undefined) out.push(storedAccount(account));
      }
      return out;
    },
    async readRoles(districtId, role, accountIds) {
      const out: StoredRole[] = [];
      for (const accountId of accountIds) {
        const account = data.accounts.get(accountId);
        const found = account === undefined ? undefined : roleIn(account, role, districtId);
        if (found !== undefined) out.push({ accountId, districtId, role, status: found.status, sisIds: [...found.sisIds] });
      }
      return out;
    },
    async readStudentIds(districtId, sisIds) {
      return sisIds.filter((sisId) => studentOf(data, districtId, sisId) !== undefined);
    },
    async insertAccounts(accounts) {
      await yieldToEventLoop();
      for (const { account, roles } of accounts) {
        if (data.accounts.has(account.id)) throw new GuardianSyncError('STORE_FAILED', `Cannot insert account "${account.id}": an account with this id exists.`);
        const held = sortRoles(roles.map((r) => ({ role: r.role, districtId: r.districtId, status: r.status, sisIds: sortedSisIds(r.sisIds) })));
        putAccount(data, { ...storedAccount(account), claimed: false, roles: held });
      }
    },
    async updateAccounts(accounts) {
      await yieldToEventLoop();
      for (const row of accounts) {
        const account = data.accounts.get(row.id);
        if (account === undefined) throw new GuardianSyncError('STORE_FAILED', `Cannot update account "${row.id}": no account with this id.`);
        putAccount(data, { ...account, ...pickAccountFields(row) });
      }
    },
    async putRoles(roles) {
      await yieldToEventLoop();
      for (const role of roles) {
        const account = data.accounts.get(role.accountId);
        if (account === undefined) throw new GuardianSyncError('STORE_FAILED', `Cannot write a role of account "${role.accountId}": no account with this id.`);
        const others = account.roles.filter((r) => r.role !== role.role || r.districtId !== role.districtId);
        putAccount(data, { ...account, roles: sortRoles([...others, { role: role.role, districtId: role.districtId, status: role.status, sisIds: sortedSisIds(role.sisIds) }]) });
      }
    },
    async insertLinks(links) {
      await yieldToEventLoop();
      let inserted = 0;
      for (const link of links) {
        if (!data.accounts.has(link.accountId) || studentOf(data, link.districtId, link.studentSisId) === undefined) {
          throw new GuardianSyncError('STORE_FAILED', `Cannot link account "${link.accountId}" to student "${link.studentSisId}": the account or the student is not in the roster.`);
        }
        if (putLink(data, { accountId: link.accountId, districtId: link.districtId, studentSisId: link.studentSisId, source: link.source })) inserted += 1;
      }
      return inserted;
    },
    async deleteLinks(links) {
      await yieldToEventLoop();
      let deleted = 0;
      for (const link of links) if (deleteLink(data, link)) deleted += 1;
      return deleted;
    },
  };

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

    writeBatchSize: WRITE_BATCH,

    async transaction(body, transactionOptions) {
      // Not atomic: the writes land as they are made. The library writes in the order that
      // converges when an interrupted apply is planned and applied again.
      if (transactionOptions.signal?.aborted === true) throw applyAborted();
      return body(writer);
    },

    async acquireLock(key, lockOptions) {
      const at = now();
      const current = data.locks.get(key);
      if (current !== undefined && current.owner !== lockOptions.owner && current.expiresAt > at) {
        return { acquired: false, holder: { owner: current.owner, expiresAt: new Date(current.expiresAt).toISOString() } };
      }
      data.locks.set(key, { owner: lockOptions.owner, expiresAt: at + lockOptions.ttlMs });
      return { acquired: true };
    },

    async renewLock(key, lockOptions) {
      const at = now();
      const current = data.locks.get(key);
      if (current === undefined || current.owner !== lockOptions.owner) return false;
      // A lease that ended is renewed only while nobody took it: the holder still is the owner.
      data.locks.set(key, { owner: lockOptions.owner, expiresAt: at + lockOptions.ttlMs });
      return true;
    },

    async releaseLock(key, owner) {
      if (data.locks.get(key)?.owner === owner) data.locks.delete(key);
    },

    async saveRun(report) {
      // As report.json writes it: change entries lose their display names (report.html's only).
      data.runs.set(report.runId, { summary: summarizeRun(report), json: stringifyReport(report) });
    },

    async listRuns(listOptions: ListRunsOptions = {}): Promise<readonly RunSummary[]> {
      const runs = [...data.runs.values()].map((run) => structuredClone(run.summary)).filter((run) => runMatchesScope(run, listOptions.scope));
      runs.sort(compareRunsRecentFirst);
      return listOptions.limit === undefined ? runs : runs.slice(0, Math.max(0, listOptions.limit));
    },

    async getRun(runId) {
      const run = data.runs.get(runId);
      return run === undefined ? null : (JSON.parse(run.json) as SavedReport);
    },

    async importRoster(roster: RosterImport): Promise<RosterImportResult> {
      for (const org of roster.orgs) putOrg(data, { ...org });
      // After the orgs (the district merged into is one of them), before the rows, which
      // then update the moved students in place.
      for (const merge of roster.mergeDistricts ?? []) mergeDistrict(data, merge.from, merge.into);
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

/** The account without its roles. */
function storedAccount(account: StoredAccount): StoredAccount {
  return { id: account.id, ...pickAccountFields(account), claimed: account.claimed };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
