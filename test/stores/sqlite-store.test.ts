// The SQLite store beyond the shared suite: its schema, atomicity checked through a second
// connection, the async transaction serialized on its one connection, leased locks shared
// between connections, and the lazy driver load. (Migrations from older files:
// sqlite-migration.test.ts; several districts: sqlite-districts.test.ts; locks across real
// processes: sqlite-cross-process.test.ts.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { EMPTY_APPLY_RESULT } from '../../src/apply/plan-writes.js';
import type { RosterStore, RosterWriter } from '../../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createSqliteStore, SQLITE_SCHEMA_VERSION, type SqliteDatabase } from '../../src/sqlite/index.js';
import { loadBetterSqlite3 } from '../../src/sqlite/load-better-sqlite3.js';
import { currentLockProcess } from '../../src/sqlite/sqlite-locks.js';
import { interruptWrites, WRITE_METHODS } from '../../src/testing/interrupt-writes.js';
import {
  buildTestPlan,
  buildTestReport,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  createItem,
  linkItem,
  NO_LOGINS,
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

/** 40 new guardians, each linked to S1 and S2, then an update and an archive. */
function bigPlan() {
  const ids = Array.from({ length: 40 }, (_, i) => `new-${String(i).padStart(2, '0')}`);
  return buildTestPlan(CONFORMANCE_SCOPE, {
    creates: ids.map((id, i) => createItem(id, testFields('Guardian', `No${i}`, { email: `g${i}@mail.example` }), [`G-${i}`])),
    linkAdds: ids.flatMap((id) => [linkItem(id, 'S1'), linkItem(id, 'S2')]),
    updates: [updateItem('acct-g1', [{ field: 'lastName', before: 'Ruiz', after: 'Ruiz-Diaz' }])],
    archives: [roleStatusItem('acct-g3')],
  });
}

const BIG_PLAN_COUNTS = { ...EMPTY_APPLY_RESULT, accountsCreated: 40, linksAdded: 80, accountsUpdated: 1, guardiansArchived: 1 };

/**
 * The store with small write batches (many write calls to interrupt between) whose writer
 * tells `afterWrite` the 0-based number of each write call it finished.
 */
function watched<S extends RosterStore>(store: S, batchSize: number, afterWrite: (call: number) => void = () => undefined): S {
  let calls = 0;
  const wrap = (writer: RosterWriter): RosterWriter => {
    const wrapped: Record<string, unknown> = { ...writer };
    for (const method of WRITE_METHODS) {
      const original = writer[method] as (rows: readonly unknown[]) => Promise<unknown>;
      wrapped[method] = async (rows: readonly unknown[]) => {
        const result = await original(rows);
        afterWrite(calls++);
        return result;
      };
    }
    return wrapped as unknown as RosterWriter;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'writeBatchSize') return batchSize;
      if (property === 'transaction') return (body: (writer: RosterWriter) => Promise<unknown>, options: object) => target.transaction((writer) => body(wrap(writer)), options);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A pid no process has: a child that ran and exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
    // Version 3: a lock row names the process holding it.
    expect((db.prepare('PRAGMA table_info(locks)').all() as { name: string }[]).map((c) => c.name)).toEqual(['key', 'owner', 'expires_at', 'host', 'pid', 'pid_namespace']);
    expect(store.capabilities).toEqual({ atomicApply: true, lockKind: 'lease', crossProcessLock: true });
    expect(store.writeBatchSize).toBe(1_000);
  });

  it('reopens an existing file with its data and without migrating again', async () => {
    const first = open();
    seedSql(first.database as Database.Database, CONFORMANCE_ROSTER);
    await applyPlan(first, bigPlan());
    await first.saveRun(buildTestReport('r1', '2026-03-01T06:00:00.000Z', { level: 'district', orgId: 'D1' }));
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

  it("reads a district and saves a run's report with a small page cache, and gives writes back the configured one, even after a failure", async () => {
    const store = open({ cacheSizeMiB: 64 });
    seedSql(connect(), CONFORMANCE_ROSTER);
    const db = store.database as Database.Database;
    const pragma = db.pragma.bind(db);
    const exec = db.exec.bind(db);
    // The size in force when each read transaction begins.
    const seen: unknown[] = [];
    db.exec = ((source: string) => {
      const result = exec(source);
      if (source.startsWith('BEGIN')) seen.push(pragma('cache_size', { simple: true }));
      return result;
    }) as typeof db.exec;

    await store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS);
    await store.exportRoster(CONFORMANCE_SCOPE.districtId);
    await store.saveRun(buildTestReport('r1', '2026-03-01T06:00:00.000Z', { level: 'district', orgId: 'D1' }));
    expect(seen).toEqual([-8 * 1024, -8 * 1024, -8 * 1024]);
    expect(pragma('cache_size', { simple: true })).toBe(-64 * 1024);

    db.exec = ((source: string) => {
      if (source.startsWith('BEGIN')) throw new Error('disk I/O error');
      return exec(source);
    }) as typeof db.exec;
    await expect(store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS)).rejects.toThrow();
    expect(pragma('cache_size', { simple: true })).toBe(-64 * 1024);
  });

  it('closes a connection it opened itself', async () => {
    const store = createSqliteStore({ database: file });
    await store.close();
    expect((store.database as Database.Database).open).toBe(false);
  });
});

describe('SQLite store: atomic apply, judged by a second connection', () => {
  it('applies nothing when a write call throws (a fault injected at write calls across the plan)', async () => {
    const plan = bigPlan();
    open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    // In batches of 7 rows the plan is a few dozen write calls: counted on a copy in memory.
    let calls = 0;
    const counting = watched(createSqliteStore({ database: ':memory:' }), 7, () => void (calls += 1));
    seedSql(counting.database as Database.Database, CONFORMANCE_ROSTER);
    await applyPlan(counting, plan);
    await counting.close();
    expect(calls).toBeGreaterThan(10);

    const observer = connect();
    const before = stateOf(observer);
    for (const failAt of [0, 1, 5, Math.floor(calls / 2), calls - 1]) {
      const store = open();
      const error: unknown = await applyPlan(interruptWrites(watched(store, 7), { afterCalls: failAt }), plan).catch((e: unknown) => e);
      expect((error as Error).message, `fault at write ${failAt}`).toContain('(InjectedFault)');
      expect(stateOf(observer)).toEqual(before);
      expect(store.database.inTransaction).toBe(false);
    }
    // The file is not left locked: a clean store applies the whole plan afterwards.
    await expect(applyPlan(open(), plan)).resolves.toEqual(BIG_PLAN_COUNTS);
  });

  it('rolls back everything when the plan does not fit the roster, and says which item', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    const before = stateOf(observer);
    const plan = bigPlan();
    const failing = { ...plan, linkAdds: [...plan.linkAdds, linkItem('new-00', 'S404')] };
    const error: unknown = await applyPlan(store, failing).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('link add (account "new-00", student "S404")');
    expect((error as Error).message).toContain('Nothing of the plan was applied');
    expect(stateOf(observer)).toEqual(before);
  });

  it('refuses, through its foreign keys, a link the writer is given to an unknown student or account, naming the link by ids and the SQLite code', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    const before = stateOf(observer);
    for (const bad of [
      { accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S404', source: 'guardian-file' },
      { accountId: 'acct-nobody', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' },
      // D2's S9 is not a student of D1.
      { accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S9', source: 'guardian-file' },
    ]) {
      const error: unknown = await store
        .transaction(async (writer) => {
          await writer.insertLinks([{ accountId: 'acct-g2', districtId: 'D1', studentSisId: 'S2', source: 'guardian-file' }, bad]);
        }, {})
        .catch((e: unknown) => e);
      expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
      expect((error as Error).message).toContain(`link of account "${bad.accountId}" to student "${bad.studentSisId}" of district "D1"`);
      expect((error as Error).message).toContain('SQLITE_CONSTRAINT_FOREIGNKEY');
      expect(stateOf(observer)).toEqual(before);
    }
    // An account id the library read as new, but that exists: refused, not overwritten.
    const error: unknown = await store
      .transaction((writer) => writer.insertAccounts([{ account: { id: 'acct-g1', ...testFields('Someone', 'Else'), claimed: false }, roles: [] }]), {})
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('new account "acct-g1"');
    expect((error as Error).message).toContain('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect((error as Error).message).not.toContain('Someone');
    expect(stateOf(observer)).toEqual(before);
  });

  it('rolls back when the signal aborts between write calls', async () => {
    const controller = new AbortController();
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    const before = stateOf(observer);
    const error: unknown = await applyPlan(
      watched(store, 7, (call) => call === 3 && controller.abort()),
      bigPlan(),
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('ABORTED');
    expect(stateOf(observer)).toEqual(before);
    // Aborted before it began: no transaction is opened at all.
    await expect(store.transaction(async () => 'never', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(store.database.inTransaction).toBe(false);
  });

  it('leaves the file as one apply when the acknowledgement is lost and the plan is applied again', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const observer = connect();
    await expect(applyPlan(store, bigPlan())).resolves.toEqual(BIG_PLAN_COUNTS);
    const once = stateOf(observer);
    // A second store on the same file, as a retried worker would open.
    await expect(applyPlan(open(), bigPlan())).resolves.toEqual(EMPTY_APPLY_RESULT);
    expect(stateOf(observer)).toEqual(once);
  });
});

describe('SQLite store: the writer', () => {
  it('reads by keys, skipping missing ones and folding repeats', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    await store.transaction(async (writer) => {
      const accounts = await writer.readAccounts(['acct-g3', 'acct-missing', 'acct-g3', 'acct-staff']);
      expect(accounts.map((a) => [a.id, a.claimed]).sort()).toEqual([
        ['acct-g3', true],
        ['acct-staff', true],
      ]);
      expect(accounts.find((a) => a.id === 'acct-g3')).not.toHaveProperty('roles');
      const roles = await writer.readRoles('D1', 'guardian', ['acct-g3', 'acct-staff', 'acct-d2', 'acct-g3']);
      expect(roles).toEqual([{ accountId: 'acct-g3', districtId: 'D1', role: 'guardian', status: 'active', sisIds: ['G3', 'G3-OLD'] }]);
      expect(await writer.readRoles('D1', 'staff', ['acct-staff'])).toEqual([{ accountId: 'acct-staff', districtId: 'D1', role: 'staff', status: 'active', sisIds: ['T1'] }]);
      expect([...(await writer.readStudentIds('D1', ['S9', 'S1', 'S404', 'S1', 'S3']))].sort()).toEqual(['S1', 'S3']);
      expect(await writer.readAccounts([])).toEqual([]);
    }, {});
  });

  it('writes roles whole, keeping the SIS id lookup equal to them; leaves claimed alone; counts links it inserted and deleted', async () => {
    const store = open();
    const db = connect();
    seedSql(db, CONFORMANCE_ROSTER);
    const ids = (): string[][] => db.prepare("SELECT account_id, sis_id FROM role_sis_ids WHERE district_id = 'D1' AND role = 'guardian' AND account_id IN ('acct-g3', 'acct-new') ORDER BY 1, 2").raw(true).all() as string[][];
    expect(ids()).toEqual([
      ['acct-g3', 'G3'],
      ['acct-g3', 'G3-OLD'],
    ]);
    const link = (accountId: string, studentSisId: string) => ({ accountId, districtId: 'D1', studentSisId, source: 'guardian-file' });
    await store.transaction(async (writer) => {
      await writer.insertAccounts([
        {
          account: { id: 'acct-new', ...testFields('Nia', 'Okafor', { email: 'nia@mail.example' }), claimed: false },
          roles: [{ accountId: 'acct-new', districtId: 'D1', role: 'guardian', status: 'active', sisIds: ['G3-OLD', 'G3-X'] }],
        },
      ]);
      await writer.putRoles([
        { accountId: 'acct-g3', districtId: 'D1', role: 'guardian', status: 'archived', sisIds: ['G3', 'G3-NEW'] },
        { accountId: 'acct-new', districtId: 'D1', role: 'guardian', status: 'active', sisIds: ['G3-OLD'] },
      ]);
      // acct-g3 is claimed: an update never unclaims it, whatever the row says.
      const [g3] = await writer.readAccounts(['acct-g3']);
      if (g3 === undefined) throw new Error('acct-g3 is missing');
      await writer.updateAccounts([{ ...g3, homePhone: '+12025550177', claimed: false }]);
      expect(await writer.insertLinks([link('acct-new', 'S3'), link('acct-new', 'S3'), link('acct-g1', 'S1')])).toBe(1);
      expect(await writer.deleteLinks([link('acct-g3', 'S3'), link('acct-g3', 'S3'), link('acct-new', 'S1')])).toBe(1);
      expect(await writer.deleteLinks([])).toBe(0);
    }, {});
    expect(ids()).toEqual([
      ['acct-g3', 'G3'],
      ['acct-g3', 'G3-NEW'],
      ['acct-new', 'G3-OLD'],
    ]);
    const accounts = Object.fromEntries(normalizeAccounts(readAccountsSql(db)).map((a) => [a.id, a]));
    expect(accounts['acct-g3']).toMatchObject({ claimed: true, homePhone: '+12025550177', roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G3', 'G3-NEW'], status: 'archived' }] });
    expect(readLinksSql(db)).toContainEqual(link('acct-new', 'S3'));
    expect(readLinksSql(db)).not.toContainEqual(link('acct-g3', 'S3'));
  });

  it('refuses to write once its transaction has ended', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    let kept: RosterWriter | undefined;
    await store.transaction(async (writer) => void (kept = writer), {});
    await expect(kept?.insertLinks([{ accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S2', source: 'manual' }])).rejects.toThrow(/after its transaction ended/);
    expect(readLinksSql(connect())).not.toContainEqual({ accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S2', source: 'manual' });
  });
});

describe('SQLite store: one connection, an async transaction', () => {
  const newAccount = {
    account: { id: 'acct-new', ...testFields('Nia', 'Okafor', { email: 'nia@mail.example' }), claimed: false },
    roles: [{ accountId: 'acct-new', districtId: 'D1', role: 'guardian', status: 'active', sisIds: ['G7'] }],
  } as const;

  it('makes loadSnapshot and exportRoster wait for a pending transaction body, then see what it committed', async () => {
    for (const mode of ['file', 'memory'] as const) {
      const store = mode === 'file' ? open() : createSqliteStore({ database: ':memory:' });
      if (mode === 'memory') opened.push({ close: () => void store.close() });
      seedSql(mode === 'file' ? connect() : (store.database as Database.Database), CONFORMANCE_ROSTER);
      const events: string[] = [];
      const transaction = store.transaction(async (writer) => {
        await writer.insertAccounts([newAccount]);
        events.push('written');
        await sleep(50);
        events.push('body done');
        return 'committed';
      }, {});
      // Called while the body waits on its timer, with its rows written but not committed.
      const snapshot = store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS).then((s) => (events.push('snapshot'), s));
      const exported = store.exportRoster('D1').then((e) => (events.push('export'), e));
      await expect(transaction).resolves.toBe('committed');
      expect((await snapshot).accounts.map((a) => a.id)).toContain('acct-new');
      expect((await exported).accounts.map((a) => a.id)).toContain('acct-new');
      expect(events, mode).toEqual(['written', 'body done', 'snapshot', 'export']);
    }
  });

  it('runs a snapshot waiting behind a body that throws after the rollback, without the rolled-back rows', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const transaction = store.transaction(async (writer) => {
      await writer.insertAccounts([newAccount]);
      await sleep(30);
      throw new Error('body failed');
    }, {});
    const snapshot = store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS);
    await expect(transaction).rejects.toThrow('body failed');
    expect((await snapshot).accounts.map((a) => a.id)).not.toContain('acct-new');
    expect(store.database.inTransaction).toBe(false);
  });

  it('runs two transactions started together one after the other', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const seen: (string | undefined)[] = [];
    const first = store.transaction(async (writer) => {
      await sleep(30);
      await writer.insertAccounts([newAccount]);
    }, {});
    const second = store.transaction(async (writer) => {
      seen.push((await writer.readAccounts(['acct-new']))[0]?.id);
    }, {});
    await Promise.all([first, second]);
    expect(seen).toEqual(['acct-new']);
  });

  it('refuses, instead of waiting forever, a snapshot, export, import or transaction asked for inside a body', async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    await store.transaction(async () => {
      await expect(store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS)).rejects.toThrow(/cannot load the roster inside a transaction's body/);
      await expect(store.exportRoster('D1')).rejects.toThrow(/inside a transaction's body/);
      await expect(store.importRoster({ orgs: [], students: [], staff: [] })).rejects.toThrow(/inside a transaction's body/);
      await expect(store.transaction(async () => undefined, {})).rejects.toThrow(/cannot open a transaction inside/);
    }, {});
    // Outside the body again, they run.
    await expect(store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS)).resolves.toMatchObject({ scope: CONFORMANCE_SCOPE });
  });

  it('renews a lock while a body is pending (a lease heartbeat during a long apply), as part of the transaction', async () => {
    let now = 1_000_000;
    const store = open({ now: () => now });
    const observer = connect();
    expect(await store.acquireLock('district:D1', { owner: 'run-1', ttlMs: 30_000 })).toEqual({ acquired: true });
    await store.transaction(async () => {
      now += 20_000;
      expect(await store.renewLock('district:D1', { owner: 'run-1', ttlMs: 30_000 })).toBe(true);
      // Not committed yet: another connection still sees the lease of the acquire.
      expect(observer.prepare('SELECT expires_at FROM locks').pluck(true).get()).toBe(1_030_000);
    }, {});
    expect(observer.prepare('SELECT expires_at FROM locks').pluck(true).get()).toBe(1_050_000);
  });
});

describe('SQLite store: a busy database', () => {
  it('fails a plan with a transient STORE_FAILED when another process keeps the file locked, and applies it once free', async () => {
    const store = open({ busyTimeoutMs: 50 });
    seedSql(connect(), CONFORMANCE_ROSTER);
    const other = connect();
    other.exec('BEGIN IMMEDIATE');
    const error: unknown = await applyPlan(store, bigPlan()).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect(isGuardianSyncError(error) && error.transient).toBe(true);
    expect((error as Error).message).toContain('SQLITE_BUSY');
    expect(store.database.inTransaction).toBe(false);
    other.exec('ROLLBACK');
    await expect(applyPlan(store, bigPlan())).resolves.toMatchObject({ accountsCreated: 40 });
  });
});

describe('SQLite store: leased locks across connections', () => {
  const lease = (owner: string, ttlMs = 60_000) => ({ owner, ttlMs });

  it('lets exactly one of two connections take the scope lock, also when they race, and tells the other who holds it', async () => {
    let now = Date.UTC(2026, 2, 1, 6);
    const a = open({ now: () => now });
    const b = open({ now: () => now });
    const results = await Promise.all([a.acquireLock('district:D1', lease('run-a')), b.acquireLock('district:D1', lease('run-b'))]);
    const refused = { acquired: false, holder: { owner: 'run-a', expiresAt: '2026-03-01T06:01:00.000Z' } };
    expect(results).toEqual([{ acquired: true }, refused]);
    expect(await b.acquireLock('district:D1', lease('run-b'))).toEqual(refused);
    await b.releaseLock('district:D1', 'run-b');
    expect(await b.acquireLock('district:D1', lease('run-b'))).toEqual(refused);
    // The holder again: the lease runs from now.
    now += 1_000;
    expect(await a.acquireLock('district:D1', lease('run-a'))).toEqual({ acquired: true });
    expect(await b.acquireLock('district:D1', lease('run-b'))).toMatchObject({ holder: { expiresAt: '2026-03-01T06:01:01.000Z' } });
    await a.releaseLock('district:D1', 'run-a');
    expect(await b.acquireLock('district:D1', lease('run-b'))).toEqual({ acquired: true });
    expect(await a.acquireLock('district:D1', lease('run-a'))).toMatchObject({ acquired: false, holder: { owner: 'run-b' } });
  });

  it('records the holding process: host, pid and pid namespace', async () => {
    const store = open();
    await store.acquireLock('district:D1', lease('run-a'));
    expect(connect().prepare('SELECT owner, host, pid, pid_namespace AS pidNamespace FROM locks').get()).toEqual({
      owner: 'run-a',
      host: hostname(),
      pid: process.pid,
      pidNamespace: currentLockProcess().pidNamespace,
    });
  });

  it('expires locks by the real clock when none is injected', async () => {
    const a = open();
    const b = open();
    expect(await a.acquireLock('district:D1', lease('run-a', 25))).toEqual({ acquired: true });
    await sleep(100);
    expect(await b.acquireLock('district:D1', lease('run-b'))).toEqual({ acquired: true });
  });

  it('keeps a lock whose holder is a live process (this one) until its lease ends, then lets another owner take it', async () => {
    let now = 1_000_000;
    const crashed = open({ now: () => now });
    const next = open({ now: () => now });
    expect(await crashed.acquireLock('school:SA', lease('run-dead', 30_000))).toEqual({ acquired: true });
    await crashed.close();
    now += 29_999;
    expect(await next.acquireLock('school:SA', lease('run-next', 30_000))).toMatchObject({ acquired: false });
    now += 1;
    expect(await next.acquireLock('school:SA', lease('run-next', 30_000))).toEqual({ acquired: true });
    const row = connect().prepare('SELECT owner, expires_at AS expiresAt FROM locks WHERE key = ?').get('school:SA');
    expect(row).toEqual({ owner: 'run-next', expiresAt: now + 30_000 });
  });

  it('renews for the owner only: extends its lease, also past its end while no one took it; false once another owner took it or it was released', async () => {
    let now = 1_000_000;
    const a = open({ now: () => now });
    const b = open({ now: () => now });
    const expiresAt = () => connect().prepare('SELECT expires_at FROM locks WHERE key = ?').pluck(true).get('district:D1');
    await a.acquireLock('district:D1', lease('run-a', 10_000));
    now += 5_000;
    expect(await a.renewLock('district:D1', lease('run-a', 10_000))).toBe(true);
    expect(expiresAt()).toBe(1_015_000);
    expect(await b.renewLock('district:D1', lease('run-b', 10_000))).toBe(false);
    expect(expiresAt()).toBe(1_015_000);
    now += 20_000;
    expect(await a.renewLock('district:D1', lease('run-a', 10_000))).toBe(true);
    expect(expiresAt()).toBe(1_035_000);
    now += 10_000;
    expect(await b.acquireLock('district:D1', lease('run-b', 10_000))).toEqual({ acquired: true });
    expect(await a.renewLock('district:D1', lease('run-a', 10_000))).toBe(false);
    await b.releaseLock('district:D1', 'run-b');
    expect(await b.renewLock('district:D1', lease('run-b', 10_000))).toBe(false);
  });

  it('takes over at once a lock held by a process of this host that is gone, and only such a lock', async () => {
    let now = 1_000_000;
    const store = open({ now: () => now });
    const db = connect();
    const me = currentLockProcess();
    const dead = deadPid();
    const put = db.prepare('INSERT OR REPLACE INTO locks (key, owner, expires_at, host, pid, pid_namespace) VALUES (?, ?, ?, ?, ?, ?)');
    const far = now + 3_600_000;
    put.run('gone', 'run-gone', far, me.host, dead, me.pidNamespace);
    put.run('other-host', 'run-far', far, `${me.host}-elsewhere`, dead, me.pidNamespace);
    put.run('other-namespace', 'run-container', far, me.host, dead, 'pid:[1]');
    put.run('before-v3', 'run-old', far, null, null, null);
    put.run('alive', 'run-alive', far, me.host, process.pid, me.pidNamespace);

    expect(await store.acquireLock('gone', lease('run-new'))).toEqual({ acquired: true });
    expect(db.prepare("SELECT owner, expires_at, pid FROM locks WHERE key = 'gone'").raw(true).get()).toEqual(['run-new', now + 60_000, process.pid]);
    for (const [key, owner] of [
      ['other-host', 'run-far'],
      ['other-namespace', 'run-container'],
      ['before-v3', 'run-old'],
      ['alive', 'run-alive'],
    ] as const) {
      expect(await store.acquireLock(key, lease('run-new')), key).toEqual({ acquired: false, holder: { owner, expiresAt: new Date(far).toISOString() } });
    }
  });

  it('loses a takeover to a process that took the dead holder\'s lock between its read and its write: the takeover is conditional on the holder it found', async () => {
    const own = new Database(file);
    opened.push(own);
    const rival = connect();
    let rivalTookIt = false;
    // The store's connection, with a rival's takeover slipped in just before the store's own.
    const database: SqliteDatabase = {
      prepare(sql) {
        const statement = own.prepare(sql);
        if (!sql.startsWith('UPDATE locks SET owner')) return statement;
        return new Proxy(statement, {
          get(target, property) {
            if (property === 'run') {
              return (...params: unknown[]) => {
                rival.prepare("UPDATE locks SET owner = 'run-rival', pid = ? WHERE key = 'district:D1'").run(process.pid);
                rivalTookIt = true;
                return target.run(...params);
              };
            }
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
          },
        });
      },
      exec: (sql) => own.exec(sql),
      pragma: (source, options) => own.pragma(source, options),
      close: () => own.close(),
      get inTransaction() {
        return own.inTransaction;
      },
    };
    const store = createSqliteStore({ database });
    const me = currentLockProcess();
    rival.prepare('INSERT INTO locks (key, owner, expires_at, host, pid, pid_namespace) VALUES (?, ?, ?, ?, ?, ?)').run('district:D1', 'run-gone', Date.now() + 3_600_000, me.host, deadPid(), me.pidNamespace);
    expect(await store.acquireLock('district:D1', lease('run-a'))).toMatchObject({ acquired: false, holder: { owner: 'run-rival' } });
    expect(rivalTookIt).toBe(true);
    expect(rival.prepare('SELECT owner FROM locks').pluck(true).get()).toBe('run-rival');
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
