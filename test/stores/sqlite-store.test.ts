// The SQLite store beyond the shared suite: its schema, atomicity checked through a second
// connection, locks shared between connections, and the lazy driver load. (Migrations from
// older files: sqlite-migration.test.ts; several districts: sqlite-districts.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createSqliteStore, SQLITE_SCHEMA_VERSION, type SqliteDatabase } from '../../src/sqlite/index.js';
import { loadBetterSqlite3 } from '../../src/sqlite/load-better-sqlite3.js';
import { countPlanSteps } from '../../src/stores/plan-steps.js';
import {
  buildTestPlan,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  createItem,
  linkItem,
  normalizeAccounts,
  normalizeLinks,
  roleStatusItem,
  testFields,
  updateItem,
} from '../../src/testing/roster-store-fixtures.js';
import { readAccountsSql, readLinksSql, seedSql } from './sqlite-harness.js';

let dir: string;
let file: string;
const opened: { close(): unknown }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-sqlite-'));
  file = join(dir, 'roster.sqlite');
});

afterEach(() => {
  for (const db of opened.splice(0).reverse()) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(): Database.Database {
  const db = new Database(file);
  opened.push(db);
  return db;
}

function open(options: Omit<Parameters<typeof createSqliteStore>[0], 'database'> = {}) {
  const store = createSqliteStore({ ...options, database: file });
  opened.push({ close: () => void store.close() });
  return store;
}

function stateOf(db: Database.Database) {
  return { accounts: normalizeAccounts(readAccountsSql(db)), links: normalizeLinks(readLinksSql(db)) };
}

/** 40 new guardians, each linked to S1 and S2, then an update: 121 steps, all applicable. */
function bigPlan() {
  const ids = Array.from({ length: 40 }, (_, i) => `new-${String(i).padStart(2, '0')}`);
  return buildTestPlan(CONFORMANCE_SCOPE, {
    creates: ids.map((id, i) => createItem(id, testFields('Guardian', `No${i}`, { email: `g${i}@mail.example` }), [`G-${i}`])),
    linkAdds: ids.flatMap((id) => [linkItem(id, 'S1'), linkItem(id, 'S2')]),
    updates: [updateItem('acct-g1', [{ field: 'lastName', before: 'Ruiz', after: 'Ruiz-Diaz' }])],
    archives: [roleStatusItem('acct-g3')],
  });
}

describe('SQLite store: schema', () => {
  it('creates its schema in an empty file: version, WAL, foreign keys and the indexes a big roster needs', async () => {
    const store = open();
    const db = connect();
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.database.pragma('cache_size', { simple: true })).toBe(-128 * 1024);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'orgs',
        'students',
        'accounts',
        'account_roles',
        'role_sis_ids',
        'links',
        'locks',
        'runs',
        'migration_notes',
        'accounts_by_email',
        'accounts_by_mobile',
        'account_roles_by_district',
        'links_by_student',
        'students_by_school',
      ]),
    );
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT id FROM accounts WHERE email = 'a@b.example'")).toContain('accounts_by_email');
    expect(plan("SELECT id FROM accounts WHERE mobile_phone = '+12025550100'")).toContain('accounts_by_mobile');
    expect(plan("SELECT sis_id FROM students WHERE district_id = 'D1'")).toContain('PRIMARY KEY (district_id=?)');
    expect(plan("SELECT account_id FROM account_roles WHERE district_id = 'D1'")).toContain('account_roles_by_district');
    expect(plan("SELECT status FROM account_roles WHERE account_id = 'a'")).toContain('PRIMARY KEY (account_id=?)');
    expect(plan("SELECT account_id FROM role_sis_ids WHERE district_id = 'D1' AND role = 'staff' AND sis_id = 'T1'")).toContain('PRIMARY KEY (district_id=? AND role=? AND sis_id=?)');
    expect(plan("SELECT account_id FROM links WHERE district_id = 'D1' AND student_sis_id = 'S1'")).toContain('links_by_student');
    expect(plan("SELECT 1 FROM links WHERE account_id = 'a' AND district_id = 'D1' AND student_sis_id = 'S1' AND source = 'guardian-file'")).toMatch(/^SEARCH links USING /);
  });

  it('reopens an existing file with its data and without migrating again', async () => {
    const first = open();
    seedSql(first.database as Database.Database, CONFORMANCE_ROSTER);
    await first.applyPlan(bigPlan(), { runId: 'r1' });
    await first.saveRun((await import('../../src/testing/roster-store-fixtures.js')).buildTestReport('r1', '2026-03-01T06:00:00.000Z', { level: 'district', orgId: 'D1' }));
    const before = stateOf(first.database as Database.Database);
    await first.close();

    const second = open();
    expect(second.database.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(stateOf(second.database as Database.Database)).toEqual(before);
    expect((await second.listRuns()).map((r) => r.runId)).toEqual(['r1']);
    expect(await second.resolveScope({ level: 'district', orgId: 'D1' })).toEqual(CONFORMANCE_SCOPE);
  });

  it('refuses a file written by a newer version, and a file holding other tables', async () => {
    const newer = connect();
    newer.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    newer.close();
    const error: unknown = (() => {
      try {
        createSqliteStore({ database: file });
      } catch (e) {
        return e;
      }
    })();
    expect(isGuardianSyncError(error) && error.code).toBe('INVALID_CONFIGURATION');
    expect((error as Error).message).toContain('upgrade guardian-sync');

    const foreign = join(dir, 'foreign.sqlite');
    const other = new Database(foreign);
    other.exec('CREATE TABLE accounts (x)');
    other.close();
    expect(() => createSqliteStore({ database: foreign })).toThrow(/already holds tables/);
  });

  it('adopts a connection it is given, typed by the structural subset, and leaves it open on close', async () => {
    const db = connect();
    const structural: SqliteDatabase = db;
    const cacheBefore = db.pragma('cache_size', { simple: true });
    const store = createSqliteStore({ database: structural });
    expect(db.pragma('cache_size', { simple: true })).toBe(cacheBefore);
    await store.close();
    await store.close();
    expect(db.open).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
  });

  it('closes a connection it opened itself', async () => {
    const store = createSqliteStore({ database: file });
    await store.close();
    expect((store.database as Database.Database).open).toBe(false);
  });
});

describe('SQLite store: atomic apply, judged by a second connection', () => {
  it('applies nothing when the apply throws in the middle (a fault injected at steps across the plan)', async () => {
    const plan = bigPlan();
    const total = countPlanSteps(plan);
    for (const failAt of [0, 10, 41, 60, 100, total - 1]) {
      const failing = createSqliteStore({
        database: file,
        onApplyStep: (step) => {
          if (step === failAt) throw new Error(`injected fault at step ${failAt}`);
        },
      });
      opened.push({ close: () => void failing.close() });
      if (failAt === 0) seedSql(connect(), CONFORMANCE_ROSTER);
      const observer = connect();
      const before = stateOf(observer);
      await expect(failing.applyPlan(plan, { runId: `r-${failAt}` })).rejects.toThrow(`injected fault at step ${failAt}`);
      expect(stateOf(observer)).toEqual(before);
      expect(failing.database.inTransaction).toBe(false);
    }
    // The file is not left locked: a clean store applies the whole plan afterwards.
    const clean = open();
    await expect(clean.applyPlan(plan, { runId: 'r-clean' })).resolves.toMatchObject({ accountsCreated: 40, linksAdded: 80, accountsUpdated: 1, rolesChanged: 1 });
  });

  it('rolls back everything when an item cannot be applied, and says which item', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    const before = stateOf(observer);
    const plan = bigPlan();
    const failing = { ...plan, linkAdds: [...plan.linkAdds, linkItem('new-00', 'S404')] };
    const error: unknown = await store.applyPlan(failing, { runId: 'r1' }).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('link add (account "new-00", student "S404")');
    expect((error as Error).message).toContain('Nothing of the plan was applied');
    expect(stateOf(observer)).toEqual(before);
  });

  it('rolls back when the signal aborts between items', async () => {
    const controller = new AbortController();
    const store = open({ onApplyStep: (step) => step === 50 && controller.abort() });
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    const before = stateOf(observer);
    const error: unknown = await store.applyPlan(bigPlan(), { runId: 'r1', signal: controller.signal }).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('ABORTED');
    expect(stateOf(observer)).toEqual(before);
  });

  it('leaves the file as one apply when the acknowledgement is lost and the plan is applied again', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    await store.applyPlan(bigPlan(), { runId: 'r1' });
    const once = stateOf(observer);
    // A second store on the same file, as a retried worker would open.
    const retry = open();
    await expect(retry.applyPlan(bigPlan(), { runId: 'r1' })).resolves.toEqual({ accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 });
    expect(stateOf(observer)).toEqual(once);
  });
});

describe('SQLite store: a busy database', () => {
  it('fails a plan with a transient STORE_FAILED when another process keeps the file locked, and applies it once free', async () => {
    const store = open({ busyTimeoutMs: 50 });
    seedSql(connect(), CONFORMANCE_ROSTER);
    const other = connect();
    other.exec('BEGIN IMMEDIATE');
    const error: unknown = await store.applyPlan(bigPlan(), { runId: 'r1' }).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect(isGuardianSyncError(error) && error.transient).toBe(true);
    expect((error as Error).message).toContain('SQLITE_BUSY');
    expect(store.database.inTransaction).toBe(false);
    other.exec('ROLLBACK');
    await expect(store.applyPlan(bigPlan(), { runId: 'r2' })).resolves.toMatchObject({ accountsCreated: 40 });
  });
});

describe('SQLite store: locks across connections', () => {
  it('lets exactly one of two connections take the scope lock, also when they race', async () => {
    const a = open();
    const b = open();
    const results = await Promise.all([a.acquireLock('district:D1', { owner: 'run-a', ttlMs: 60_000 }), b.acquireLock('district:D1', { owner: 'run-b', ttlMs: 60_000 })]);
    expect(results).toEqual([true, false]);
    expect(await b.acquireLock('district:D1', { owner: 'run-b', ttlMs: 60_000 })).toBe(false);
    await b.releaseLock('district:D1', 'run-b');
    expect(await b.acquireLock('district:D1', { owner: 'run-b', ttlMs: 60_000 })).toBe(false);
    await a.releaseLock('district:D1', 'run-a');
    expect(await b.acquireLock('district:D1', { owner: 'run-b', ttlMs: 60_000 })).toBe(true);
    expect(await a.acquireLock('district:D1', { owner: 'run-a', ttlMs: 60_000 })).toBe(false);
  });

  it('expires locks by the real clock when none is injected', async () => {
    const a = open();
    const b = open();
    expect(await a.acquireLock('district:D1', { owner: 'run-a', ttlMs: 25 })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await b.acquireLock('district:D1', { owner: 'run-b', ttlMs: 60_000 })).toBe(true);
  });

  it('lets another connection take over a lock whose holder crashed, once it expired', async () => {
    let now = 1_000_000;
    const crashed = open({ now: () => now });
    const next = open({ now: () => now });
    expect(await crashed.acquireLock('school:SA', { owner: 'run-dead', ttlMs: 30_000 })).toBe(true);
    await crashed.close();
    now += 29_999;
    expect(await next.acquireLock('school:SA', { owner: 'run-next', ttlMs: 30_000 })).toBe(false);
    now += 1;
    expect(await next.acquireLock('school:SA', { owner: 'run-next', ttlMs: 30_000 })).toBe(true);
    const row = connect().prepare('SELECT owner, expires_at AS expiresAt FROM locks WHERE key = ?').get('school:SA');
    expect(row).toEqual({ owner: 'run-next', expiresAt: now + 30_000 });
  });
});

describe('SQLite store: loading better-sqlite3', () => {
  it('tells the user to install better-sqlite3 when it is missing', () => {
    const missing = (id: string): never => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    const error: unknown = (() => {
      try {
        loadBetterSqlite3(missing);
      } catch (e) {
        return e;
      }
    })();
    expect(isGuardianSyncError(error) && error.code).toBe('INVALID_CONFIGURATION');
    expect((error as Error).message).toContain('npm install better-sqlite3@12');
  });

  it('says so when better-sqlite3 is installed but cannot load', () => {
    const broken = (): never => {
      throw Object.assign(new Error('was compiled against a different Node.js version'), { code: 'ERR_DLOPEN_FAILED' });
    };
    expect(() => loadBetterSqlite3(broken)).toThrow(/could not be loaded \(ERR_DLOPEN_FAILED\).*npm rebuild better-sqlite3/);
  });

  it('finds the real module through the default loader', () => {
    expect(loadBetterSqlite3()).toBe(Database);
  });
});
