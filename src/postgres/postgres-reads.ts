// The keyed reads of the PostgreSQL store: a district's students, links and accounts, and
// the holders of a list of logins, each one indexed statement (never a scan of all
// accounts). Shared by loadSnapshot, exportRoster and the roster import; the caller decides
// the transaction they run in. Rows come back as arrays (`rowMode: 'array'`): a district of
// a million links is read without building an object per row and column.
import type { Account, AccountRole, GuardianLink, RoleName, RoleStatus, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import type { PgQueryable } from './pg-types.js';

/** Logins per lookup statement: an indexed `= ANY($1)` probe each, in statements of a modest, fixed size. */
export const LOGIN_BATCH = 5_000;

const ACCOUNT_COLUMNS = 'a.id, a.first_name, a.last_name, a.email, a.mobile_phone, a.home_phone, a.language, a.claimed';
/** An account with one of its roles per row (LEFT JOIN: null role columns when it has none), each account's rows together. */
const ACCOUNT_ROLE_COLUMNS = `${ACCOUNT_COLUMNS}, r.district_id, r.role, r.status, r.sis_ids`;
const ACCOUNT_ROLE_ORDER = 'ORDER BY a.id, r.district_id, r.role';

/** A row of ACCOUNT_ROLE_COLUMNS. */
type AccountRoleRow = [
  id: string,
  firstName: string,
  lastName: string,
  email: string | null,
  mobilePhone: string | null,
  homePhone: string | null,
  language: string | null,
  claimed: boolean,
  districtId: string | null,
  role: RoleName | null,
  status: RoleStatus | null,
  sisIds: string[] | null,
];

/** Reads of one schema (`s` is the quoted schema name). */
export class PostgresReads {
  private readonly sql: ReturnType<typeof readStatements>;

  constructor(s: string) {
    this.sql = readStatements(s);
  }

  /** The district's students (a range of the students key). */
  async students(db: PgQueryable, districtId: string): Promise<Student[]> {
    const result = await db.query({ text: this.sql.students, values: [districtId], rowMode: 'array' });
    return (result.rows as [string, string, string, string][]).map((row) => ({ districtId, sisId: row[0], schoolId: row[1], firstName: row[2], lastName: row[3] }));
  }

  /** The district's links, grouped by account in account order (the order the planner joins them fastest in). */
  async links(db: PgQueryable, districtId: string): Promise<GuardianLink[]> {
    const result = await db.query({ text: this.sql.links, values: [districtId], rowMode: 'array' });
    return (result.rows as [string, string, string][]).map((row) => ({ accountId: row[0], districtId, studentSisId: row[1], source: row[2] }));
  }

  /** Every account holding a role in the district or a link to one of its students, each once, with all its roles (every district). */
  async districtAccounts(db: PgQueryable, districtId: string): Promise<Account[]> {
    const result = await db.query({ text: this.sql.districtAccounts, values: [districtId], rowMode: 'array' });
    return groupAccountRows(result.rows as AccountRoleRow[]);
  }

  /** The accounts with these ids, with all their roles. */
  async accountsByIds(db: PgQueryable, ids: readonly string[]): Promise<Account[]> {
    if (ids.length === 0) return [];
    const result = await db.query({ text: this.sql.accountsByIds, values: [ids], rowMode: 'array' });
    return groupAccountRows(result.rows as AccountRoleRow[]);
  }

  /**
   * The accounts, not among `loaded`, whose email (compared as `lower(email)`) or mobile is
   * one of `logins`, with all their roles, a batch of logins per statement. A login one of
   * `loaded` holds is not looked up: one login is one account (the unique indexes), and for a
   * district syncing its own file that is nearly every login. `beforeBatch` runs before each
   * statement (the caller's abort check).
   */
  async loginHolders(db: PgQueryable, logins: SnapshotLogins, loaded: readonly Account[], beforeBatch: () => void): Promise<Account[]> {
    const loadedIds = new Set<string>();
    const held = new Set<string>();
    for (const account of loaded) {
      loadedIds.add(account.id);
      const email = emailKey(account.email);
      if (email !== null) held.add(email);
      const mobile = mobileKey(account.mobilePhone);
      if (mobile !== null) held.add(mobile);
    }
    // Emails (with an "@") and E.164 mobiles (without) never collide: one set serves both.
    const emails = [...new Set(logins.emails)].filter((e) => !held.has(e));
    const mobiles = [...new Set(logins.mobiles)].filter((m) => !held.has(m));
    const found = new Map<string, Account>();
    for (let start = 0; start < emails.length || start < mobiles.length; start += LOGIN_BATCH) {
      beforeBatch();
      const result = await db.query({
        text: this.sql.loginHolders,
        values: [emails.slice(start, start + LOGIN_BATCH), mobiles.slice(start, start + LOGIN_BATCH)],
        rowMode: 'array',
      });
      for (const account of groupAccountRows(result.rows as AccountRoleRow[])) if (!loadedIds.has(account.id)) found.set(account.id, account);
    }
    return [...found.values()];
  }

  /** Accounts whose email is `email` case-insensitively (`lower(email)`), with all their roles. */
  async accountsByEmails(db: PgQueryable, emails: readonly string[]): Promise<Account[]> {
    if (emails.length === 0) return [];
    const result = await db.query({ text: this.sql.loginHolders, values: [emails, []], rowMode: 'array' });
    return groupAccountRows(result.rows as AccountRoleRow[]);
  }

  /** Accounts whose mobile is one of `mobiles`, with all their roles. */
  async accountsByMobiles(db: PgQueryable, mobiles: readonly string[]): Promise<Account[]> {
    if (mobiles.length === 0) return [];
    const result = await db.query({ text: this.sql.loginHolders, values: [[], mobiles], rowMode: 'array' });
    return groupAccountRows(result.rows as AccountRoleRow[]);
  }

  /** Accounts whose role `role` in `districtId` holds one of `sisIds` (through `role_sis_ids`), with all their roles. */
  async accountsByRoleSisIds(db: PgQueryable, districtId: string, role: RoleName, sisIds: readonly string[]): Promise<Account[]> {
    if (sisIds.length === 0) return [];
    const result = await db.query({ text: this.sql.accountsByRoleSisIds, values: [districtId, role, sisIds], rowMode: 'array' });
    return groupAccountRows(result.rows as AccountRoleRow[]);
  }
}

function readStatements(s: string) {
  const withRoles = (members: string): string =>
    `SELECT ${ACCOUNT_ROLE_COLUMNS} FROM (${members}) m JOIN ${s}.accounts a ON a.id = m.id LEFT JOIN ${s}.account_roles r ON r.account_id = a.id ${ACCOUNT_ROLE_ORDER}`;
  return {
    students: `SELECT sis_id, school_id, first_name, last_name FROM ${s}.students WHERE district_id = $1`,
    links: `SELECT account_id, student_sis_id, source FROM ${s}.links WHERE district_id = $1 ORDER BY account_id`,
    // Role holders along account_roles_by_district, linked accounts along links_by_student.
    districtAccounts: withRoles(`SELECT account_id AS id FROM ${s}.account_roles WHERE district_id = $1 UNION SELECT account_id FROM ${s}.links WHERE district_id = $1`),
    accountsByIds: withRoles(`SELECT DISTINCT id FROM unnest($1::text[]) AS u (id)`),
    // `email IS NOT NULL` lets the planner use the partial unique index on lower(email).
    loginHolders: withRoles(
      `SELECT id FROM ${s}.accounts WHERE lower(email) = ANY ($1::text[]) AND email IS NOT NULL ` +
        `UNION SELECT id FROM ${s}.accounts WHERE mobile_phone = ANY ($2::text[]) AND mobile_phone IS NOT NULL`,
    ),
    accountsByRoleSisIds: withRoles(`SELECT DISTINCT account_id AS id FROM ${s}.role_sis_ids WHERE district_id = $1 AND role = $2 AND sis_id = ANY ($3::text[])`),
  };
}

/** Accounts from rows where each account's rows are consecutive (one per role, or one with null role columns when it has none). */
export function groupAccountRows(rows: readonly AccountRoleRow[]): Account[] {
  const accounts: Account[] = [];
  let lastId: string | undefined;
  let roles: AccountRole[] = [];
  for (const row of rows) {
    if (row[0] !== lastId) {
      lastId = row[0];
      roles = [];
      accounts.push({
        id: row[0],
        firstName: row[1],
        lastName: row[2],
        email: row[3],
        mobilePhone: row[4],
        homePhone: row[5],
        language: row[6],
        claimed: row[7],
        roles,
      });
    }
    if (row[8] !== null && row[9] !== null && row[10] !== null) roles.push({ role: row[9], districtId: row[8], sisIds: row[11] ?? [], status: row[10] });
  }
  return accounts;
}
