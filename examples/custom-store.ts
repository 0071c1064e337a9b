// A host's own RosterStore: the shape an adapter over your database takes. Here the
// "database" is a handful of Maps, so the example runs anywhere; swap each Map access for
// your SQL or ORM calls. test/examples/custom-store-conformance.test.ts runs the package's
// conformance suite against it, which is how you prove your adapter too.
//
//   npx tsx examples/custom-store.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  GuardianSyncError,
  buildRosterExport,
  createLocalFileSource,
  formatReportText,
  syncGuardians,
  type Account,
  type AccountRole,
  type ApplyResult,
  type GuardianLink,
  type Org,
  type RosterExport,
  type RosterStore,
  type RunSummary,
  type Student,
  type SyncPlan,
  type SyncReport,
} from '../src/index.js';

/** The host's tables. */
export interface MapBackend {
  readonly orgs: Map<string, Org>;
  readonly students: Map<string, Student>;
  readonly accounts: Map<string, Account>;
  /** Keyed by account, student and source: one link per triple. */
  readonly links: Map<string, GuardianLink>;
  readonly locks: Map<string, { owner: string; expiresAt: number }>;
  readonly runs: Map<string, SyncReport>;
}

export function createMapBackend(): MapBackend {
  return { orgs: new Map(), students: new Map(), accounts: new Map(), links: new Map(), locks: new Map(), runs: new Map() };
}

export function linkKey(link: Pick<GuardianLink, 'accountId' | 'studentSisId' | 'source'>): string {
  return JSON.stringify([link.accountId, link.studentSisId, link.source]);
}

export interface MapRosterStoreOptions {
  readonly backend?: MapBackend | undefined;
  /** The lock clock (ms). @default Date.now */
  readonly now?: (() => number) | undefined;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function createMapRosterStore(options: MapRosterStoreOptions = {}): RosterStore & { readonly backend: MapBackend } {
  const db = options.backend ?? createMapBackend();
  const now = options.now ?? Date.now;

  const account = (id: string, what: string): Account => {
    const found = db.accounts.get(id);
    // Thrown as our error type so the sync's report says what failed, by id only.
    if (found === undefined) throw new GuardianSyncError('STORE_FAILED', `${what}: no account "${id}".`);
    return found;
  };
  const setGuardianRole = (id: string, change: (role: AccountRole | undefined) => AccountRole, what: string): boolean => {
    const current = account(id, what);
    const role = current.roles.find((r) => r.role === 'guardian');
    const next = change(role);
    if (role !== undefined && role.status === next.status && role.sisIds.join('\n') === next.sisIds.join('\n')) return false;
    const roles = [...current.roles.filter((r) => r.role !== 'guardian'), next].sort((a, b) => byText(a.role, b.role));
    db.accounts.set(id, { ...current, roles });
    return true;
  };

  return {
    backend: db,
    // Items are applied one by one and each is idempotent: a failed run converges when re-run.
    capabilities: { atomicApply: false, crossProcessLock: false },

    async resolveScope(scope) {
      const org = db.orgs.get(scope.orgId);
      if (org === undefined || org.type !== scope.level) return null;
      const districtId = org.type === 'district' ? org.id : (org.parentId ?? org.id);
      const schoolIds =
        org.type === 'school'
          ? [org.id]
          : [...db.orgs.values()].filter((o) => o.type === 'school' && o.parentId === org.id).map((o) => o.id).sort(byText);
      return { level: scope.level, orgId: org.id, districtId, schoolIds };
    },

    async loadSnapshot(scope) {
      const districtSchools = new Set([...db.orgs.values()].filter((o) => o.parentId === scope.districtId).map((o) => o.id));
      return {
        scope,
        students: [...db.students.values()].filter((s) => districtSchools.has(s.schoolId)),
        accounts: [...db.accounts.values()],
        links: [...db.links.values()],
      };
    },

    async applyPlan(plan: SyncPlan, { signal }): Promise<ApplyResult> {
      const result = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
      const step = (): void => {
        if (signal?.aborted === true) throw new GuardianSyncError('ABORTED', 'The apply was cancelled; running the sync again completes it.');
      };
      for (const item of plan.creates) {
        step();
        if (db.accounts.has(item.accountId)) continue;
        db.accounts.set(item.accountId, {
          id: item.accountId,
          ...item.fields,
          claimed: false,
          roles: [{ role: 'guardian', sisIds: [...new Set(item.guardianSisIds)].sort(byText), status: 'active' }],
        });
        result.accountsCreated++;
      }
      for (const item of plan.updates) {
        step();
        const current = account(item.accountId, 'update');
        // Counted only when a field really changes: a re-applied plan must count nothing.
        if (item.changes.every((change) => current[change.field] === change.after)) continue;
        const next: Account = { ...current };
        for (const change of item.changes) Object.assign(next, { [change.field]: change.after });
        db.accounts.set(item.accountId, next);
        result.accountsUpdated++;
      }
      for (const item of plan.roleAdds) {
        step();
        const changed = setGuardianRole(
          item.accountId,
          (role) => ({ role: 'guardian', sisIds: [...new Set([...(role?.sisIds ?? []), ...item.sisIds])].sort(byText), status: 'active' }),
          'role add',
        );
        if (changed) result.rolesChanged++;
      }
      for (const item of plan.linkAdds) {
        step();
        account(item.accountId, 'link add'); // a link to no account is a broken plan, as a foreign key would say
        const link = { accountId: item.accountId, studentSisId: item.studentSisId, source: plan.source };
        if (db.links.has(linkKey(link))) continue;
        db.links.set(linkKey(link), link);
        result.linksAdded++;
      }
      for (const item of plan.linkRemoves) {
        step();
        // Only links of this plan's source: another roster sync's links are not ours to remove.
        if (db.links.delete(linkKey({ accountId: item.accountId, studentSisId: item.studentSisId, source: plan.source }))) result.linksRemoved++;
      }
      for (const [items, status] of [[plan.archives, 'archived'], [plan.restores, 'active']] as const) {
        for (const item of items) {
          step();
          const what = status === 'archived' ? 'archive' : 'restore';
          const changed = setGuardianRole(
            item.accountId,
            (role) => {
              if (role === undefined) throw new GuardianSyncError('STORE_FAILED', `${what}: account "${item.accountId}" has no guardian role.`);
              return { ...role, status };
            },
            what,
          );
          if (changed) result.rolesChanged++;
        }
      }
      return result;
    },

    async acquireLock(key, { owner, ttlMs }) {
      const held = db.locks.get(key);
      if (held !== undefined && held.owner !== owner && held.expiresAt > now()) return false;
      db.locks.set(key, { owner, expiresAt: now() + ttlMs });
      return true;
    },

    async releaseLock(key, owner) {
      if (db.locks.get(key)?.owner === owner) db.locks.delete(key);
    },

    async saveRun(report) {
      db.runs.set(report.runId, structuredClone(report));
    },

    async listRuns(listOptions = {}): Promise<readonly RunSummary[]> {
      const { scope, limit } = listOptions;
      return [...db.runs.values()]
        .filter((r) => scope === undefined || (r.scope.level === scope.level && r.scope.orgId === scope.orgId))
        .sort((a, b) => byText(b.startedAt, a.startedAt))
        .slice(0, limit ?? Number.POSITIVE_INFINITY)
        .map(({ runId, scope: s, status, dryRun, startedAt, finishedAt, counts }) => ({ runId, scope: s, status, dryRun, startedAt, finishedAt, counts }));
    },

    async getRun(runId) {
      const report = db.runs.get(runId);
      return report === undefined ? null : structuredClone(report);
    },

    async exportRoster(): Promise<RosterExport> {
      // The package builds the export document (sorted, students of active guardians only).
      return buildRosterExport({ accounts: db.accounts.values(), links: db.links.values(), students: db.students.values() });
    },
  };
}

/** Runs a sync through the Map store, the way a host's daily job would. */
async function main(): Promise<void> {
  const store = createMapRosterStore();
  const { backend } = store;
  backend.orgs.set('D1', { id: 'D1', name: 'Maple Unified', type: 'district', parentId: null });
  backend.orgs.set('SA', { id: 'SA', name: 'Maple Elementary', type: 'school', parentId: 'D1' });
  backend.students.set('S1', { sisId: 'S1', schoolId: 'SA', firstName: 'Ana', lastName: 'Ruiz' });
  backend.students.set('S2', { sisId: 'S2', schoolId: 'SA', firstName: 'Leo', lastName: 'Ruiz' });

  const dir = await mkdtemp(join(tmpdir(), 'guardian-sync-custom-'));
  try {
    const file = join(dir, 'guardians.csv');
    await writeFile(
      file,
      'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone\nS1,G1,Gina,Ruiz,gina@mail.example,(202) 555-0102\nS2,G1,Gina,Ruiz,gina@mail.example,(202) 555-0102\n',
    );
    const report = await syncGuardians({ scope: { level: 'district', orgId: 'D1' }, source: createLocalFileSource({ path: file }), store });
    console.log(formatReportText(report));
    console.log('Accounts in the host database:');
    for (const a of (await store.exportRoster?.())?.accounts ?? []) {
      console.log(`  ${a.firstName} ${a.lastName} <${a.email ?? '-'}> guardian of ${a.students.join(', ')}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Run only when executed (`npx tsx examples/custom-store.ts`), not when the test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
