// The SQLite store as a conformance harness. Seeding and inspection use plain SQL on a
// separate better-sqlite3 connection to the same file (for `:memory:`, the store's own
// connection, the only one that can see it), never the store's methods.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Account, AccountRole, GuardianLink, RoleName, RoleStatus, Student } from '../../src/model/roster.js';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from '../../src/sqlite/index.js';
import type { RosterStoreHarness, RosterStoreSeed } from '../../src/testing/roster-store-harness.js';

export interface SqliteHarness extends RosterStoreHarness {
  readonly store: SqliteStore;
  /** The file, or null for `:memory:`. */
  readonly file: string | null;
  /** A connection that is not the store's (the store's own for `:memory:`). */
  readonly direct: Database.Database;
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'guardian-sync-sqlite-'));
}

export function createSqliteHarness(
  options: { readonly mode: 'file' | 'memory'; readonly realClock?: boolean } & Omit<SqliteStoreOptions, 'database' | 'now'>,
): SqliteHarness {
  const { mode, realClock = false, ...storeOptions } = options;
  let clock = Date.UTC(2026, 2, 1);
  const dir = mode === 'file' ? makeTempDir() : null;
  const file = dir === null ? null : join(dir, 'roster.sqlite');
  const store = createSqliteStore({ ...storeOptions, database: file ?? ':memory:', ...(realClock ? {} : { now: () => clock }) });
  const direct = file === null ? (store.database as Database.Database) : new Database(file);
  const harness: SqliteHarness = {
    store,
    file,
    direct,
    async seed(data) {
      seedSql(direct, data);
    },
    inspect: {
      async accounts() {
        return readAccountsSql(direct);
      },
      async links() {
        return readLinksSql(direct);
      },
      async students() {
        return readStudentsSql(direct);
      },
    },
    async cleanup() {
      await store.close();
      if (file !== null) direct.close();
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    },
  };
  return realClock ? harness : { ...harness, advanceClock: (ms: number) => void (clock += ms) };
}

export function seedSql(db: Database.Database, data: RosterStoreSeed): void {
  const org = db.prepare('INSERT OR REPLACE INTO orgs (id, name, type, parent_id) VALUES (?, ?, ?, ?)');
  const student = db.prepare('INSERT OR REPLACE INTO students (district_id, sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?, ?)');
  const account = db.prepare('INSERT OR REPLACE INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const role = db.prepare('INSERT OR REPLACE INTO account_roles (account_id, district_id, role, status, sis_ids) VALUES (?, ?, ?, ?, ?)');
  const sisId = db.prepare('INSERT OR IGNORE INTO role_sis_ids (district_id, role, sis_id, account_id) VALUES (?, ?, ?, ?)');
  const link = db.prepare('INSERT OR IGNORE INTO links (account_id, district_id, student_sis_id, source) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const o of data.orgs ?? []) org.run(o.id, o.name, o.type, o.parentId);
    for (const s of data.students ?? []) student.run(s.districtId, s.sisId, s.schoolId, s.firstName, s.lastName);
    for (const a of data.accounts ?? []) {
      account.run(a.id, a.firstName, a.lastName, a.email, a.mobilePhone, a.homePhone, a.language, a.claimed ? 1 : 0);
      for (const r of a.roles) {
        role.run(a.id, r.districtId, r.role, r.status, JSON.stringify([...new Set(r.sisIds)].sort()));
        for (const id of r.sisIds) sisId.run(r.districtId, r.role, id, a.id);
      }
    }
    for (const l of data.links ?? []) link.run(l.accountId, l.districtId, l.studentSisId, l.source);
  })();
}

interface AccountSqlRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  mobile_phone: string | null;
  home_phone: string | null;
  language: string | null;
  claimed: number;
}

interface RoleSqlRow {
  account_id: string;
  district_id: string;
  role: RoleName;
  status: RoleStatus;
  sis_ids: string;
}

/** Every account with all its roles, read with plain SQL. */
export function readAccountsSql(db: Database.Database): Account[] {
  const roles = new Map<string, AccountRole[]>();
  for (const row of db.prepare('SELECT * FROM account_roles').all() as RoleSqlRow[]) {
    const list = roles.get(row.account_id) ?? [];
    list.push({ role: row.role, districtId: row.district_id, sisIds: JSON.parse(row.sis_ids) as string[], status: row.status });
    roles.set(row.account_id, list);
  }
  return (db.prepare('SELECT * FROM accounts').all() as AccountSqlRow[]).map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    mobilePhone: row.mobile_phone,
    homePhone: row.home_phone,
    language: row.language,
    claimed: row.claimed === 1,
    roles: roles.get(row.id) ?? [],
  }));
}

export function readLinksSql(db: Database.Database): GuardianLink[] {
  return db.prepare('SELECT account_id AS accountId, district_id AS districtId, student_sis_id AS studentSisId, source FROM links').all() as GuardianLink[];
}

export function readStudentsSql(db: Database.Database): Student[] {
  return db.prepare('SELECT district_id AS districtId, sis_id AS sisId, school_id AS schoolId, first_name AS firstName, last_name AS lastName FROM students').all() as Student[];
}
