// A frozen copy of the SQLite store's snapshot reads as they were before issue 16's second
// round (src/sqlite/sqlite-store.ts `loadSnapshot` at 7edbad3, with `groupAccountRows` of
// src/stores/account-rows.ts): every statement read row by row through `.iterate()`, every
// string as SQLite returned it. bench/sqlite-snapshot-ab.ts runs it against the store's
// current reads in one process. Do not "fix" it: it is the baseline.
import type { Account, AccountRole, GuardianLink, ResolvedScope, RosterSnapshot, SnapshotLogins, Student } from '../../src/model/roster.js';
import { compareText } from '../../src/model/compare-text.js';
import { emailKey } from '../../src/resolve/contact-key.js';
import type { SqliteDatabase, SqliteStatement } from '../../src/sqlite/sqlite-database.js';

const LOGIN_BATCH = 500;
const COLUMNS = 'a.id, a.first_name, a.last_name, a.email, a.mobile_phone, a.home_phone, a.language, a.claimed, r.district_id, r.role, r.status, r.sis_ids';

type Row = readonly [string, string, string, string | null, string | null, string | null, string | null, number, string | null, AccountRole['role'] | null, AccountRole['status'] | null, string | null];

function groupAccountRows(rows: Iterable<Row>): Account[] {
  const accounts: Account[] = [];
  let lastId: string | undefined;
  let roles: AccountRole[] = [];
  for (const row of rows) {
    const [id, firstName, lastName, email, mobilePhone, homePhone, language, claimed, districtId, role, status, sisIds] = row;
    if (id !== lastId) {
      lastId = id;
      roles = [];
      accounts.push({ id, firstName, lastName, email, mobilePhone, homePhone, language, claimed: claimed === 1, roles });
    }
    if (districtId !== null && role !== null && status !== null) roles.push({ role, districtId, sisIds: sisIds === null ? [] : (JSON.parse(sisIds) as string[]), status });
  }
  return accounts;
}

export class SnapshotReadsBefore {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    const raw = (sql: string): SqliteStatement => db.prepare(sql).raw(true);
    const batch = Array.from({ length: LOGIN_BATCH }, () => '?').join(', ');
    this.sql = {
      studentsOfDistrict: raw('SELECT sis_id, school_id, first_name, last_name FROM students WHERE district_id = ?'),
      linksOfDistrict: raw('SELECT account_id, student_sis_id, source FROM links WHERE district_id = ?'),
      holdersWithAllRoles: raw(
        `SELECT ${COLUMNS} FROM (SELECT DISTINCT account_id FROM account_roles WHERE district_id = ?) h ` +
          'CROSS JOIN accounts a ON a.id = h.account_id JOIN account_roles r ON r.account_id = h.account_id',
      ),
      accountIdsByEmails: raw(`SELECT id FROM accounts WHERE email IN (${batch})`),
      accountIdsByMobiles: raw(`SELECT id FROM accounts WHERE mobile_phone IN (${batch})`),
      accountWithRoles: raw(`SELECT ${COLUMNS} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.id = ?`),
    };
  }

  /** loadSnapshot's body (one DEFERRED transaction). */
  load(scope: ResolvedScope, logins: SnapshotLogins): RosterSnapshot {
    const { districtId } = scope;
    this.db.exec('BEGIN DEFERRED');
    try {
      const students: Student[] = [];
      for (const [sisId, schoolId, firstName, lastName] of this.sql.studentsOfDistrict.iterate(districtId) as Iterable<[string, string, string, string]>) {
        students.push({ districtId, sisId, schoolId, firstName, lastName });
      }
      const links: GuardianLink[] = [];
      for (const [accountId, studentSisId, source] of this.sql.linksOfDistrict.iterate(districtId) as Iterable<[string, string, string]>) {
        links.push({ accountId, districtId, studentSisId, source });
      }
      const accounts = groupAccountRows(this.sql.holdersWithAllRoles.iterate(districtId) as Iterable<Row>);
      const ids = new Set<string>();
      for (const account of accounts) ids.add(account.id);
      const linkedOnly: string[] = [];
      for (const link of links) {
        if (ids.has(link.accountId)) continue;
        ids.add(link.accountId);
        linkedOnly.push(link.accountId);
      }
      for (const id of linkedOnly.sort(compareText)) {
        const account = this.readAccount(id);
        if (account !== undefined) accounts.push(account);
      }
      const held = new Set<string>();
      for (const account of accounts) {
        const email = emailKey(account.email);
        if (email !== null) held.add(email);
        if (account.mobilePhone !== null) held.add(account.mobilePhone);
      }
      const found = new Set<string>();
      this.lookUpLogins(this.sql.accountIdsByEmails, logins.emails, held, ids, found);
      this.lookUpLogins(this.sql.accountIdsByMobiles, logins.mobiles, held, ids, found);
      for (const id of [...found].sort(compareText)) {
        const account = this.readAccount(id);
        if (account !== undefined) accounts.push(account);
      }
      this.db.exec('COMMIT');
      return { scope, students, accounts, links };
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private lookUpLogins(statement: SqliteStatement, logins: readonly string[], held: ReadonlySet<string>, loaded: ReadonlySet<string>, found: Set<string>): void {
    const batch = new Array<string | null>(LOGIN_BATCH).fill(null);
    let size = 0;
    const flush = (): void => {
      for (const [accountId] of statement.iterate(...batch) as Iterable<[string]>) if (!loaded.has(accountId)) found.add(accountId);
      batch.fill(null);
      size = 0;
    };
    for (const login of logins) {
      if (held.has(login)) continue;
      batch[size++] = login;
      if (size === LOGIN_BATCH) flush();
    }
    if (size > 0) flush();
  }

  private readAccount(accountId: string): Account | undefined {
    return groupAccountRows(this.sql.accountWithRoles.iterate(accountId) as Iterable<Row>)[0];
  }
}
