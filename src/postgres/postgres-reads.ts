// The keyed reads of the PostgreSQL store: a district's students, links and accounts, and
// the holders of a list of logins, each one indexed statement (never a scan of all
// accounts). Shared by loadSnapshot, exportRoster and the roster import; the caller decides
// the transaction they run in. Rows come back as arrays (`rowMode: 'array'`): a district of
// a million links is read without building an object per row and column.
import type { Account, GuardianLink, RoleName, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { ACCOUNT_ROLE_COLUMNS_SQL, groupAccountRows as groupAccountColumns, type AccountRoleColumns } from '../stores/account-rows.js';
import type { PgQueryable } from './pg-types.js';

/** Logins per lookup statement: an indexed `= ANY($1)` probe each, in statements of a modest, fixed size. */
export const LOGIN_BATCH = 5_000;

/** An account with one of its roles per row (LEFT JOIN: null role columns when it has none), each account's rows together. */
const ACCOUNT_ROLE_COLUMNS = ACCOUNT_ROLE_COLUMNS_SQL;
const ACCOUNT_ROLE_ORDER = 'ORDER BY a.id, r.district_id, r.role';

/** A row of ACCOUNT_ROLE_COLUMNS: SIS ids come back as an array. */
type AccountRoleRow = AccountRoleColumns<string[]>;
// Rows of the other statements (`readStatements`), column by column in SELECT order.
/** `students`. */
type StudentRow = readonly [sisId: string, schoolId: string, firstName: string, lastName: string];
/** `links`. */
type LinkRow = readonly [accountId: string, studentSisId: string, source: string];
/** `districtLinkedWithoutRole`. */
type AccountIdRow = readonly [accountId: string];

/** Reads of one schema (`s` is the quoted schema name). */
export class PostgresReads {
  private readonly sql: ReturnType<typeof readStatements>;

  constructor(s: string) {
    this.sql = readStatements(s);
  }

  /** The district's students (a range of the students key). */
  async students(db: PgQueryable, districtId: string): Promise<Student[]> {
    const result = await db.query({ text: this.sql.students, values: [districtId], rowMode: 'array' });
    return (result.rows as StudentRow[]).map(([sisId, schoolId, firstName, lastName]) => ({ districtId, sisId, schoolId, firstName, lastName }));
  }

  /** The district's links, grouped by account in account order (the order the planner joins them fastest in). */
  async links(db: PgQueryable, districtId: string): Promise<GuardianLink[]> {
    const result = await db.query({ text: this.sql.links, values: [districtId], rowMode: 'array' });
    return (result.rows as LinkRow[]).map(([accountId, studentSisId, source]) => ({ accountId, districtId, studentSisId, source }));
  }

  /**
   * Every account holding a role in the district or a link to one of its students, each
   * once, with all its roles (every district): the role holders in account order, then the
   * accounts linked to the district's students without a role in it (rare: links a host
   * made itself), in account order. Its statements must see one moment: run it inside a
   * REPEATABLE READ transaction, as loadSnapshot and exportRoster do.
   *
   * Three statements, not one: the role holders with their roles; the ids of the linked
   * accounts without a role; those accounts (only when there are any). The planner
   * estimates the role holders from the statistics of `account_roles`, about right; it
   * cannot estimate how few linked accounts hold no role (it takes them for most of the
   * links). Read as one set, `roles UNION links`, the set looked as big as the two inputs
   * together, and once the district was a third of the platform the planner merged every
   * account with every role before it looked at the district. Measured at 1M rows (a
   * district of 640k accounts in a schema of 1.9M; bench/postgres-snapshot-sql.ts, server
   * time; in brackets, the schema holding the district alone): 7.5 s (2.9 s) that way,
   * 3.8 s (2.7 s) with the two sets in one statement, 3.2 + 0.6 s (2.2 + 0.5 s) this way.
   * Tried and dropped: the role holders' accounts and their roles as two semi-joins joined
   * here (2.3 + 1.3 s of server time, but 1.6–3.8 s more of this process's CPU: slower in all;
   * bench/postgres-snapshot-ab.ts).
   */
  async districtAccounts(db: PgQueryable, districtId: string): Promise<Account[]> {
    const holders = await db.query({ text: this.sql.districtRoleHolders, values: [districtId], rowMode: 'array' });
    const accounts = groupAccountRows(holders.rows as AccountRoleRow[]);
    const linkedOnly = await db.query({ text: this.sql.districtLinkedWithoutRole, values: [districtId], rowMode: 'array' });
    if (linkedOnly.rows.length === 0) return accounts;
    return [...accounts, ...(await this.accountsByIds(db, (linkedOnly.rows as AccountIdRow[]).map(([accountId]) => accountId)))];
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
    // Along account_roles_by_district, in account order there: grouped without a hash.
    districtRoleHolders: withRoles(`SELECT account_id AS id FROM ${s}.account_roles WHERE district_id = $1 GROUP BY account_id`),
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

/** Accounts from rows where each account's rows are consecutive (one per role, or one with null role columns when it has none). */
function groupAccountRows(rows: readonly AccountRoleRow[]): Account[] {
  return groupAccountColumns(rows, (sisIds) => sisIds);
}
