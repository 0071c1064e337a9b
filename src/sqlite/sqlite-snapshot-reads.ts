// The SQLite store's reads of one district, for `loadSnapshot` and `exportRoster`: its
// students, its role holders with their roles, its links, the accounts linked to it without a
// role there, and the holders of a request's logins. The caller runs them in one transaction.
//
// Rows come in pages of `.all()`, keyset-paginated along the index each statement already
// read in (so every array keeps the order it had), and the strings that repeat are held once.
// Measured on the 1M-row district (640k accounts, 1M links, 600k students; CPU time, one
// process, bench/sqlite-snapshot-ab.ts against the reads before, which went row by row
// through `.iterate()` and kept every string SQLite returned):
// - Pages of 1,024 rows: the links read in 0.87–0.90 s, against 1.13–1.47 s through
//   `.iterate()` and 2.4 s through one `.all()` (a million rows alive at once, promoted and
//   marked by the garbage collector); pages of 8,192 were no faster than 1,024.
// - Interning (src/model/string-pool.ts): a link's account id is its account's `id`, its
//   student SIS id the student's `sisId`, its district the scope's, its source one string per
//   source; a role's district, name and status, an account's language, a student's school,
//   and names (first and last, of accounts and students). With the roles arrays made at their
//   length (src/stores/account-rows.ts), the snapshot retains 386 MiB instead of 682 MiB; the
//   names alone are 59 MiB of it and cost no measurable CPU time (their copies die young).
import { compareText } from '../model/compare-text.js';
import type { Account, GuardianLink, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey } from '../resolve/contact-key.js';
import { ACCOUNT_ROLE_COLUMNS_SQL, groupAccountRows, type AccountRoleColumns, type AccountRowStrings } from '../stores/account-rows.js';
import { StringPool } from '../model/string-pool.js';
import { parseSisIds } from './sis-ids-text.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

/**
 * Rows per statement of a district's students and links; accounts per statement of its role
 * holders. Big enough that a statement's start is noise (a B-tree search per page), small
 * enough that a page of rows is a few MiB.
 */
export const SNAPSHOT_PAGE_SIZE = 1024;

/**
 * Logins looked up per statement: SQLite accepts 32,766 parameters, but a fixed, modest batch
 * keeps one prepared statement for every request (a short batch is padded with NULL, which
 * matches nothing).
 */
const LOGIN_BATCH = 500;

/** A row of ACCOUNT_ROLE_COLUMNS_SQL: SIS ids come back as JSON text. */
type AccountRoleRow = AccountRoleColumns<string>;
// Rows of the statements below, column by column in SELECT order.
type StudentRow = readonly [sisId: string, schoolId: string, firstName: string, lastName: string];
type LinkRow = readonly [accountId: string, studentSisId: string, source: string];
type IdRow = readonly [id: string];
type HolderPageRow = readonly [count: number, last: string | null];

/** Which roles come with a district's accounts: all of them (the snapshot), or the district's (the export). */
export type DistrictRoles = 'all' | 'district';

/** A district as one read sees it. */
export interface DistrictRead {
  /** In SIS id order. */
  readonly students: Student[];
  /** The role holders in id order, then the accounts linked to the district's students without a role there, in id order. */
  readonly accounts: Account[];
  /** In the order of `links_by_student`: student, account, source. */
  readonly links: GuardianLink[];
  /** The ids of `accounts` (and of any linked account not found), each mapped to itself: the strings the links hold. */
  readonly loaded: ReadonlyMap<string, string>;
}

/** The strings a district's read interns. */
interface ReadStrings {
  readonly accounts: AccountRowStrings;
  readonly schools: StringPool;
  readonly sources: StringPool;
}

export class SqliteSnapshotReads {
  private readonly sql: ReturnType<typeof prepareReads>;

  /** @param pageSize rows (accounts, for role holders) per statement; tests make it small to cross many page boundaries. */
  constructor(
    db: SqliteDatabase,
    private readonly pageSize: number = SNAPSHOT_PAGE_SIZE,
  ) {
    this.sql = prepareReads(db);
  }

  /**
   * The district's students, accounts and links. With `roles: 'all'`, each account comes with
   * its roles in every district (a role elsewhere is how the planner knows an account is
   * shared); with `'district'`, with this district's only (the export's view).
   */
  district(districtId: string, roles: DistrictRoles): DistrictRead {
    const names = new StringPool();
    const strings: ReadStrings = {
      accounts: { districts: new StringPool({ seed: [districtId] }), languages: new StringPool(), names },
      schools: new StringPool(),
      sources: new StringPool(),
    };
    const students = this.students(districtId, strings);
    const accounts = this.roleHolders(districtId, roles, strings.accounts);
    const loaded = new Map<string, string>();
    for (const account of accounts) loaded.set(account.id, account.id);
    const linkedOnly: string[] = [];
    const links = this.links(districtId, students, loaded, linkedOnly, strings.sources);
    // Few (a manual invite, a staff member's link): one statement each.
    for (const id of linkedOnly.sort(compareText)) {
      const account = roles === 'all' ? this.account(id, strings.accounts) : this.accountInDistrict(districtId, id, strings.accounts);
      if (account !== undefined) accounts.push(account);
    }
    return { students, accounts, links, loaded };
  }

  /**
   * The accounts, not among `loaded`, holding one of the request's logins, with all their
   * roles, in id order. A login is held by one account at most (the planner never gives a
   * held login to another account, nor does the roster import), so a login that one of
   * `accounts` holds is not looked up: for a district syncing its own file that is nearly
   * every login, and each lookup is a B-tree search (a 1,000,000-row file carries up to
   * 2,000,000 logins; looking all of them up took 3.4 s at 1M, the set 1.2 s).
   *
   * Tried and dropped, at 1M: sets of the request's logins, from which each account's logins
   * are deleted (the request's strings already carry their hashes), instead of a set of the
   * accounts' logins: 1.7–2.1 s against 1.2–1.5 s; one set of emails and one of mobiles: no
   * difference.
   */
  loginHolders(accounts: readonly Account[], loaded: ReadonlyMap<string, string>, logins: SnapshotLogins): Account[] {
    // Emails (with an "@") and E.164 mobiles (no "@") never collide: one set serves both.
    const held = new Set<string>();
    for (const account of accounts) {
      const email = emailKey(account.email);
      if (email !== null) held.add(email);
      if (account.mobilePhone !== null) held.add(account.mobilePhone);
    }
    const found = new Set<string>();
    this.lookUpLogins(this.sql.accountIdsByEmails, logins.emails, held, loaded, found);
    this.lookUpLogins(this.sql.accountIdsByMobiles, logins.mobiles, held, loaded, found);
    const holders: Account[] = [];
    for (const id of [...found].sort(compareText)) {
      const account = this.account(id);
      if (account !== undefined) holders.push(account);
    }
    return holders;
  }

  /** The account with all its roles, or undefined. */
  account(accountId: string, strings?: AccountRowStrings): Account | undefined {
    return groupAccountRows(this.sql.accountWithRoles.all(accountId) as AccountRoleRow[], parseSisIds, { strings })[0];
  }

  /** The account with its roles in `districtId` only, or undefined. */
  private accountInDistrict(districtId: string, accountId: string, strings: AccountRowStrings): Account | undefined {
    return groupAccountRows(this.sql.accountWithDistrictRoles.all(districtId, accountId) as AccountRoleRow[], parseSisIds, { strings })[0];
  }

  /** The district's students, a page at a time along the students key (district, SIS id). */
  private students(districtId: string, strings: ReadStrings): Student[] {
    const { sql, pageSize } = this;
    const names = strings.accounts.names;
    const students: Student[] = [];
    let rows = sql.studentsFirst.all(districtId, pageSize) as StudentRow[];
    for (;;) {
      for (let i = 0; i < rows.length; i++) {
        const [sisId, schoolId, firstName, lastName] = rows[i]!;
        students.push({
          districtId,
          sisId,
          schoolId: strings.schools.intern(schoolId),
          firstName: names === undefined ? firstName : names.intern(firstName),
          lastName: names === undefined ? lastName : names.intern(lastName),
        });
      }
      if (rows.length < pageSize) return students;
      const after = rows[rows.length - 1]![0];
      rows = sql.studentsAfter.all(districtId, after, pageSize) as StudentRow[];
      assertAdvanced(rows.length > 0 && rows[rows.length - 1]![0] === after, 'students');
    }
  }

  /**
   * The district's role holders with their roles, in id order, a page of accounts at a time
   * along `account_roles_by_district` (the page limits the accounts, not the rows, so an
   * account's roles are never split between pages).
   */
  private roleHolders(districtId: string, roles: DistrictRoles, strings: AccountRowStrings): Account[] {
    const { sql, pageSize } = this;
    const accounts: Account[] = [];
    let after: string | undefined;
    for (;;) {
      const before = accounts.length;
      const rows = (
        roles === 'all'
          ? after === undefined
            ? sql.holdersFirst.all(districtId, pageSize)
            : sql.holdersAfter.all(districtId, after, pageSize)
          : after === undefined
            ? sql.districtHoldersFirst.all(districtId, pageSize, districtId)
            : sql.districtHoldersAfter.all(districtId, after, pageSize, districtId)
      ) as AccountRoleRow[];
      groupAccountRows(rows, parseSisIds, { into: accounts, strings });
      if (accounts.length - before === pageSize) {
        after = accounts[accounts.length - 1]!.id;
        continue;
      }
      // Fewer accounts than the page asked for: the last page, unless some role holders of
      // the page have no `accounts` row (written with foreign keys off; skipped, as the join
      // always did). The page's own count and last id say which, and where the next begins.
      const [count, last] = (after === undefined ? sql.holderPageFirst.get(districtId, pageSize) : sql.holderPageAfter.get(districtId, after, pageSize)) as HolderPageRow;
      if (count < pageSize || last === null) return accounts;
      after = last;
    }
  }

  /**
   * The district's links, a page at a time along `links_by_student` (district, student,
   * account, source). Each link holds its account's id string (from `loaded`; an account not
   * in it is added to `loaded` and to `linkedOnly`), its student's SIS id string, the
   * district id and a pooled source.
   */
  private links(districtId: string, students: readonly Student[], loaded: Map<string, string>, linkedOnly: string[], sources: StringPool): GuardianLink[] {
    const { sql, pageSize } = this;
    const studentIds = new SortedStudentIds(students);
    const links: GuardianLink[] = [];
    let rows = sql.linksFirst.all(districtId, pageSize) as LinkRow[];
    for (;;) {
      for (let i = 0; i < rows.length; i++) {
        const [accountId, studentSisId, source] = rows[i]!;
        let id = loaded.get(accountId);
        if (id === undefined) {
          id = accountId;
          loaded.set(id, id);
          linkedOnly.push(id);
        }
        links.push({ accountId: id, districtId, studentSisId: studentIds.intern(studentSisId), source: sources.intern(source) });
      }
      if (rows.length < pageSize) return links;
      const last = rows[rows.length - 1]!;
      const [accountId, studentSisId, source] = last;
      rows = sql.linksAfter.all(districtId, studentSisId, accountId, source, pageSize) as LinkRow[];
      const end = rows[rows.length - 1];
      assertAdvanced(end !== undefined && end[0] === accountId && end[1] === studentSisId && end[2] === source, 'links');
    }
  }

  /** Adds to `found` the accounts (not `loaded`) holding one of `logins` but those `held`, a batch of logins per statement. */
  private lookUpLogins(statement: SqliteStatement, logins: readonly string[], held: ReadonlySet<string>, loaded: ReadonlyMap<string, string>, found: Set<string>): void {
    const batch = new Array<string | null>(LOGIN_BATCH).fill(null);
    let size = 0;
    const flush = (): void => {
      for (const [accountId] of statement.all(...batch) as IdRow[]) if (!loaded.has(accountId)) found.add(accountId);
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
}

/**
 * A page that ends where the one before it ended would be read again and again, growing the
 * snapshot until memory runs out: a statement whose ORDER BY and keyset disagree (a schema
 * or query change) fails here instead, at once.
 */
function assertAdvanced(repeated: boolean, what: string): void {
  if (repeated) throw new Error(`guardian-sync bug: reading the ${what} of a district did not advance past a page; please report it`);
}

/**
 * The students' SIS id strings, for the links to hold. Links come in student order, the order
 * `students` are in (both along an index of (district, SIS id), compared as bytes), so the
 * student of a link is found by walking forward from the last one: a string comparison or
 * two per link, where a map of 600k ids cost a hash of every link's id and the map itself.
 * A link whose student is not found ahead (not in the list: a link written with foreign keys
 * off) switches to a map of every id, so no input makes the walk quadratic.
 */
export class SortedStudentIds {
  private next = 0;
  private lastValue: string | undefined;
  private lastId: string | undefined;
  private byId: Map<string, string> | undefined;

  constructor(private readonly students: readonly Pick<Student, 'sisId'>[]) {}

  /** The student's `sisId` string equal to `value`, or `value` when no student has it. */
  intern(value: string): string {
    if (value === this.lastValue) return this.lastId!;
    this.lastValue = value;
    this.lastId = this.find(value);
    return this.lastId;
  }

  private find(value: string): string {
    if (this.byId !== undefined) return this.byId.get(value) ?? value;
    const { students } = this;
    for (let i = this.next; i < students.length; i++) {
      const sisId = students[i]!.sisId;
      if (sisId === value) {
        this.next = i + 1;
        return sisId;
      }
    }
    this.byId = new Map(students.map((s) => [s.sisId, s.sisId]));
    return this.byId.get(value) ?? value;
  }
}

function prepareReads(db: SqliteDatabase) {
  const raw = (sql: string): SqliteStatement => db.prepare(sql).raw(true);
  const batch = Array.from({ length: LOGIN_BATCH }, () => '?').join(', ');
  // The district's role holders along the role index (DISTINCT: an account holding two roles
  // there comes once), a page of them, each joined with its account and roles: accounts in id
  // order, each one's roles together, in key order (district, role).
  const holderIds = (after: boolean): string =>
    `SELECT DISTINCT account_id FROM account_roles WHERE district_id = ?${after ? ' AND account_id > ?' : ''} ORDER BY account_id LIMIT ?`;
  const holders = (after: boolean, districtRolesOnly: boolean): string =>
    `SELECT ${ACCOUNT_ROLE_COLUMNS_SQL} FROM (${holderIds(after)}) h CROSS JOIN accounts a ON a.id = h.account_id ` +
    `JOIN account_roles r ON r.account_id = h.account_id${districtRolesOnly ? ' AND r.district_id = ?' : ''}`;
  return {
    // Along the students key (district, SIS id).
    studentsFirst: raw('SELECT sis_id, school_id, first_name, last_name FROM students WHERE district_id = ? ORDER BY sis_id LIMIT ?'),
    studentsAfter: raw('SELECT sis_id, school_id, first_name, last_name FROM students WHERE district_id = ? AND sis_id > ? ORDER BY sis_id LIMIT ?'),
    // Along links_by_student, covering: (district, student) and the key's other columns (account, source).
    linksFirst: raw('SELECT account_id, student_sis_id, source FROM links WHERE district_id = ? ORDER BY student_sis_id, account_id, source LIMIT ?'),
    linksAfter: raw(
      'SELECT account_id, student_sis_id, source FROM links WHERE district_id = ? AND (student_sis_id, account_id, source) > (?, ?, ?) ' +
        'ORDER BY student_sis_id, account_id, source LIMIT ?',
    ),
    holdersFirst: raw(holders(false, false)),
    holdersAfter: raw(holders(true, false)),
    districtHoldersFirst: raw(holders(false, true)),
    districtHoldersAfter: raw(holders(true, true)),
    holderPageFirst: raw(`SELECT count(*), max(account_id) FROM (${holderIds(false)}) h`),
    holderPageAfter: raw(`SELECT count(*), max(account_id) FROM (${holderIds(true)}) h`),
    accountIdsByEmails: raw(`SELECT id FROM accounts WHERE email IN (${batch})`),
    accountIdsByMobiles: raw(`SELECT id FROM accounts WHERE mobile_phone IN (${batch})`),
    accountWithRoles: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS_SQL} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id WHERE a.id = ?`),
    accountWithDistrictRoles: raw(`SELECT ${ACCOUNT_ROLE_COLUMNS_SQL} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id AND r.district_id = ? WHERE a.id = ?`),
  };
}
