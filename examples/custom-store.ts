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
  syncGuardians,
  type Account,
  type AccountRole,
  type GuardianLink,
  type Org,
  type RosterExport,
  type RosterStore,
  type RosterWriter,
  type RunSummary,
  type SavedReport,
  type StoredAccount,
  type Student,
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
  readonly runs: Map<string, SavedReport>;
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

  /** The account without its roles: the row the library reads and writes. */
  const row = (a: Account): StoredAccount => ({
    id: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    email: a.email,
    mobilePhone: a.mobilePhone,
    homePhone: a.homePhone,
    language: a.language,
    claimed: a.claimed,
  });
  const byRole = (a: AccountRole, b: AccountRole): number => byText(a.districtId, b.districtId) || byText(a.role, b.role);

  // The write primitives: plain reads and writes, no sync rules. The library decides every
  // row (what a create, an archive or a link removal means) and calls these in the one
  // order that converges if the process dies halfway, so this store needs no transaction.
  const writer: RosterWriter = {
    async readAccounts(ids) {
      return ids.flatMap((id) => {
        const found = db.accounts.get(id);
        return found === undefined ? [] : [row(found)];
      });
    },
    async readRoles(districtId, role, accountIds) {
      return accountIds.flatMap((accountId) => {
        const found = db.accounts.get(accountId)?.roles.find((r) => r.role === role && r.districtId === districtId);
        return found === undefined ? [] : [{ accountId, ...found }];
      });
    },
    async readStudentIds(districtId, sisIds) {
      return sisIds.filter((sisId) => db.students.has(studentKey(districtId, sisId)));
    },
    async insertAccounts(accounts) {
      // Account and roles in one write: the store never holds an account without its role.
      for (const { account: created, roles } of accounts) {
        writeAccount(db, { ...created, roles: roles.map(({ role, districtId, sisIds, status }) => ({ role, districtId, sisIds, status })).sort(byRole) });
      }
    },
    async updateAccounts(accounts) {
      for (const next of accounts) {
        const current = db.accounts.get(next.id);
        if (current === undefined) throw new GuardianSyncError('STORE_FAILED', `update: no account "${next.id}".`);
        // `claimed` is the host's: a sync never changes it.
        writeAccount(db, { ...current, ...row({ ...current, ...next }), claimed: current.claimed });
      }
    },
    async putRoles(roles) {
      for (const { accountId, districtId, role, status, sisIds } of roles) {
        const current = db.accounts.get(accountId);
        if (current === undefined) throw new GuardianSyncError('STORE_FAILED', `role write: no account "${accountId}".`);
        const others = current.roles.filter((r) => r.role !== role || r.districtId !== districtId);
        writeAccount(db, { ...current, roles: [...others, { role, districtId, sisIds: [...sisIds], status }].sort(byRole) });
      }
    },
    async insertLinks(links) {
      let inserted = 0;
      for (const link of links) {
        // A foreign key would refuse a link to no account or student: so does this store.
        if (!db.accounts.has(link.accountId) || !db.students.has(studentKey(link.districtId, link.studentSisId))) {
          throw new GuardianSyncError('STORE_FAILED', `link insert: account "${link.accountId}" or student "${link.studentSisId}" is not in district "${link.districtId}".`);
        }
        if (writeLink(db, link)) inserted++;
      }
      return inserted;
    },
    async deleteLinks(links) {
      let deleted = 0;
      for (const link of links) if (deleteLink(db, link)) deleted++;
      return deleted;
    },
  };

  return {
    backend: db,
    // No transactions: the library writes in its convergent order; a failed run converges when re-run.
    capabilities: { atomicApply: false, lockKind: 'lease', crossProcessLock: false },
    // Rows per write call; a SQL store would use ~1000 (one statement per batch).
    writeBatchSize: 1000,

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

    async transaction(body, { signal }) {
      if (signal?.aborted === true) throw new GuardianSyncError('ABORTED', 'The apply was cancelled before it started; nothing was changed.');
      return body(writer);
    },

    // Leases: a lock ends `ttlMs` after its last acquire or renew, so a crashed worker frees its scope.
    async acquireLock(key, { owner, ttlMs }) {
      const held = db.locks.get(key);
      if (held !== undefined && held.owner !== owner && held.expiresAt > now()) {
        return { acquired: false, holder: { owner: held.owner, expiresAt: new Date(held.expiresAt).toISOString() } };
      }
      db.locks.set(key, { owner, expiresAt: now() + ttlMs });
      return { acquired: true };
    },

    async renewLock(key, { owner, ttlMs }) {
      if (db.locks.get(key)?.owner !== owner) return false;
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
    const report = await syncGuardians({ scope: { level: 'district', orgId: 'D1' }, source: createLocalFileSource({ path: file, stableCheckMs: 0 }), store });
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
