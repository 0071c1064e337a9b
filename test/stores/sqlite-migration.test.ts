// The SQLite store opening a schema-version-1 file (from before districts): the demo's
// roster (one district) comes over whole and exports as v1 exported it; a hand-made roster
// of several districts places roles by the students their accounts are linked to and notes,
// by ids only, what it cannot place; a failing migration leaves the file as it was. And a
// version-2 file (locks without their holding process) opening at version 3.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RosterExport } from '../../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createSqliteStore, SQLITE_SCHEMA_VERSION, type SqliteStore } from '../../src/sqlite/index.js';
import type { SqliteDatabase } from '../../src/sqlite/sqlite-database.js';
import { SQLITE_MIGRATIONS } from '../../src/sqlite/sqlite-schema.js';
import { CONFORMANCE_ROSTER, CONFORMANCE_SCOPE, NO_LOGINS, normalizeAccounts, normalizeLinks, normalizeStudents } from '../../src/testing/roster-store-fixtures.js';
import { readAccountsSql, readLinksSql, readStudentsSql, seedSql } from './sqlite-harness.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let dir: string;
const opened: { close(): unknown }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-sync-migrate-'));
});

afterEach(() => {
  for (const db of opened.splice(0).reverse()) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(file: string): SqliteStore {
  const store = createSqliteStore({ database: file });
  opened.push({ close: () => void store.close() });
  return store;
}

function connect(file: string, options?: Database.Options): Database.Database {
  const db = new Database(file, options);
  opened.push(db);
  return db;
}

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).pluck(true).get() as number) ?? 0;
}

/** Tables and indexes with their SQL (temporary ones excluded): what two schemas are compared by. */
function schemaOf(db: Database.Database): { type: string; name: string; sql: string | null }[] {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[];
}

interface V1Account {
  readonly id: string;
  readonly guardian?: { readonly status: 'active' | 'archived'; readonly sisIds: readonly string[] };
  readonly staff?: { readonly status: 'active' | 'archived'; readonly sisIds: readonly string[] };
}

/** A version-1 roster written with the V1 SQL itself; foreign keys off, so it may hold what v1 refused (a student of an unknown school). */
function writeV1(file: string, data: { orgs: [string, string, string | null][]; students: [string, string][]; accounts: V1Account[]; links: [string, string, string][] }): void {
  const v1 = SQLITE_MIGRATIONS[0];
  if (typeof v1 !== 'string') throw new Error('SQLITE_MIGRATIONS[0] is not the V1 SQL');
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.exec(v1);
  db.pragma('user_version = 1');
  const org = db.prepare('INSERT INTO orgs (id, name, type, parent_id) VALUES (?, ?, ?, ?)');
  for (const [id, type, parent] of data.orgs) org.run(id, `Org ${id}`, type, parent);
  const student = db.prepare("INSERT INTO students (sis_id, school_id, first_name, last_name) VALUES (?, ?, 'Kid', 'Doe')");
  for (const [sisId, school] of data.students) student.run(sisId, school);
  const account = db.prepare(
    "INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed, guardian_status, guardian_sis_ids, staff_status, staff_sis_ids) VALUES (?, 'Pat', 'Secretname', ?, '+12025550100', NULL, NULL, 0, ?, ?, ?, ?)",
  );
  const sisId = db.prepare('INSERT INTO role_sis_ids (role, sis_id, account_id) VALUES (?, ?, ?)');
  data.accounts.forEach((a, i) => {
    account.run(
      a.id,
      `pat${i}@secret.example`,
      a.guardian?.status ?? null,
      a.guardian === undefined ? null : JSON.stringify(a.guardian.sisIds),
      a.staff?.status ?? null,
      a.staff === undefined ? null : JSON.stringify(a.staff.sisIds),
    );
    for (const id of a.guardian?.sisIds ?? []) sisId.run('guardian', id, a.id);
    for (const id of a.staff?.sisIds ?? []) sisId.run('staff', id, a.id);
  });
  const link = db.prepare('INSERT INTO links (account_id, student_sis_id, source) VALUES (?, ?, ?)');
  for (const [accountId, student, source] of data.links) link.run(accountId, student, source);
  db.prepare("INSERT INTO runs VALUES ('run-1', 'district', 'D1', 'succeeded', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '{}', '{\"runId\":\"run-1\"}')").run();
  db.close();
}

describe('SQLite store: migrating the demo roster of schema version 1', () => {
  it('puts every student, role and link in its one district, and exports what v1 exported', async () => {
    const file = join(dir, 'roster.sqlite');
    copyFileSync(fixture('v1-demo.sqlite'), file);
    const before = new Database(file, { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(1);
    const v1 = {
      students: count(before, 'SELECT count(*) FROM students'),
      accounts: count(before, 'SELECT count(*) FROM accounts'),
      roles: count(before, 'SELECT count(guardian_status) + count(staff_status) FROM accounts'),
      sisIds: count(before, 'SELECT count(*) FROM role_sis_ids'),
      links: count(before, 'SELECT count(*) FROM links'),
    };
    before.close();

    const store = open(file);
    expect(store.migration).toEqual({ fromVersion: 1, toVersion: SQLITE_SCHEMA_VERSION, unplaced: [] });
    expect(store.migrationNotes()).toEqual([]);

    const db = connect(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(db, 'SELECT count(*) FROM students')).toBe(v1.students);
    expect(count(db, 'SELECT count(*) FROM accounts')).toBe(v1.accounts);
    expect(count(db, 'SELECT count(*) FROM account_roles')).toBe(v1.roles);
    expect(count(db, 'SELECT count(*) FROM role_sis_ids')).toBe(v1.sisIds);
    expect(count(db, 'SELECT count(*) FROM links')).toBe(v1.links);
    for (const table of ['students', 'account_roles', 'role_sis_ids', 'links']) {
      expect(db.prepare(`SELECT DISTINCT district_id FROM ${table}`).pluck(true).all(), table).toEqual(['D100']);
    }

    const v1Export = JSON.parse(readFileSync(fixture('v1-demo-export.json'), 'utf8')) as Omit<RosterExport, 'districtId'>;
    expect(await store.exportRoster('D100')).toEqual({ ...v1Export, districtId: 'D100' });

    // The migrated file's schema is the one a new file gets.
    const fresh = open(join(dir, 'new.sqlite'));
    expect(schemaOf(db)).toEqual(schemaOf(fresh.database as Database.Database));
  });

  it('opens the migrated file again without migrating, and syncs it', async () => {
    const file = join(dir, 'roster.sqlite');
    copyFileSync(fixture('v1-demo.sqlite'), file);
    await open(file).close();
    const again = open(file);
    expect(again.migration).toBeNull();
    const scope = await again.resolveScope({ level: 'district', orgId: 'D100' });
    expect(scope?.districtId).toBe('D100');
    if (scope === null) return;
    const snapshot = await again.loadSnapshot(scope, { logins: { emails: [], mobiles: [] } });
    expect(snapshot.students).toHaveLength(42);
    expect(snapshot.accounts).toHaveLength(58);
    expect(snapshot.links).toHaveLength(74);
  });
});

describe('SQLite store: migrating a version-1 roster of several districts', () => {
  // D1 (schools SA, SB), D2 (school SC), and SX, a school without a district: its own.
  const orgs: [string, string, string | null][] = [
    ['D1', 'district', null],
    ['SA', 'school', 'D1'],
    ['SB', 'school', 'D1'],
    ['D2', 'district', null],
    ['SC', 'school', 'D2'],
    ['SX', 'school', null],
  ];
  const students: [string, string][] = [
    ['S1', 'SA'],
    ['S2', 'SB'],
    ['S9', 'SC'],
    ['S7', 'SX'],
    ['S404', 'GONE'],
  ];

  function writeSeveral(file: string): void {
    writeV1(file, {
      orgs,
      students,
      accounts: [
        // Linked in D1 and D2: a guardian role in each, with the same ids and status.
        { id: 'acct-both', guardian: { status: 'active', sisIds: ['G1', 'G1-OLD'] } },
        // An archived guardian without links: no district to put the role in.
        { id: 'acct-archived', guardian: { status: 'archived', sisIds: ['G2'] } },
        // A teacher without links: neither.
        { id: 'acct-teacher', staff: { status: 'active', sisIds: ['T1'] } },
        // A parent who teaches, linked in D1: both roles go to D1.
        { id: 'acct-parent-teacher', guardian: { status: 'active', sisIds: ['G3'] }, staff: { status: 'active', sisIds: ['T2'] } },
        // Linked to a student of the parentless school.
        { id: 'acct-sx', guardian: { status: 'active', sisIds: [] } },
      ],
      links: [
        ['acct-both', 'S1', 'guardian-file'],
        ['acct-both', 'S9', 'manual'],
        ['acct-parent-teacher', 'S2', 'oneroster'],
        ['acct-sx', 'S7', 'guardian-file'],
        ['acct-both', 'S404', 'guardian-file'],
        ['acct-both', 'S405', 'manual'],
      ],
    });
  }

  it('places students by their school, links with their student, and roles by the districts of the linked students', async () => {
    const file = join(dir, 'roster.sqlite');
    writeSeveral(file);
    open(file);
    const db = connect(file);
    expect(normalizeStudents(readStudentsSql(db)).map((s) => [s.districtId, s.sisId, s.schoolId])).toEqual([
      ['D1', 'S1', 'SA'],
      ['D1', 'S2', 'SB'],
      ['D2', 'S9', 'SC'],
      ['SX', 'S7', 'SX'],
    ]);
    expect(normalizeLinks(readLinksSql(db))).toEqual([
      { accountId: 'acct-both', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' },
      { accountId: 'acct-both', districtId: 'D2', studentSisId: 'S9', source: 'manual' },
      { accountId: 'acct-parent-teacher', districtId: 'D1', studentSisId: 'S2', source: 'oneroster' },
      { accountId: 'acct-sx', districtId: 'SX', studentSisId: 'S7', source: 'guardian-file' },
    ]);
    const roles = Object.fromEntries(normalizeAccounts(readAccountsSql(db)).map((a) => [a.id, a.roles]));
    expect(roles).toEqual({
      'acct-both': [
        { role: 'guardian', districtId: 'D1', sisIds: ['G1', 'G1-OLD'], status: 'active' },
        { role: 'guardian', districtId: 'D2', sisIds: ['G1', 'G1-OLD'], status: 'active' },
      ],
      'acct-archived': [],
      'acct-teacher': [],
      'acct-parent-teacher': [
        { role: 'guardian', districtId: 'D1', sisIds: ['G3'], status: 'active' },
        { role: 'staff', districtId: 'D1', sisIds: ['T2'], status: 'active' },
      ],
      'acct-sx': [{ role: 'guardian', districtId: 'SX', sisIds: [], status: 'active' }],
    });
    expect(db.prepare('SELECT district_id, role, sis_id, account_id FROM role_sis_ids ORDER BY 1, 2, 3').raw(true).all()).toEqual([
      ['D1', 'guardian', 'G1', 'acct-both'],
      ['D1', 'guardian', 'G1-OLD', 'acct-both'],
      ['D1', 'guardian', 'G3', 'acct-parent-teacher'],
      ['D1', 'staff', 'T2', 'acct-parent-teacher'],
      ['D2', 'guardian', 'G1', 'acct-both'],
      ['D2', 'guardian', 'G1-OLD', 'acct-both'],
    ]);
    // Accounts (people) stay whole; runs are untouched.
    expect(readAccountsSql(db).find((a) => a.id === 'acct-teacher')).toMatchObject({ firstName: 'Pat', email: 'pat2@secret.example' });
    expect(db.prepare('SELECT run_id FROM runs').pluck(true).all()).toEqual(['run-1']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('reports what it could not place, by ids only, on the store and in the file', async () => {
    const file = join(dir, 'roster.sqlite');
    writeSeveral(file);
    const store = open(file);
    expect(store.migration?.fromVersion).toBe(1);
    const unplaced = store.migration?.unplaced ?? [];
    expect(unplaced.map(({ message: _, ...note }) => note)).toEqual([
      { kind: 'student-not-placed', toVersion: 2, studentSisId: 'S404', schoolId: 'GONE' },
      { kind: 'link-not-placed', toVersion: 2, accountId: 'acct-both', studentSisId: 'S404', source: 'guardian-file' },
      { kind: 'link-not-placed', toVersion: 2, accountId: 'acct-both', studentSisId: 'S405', source: 'manual' },
      { kind: 'role-not-placed', toVersion: 2, accountId: 'acct-archived', role: 'guardian', status: 'archived', sisIds: ['G2'] },
      { kind: 'role-not-placed', toVersion: 2, accountId: 'acct-teacher', role: 'staff', status: 'active', sisIds: ['T1'] },
    ]);
    const teacher = unplaced.find((n) => n.kind === 'role-not-placed' && n.role === 'staff');
    expect(teacher?.message).toContain('staff role of account "acct-teacher" (SIS ids: T1)');
    expect(teacher?.message).toContain('roster import');
    expect(unplaced.find((n) => n.kind === 'student-not-placed')?.message).toContain('school "GONE" is not in the roster');
    for (const note of unplaced) {
      expect(note.message).not.toMatch(/Pat|Secretname|Kid|Doe|secret\.example|\+1202/);
    }
    // Kept in the file: a later open (or another process) reads the same notes.
    await store.close();
    const again = open(file);
    expect(again.migration).toBeNull();
    expect(again.migrationNotes()).toEqual(unplaced);
  });

  it('gives every role to the one district when there is only one, linked or not (here a school without a district)', async () => {
    const file = join(dir, 'roster.sqlite');
    writeV1(file, {
      orgs: [['SX', 'school', null]],
      students: [['S7', 'SX']],
      accounts: [
        { id: 'acct-archived', guardian: { status: 'archived', sisIds: ['G2'] } },
        { id: 'acct-teacher', staff: { status: 'active', sisIds: ['T1'] } },
      ],
      links: [],
    });
    const store = open(file);
    expect(store.migration?.unplaced).toEqual([]);
    const roles = normalizeAccounts(readAccountsSql(connect(file))).flatMap((a) => a.roles.map((r) => [a.id, r.districtId, r.role, r.status]));
    expect(roles).toEqual([
      ['acct-archived', 'SX', 'guardian', 'archived'],
      ['acct-teacher', 'SX', 'staff', 'active'],
    ]);
  });

  it('leaves the file at version 1, as it was, when the migration fails, and says so', async () => {
    const file = join(dir, 'roster.sqlite');
    writeSeveral(file);
    const broken = new Database(file);
    broken.prepare("UPDATE accounts SET guardian_sis_ids = '[not json' WHERE id = 'acct-both'").run();
    broken.close();
    const error: unknown = (() => {
      try {
        createSqliteStore({ database: file });
      } catch (e) {
        return e;
      }
    })();
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain(`could not be upgraded from schema version 1 to ${SQLITE_SCHEMA_VERSION}`);
    expect((error as Error).message).toContain('Nothing was changed');
    const db = connect(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck(true).all()).toEqual([
      'accounts',
      'links',
      'locks',
      'orgs',
      'role_sis_ids',
      'runs',
      'students',
    ]);
    expect(count(db, 'SELECT count(*) FROM links')).toBe(6);
  });
});

/** A file at schema version `version`, made by the migrations of this code up to it. */
function writeAtVersion(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  for (const migration of SQLITE_MIGRATIONS.slice(0, version)) {
    if (typeof migration === 'string') db.exec(migration);
    else migration(db as SqliteDatabase);
  }
  db.pragma(`user_version = ${version}`);
  db.exec('COMMIT');
  return db;
}

describe('SQLite store: migrating a version-2 file (locks without their holding process)', () => {
  it('adds the holder columns, keeps roster, runs and locks, and never takes over a lock whose process it cannot know', async () => {
    const file = join(dir, 'roster.sqlite');
    const v2 = writeAtVersion(file, 2);
    seedSql(v2, CONFORMANCE_ROSTER);
    const leaseEnd = Date.now() + 3_600_000;
    v2.prepare('INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)').run('district:D1', 'run-v2', leaseEnd);
    v2.prepare("INSERT INTO runs VALUES ('run-1', 'district', 'D1', 'succeeded', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '{}', '{\"runId\":\"run-1\"}')").run();
    const before = { accounts: normalizeAccounts(readAccountsSql(v2)), links: normalizeLinks(readLinksSql(v2)), students: normalizeStudents(readStudentsSql(v2)) };
    v2.close();

    const store = open(file);
    expect(store.migration).toEqual({ fromVersion: 2, toVersion: SQLITE_SCHEMA_VERSION, unplaced: [] });
    const db = connect(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect({ accounts: normalizeAccounts(readAccountsSql(db)), links: normalizeLinks(readLinksSql(db)), students: normalizeStudents(readStudentsSql(db)) }).toEqual(before);
    expect(db.prepare('SELECT * FROM locks').all()).toEqual([{ key: 'district:D1', owner: 'run-v2', expires_at: leaseEnd, host: null, pid: null, pid_namespace: null }]);
    expect((await store.listRuns()).map((r) => r.runId)).toEqual(['run-1']);

    // The v2 holder's process is unknown: its lock lasts its lease.
    expect(await store.acquireLock('district:D1', { owner: 'run-v3', ttlMs: 60_000 })).toEqual({
      acquired: false,
      holder: { owner: 'run-v2', expiresAt: new Date(leaseEnd).toISOString() },
    });
    expect(await store.renewLock('district:D1', { owner: 'run-v2', ttlMs: 60_000 })).toBe(true);
    expect(db.prepare('SELECT pid FROM locks').pluck(true).get()).toBe(process.pid);
    expect((await store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS)).students).toHaveLength(3);

    // The migrated file's schema is the one a new file gets.
    const fresh = open(join(dir, 'new.sqlite'));
    expect(schemaOf(db)).toEqual(schemaOf(fresh.database as Database.Database));
  });

  it('migrates a version-1 file through every later version in one transaction', async () => {
    const file = join(dir, 'roster.sqlite');
    copyFileSync(fixture('v1-demo.sqlite'), file);
    const store = open(file);
    expect(store.migration).toMatchObject({ fromVersion: 1, toVersion: SQLITE_SCHEMA_VERSION });
    expect((connect(file).prepare('PRAGMA table_info(locks)').all() as { name: string }[]).map((c) => c.name)).toEqual(['key', 'owner', 'expires_at', 'host', 'pid', 'pid_namespace']);
    expect(await store.acquireLock('district:D100', { owner: 'run-1', ttlMs: 60_000 })).toEqual({ acquired: true });
  });
});

describe('SQLite store: migrating a version-3 file (runs without a threshold column)', () => {
  it("gives each saved run its report's threshold, so a forced run is listed as forced", async () => {
    const file = join(dir, 'roster.sqlite');
    const v3 = writeAtVersion(file, 3);
    const forced = { maxRemovalRatio: 0.1, removalRatio: 0.5, archiveRatio: 0, exceeded: true, forced: true };
    const insert = v3.prepare('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('run-forced', 'district', 'D1', 'succeeded', 0, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:01.000Z', '{}', JSON.stringify({ runId: 'run-forced', threshold: forced }));
    // A report without a threshold (hand-written, or by a host) keeps none.
    insert.run('run-bare', 'district', 'D1', 'succeeded', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '{}', '{"runId":"run-bare"}');
    v3.close();

    const store = open(file);
    expect(store.migration).toMatchObject({ fromVersion: 3, toVersion: SQLITE_SCHEMA_VERSION });
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.runId, r.threshold])).toEqual([
      ['run-forced', forced],
      ['run-bare', undefined],
    ]);
    expect('threshold' in runs[1]!).toBe(false);
  });
});

describe('SQLite store: migrating a version-4 file (reports inside the runs table)', () => {
  it("moves each run's report to run_reports: listRuns reads summaries only, getRun still returns the report", async () => {
    const file = join(dir, 'roster.sqlite');
    const v4 = writeAtVersion(file, 4);
    const report = { runId: 'run-big', status: 'succeeded', notes: 'x'.repeat(200_000) };
    v4.prepare('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      'run-big',
      'district',
      'D1',
      'succeeded',
      0,
      '2026-01-02T00:00:00.000Z',
      '2026-01-02T00:00:01.000Z',
      '{"rows":3}',
      JSON.stringify(report),
      null,
    );
    v4.close();

    const store = open(file);
    expect(store.migration).toMatchObject({ fromVersion: 4, toVersion: SQLITE_SCHEMA_VERSION });
    const db = connect(file);
    expect((db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name)).not.toContain('report');
    expect(db.prepare('SELECT run_id FROM run_reports').pluck(true).all()).toEqual(['run-big']);
    expect((await store.listRuns()).map((r) => [r.runId, r.counts])).toEqual([['run-big', { rows: 3 }]]);
    expect(await store.getRun('run-big')).toEqual(report);

    // A run saved now writes both tables, and saving it again replaces both.
    const saved = (await store.getRun('run-big'))!;
    await store.saveRun({ ...saved, runId: 'run-new', scope: { level: 'district', orgId: 'D1' }, startedAt: '2026-01-03T00:00:00.000Z', finishedAt: '2026-01-03T00:00:01.000Z', counts: saved.counts ?? {} });
    expect(db.prepare('SELECT count(*) FROM run_reports').pluck(true).get()).toBe(2);
    expect((await store.getRun('run-new'))?.runId).toBe('run-new');
  });
});
