// The SQLite store serving several districts whose SIS ids overlap (student 1001, guardian
// G1, staff T1 in each): imports keyed by district, the keyed snapshot (and the query plans
// that make it read by index, never a scan of every account), applies that touch only the
// plan's district, id removes, and the export of one district.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { EMPTY_APPLY_RESULT } from '../../src/apply/plan-writes.js';
import type { RosterStore, RosterWriter, StaffRecord } from '../../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import type { Org, Student } from '../../src/model/roster.js';
import { createSqliteStore, type SqliteDatabase, type SqliteStatement, type SqliteStore } from '../../src/sqlite/index.js';
import {
  buildTestPlan,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  CONFORMANCE_SCOPE_D2,
  createItem,
  idRemoveItem,
  linkItem,
  NO_LOGINS,
  normalizeAccounts,
  normalizeLinks,
  normalizeStudents,
  roleAddItem,
  roleStatusItem,
  testFields,
} from '../../src/testing/roster-store-fixtures.js';
import { readAccountsSql, readLinksSql, readStudentsSql, seedSql } from './sqlite-harness.js';

let dir: string;
let file: string;
const opened: { close(): unknown }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-districts-'));
  file = join(dir, 'roster.sqlite');
});

afterEach(() => {
  for (const db of opened.splice(0).reverse()) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(database: SqliteDatabase | string = file, newAccountId?: () => string): SqliteStore {
  const store = createSqliteStore({ database, ...(newAccountId === undefined ? {} : { newAccountId }) });
  opened.push({ close: () => void store.close() });
  return store;
}

function connect(): Database.Database {
  const db = new Database(file);
  opened.push(db);
  return db;
}

function stateOf(db: Database.Database) {
  return { accounts: normalizeAccounts(readAccountsSql(db)), links: normalizeLinks(readLinksSql(db)), students: normalizeStudents(readStudentsSql(db)) };
}

/** What district `districtId` holds: its students, its links and the accounts' roles there. */
function districtPart(db: Database.Database, districtId: string) {
  const state = stateOf(db);
  return {
    roles: state.accounts.flatMap((a) => a.roles.filter((r) => r.districtId === districtId).map((r) => ({ accountId: a.id, ...r }))),
    links: state.links.filter((l) => l.districtId === districtId),
    students: state.students.filter((s) => s.districtId === districtId),
  };
}

const ORGS: readonly Org[] = [
  { id: 'D1', name: 'Unified District', type: 'district', parentId: null },
  { id: 'SA', name: 'Alder Elementary', type: 'school', parentId: 'D1' },
  { id: 'D2', name: 'Other District', type: 'district', parentId: null },
  { id: 'SC', name: 'Cedar High', type: 'school', parentId: 'D2' },
];

function staff(districtId: string, sisId: string, firstName: string, lastName: string, email: string): StaffRecord {
  return { districtId, sisId, firstName, lastName, email, mobilePhone: null, homePhone: null, schoolIds: [] };
}

function student(districtId: string, sisId: string, schoolId: string, firstName: string, lastName: string): Student {
  return { districtId, sisId, schoolId, firstName, lastName };
}

describe('SQLite store: roster imports keyed by district', () => {
  it("imports D2's student 1001 and staff T1 beside D1's, leaving D1's as they were", async () => {
    let next = 0;
    const store = open(file, () => `acct-${++next}`);
    await store.importRoster({ orgs: ORGS, students: [student('D1', '1001', 'SA', 'Ana', 'Ruiz')], staff: [staff('D1', 'T1', 'Tina', 'Teacher', 'tina@d1.example')] });
    const db = connect();
    const d1 = districtPart(db, 'D1');

    const d2Import = { orgs: [], students: [student('D2', '1001', 'SC', 'Dana', 'Kim')], staff: [staff('D2', 'T1', 'Tom', 'Other', 'tom@d2.example')] };
    await expect(store.importRoster(d2Import)).resolves.toEqual({ orgs: 0, students: 1, staffCreated: 1, staffUpdated: 0 });
    expect(districtPart(db, 'D1')).toEqual(d1);
    expect(normalizeStudents(readStudentsSql(db))).toEqual([student('D1', '1001', 'SA', 'Ana', 'Ruiz'), student('D2', '1001', 'SC', 'Dana', 'Kim')]);
    // Staff T1 of D1 and staff T1 of D2 are two people: two accounts, a staff role each.
    expect(normalizeAccounts(readAccountsSql(db)).map((a) => [a.id, a.firstName, a.roles])).toEqual([
      ['acct-1', 'Tina', [{ role: 'staff', districtId: 'D1', sisIds: ['T1'], status: 'active' }]],
      ['acct-2', 'Tom', [{ role: 'staff', districtId: 'D2', sisIds: ['T1'], status: 'active' }]],
    ]);
    expect(db.prepare('SELECT district_id, role, sis_id, account_id FROM role_sis_ids ORDER BY 1').raw(true).all()).toEqual([
      ['D1', 'staff', 'T1', 'acct-1'],
      ['D2', 'staff', 'T1', 'acct-2'],
    ]);

    // Again: nothing changes; and D1's import finds D1's T1, not D2's.
    await expect(store.importRoster(d2Import)).resolves.toEqual({ orgs: 0, students: 1, staffCreated: 0, staffUpdated: 0 });
    await store.importRoster({ orgs: [], students: [student('D1', '1001', 'SA', 'Ana', 'Ruiz-Diaz')], staff: [staff('D1', 'T1', 'Tina', 'Teacher', 'tina@d1.example')] });
    expect(normalizeStudents(readStudentsSql(db)).map((s) => s.lastName)).toEqual(['Ruiz-Diaz', 'Kim']);
    expect(readAccountsSql(db)).toHaveLength(2);
  });

  it('gives one person teaching in two districts one account with a staff role in each', async () => {
    let next = 0;
    const store = open(file, () => `acct-${++next}`);
    await store.importRoster({ orgs: ORGS, students: [], staff: [staff('D1', 'T1', 'Tina', 'Teacher', 'tina@school.example')] });
    await expect(store.importRoster({ orgs: [], students: [], staff: [staff('D2', 'T7', 'Tina', 'Teacher', 'tina@school.example')] })).resolves.toMatchObject({
      staffCreated: 0,
      staffUpdated: 1,
    });
    expect(normalizeAccounts(readAccountsSql(connect())).map((a) => [a.id, a.roles])).toEqual([
      [
        'acct-1',
        [
          { role: 'staff', districtId: 'D1', sisIds: ['T1'], status: 'active' },
          { role: 'staff', districtId: 'D2', sisIds: ['T7'], status: 'active' },
        ],
      ],
    ]);
  });

  it("refuses a student of a school the roster lacks, naming the student and district, and imports nothing", async () => {
    const store = open();
    await store.importRoster({ orgs: ORGS, students: [], staff: [] });
    const error: unknown = await store.importRoster({ orgs: [], students: [student('D2', '1001', 'SC', 'Dana', 'Kim'), student('D2', '1002', 'NOPE', 'Dev', 'Patel')], staff: [] }).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('student "1002" of district "D2" belongs to school "NOPE"');
    expect((error as Error).message).not.toContain('Dev');
    expect(readStudentsSql(connect())).toEqual([]);
  });
});

/** The store with a writer that calls `before` before each `insertAccounts`. */
function beforeInsertAccounts<S extends RosterStore>(store: S, before: () => void): S {
  const wrap = (writer: RosterWriter): RosterWriter => ({
    ...writer,
    insertAccounts: async (accounts) => {
      before();
      return writer.insertAccounts(accounts);
    },
  });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'transaction') return (body: (writer: RosterWriter) => Promise<unknown>, options: object) => target.transaction((writer) => body(wrap(writer)), options);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A connection that records the SQL of every statement the store runs. */
function recording(db: Database.Database): { database: SqliteDatabase; ran: Set<string> } {
  const ran = new Set<string>();
  const wrap = (sql: string, statement: SqliteStatement): SqliteStatement => ({
    run: (...params) => (ran.add(sql), statement.run(...params)),
    get: (...params) => (ran.add(sql), statement.get(...params)),
    all: (...params) => (ran.add(sql), statement.all(...params)),
    iterate: (...params) => (ran.add(sql), statement.iterate(...params)),
    raw(toggle) {
      statement.raw(toggle);
      return this;
    },
  });
  const database: SqliteDatabase = {
    prepare: (sql) => wrap(sql, db.prepare(sql)),
    exec: (sql) => db.exec(sql),
    pragma: (source, options) => db.pragma(source, options),
    close: () => db.close(),
    get inTransaction() {
      return db.inTransaction;
    },
  };
  return { database, ran };
}

/** EXPLAIN QUERY PLAN of a statement, every parameter bound to NULL. */
function queryPlan(db: Database.Database, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

describe('SQLite store: the keyed snapshot', () => {
  it("holds nothing of another district but an account sharing a login the request carries (with all its roles, none of its links there)", async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const plain = await store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS);
    expect(plain.students.every((s) => s.districtId === 'D1')).toBe(true);
    expect(plain.links.every((l) => l.districtId === 'D1')).toBe(true);
    expect(plain.accounts.map((a) => a.id).sort()).toEqual(['acct-d2-staff', 'acct-g1', 'acct-g2', 'acct-g3', 'acct-shared', 'acct-staff']);
    // The shared account comes with its D2 role: that is how the planner knows it is shared.
    expect(plain.accounts.find((a) => a.id === 'acct-shared')?.roles.map((r) => r.districtId)).toEqual(['D1', 'D2']);

    // Stored as "Kai.Kim@Mail.example"; asked for folded. Its D2 links stay out.
    const asked = await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: { emails: ['kai.kim@mail.example'], mobiles: ['+12025550105', '+12025550199'] } });
    expect(asked.accounts.map((a) => a.id).sort()).toEqual(['acct-d2', 'acct-d2-staff', 'acct-g1', 'acct-g2', 'acct-g3', 'acct-lone', 'acct-shared', 'acct-staff']);
    expect(asked.accounts.find((a) => a.id === 'acct-d2')?.roles).toEqual([{ role: 'guardian', districtId: 'D2', sisIds: ['G2'], status: 'active' }]);
    expect(normalizeLinks(asked.links)).toEqual(normalizeLinks(plain.links));
    expect(new Set(asked.accounts.map((a) => a.id)).size).toBe(asked.accounts.length);
  });

  it('looks up more logins than one statement takes (batches), whatever their order and repeats', async () => {
    const store = open();
    const db = connect();
    seedSql(db, CONFORMANCE_ROSTER);
    const many = Array.from({ length: 1_234 }, (_, i) => `nobody-${i}@mail.example`);
    const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE_D2, {
      logins: { emails: [...many.slice(0, 700), 'gina@mail.example', ...many.slice(700), 'gina@mail.example'], mobiles: ['+12025550103'] },
    });
    expect(snapshot.accounts.map((a) => a.id).sort()).toEqual(['acct-d2', 'acct-d2-staff', 'acct-g1', 'acct-g3', 'acct-shared']);
  });

  it('reads by index only: no statement of a snapshot or an export scans accounts, roles, links or students, or sorts', async () => {
    const db = new Database(':memory:');
    opened.push(db);
    const { database, ran } = recording(db);
    const store = open(database);
    seedSql(db, CONFORMANCE_ROSTER);
    ran.clear();
    await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: { emails: ['kai.kim@mail.example', 'nobody@mail.example'], mobiles: ['+12025550199'] } });
    await store.exportRoster('D1');
    const reads = [...ran].filter((sql) => sql.startsWith('SELECT'));
    // Students, links, role holders, linked accounts without a role, login lookups, accounts by id.
    expect(reads.length).toBeGreaterThanOrEqual(6);
    for (const sql of reads) {
      const plan = queryPlan(db, sql);
      // `SCAN h` walks the DISTINCT role holders the statement just searched for by district;
      // no sort either (a temporary B-tree would hold a whole district).
      expect(plan.filter((step) => (step.startsWith('SCAN') && step !== 'SCAN h') || step.includes('TEMP B-TREE')), `${sql}\n${plan.join('\n')}`).toEqual([]);
      expect(plan.some((step) => step.startsWith('SEARCH')), sql).toBe(true);
    }
    expect(reads.some((sql) => queryPlan(db, sql).some((step) => /SEARCH accounts USING (COVERING )?INDEX accounts_by_email/.test(step)))).toBe(true);
    expect(reads.some((sql) => queryPlan(db, sql).some((step) => /account_roles_by_district \(district_id=\?\)/.test(step)))).toBe(true);
  });
  it("reads and deletes for the writer by index: the only scan is of the call's own keys (json_each)", async () => {
    const db = new Database(':memory:');
    opened.push(db);
    const { database, ran } = recording(db);
    const store = open(database);
    seedSql(db, CONFORMANCE_ROSTER);
    ran.clear();
    await store.transaction(async (writer) => {
      await writer.readAccounts(['acct-g1', 'acct-g3']);
      await writer.readRoles('D1', 'guardian', ['acct-g1', 'acct-g3']);
      await writer.readStudentIds('D1', ['S1', 'S404']);
      await writer.deleteLinks([{ accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S1', source: 'manual' }]);
    }, {});
    const statements = [...ran].filter((sql) => sql.startsWith('SELECT') || sql.startsWith('DELETE'));
    expect(statements).toHaveLength(4);
    for (const sql of statements) {
      const plan = queryPlan(db, sql);
      expect(plan.filter((step) => (step.startsWith('SCAN') && !step.includes('VIRTUAL TABLE')) || step.includes('TEMP B-TREE')), `${sql}\n${plan.join('\n')}`).toEqual([]);
      expect(plan.some((step) => step.startsWith('SEARCH')), sql).toBe(true);
    }
  });
});

describe('SQLite store: applying a plan in one district', () => {
  it("changes D1's roles and links only: D2's roles, links and students stay as they were", async () => {
    const store = open();
    const db = connect();
    seedSql(db, CONFORMANCE_ROSTER);
    const d2 = districtPart(db, 'D2');
    const plan = buildTestPlan(CONFORMANCE_SCOPE, {
      // acct-d2 (a D2 guardian) gains a D1 role and a link to D1's S1, not D2's S1.
      roleAdds: [roleAddItem('acct-d2', ['G7'])],
      linkAdds: [linkItem('acct-d2', 'S1')],
      // The shared account leaves D1: archived there, its D1 link removed.
      archives: [roleStatusItem('acct-shared')],
      linkRemoves: [linkItem('acct-shared', 'S2')],
      // G1 is Gina's in D1 and the shared account's in D2: only D1's is taken.
      idRemoves: [idRemoveItem('acct-g1', ['G1']), idRemoveItem('acct-shared', ['G1'])],
    });
    await expect(applyPlan(store, plan)).resolves.toEqual({ ...EMPTY_APPLY_RESULT, rolesAdded: 1, idsRemoved: 1, guardiansArchived: 1, linksAdded: 1, linksRemoved: 1 });
    expect(districtPart(db, 'D2')).toEqual(d2);
    const accounts = Object.fromEntries(normalizeAccounts(readAccountsSql(db)).map((a) => [a.id, a.roles]));
    expect(accounts['acct-d2']).toEqual([
      { role: 'guardian', districtId: 'D1', sisIds: ['G7'], status: 'active' },
      { role: 'guardian', districtId: 'D2', sisIds: ['G2'], status: 'active' },
    ]);
    expect(accounts['acct-shared']).toEqual([
      { role: 'guardian', districtId: 'D1', sisIds: ['G5'], status: 'archived' },
      { role: 'guardian', districtId: 'D2', sisIds: ['G1'], status: 'active' },
    ]);
    expect(accounts['acct-g1']).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: [], status: 'active' }]);
    expect(readLinksSql(db)).toContainEqual({ accountId: 'acct-d2', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' });
    expect(db.prepare("SELECT district_id, sis_id, account_id FROM role_sis_ids WHERE role = 'guardian' AND sis_id IN ('G1', 'G7') ORDER BY 1").raw(true).all()).toEqual([
      ['D1', 'G7', 'acct-d2'],
      ['D2', 'G1', 'acct-shared'],
    ]);
    // Applied again: nothing left to change.
    await expect(applyPlan(store, plan)).resolves.toEqual(EMPTY_APPLY_RESULT);
  });

  it('moves a guardian id to a new account: the id remove comes before the create, so the id is never on two accounts of the district', async () => {
    const store = open();
    const db = connect();
    seedSql(db, CONFORMANCE_ROSTER);
    const plan = buildTestPlan(CONFORMANCE_SCOPE, {
      creates: [createItem('acct-split', testFields('Cleo', 'Martin', { email: 'cleo@mail.example' }), ['G3-OLD'])],
      idRemoves: [idRemoveItem('acct-g3', ['G3-OLD', 'G-NEVER-HELD']), idRemoveItem('acct-missing', ['G3'])],
      linkAdds: [linkItem('acct-split', 'S3')],
    });
    // Who holds G3-OLD in D1 when the account is created, seen inside the transaction (the
    // store's own connection sees what the transaction wrote so far).
    const holders: string[][] = [];
    const holdersOfG3Old = (store.database as Database.Database).prepare("SELECT account_id FROM role_sis_ids WHERE district_id = 'D1' AND sis_id = 'G3-OLD' ORDER BY account_id").pluck(true);
    const watched = beforeInsertAccounts(store, () => holders.push(holdersOfG3Old.all() as string[]));
    await expect(applyPlan(watched, plan)).resolves.toEqual({ ...EMPTY_APPLY_RESULT, accountsCreated: 1, idsRemoved: 1, linksAdded: 1 });
    expect(holders).toEqual([[]]);
    const accounts = Object.fromEntries(normalizeAccounts(readAccountsSql(db)).map((a) => [a.id, a.roles]));
    expect(accounts['acct-g3']).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G3'], status: 'active' }]);
    expect(accounts['acct-split']).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G3-OLD'], status: 'active' }]);
    expect(db.prepare("SELECT account_id FROM role_sis_ids WHERE district_id = 'D1' AND sis_id LIKE 'G3%' ORDER BY sis_id").pluck(true).all()).toEqual(['acct-g3', 'acct-split']);
    await expect(applyPlan(store, plan)).resolves.toEqual(EMPTY_APPLY_RESULT);
  });

  it("fails an archive of an account without a guardian role in the plan's district, naming the district, and applies nothing", async () => {
    const store = open();
    const db = connect();
    seedSql(db, CONFORMANCE_ROSTER);
    const before = stateOf(db);
    // acct-d2 is a guardian in D2 only.
    const error: unknown = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S2')], archives: [roleStatusItem('acct-d2')] })).catch(
      (e: unknown) => e,
    );
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('archive of the guardian role of account "acct-d2": the account has no guardian role in district "D1"');
    expect(stateOf(db)).toEqual(before);
  });

  it("refuses a link to a student of another district (D2's S9 is not D1's)", async () => {
    const store = open();
    const db = connect();
    seedSql(db, CONFORMANCE_ROSTER);
    const error: unknown = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S9')] })).catch((e: unknown) => e);
    expect((error as Error).message).toContain('link add (account "acct-g1", student "S9")');
    expect(readLinksSql(db).filter((l) => l.studentSisId === 'S9')).toEqual([{ accountId: 'acct-d2', districtId: 'D2', studentSisId: 'S9', source: 'manual' }]);
  });
});

describe('SQLite store: the export of one district', () => {
  it("shows the district's students and accounts, each with that district's roles and students only", async () => {
    const store = open();
    seedSql(connect(), CONFORMANCE_ROSTER);
    const d2 = await store.exportRoster('D2');
    expect(d2.districtId).toBe('D2');
    expect(d2.students.map((s) => [s.sisId, s.firstName])).toEqual([
      ['S1', 'Dana'],
      ['S9', 'Dev'],
    ]);
    expect(d2.accounts.map((a) => [a.id, a.roles, a.students])).toEqual([
      ['acct-d2', [{ role: 'guardian', sisIds: ['G2'], status: 'active' }], ['S1', 'S9']],
      ['acct-d2-staff', [{ role: 'staff', sisIds: ['T1'], status: 'active' }], []],
      ['acct-shared', [{ role: 'guardian', sisIds: ['G1'], status: 'active' }], ['S1']],
    ]);
    const d1 = await store.exportRoster('D1');
    // Linked by a manual invite to D1's S3 without a D1 role: listed, with no role and no student.
    expect(d1.accounts.find((a) => a.id === 'acct-d2-staff')).toMatchObject({ roles: [], students: [] });
    expect(d1.accounts.find((a) => a.id === 'acct-shared')?.roles).toEqual([{ role: 'guardian', sisIds: ['G5'], status: 'active' }]);
    expect(d1.accounts.map((a) => a.id)).not.toContain('acct-d2');
    expect(await store.exportRoster('NOPE')).toEqual({ formatVersion: 1, districtId: 'NOPE', accounts: [], students: [] });
  });
});
