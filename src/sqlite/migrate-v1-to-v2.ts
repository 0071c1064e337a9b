// Schema version 2: one roster, many districts. SIS ids are unique only inside a district, so
// a student is keyed by (district, SIS id), and roles and links name their district; accounts
// (people and their logins) stay platform-wide. Runs inside the transaction of
// `migrateSqliteSchema`: a failure leaves the file at version 1, untouched.
import type { RoleName, RoleStatus } from '../model/roster.js';
import { MIGRATION_NOTES_TABLE, writeMigrationNote } from './migration-notes.js';
import type { SqliteDatabase } from './sqlite-database.js';

const TO_VERSION = 2;

/**
 * Design notes (sized for millions of accounts and links across thousands of districts;
 * every read of a sync is a range of an index, never a scan of all accounts):
 * - `students` is keyed by (district, SIS id) WITHOUT ROWID: a district's students are one
 *   range of the table itself.
 * - `account_roles` holds one row per (account, district, role), its SIS ids as a JSON array;
 *   the key gives an account's roles as one range, `account_roles_by_district` a district's
 *   role holders (in account order).
 * - `role_sis_ids` indexes those ids by (district, role, SIS id) (roster import finds a
 *   district's staff member by SIS id).
 * - `links` is keyed by (account, district, student, source): an account's links in a
 *   district are one range; `links_by_student` (covering, as the key's other columns ride in
 *   every index of a WITHOUT ROWID table) gives a district's links, or a student's.
 * - `accounts` loses its role columns and is keyed by id WITHOUT ROWID: a district's accounts,
 *   read in id order, are found by one search each (not an id index, then the row), and the
 *   email and mobile indexes carry the id, so a login lookup reads nothing else. Email
 *   compares case-insensitively (COLLATE NOCASE, ASCII letters) so its index serves lookups
 *   by email.
 */
const V2_TABLES = `
CREATE TABLE students (
  district_id TEXT NOT NULL,
  sis_id TEXT NOT NULL,
  school_id TEXT NOT NULL REFERENCES orgs (id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  PRIMARY KEY (district_id, sis_id)
) WITHOUT ROWID;

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT COLLATE NOCASE,
  mobile_phone TEXT,
  home_phone TEXT,
  language TEXT,
  claimed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE account_roles (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  district_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('guardian', 'staff')),
  status TEXT NOT NULL CHECK (status IN ('active', 'archived')),
  sis_ids TEXT NOT NULL,
  PRIMARY KEY (account_id, district_id, role)
) WITHOUT ROWID;

CREATE TABLE role_sis_ids (
  district_id TEXT NOT NULL,
  role TEXT NOT NULL,
  sis_id TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (district_id, role, sis_id, account_id)
) WITHOUT ROWID;

CREATE TABLE links (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  district_id TEXT NOT NULL,
  student_sis_id TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (account_id, district_id, student_sis_id, source),
  FOREIGN KEY (district_id, student_sis_id) REFERENCES students (district_id, sis_id)
) WITHOUT ROWID;
`;

/** Made after the data is in: an index built from a full table is sorted once, not grown row by row. */
const V2_INDEXES = `
CREATE INDEX students_by_school ON students (school_id);
CREATE INDEX accounts_by_email ON accounts (email) WHERE email IS NOT NULL;
CREATE INDEX accounts_by_mobile ON accounts (mobile_phone) WHERE mobile_phone IS NOT NULL;
CREATE INDEX account_roles_by_district ON account_roles (district_id, account_id);
CREATE INDEX links_by_student ON links (district_id, student_sis_id);
`;

/**
 * Moves a version-1 roster into the version-2 tables. Where v1 had no district for a value,
 * it is derived:
 * - A student goes to the district of its school (the school's parent org, or the school
 *   itself when it has none, as `resolveScope` treats such a school). A student whose school
 *   is not in `orgs` has no district: it is dropped and noted.
 * - A link goes with its student. A link to a student that is missing (or was dropped), or
 *   from an account that is missing, is dropped and noted.
 * - Roles: when the roster has one district (one district org, or one parentless school
 *   standing as its own district), every role goes to it. With several, a role goes to each
 *   district of the students the account is linked to (one role per district, with the same
 *   SIS ids and status, since v1 could not say which ids belong where); a role whose account
 *   has no link (an archived guardian, most staff) cannot be placed: it is dropped and noted.
 * Everything set-based: a roster of 1,200,000 accounts and links in two districts migrated in
 * 45 s on a busy 2-CPU machine (the write lock is held meanwhile).
 */
export function migrateV1ToV2(db: SqliteDatabase): void {
  // Keep the v1 tables under other names while the v2 ones are filled; their indexes go
  // first, as the v2 tables reuse the names. Renaming a table also renames the references
  // to it, so the v1 foreign keys keep pointing at the v1 tables.
  db.exec(`
DROP INDEX students_by_school;
DROP INDEX accounts_by_email;
DROP INDEX accounts_by_mobile;
DROP INDEX links_by_student;
ALTER TABLE links RENAME TO v1_links;
ALTER TABLE role_sis_ids RENAME TO v1_role_sis_ids;
ALTER TABLE students RENAME TO v1_students;
ALTER TABLE accounts RENAME TO v1_accounts;
`);
  db.exec(V2_TABLES);
  db.exec(MIGRATION_NOTES_TABLE);

  // The district of every org a student may name (a school's parent, else the org itself),
  // and of every student that has one. Rows go in in key order (ORDER BY), and the joins
  // below walk tables in key order where they can: a B-tree grown in order is written once.
  db.exec(`
CREATE TEMP TABLE v2_org_district (org_id TEXT PRIMARY KEY, district_id TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO temp.v2_org_district SELECT id, coalesce(parent_id, id) FROM orgs ORDER BY id;
INSERT INTO students (district_id, sis_id, school_id, first_name, last_name)
  SELECT d.district_id, s.sis_id, s.school_id, s.first_name, s.last_name
  FROM v1_students s JOIN temp.v2_org_district d ON d.org_id = s.school_id ORDER BY d.district_id, s.sis_id;
CREATE TEMP TABLE v2_student_district (sis_id TEXT PRIMARY KEY, district_id TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO temp.v2_student_district SELECT sis_id, district_id FROM students ORDER BY sis_id;
INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed)
  SELECT id, first_name, last_name, email, mobile_phone, home_phone, language, claimed FROM v1_accounts ORDER BY id;
INSERT INTO links (account_id, district_id, student_sis_id, source)
  SELECT l.account_id, d.district_id, l.student_sis_id, l.source
  FROM v1_links l JOIN temp.v2_student_district d ON d.sis_id = l.student_sis_id JOIN accounts a ON a.id = l.account_id;
`);

  // The districts each account's roles go to: the only one, or those of its links.
  db.exec('CREATE TEMP TABLE v2_role_district (account_id TEXT NOT NULL, district_id TEXT NOT NULL, PRIMARY KEY (account_id, district_id)) WITHOUT ROWID');
  const districts = (db.prepare('SELECT DISTINCT district_id FROM temp.v2_org_district LIMIT 2').raw(true).all() as [districtId: string][]).map(([districtId]) => districtId);
  const only = districts.length === 1 ? districts[0] : undefined;
  if (only !== undefined) db.prepare('INSERT INTO temp.v2_role_district SELECT id, ? FROM accounts ORDER BY id').run(only);
  else db.exec('INSERT OR IGNORE INTO temp.v2_role_district SELECT account_id, district_id FROM links');
  // One pass over the accounts with a district: a guardian and a staff row each, kept when
  // the v1 account held that role (its status is not null).
  db.exec(`
INSERT INTO account_roles (account_id, district_id, role, status, sis_ids)
  SELECT account_id, district_id, role, status, sis_ids FROM (
    SELECT r.account_id, r.district_id, k.role,
      CASE k.role WHEN 'guardian' THEN a.guardian_status ELSE a.staff_status END AS status,
      coalesce(CASE k.role WHEN 'guardian' THEN a.guardian_sis_ids ELSE a.staff_sis_ids END, '[]') AS sis_ids
    FROM temp.v2_role_district r CROSS JOIN v1_accounts a ON a.id = r.account_id CROSS JOIN (SELECT 'guardian' AS role UNION ALL SELECT 'staff') k
  ) WHERE status IS NOT NULL;
INSERT OR IGNORE INTO role_sis_ids (district_id, role, sis_id, account_id)
  SELECT r.district_id, r.role, j.value, r.account_id FROM account_roles r, json_each(r.sis_ids) j ORDER BY 1, 2, 3, 4;
`);

  db.exec(V2_INDEXES);
  noteWhatWasNotPlaced(db, districts.length);

  db.exec(`
DROP TABLE v1_links;
DROP TABLE v1_role_sis_ids;
DROP TABLE v1_students;
DROP TABLE v1_accounts;
DROP TABLE temp.v2_org_district;
DROP TABLE temp.v2_student_district;
DROP TABLE temp.v2_role_district;
`);
}

function noteWhatWasNotPlaced(db: SqliteDatabase, districts: number): void {
  const students = db
    .prepare('SELECT s.sis_id, s.school_id FROM v1_students s WHERE NOT EXISTS (SELECT 1 FROM temp.v2_org_district d WHERE d.org_id = s.school_id) ORDER BY s.sis_id')
    .raw(true)
    .all() as [string, string][];
  for (const [studentSisId, schoolId] of students) {
    writeMigrationNote(db, {
      kind: 'student-not-placed',
      toVersion: TO_VERSION,
      studentSisId,
      schoolId,
      message: `Student "${studentSisId}" was not carried over to schema version ${TO_VERSION}: its school "${schoolId}" is not in the roster's orgs, so it has no district. Import the school (orgs.csv) and the student again.`,
    });
  }

  const links = db
    .prepare(
      `SELECT l.account_id, l.student_sis_id, l.source, EXISTS (SELECT 1 FROM accounts a WHERE a.id = l.account_id) FROM v1_links l
       WHERE NOT EXISTS (SELECT 1 FROM links n WHERE n.account_id = l.account_id AND n.student_sis_id = l.student_sis_id AND n.source = l.source)
       ORDER BY l.account_id, l.student_sis_id, l.source`,
    )
    .raw(true)
    .all() as [string, string, string, number][];
  for (const [accountId, studentSisId, source, accountExists] of links) {
    const why = accountExists === 1 ? `no student "${studentSisId}" with a district in the roster` : `no account "${accountId}" in the roster`;
    writeMigrationNote(db, {
      kind: 'link-not-placed',
      toVersion: TO_VERSION,
      accountId,
      studentSisId,
      source,
      message: `The "${source}" link of account "${accountId}" to student "${studentSisId}" was not carried over to schema version ${TO_VERSION}: ${why}. The next sync of the student's district adds it again if its file still asks for it.`,
    });
  }

  // Accounts without a district for their roles, found along both keys (few in practice).
  const unplaced = db
    .prepare(
      `SELECT a.id, a.guardian_status, coalesce(a.guardian_sis_ids, '[]'), a.staff_status, coalesce(a.staff_sis_ids, '[]')
       FROM accounts n CROSS JOIN v1_accounts a ON a.id = n.id
       WHERE NOT EXISTS (SELECT 1 FROM temp.v2_role_district r WHERE r.account_id = n.id) AND (a.guardian_status IS NOT NULL OR a.staff_status IS NOT NULL)`,
    )
    .raw(true)
    .all() as [string, RoleStatus | null, string, RoleStatus | null, string][];
  for (const [accountId, guardianStatus, guardianIds, staffStatus, staffIds] of unplaced) {
    if (guardianStatus !== null) noteRoleNotPlaced(db, accountId, 'guardian', guardianStatus, guardianIds, districts);
    if (staffStatus !== null) noteRoleNotPlaced(db, accountId, 'staff', staffStatus, staffIds, districts);
  }
}

function noteRoleNotPlaced(db: SqliteDatabase, accountId: string, role: RoleName, status: RoleStatus, json: string, districts: number): void {
  const sisIds = JSON.parse(json) as string[];
  const why =
    districts === 0
      ? 'the roster has no district or school to put it in'
      : 'the roster has several districts and the account has no link to a student that would say which district the role belongs to';
  const fix =
    role === 'staff'
      ? "Import the district's roster again (roster import): it gives the staff member a role in the district."
      : "The district's next guardian sync gives the role back if its file still lists this guardian.";
  writeMigrationNote(db, {
    kind: 'role-not-placed',
    toVersion: TO_VERSION,
    accountId,
    role,
    status,
    sisIds,
    message: `The ${status} ${role} role of account "${accountId}" (SIS ids: ${sisIds.length === 0 ? 'none' : sisIds.join(', ')}) was not carried over to schema version ${TO_VERSION}: ${why}. ${fix}`,
  });
}
