// The SQLite store as a conformance harness. Seeding and inspection use plain SQL on a
// separate better-sqlite3 connection to the same file (for `:memory:`, the store's own
// connection, the only one that can see it), never the store's methods.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Account, AccountRole, GuardianLink, RoleStatus } from '../../src/model/roster.js';
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
        return direct.prepare('SELECT account_id AS accountId, student_sis_id AS studentSisId, source FROM links').all() as GuardianLink[];
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
  const student = db.prepare('INSERT OR REPLACE INTO students (sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?)');
  const account = db.prepare(
    'INSERT OR REPLACE INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed, guardian_status, guardian_sis_ids, staff_status, staff_sis_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const sisId = db.prepare('INSERT OR IGNORE INTO role_sis_ids (role, sis_id, account_id) VALUES (?, ?, ?)');
  const link = db.prepare('INSERT OR IGNORE INTO links (account_id, student_sis_id, source) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const o of data.orgs ?? []) org.run(o.id, o.name, o.type, o.parentId);
    for (const s of data.students ?? []) student.run(s.sisId, s.schoolId, s.firstName, s.lastName);
    for (const a of data.accounts ?? []) {
      const guardian = a.roles.find((r) => r.role === 'guardian');
      const staff = a.roles.find((r) => r.role === 'staff');
      account.run(
        a.id, a.firstName, a.lastName, a.email, a.mobilePhone, a.homePhone, a.language, a.claimed ? 1 : 0,
        guardian?.status ?? null, guardian ? JSON.stringify([...guardian.sisIds].sort()) : null,
        staff?.status ?? null, staff ? JSON.stringify([...staff.sisIds].sort()) : null,
      );
      for (const r of a.roles) for (const id of r.sisIds) sisId.run(r.role, id, a.id);
    }
    for (const l of data.links ?? []) link.run(l.accountId, l.studentSisId, l.source);
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
  guardian_status: RoleStatus | null;
  guardian_sis_ids: string | null;
  staff_status: RoleStatus | null;
  staff_sis_ids: string | null;
}

export function readAccountsSql(db: Database.Database): Account[] {
  return (db.prepare('SELECT * FROM accounts').all() as AccountSqlRow[]).map((row) => {
    const roles: AccountRole[] = [];
    if (row.guardian_status !== null) roles.push({ role: 'guardian', sisIds: JSON.parse(row.guardian_sis_ids ?? '[]') as string[], status: row.guardian_status });
    if (row.staff_status !== null) roles.push({ role: 'staff', sisIds: JSON.parse(row.staff_sis_ids ?? '[]') as string[], status: row.staff_status });
    return {
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      mobilePhone: row.mobile_phone,
      homePhone: row.home_phone,
      language: row.language,
      claimed: row.claimed === 1,
      roles,
    };
  });
}
