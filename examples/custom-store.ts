// A host's own RosterStore: the shape an adapter over your database takes. Here the
// "database" is a handful of Maps with the indexes a real schema would declare (students,
// role holders and links by district; accounts by login), so the example runs anywhere;
// swap each Map access for your SQL or ORM calls. test/examples/custom-store-conformance.test.ts
// runs the package's conformance suite against it, which is how you prove your adapter too.
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
  planSteps,
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

/** One district's rows, as `WHERE district_id = ?` on an indexed column finds them. */
interface DistrictIndex {
  readonly students: Set<string>;
  /** Accounts holding a role in the district. */
  readonly roleHolders: Set<string>;
  readonly links: Set<string>;
}

/** The host's tables, and the indexes the database keeps beside them. */
export interface MapBackend {
  readonly orgs: Map<string, Org>;
  /** Keyed by district and SIS id: SIS ids are unique only inside a district. */
  readonly students: Map<string, Student>;
  readonly accounts: Map<string, Account>;
  /** Keyed by account, district, student and source: one link per quadruple. */
  readonly links: Map<string, GuardianLink>;
  readonly locks: Map<string, { owner: string; expiresAt: number }>;
  readonly runs: Map<string, SyncReport>;
  readonly byDistrict: Map<string, DistrictIndex>;
  /** `email:<lower-cased>` or `mobile:<E.164>` → account ids (a unique index, in a real schema). */
  readonly byLogin: Map<string, Set<string>>;
}

export function createMapBackend(): MapBackend {
  return { orgs: new Map(), students: new Map(), accounts: new Map(), links: new Map(), locks: new Map(), runs: new Map(), byDistrict: new Map(), byLogin: new Map() };
}

export const studentKey = (districtId: string, sisId: string): string => JSON.stringify([districtId, sisId]);
export const linkKey = (l: GuardianLink): string => JSON.stringify([l.accountId, l.districtId, l.studentSisId, l.source]);
const loginKeys = (a: Account): string[] => [
  ...(a.email === null || a.email.trim() === '' ? [] : [`email:${a.email.trim().normalize('NFC').toLowerCase()}`]),
  ...(a.mobilePhone === null || a.mobilePhone.trim() === '' ? [] : [`mobile:${a.mobilePhone.trim()}`]),
];

function district(db: MapBackend, districtId: string): DistrictIndex {
  let index = db.byDistrict.get(districtId);
  if (index === undefined) db.byDistrict.set(districtId, (index = { students: new Set(), roleHolders: new Set(), links: new Set() }));
  return index;
}

// The database's writes. Each keeps the indexes in step, as a database maintains its own.
export function writeStudent(db: MapBackend, student: Student): void {
  const key = studentKey(student.districtId, student.sisId);
  db.students.set(key, student);
  district(db, student.districtId).students.add(key);
}

export function writeAccount(db: MapBackend, account: Account): void {
  const old = db.accounts.get(account.id);
  for (const key of old === undefined ? [] : loginKeys(old)) db.byLogin.get(key)?.delete(account.id);
  for (const role of old?.roles ?? []) district(db, role.districtId).roleHolders.delete(account.id);
  db.accounts.set(account.id, account);
  for (const key of loginKeys(account)) db.byLogin.set(key, (db.byLogin.get(key) ?? new Set()).add(account.id));
  for (const role of account.roles) district(db, role.districtId).roleHolders.add(account.id);
}

export function writeLink(db: MapBackend, link: GuardianLink): boolean {
  if (db.links.has(linkKey(link))) return false;
  db.links.set(linkKey(link), link);
  district(db, link.districtId).links.add(linkKey(link));
  return true;
}

function deleteLink(db: MapBackend, link: GuardianLink): boolean {
  district(db, link.districtId).links.delete(linkKey(link));
  return db.links.delete(linkKey(link));
}

/** What one district sees: its students, its links, and the accounts holding a role there or linked to its students (plus `logins`' holders). */
function readDistrict(db: MapBackend, districtId: string, logins: readonly string[] = []) {
  const index = db.byDistrict.get(districtId);
  const links = [...(index?.links ?? [])].map((key) => db.links.get(key)!);
  const ids = new Set([...(index?.roleHolders ?? []), ...links.map((l) => l.accountId)]);
  for (const login of logins) for (const id of db.byLogin.get(login) ?? []) ids.add(id);
  const accounts = [...ids].flatMap((id) => db.accounts.get(id) ?? []);
  const students = [...(index?.students ?? [])].map((key) => db.students.get(key)!);
  return { students, accounts, links };
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
  /** Replaces the account's guardian role in `districtId` (other roles untouched); true when it changed. */
  const setGuardianRole = (current: Account, districtId: string, next: AccountRole): boolean => {
    const role = current.roles.find((r) => r.role === 'guardian' && r.districtId === districtId);
    if (role !== undefined && role.status === next.status && role.sisIds.join('\n') === next.sisIds.join('\n')) return false;
    const roles = [...current.roles.filter((r) => r !== role), next].sort((a, b) => byText(a.districtId, b.districtId) || byText(a.role, b.role));
    writeAccount(db, { ...current, roles });
    return true;
  };
  const guardianRole = (a: Account, districtId: string): AccountRole | undefined => a.roles.find((r) => r.role === 'guardian' && r.districtId === districtId);
  const ids = (values: Iterable<string>): string[] => [...new Set(values)].sort(byText);

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

    // The keyed snapshot: the district's rows through its indexes, plus the holders of the
    // file's logins. Never every account: the run must cost what the district holds.
    async loadSnapshot(scope, { logins }) {
      const keys = [...logins.emails.map((e) => `email:${e}`), ...logins.mobiles.map((m) => `mobile:${m}`)];
      return { scope, ...readDistrict(db, scope.districtId, keys) };
    },

    // The package's apply order (planSteps): updates, id removes, creates, role adds,
    // restores, archives, link adds, link removes. Every role and link item is the plan's district's.
    async applyPlan(plan: SyncPlan, { signal }): Promise<ApplyResult> {
      const result = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };
      const { districtId } = plan.scope;
      for (const step of planSteps(plan)) {
        if (signal?.aborted === true) throw new GuardianSyncError('ABORTED', 'The apply was cancelled; running the sync again completes it.');
        const { item } = step;
        switch (step.kind) {
          case 'update': {
            const current = account(item.accountId, 'update');
            // Counted only when a field really changes: a re-applied plan must count nothing.
            if (step.item.changes.every((change) => current[change.field] === change.after)) break;
            const next: Account = { ...current };
            for (const change of step.item.changes) Object.assign(next, { [change.field]: change.after });
            writeAccount(db, next);
            result.accountsUpdated++;
            break;
          }
          case 'id-remove': {
            const current = db.accounts.get(item.accountId);
            const role = current === undefined ? undefined : guardianRole(current, districtId);
            if (current !== undefined && role !== undefined) {
              if (setGuardianRole(current, districtId, { ...role, sisIds: role.sisIds.filter((id) => !step.item.sisIds.includes(id)) })) result.rolesChanged++;
            }
            break;
          }
          case 'create': {
            if (db.accounts.has(item.accountId)) break;
            const roles: AccountRole[] = [{ role: 'guardian', districtId, sisIds: ids(step.item.guardianSisIds), status: 'active' }];
            writeAccount(db, { id: item.accountId, ...step.item.fields, claimed: false, roles });
            result.accountsCreated++;
            break;
          }
          case 'role-add': {
            const current = account(item.accountId, 'role add');
            const sisIds = ids([...(guardianRole(current, districtId)?.sisIds ?? []), ...step.item.sisIds]);
            if (setGuardianRole(current, districtId, { role: 'guardian', districtId, sisIds, status: 'active' })) result.rolesChanged++;
            break;
          }
          case 'archive':
          case 'restore': {
            const current = account(item.accountId, step.kind);
            const role = guardianRole(current, districtId);
            if (role === undefined) throw new GuardianSyncError('STORE_FAILED', `${step.kind}: account "${item.accountId}" has no guardian role in district "${districtId}".`);
            if (setGuardianRole(current, districtId, { ...role, status: step.kind === 'archive' ? 'archived' : 'active' })) result.rolesChanged++;
            break;
          }
          case 'link-add': {
            account(item.accountId, 'link add'); // a link to no account is a broken plan, as a foreign key would say
            if (!db.students.has(studentKey(districtId, step.item.studentSisId))) {
              throw new GuardianSyncError('STORE_FAILED', `link add: no student "${step.item.studentSisId}" in district "${districtId}".`);
            }
            if (writeLink(db, { accountId: item.accountId, districtId, studentSisId: step.item.studentSisId, source: plan.source })) result.linksAdded++;
            break;
          }
          case 'link-remove':
            // Only links of this plan's source and district: another sync's links are not ours to remove.
            if (deleteLink(db, { accountId: item.accountId, districtId, studentSisId: step.item.studentSisId, source: plan.source })) result.linksRemoved++;
            break;
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

    async exportRoster(districtId): Promise<RosterExport> {
      // The package builds the export document (the district's roles only, sorted, students of active guardians only).
      return buildRosterExport({ districtId, ...readDistrict(db, districtId) });
    },
  };
}

/** Runs a sync through the Map store, the way a host's daily job would. */
async function main(): Promise<void> {
  const store = createMapRosterStore();
  const { backend } = store;
  backend.orgs.set('D1', { id: 'D1', name: 'Maple Unified', type: 'district', parentId: null });
  backend.orgs.set('SA', { id: 'SA', name: 'Maple Elementary', type: 'school', parentId: 'D1' });
  writeStudent(backend, { districtId: 'D1', sisId: 'S1', schoolId: 'SA', firstName: 'Ana', lastName: 'Ruiz' });
  writeStudent(backend, { districtId: 'D1', sisId: 'S2', schoolId: 'SA', firstName: 'Leo', lastName: 'Ruiz' });

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
    for (const a of (await store.exportRoster?.('D1'))?.accounts ?? []) {
      console.log(`  ${a.firstName} ${a.lastName} <${a.email ?? '-'}> guardian of ${a.students.join(', ')}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Run only when executed (`npx tsx examples/custom-store.ts`), not when the test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
