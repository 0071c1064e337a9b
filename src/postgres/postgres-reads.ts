// The keyed reads of the PostgreSQL store: a district's students, links and accounts, and
// the holders of a list of logins, each one indexed statement (never a scan of all
// accounts). Shared by loadSnapshot, exportRoster and the roster import; the caller decides
// the transaction they run in. Rows come back as arrays (`rowMode: 'array'`): a district of
// a million links is read without building an object per row and column.
import type { Account, AccountRole, GuardianLink, RoleName, RoleStatus, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { compareText } from '../stores/account-roles.js';
import { ACCOUNT_COLUMNS_SQL, ACCOUNT_ROLE_COLUMNS_SQL, accountFromColumns, groupAccountRows as groupAccountColumns, type AccountColumns, type AccountRoleColumns } from '../stores/account-rows.js';
import type { PgQueryable } from './pg-types.js';

/** Logins per lookup statement: an indexed `= ANY($1)` probe each, in statements of a modest, fixed size. */
export const LOGIN_BATCH = 5_000;

const ACCOUNT_COLUMNS = ACCOUNT_COLUMNS_SQL;
/** An account with one of its roles per row (LEFT JOIN: null role columns when it has none), each account's rows together. */
const ACCOUNT_ROLE_COLUMNS = ACCOUNT_ROLE_COLUMNS_SQL;
const ACCOUNT_ROLE_ORDER = 'ORDER BY a.id, r.district_id, r.role';

/** A row of ACCOUNT_ROLE_COLUMNS: SIS ids come back as an array. */
type AccountRoleRow = AccountRoleColumns<string[]>;

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

  /**
   * Every account holding a role in the district or a link to one of its students, each
   * once, with all its roles (every district): the role holders in account order, then the
   * accounts linked to the district's students without a role in it (rare: links a host
   * made itself), in account order. Its statements must see one moment: run it inside a
   * REPEATABLE READ transaction, as loadSnapshot and exportRoster do.
   *
   * Three statements for the role holders and one for the linked accounts without a role
   * (the accounts themselves are read only when there are any):
   * - the role holders' accounts, in account order, and their roles, each a semi-join of a
   *   table with the district's role holders (a range of account_roles_by_district), joined
   *   here by account id. Both stream their rows as the server finds them, so the server and
   *   this process work at the same time; one statement joining accounts with roles needs
   *   a sort (or, for a district that is a third of the platform, parallel hash joins of
   *   every account and every role) before its first row;
   * - the linked accounts without a role, by id. The planner cannot tell how few they are
   *   (it takes them for most of the links): in one statement with the role holders, as
   *   `roles UNION links`, the set looked as big as the two inputs together, and once the
   *   district was a third of the platform the planner merged every account with every
   *   role before it looked at the district.
   * Measured (bench/postgres-snapshot-sql.ts, server time, 1M rows: a district of 640k
   * accounts in a schema of 1.9M; in brackets, the schema holding the district alone):
   * 7.5 s (2.9 s) as `roles UNION links`; 2.6 s (2.2 s) for the role holders as one
   * statement, on three processes, not streamed; 2.3 + 1.3 s (1.0 + 0.7 s) this way; the
   * linked accounts without a role 0.6 s (0.5 s).
   */
  async districtAccounts(db: PgQueryable, districtId: string): Promise<Account[]> {
    const accounts = await db.query({ text: this.sql.districtRoleHolders, values: [districtId], rowMode: 'array' });
    const roles = await db.query({ text: this.sql.districtRoleHolderRoles, values: [districtId], rowMode: 'array' });
    const holders = accountsWithRoles(accounts.rows as AccountRow[], roles.rows as RoleRow[]);
    const linkedOnly = await db.query({ text: this.sql.districtLinkedWithoutRole, values: [districtId], rowMode: 'array' });
    if (linkedOnly.rows.length === 0) return holders;
    return [...holders, ...(await this.accountsByIds(db, (linkedOnly.rows as [string][]).map((row) => row[0])))];
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
    // The district's role holders are a range of account_roles_by_district, in account order.
    districtRoleHolders:
      `SELECT ${ACCOUNT_COLUMNS} FROM ${s}.accounts a WHERE a.id IN (SELECT account_id FROM ${s}.account_roles WHERE district_id = $1) ORDER BY a.id`,
    districtRoleHolderRoles:
      `SELECT r.account_id, r.district_id, r.role, r.status, r.sis_ids FROM ${s}.account_roles r ` +
      `WHERE r.account_id IN (SELECT account_id FROM ${s}.account_roles WHERE district_id = $1)`,
    // The district's links (along links_by_student) whose account holds no role in it, checked
    // against the district's roles (along account_roles_by_district).
    districtLinkedWithoutRole:
      `SELECT DISTINCT l.account_id FROM ${s}.links l WHERE l.district_id = $1 ` +
      `AND NOT EXISTS (SELECT 1 FROM ${s}.account_roles x WHERE x.district_id = $1 AND x.account_id = l.account_id) ORDER BY 1`,
    accountsByIds: withRoles(`SELECT DISTINCT id FROM unnest($1::text[]) AS u (id)`),
    // `email IS NOT NULL` lets the planner use the partial unique index on lower(email).
    loginHolders: withRoles(
      `SELECT id FROM ${s}.accounts WHERE lower(email) = ANY ($1::text[]) AND email IS NOT NULL ` +
        `UNION SELECT id FROM ${s}.accounts WHERE mobile_phone = ANY ($2::text[]) AND mobile_phone IS NOT NULL`,
    ),
    accountsByRoleSisIds: withRoles(`SELECT DISTINCT account_id AS id FROM ${s}.role_sis_ids WHERE district_id = $1 AND role = $2 AND sis_id = ANY ($3::text[])`),
  };
}

/** A row of ACCOUNT_COLUMNS. */
type AccountRow = AccountColumns;
/** A role with its account id, in any order. */
type RoleRow = [accountId: string, districtId: string, role: RoleName, status: RoleStatus, sisIds: string[]];

/**
 * Accounts (in the order of `accounts`) with their roles from `roles` (rows in any order,
 * each account's put in district and role order, as the other reads give them).
 */
function accountsWithRoles(accounts: readonly AccountRow[], roles: readonly RoleRow[]): Account[] {
  const out: Account[] = [];
  const rolesOf = new Map<string, AccountRole[]>();
  for (const row of accounts) {
    const accountRoles: AccountRole[] = [];
    rolesOf.set(row[0], accountRoles);
    out.push({ ...accountFromColumns(row), roles: accountRoles });
  }
  let unordered = false;
  for (const row of roles) {
    const accountRoles = rolesOf.get(row[0]);
    if (accountRoles === undefined) continue;
    if (accountRoles.length > 0) unordered = true;
    accountRoles.push({ role: row[2], districtId: row[1], sisIds: row[4] ?? [], status: row[3] });
  }
  if (unordered) {
    for (const accountRoles of rolesOf.values()) {
      if (accountRoles.length > 1) accountRoles.sort((x, y) => compareText(x.districtId, y.districtId) || compareText(x.role, y.role));
    }
  }
  return out;
}

/** Accounts from rows where each account's rows are consecutive (one per role, or one with null role columns when it has none). */
function groupAccountRows(rows: readonly AccountRoleRow[]): Account[] {
  return groupAccountColumns(rows, (sisIds) => sisIds);
}
