// The SQLite store's district reads (src/sqlite/sqlite-snapshot-reads.ts) against plain
// versions of themselves: every fast path they take (pages of rows, interned strings, the
// one-id parse of a role's SIS ids, the forward walk to a link's student, the grouping of
// account rows with interning) gives the value the plain version gives, in the same order, on
// generated rosters whose ids sort differently as UTF-16 and as UTF-8 bytes, for pages as
// small as one row.
import { fc, test } from '@fast-check/vitest';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { compareText } from '../../src/model/compare-text.js';
import type { Account, AccountRole, GuardianLink, RoleName, RoleStatus, SnapshotLogins, Student } from '../../src/model/roster.js';
import { emailKey } from '../../src/resolve/contact-key.js';
import { parseSisIds, parseSisIdsPlainly } from '../../src/sqlite/sis-ids-text.js';
import type { SqliteDatabase, SqliteStatement } from '../../src/sqlite/sqlite-database.js';
import { createSqliteStore } from '../../src/sqlite/index.js';
import { SNAPSHOT_PAGE_SIZE, SortedStudentIds, SqliteSnapshotReads, type DistrictRoles } from '../../src/sqlite/sqlite-snapshot-reads.js';
import { groupAccountRows, type AccountRoleColumns } from '../../src/stores/account-rows.js';
import { StringPool } from '../../src/model/string-pool.js';
import type { RosterStoreSeed } from '../../src/testing/roster-store-harness.js';
import { seedSql } from './sqlite-harness.js';

const opened: { close(): unknown }[] = [];
afterEach(() => {
  for (const db of opened.splice(0).reverse()) db.close();
});

/** A new roster database (the store's schema) and its connection. */
function newDatabase(): Database.Database {
  const store = createSqliteStore({ database: ':memory:' });
  const db = store.database as Database.Database;
  opened.push(db);
  return db;
}

// Pieces of ids: letters that sort differently by case, a quote and a backslash (escaped in
// JSON), U+FFFD and U+1D49C (one sorts first as UTF-16, the other as UTF-8 bytes, SQLite's
// order), and digits.
const ID_PIECES = ['a', 'B', 'b', 'é', '"', '\\', '\uFFFD', '\u{1D49C}', '0', '9'] as const;
const idArb = fc.string({ unit: fc.constantFrom(...ID_PIECES), minLength: 1, maxLength: 3 });
const DISTRICTS = ['D1', 'D2'] as const;
const SCHOOLS: Readonly<Record<string, readonly string[]>> = { D1: ['SA', 'SB'], D2: ['SC'] };
const SOURCES = ['guardian-file', 'manual', 'oneroster'] as const;
const NAMES = ['Ana', 'José', 'Zoë', 'Li'] as const;
const EMAILS = [null, 'ana@x.org', 'Ana.B@X.org', 'zoë@x.org', ' li@x.org'] as const;
const MOBILES = [null, '+12025550101', '+12025550102', '+12025550103'] as const;

const sisIdsArb = fc.uniqueArray(fc.oneof(idArb, fc.string({ maxLength: 16 })), { maxLength: 3 });

const roleArb: fc.Arbitrary<AccountRole> = fc.record({
  role: fc.constantFrom<RoleName>('guardian', 'staff'),
  districtId: fc.constantFrom(...DISTRICTS),
  sisIds: sisIdsArb,
  status: fc.constantFrom<RoleStatus>('active', 'archived'),
});

const accountArb = (id: string): fc.Arbitrary<Account> =>
  fc
    .record({
      firstName: fc.constantFrom(...NAMES),
      lastName: fc.constantFrom(...NAMES),
      email: fc.constantFrom(...EMAILS),
      mobilePhone: fc.constantFrom(...MOBILES),
      homePhone: fc.constantFrom(...MOBILES),
      language: fc.constantFrom(null, 'es', 'zh-Hant'),
      claimed: fc.boolean(),
      roles: fc.uniqueArray(roleArb, { maxLength: 4, selector: (r) => `${r.districtId}/${r.role}` }),
    })
    .map((fields) => ({ id, ...fields }));

/** A roster of two districts (ids of awkward characters), and rows written with foreign keys off: roles and links of accounts or students that do not exist. */
const rosterArb = fc
  .record({
    studentKeys: fc.uniqueArray(fc.tuple(fc.constantFrom(...DISTRICTS), idArb), { maxLength: 12, selector: ([d, s]) => `${d}/${s}` }),
    accountIds: fc.uniqueArray(idArb, { maxLength: 10 }),
    orphanIds: fc.uniqueArray(idArb.map((id) => `orphan-${id}`), { maxLength: 2 }),
  })
  .chain(({ studentKeys, accountIds, orphanIds }) =>
    fc.record({
      students: fc.tuple(
        ...studentKeys.map(([districtId, sisId]) =>
          fc.record({ districtId: fc.constant(districtId), sisId: fc.constant(sisId), schoolId: fc.constantFrom(...SCHOOLS[districtId]!), firstName: fc.constantFrom(...NAMES), lastName: fc.constantFrom(...NAMES) }),
        ),
      ),
      accounts: fc.tuple(...accountIds.map(accountArb)),
      links:
        studentKeys.length === 0 || accountIds.length === 0
          ? fc.constant<{ accountId: string; student: [string, string]; source: string }[]>([])
          : fc.uniqueArray(
              fc.record({
                accountId: fc.constantFrom(...accountIds),
                student: fc.constantFrom(...studentKeys),
                source: fc.constantFrom(...SOURCES),
              }),
              { maxLength: 16, selector: (l) => `${l.accountId}/${l.student[0]}/${l.student[1]}/${l.source}` },
            ),
      orphanRoles: fc.constant(orphanIds),
      orphanLinks: fc.uniqueArray(fc.tuple(fc.constantFrom(...orphanIds, ...accountIds, 'nobody'), fc.constantFrom(...DISTRICTS), idArb.map((id) => `gone-${id}`)), { maxLength: 2 }),
    }),
  )
  .map(({ students, accounts, links, orphanRoles, orphanLinks }) => ({
    seed: {
      students,
      accounts,
      links: links.map((l): GuardianLink => ({ accountId: l.accountId, districtId: l.student[0], studentSisId: l.student[1], source: l.source })),
    } satisfies RosterStoreSeed,
    orphanRoles,
    orphanLinks,
  }));

type Roster = typeof rosterArb extends fc.Arbitrary<infer T> ? T : never;

function seed(db: Database.Database, roster: Roster): void {
  seedSql(db, {
    orgs: [
      { id: 'D1', name: 'D1', type: 'district', parentId: null },
      { id: 'SA', name: 'SA', type: 'school', parentId: 'D1' },
      { id: 'SB', name: 'SB', type: 'school', parentId: 'D1' },
      { id: 'D2', name: 'D2', type: 'district', parentId: null },
      { id: 'SC', name: 'SC', type: 'school', parentId: 'D2' },
    ],
    ...roster.seed,
  });
  if (roster.orphanRoles.length === 0 && roster.orphanLinks.length === 0) return;
  db.pragma('foreign_keys = OFF');
  for (const id of roster.orphanRoles) {
    db.prepare("INSERT INTO account_roles (account_id, district_id, role, status, sis_ids) VALUES (?, 'D1', 'guardian', 'active', '[]')").run(id);
  }
  for (const [accountId, districtId, sisId] of roster.orphanLinks) {
    db.prepare("INSERT OR IGNORE INTO links (account_id, district_id, student_sis_id, source) VALUES (?, ?, ?, 'guardian-file')").run(accountId, districtId, sisId);
  }
  db.pragma('foreign_keys = ON');
}

// The plain reads: one statement each, every row at once, JSON.parse, no interning, the order
// of each array spelled out by ORDER BY.
type Row = AccountRoleColumns<string>;
const COLUMNS = 'a.id, a.first_name, a.last_name, a.email, a.mobile_phone, a.home_phone, a.language, a.claimed, r.district_id, r.role, r.status, r.sis_ids';

function plainAccount(db: Database.Database, id: string, districtOnly: string | null): Account | undefined {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM accounts a LEFT JOIN account_roles r ON r.account_id = a.id${districtOnly === null ? '' : ' AND r.district_id = ?'} WHERE a.id = ? ORDER BY r.district_id, r.role`)
    .raw(true)
    .all(...(districtOnly === null ? [id] : [districtOnly, id])) as Row[];
  const first = rows[0];
  if (first === undefined) return undefined;
  const [, firstName, lastName, email, mobilePhone, homePhone, language, claimed] = first;
  const roles = rows.flatMap(([, , , , , , , , districtId, role, status, sisIds]) =>
    districtId === null || role === null || status === null ? [] : [{ role, districtId, sisIds: sisIds === null ? [] : (JSON.parse(sisIds) as string[]), status }],
  );
  return { id, firstName, lastName, email, mobilePhone, homePhone, language, claimed: claimed === 1, roles };
}

function plainDistrict(db: Database.Database, districtId: string, roles: DistrictRoles) {
  const students = (db.prepare('SELECT sis_id, school_id, first_name, last_name FROM students WHERE district_id = ? ORDER BY sis_id').raw(true).all(districtId) as string[][]).map(
    ([sisId, schoolId, firstName, lastName]): Student => ({ districtId, sisId: sisId!, schoolId: schoolId!, firstName: firstName!, lastName: lastName! }),
  );
  const links = (
    db.prepare('SELECT account_id, student_sis_id, source FROM links WHERE district_id = ? ORDER BY student_sis_id, account_id, source').raw(true).all(districtId) as string[][]
  ).map(([accountId, studentSisId, source]): GuardianLink => ({ accountId: accountId!, districtId, studentSisId: studentSisId!, source: source! }));
  const holderIds = (db.prepare('SELECT DISTINCT account_id FROM account_roles WHERE district_id = ? ORDER BY account_id').raw(true).all(districtId) as string[][]).map(([id]) => id!);
  const districtOnly = roles === 'all' ? null : districtId;
  // A role of an account that does not exist (written with foreign keys off) reads as nothing.
  const accounts = holderIds.flatMap((id) => plainAccount(db, id, districtOnly) ?? []);
  const loaded = new Set(accounts.map((a) => a.id));
  const linkedOnly = [...new Set(links.map((l) => l.accountId))].filter((id) => !loaded.has(id)).sort(compareText);
  for (const id of linkedOnly) loaded.add(id);
  accounts.push(...linkedOnly.flatMap((id) => plainAccount(db, id, districtOnly) ?? []));
  return { students, accounts, links, loaded };
}

/** A login a loaded account holds (an email as emailKey folds it, a mobile as stored) is not looked up; the others are, one statement each. */
function plainLoginHolders(db: Database.Database, accounts: readonly Account[], loaded: ReadonlySet<string>, logins: SnapshotLogins): Account[] {
  const held = new Set([...accounts.map((a) => emailKey(a.email)), ...accounts.map((a) => a.mobilePhone)]);
  const found = new Set<string>();
  for (const email of logins.emails.filter((e) => !held.has(e))) {
    for (const [id] of db.prepare('SELECT id FROM accounts WHERE email = ?').raw(true).all(email) as string[][]) found.add(id!);
  }
  for (const mobile of logins.mobiles.filter((m) => !held.has(m))) {
    for (const [id] of db.prepare('SELECT id FROM accounts WHERE mobile_phone = ?').raw(true).all(mobile) as string[][]) found.add(id!);
  }
  return [...found]
    .filter((id) => !loaded.has(id))
    .sort(compareText)
    .flatMap((id) => plainAccount(db, id, null) ?? []);
}

const loginsArb: fc.Arbitrary<SnapshotLogins> = fc.record({
  emails: fc.array(fc.constantFrom(...EMAILS.flatMap((e) => (e === null ? ['nobody@x.org'] : [emailKey(e)!, e]))), { maxLength: 6 }),
  mobiles: fc.array(fc.constantFrom('+12025550101', '+12025550102', '+12025550103', '+12025550199'), { maxLength: 4 }),
});

describe('SQLite snapshot reads: equal to the plain reads', () => {
  test.prop([rosterArb, fc.constantFrom(...DISTRICTS), fc.constantFrom<DistrictRoles>('all', 'district'), fc.integer({ min: 1, max: 4 }), loginsArb], { numRuns: 300 })(
    'a district, in pages of 1 to 4 rows, and the holders of any logins',
    (roster, districtId, roles, pageSize, logins) => {
      const db = newDatabase();
      seed(db, roster);
      const plain = plainDistrict(db, districtId, roles);
      for (const reads of [new SqliteSnapshotReads(db, pageSize), new SqliteSnapshotReads(db)]) {
        const read = reads.district(districtId, roles);
        expect(read.students).toStrictEqual(plain.students);
        expect(read.links).toStrictEqual(plain.links);
        expect(read.accounts).toStrictEqual(plain.accounts);
        expect(new Set(read.loaded.keys())).toStrictEqual(plain.loaded);
        for (const [key, value] of read.loaded) expect(value).toBe(key);
        expect(reads.loginHolders(read.accounts, read.loaded, logins)).toStrictEqual(plainLoginHolders(db, read.accounts, plain.loaded, logins));
      }
    },
  );

  it('reads a district of more rows than a page holds in full', () => {
    const db = newDatabase();
    const count = SNAPSHOT_PAGE_SIZE * 2 + 3;
    const students = Array.from({ length: count }, (_, i): Student => ({ districtId: 'D1', sisId: `S${i}`, schoolId: 'SA', firstName: 'Ana', lastName: 'Li' }));
    const accounts = Array.from({ length: count }, (_, i): Account => ({
      id: `A${i}`,
      firstName: 'Ana',
      lastName: 'Li',
      email: `a${i}@x.org`,
      mobilePhone: null,
      homePhone: null,
      language: 'es',
      claimed: false,
      roles: i % 3 === 0 ? [] : [{ role: 'guardian', districtId: 'D1', sisIds: [`G${i}`], status: 'active' }, ...(i % 5 === 0 ? [{ role: 'staff' as const, districtId: 'D2', sisIds: [], status: 'active' as const }] : [])],
    }));
    const links = accounts.map((a, i): GuardianLink => ({ accountId: a.id, districtId: 'D1', studentSisId: `S${(i * 7) % count}`, source: 'guardian-file' }));
    seedSql(db, { orgs: [{ id: 'D1', name: 'D1', type: 'district', parentId: null }, { id: 'SA', name: 'SA', type: 'school', parentId: 'D1' }], students, accounts, links });
    const plain = plainDistrict(db, 'D1', 'all');
    const read = new SqliteSnapshotReads(db).district('D1', 'all');
    expect(read.students).toStrictEqual(plain.students);
    expect(read.links).toStrictEqual(plain.links);
    expect(read.accounts).toStrictEqual(plain.accounts);
    expect(read.accounts).toHaveLength(count);
  });

  it('reads by index only, first pages and the pages after: no scan of a table, no sort', () => {
    const db = newDatabase();
    const ran = new Set<string>();
    const recording: SqliteDatabase = {
      prepare: (sql) => {
        const statement = db.prepare(sql);
        const wrapped: SqliteStatement = {
          run: (...params) => (ran.add(sql), statement.run(...params)),
          get: (...params) => (ran.add(sql), statement.get(...params)),
          all: (...params) => (ran.add(sql), statement.all(...params)),
          iterate: (...params) => (ran.add(sql), statement.iterate(...params)),
          raw: (toggle) => (statement.raw(toggle), wrapped),
        };
        return wrapped;
      },
      exec: (sql) => db.exec(sql),
      pragma: (source, options) => db.pragma(source, options),
      close: () => db.close(),
    };
    const accounts = ['a', 'b', 'c'].map((id): Account => ({ id, firstName: 'A', lastName: 'B', email: `${id}@x.org`, mobilePhone: null, homePhone: null, language: null, claimed: false, roles: [{ role: 'guardian', districtId: 'D1', sisIds: [id], status: 'active' }] }));
    seedSql(db, {
      orgs: [{ id: 'D1', name: 'D1', type: 'district', parentId: null }, { id: 'SA', name: 'SA', type: 'school', parentId: 'D1' }],
      students: ['s1', 's2', 's3'].map((sisId) => ({ districtId: 'D1', sisId, schoolId: 'SA', firstName: 'C', lastName: 'D' })),
      accounts: [...accounts, { ...accounts[0]!, id: 'lone', email: 'lone@x.org', roles: [] }],
      links: [...accounts, { id: 'lone' }].map((a, i) => ({ accountId: a.id, districtId: 'D1', studentSisId: `s${(i % 3) + 1}`, source: 'guardian-file' })),
    });
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO account_roles VALUES ('orphan', 'D1', 'guardian', 'active', '[]')").run();
    const reads = new SqliteSnapshotReads(recording, 1);
    for (const roles of ['all', 'district'] as const) {
      const read = reads.district('D1', roles);
      reads.loginHolders(read.accounts, read.loaded, { emails: ['lone@x.org', 'nobody@x.org'], mobiles: ['+12025550199'] });
    }
    // The pages after the first: students, links, holders (both views) and a holders page's count.
    expect([...ran].filter((sql) => /\bAND (account_id|sis_id|\(student_sis_id)/.test(sql))).toHaveLength(5);
    for (const sql of ran) {
      const params = (sql.match(/\?/g) ?? []).map(() => null);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      expect(plan.filter((step) => (step.startsWith('SCAN') && step !== 'SCAN h') || step.includes('TEMP B-TREE')), `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
  });
});

describe('the fast paths under the reads', () => {
  // What the store writes (JSON.stringify of an array of strings), over any UTF-16 text:
  // quotes, backslashes, control characters, lone surrogates, ids of 0 to 20 characters.
  const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 });
  const sisIdText = fc.oneof(anyText, fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\u0000', '\u001f', ' ', '\uD800', 'é'), maxLength: 14 }));

  test.prop([fc.array(sisIdText, { maxLength: 3 })], { numRuns: 2000 })('parseSisIds equals JSON.parse for every array of strings the store writes', (ids) => {
    const text = JSON.stringify(ids);
    expect(parseSisIds(text)).toStrictEqual(parseSisIdsPlainly(text));
    expect(parseSisIds(text)).toStrictEqual(ids);
  });

  test.prop([sisIdText], { numRuns: 2000 })('parseSisIds equals JSON.parse (or throws as it does) for any text between `["` and `"]`', (inner) => {
    const text = `["${inner}"]`;
    let plain: unknown;
    try {
      plain = parseSisIdsPlainly(text);
    } catch {
      expect(() => parseSisIds(text)).toThrow(SyntaxError);
      return;
    }
    expect(parseSisIds(text)).toStrictEqual(plain);
  });

  test.prop([fc.array(fc.string({ maxLength: 3 }), { maxLength: 40 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 5 }), fc.option(fc.nat(4), { nil: undefined })])(
    'a StringPool returns the value it is given, full or not',
    (values, seed, limit) => {
      const pool = new StringPool({ seed, limit });
      expect(values.map((v) => pool.intern(v))).toStrictEqual(values);
      expect(pool.internNullable(null)).toBeNull();
    },
  );

  test.prop([fc.uniqueArray(idArb, { maxLength: 12 }), fc.array(idArb, { maxLength: 20 }), fc.boolean()])(
    'SortedStudentIds returns the value it is given, for links in or out of the students order, of students present or not',
    (ids, asked, sortLinks) => {
      const students = [...ids].sort(compareText).map((sisId) => ({ sisId }));
      const walk = new SortedStudentIds(students);
      const values = sortLinks ? [...asked].sort(compareText) : asked;
      expect(values.map((v) => walk.intern(v))).toStrictEqual(values);
    },
  );

  const rowArb: fc.Arbitrary<Row> = fc.tuple(
    fc.constantFrom('a', 'b', 'c'),
    fc.constantFrom(...NAMES),
    fc.constantFrom(...NAMES),
    fc.constantFrom(...EMAILS),
    fc.constantFrom(...MOBILES),
    fc.constantFrom(...MOBILES),
    fc.constantFrom(null, 'es', 'fr'),
    fc.constantFrom(0, 1),
    fc.constantFrom(null, 'D1', 'D2'),
    fc.constantFrom<RoleName | null>(null, 'guardian', 'staff'),
    fc.constantFrom<RoleStatus | null>(null, 'active', 'archived'),
    fc.constantFrom(null, '[]', '["G1"]', '["G1","G2"]'),
  );

  test.prop([fc.array(rowArb, { maxLength: 12 }), fc.boolean()])('groupAccountRows with interned strings, into an array, equals it without', (unordered, names) => {
    // Each account's rows together, as the statements return them.
    const rows = [...unordered].sort((x, y) => compareText(x[0], y[0]));
    const plain = groupAccountRows(rows, parseSisIdsPlainly);
    const into: Account[] = [];
    const strings = { districts: new StringPool({ seed: ['D1'] }), languages: new StringPool(), ...(names ? { names: new StringPool() } : {}) };
    expect(groupAccountRows(rows, parseSisIds, { into, strings })).toBe(into);
    expect(into).toStrictEqual(plain);
    expect(plain.map((a) => a.id)).toStrictEqual([...new Set(rows.map((r) => r[0]))]);
  });
});
