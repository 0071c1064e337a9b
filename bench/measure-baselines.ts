// The baselines the pipeline is compared with: (a) csv-parse alone, (g) the product's parse
// stage, and (e) a plain better-sqlite3 insert of the accounts and links the day-1 file
// should produce.
import { readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { readRoster, readTruth, type DatasetPaths } from './dataset.js';
import { resultOf, timed, type MeasurementResult } from './measurement.js';

/** (a) csv-parse parsing the next-day file's bytes to arrays of strings, nothing else. */
export async function measureParseBaseline(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const bytes = readFileSync(paths.day2);
  const run = await timed(() => {
    // relax_column_count: the file has a few rows with a wrong field count, as real files do.
    const records = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
    return records.length - 1;
  });
  return resultOf('a', size, run.value, run, { records: run.value, bytes: bytes.byteLength });
}

/**
 * (g) The product's own parse stage: `readGuardianInput` of the next-day file's bytes, i.e.
 * detect and decode, csv-parse with line numbers, header mapping, validation and
 * normalization (NFC names, folded emails, E.164 phones, BCP 47 languages) into GuardianRows.
 * What "parsing the file" costs a sync, beside (a), which only tokenizes it.
 */
export async function measureParseStage(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const bytes = readFileSync(paths.day2);
  const run = await timed(() => readGuardianInput(bytes, { format: 'guardians', fileName: 'guardians.csv' }));
  return resultOf('g', size, run.value.rows.length, run, { rows: run.value.rows.length, issues: run.value.issues.length, bytes: bytes.byteLength });
}

/**
 * The tables the day-1 data lands in, with the same keys and indexes as the SQLite store's
 * schema (version 2, src/sqlite/migrate-v1-to-v2.ts): students keyed by (district, SIS id),
 * accounts WITHOUT ROWID and without role columns, one `account_roles` row per (account, district, role) with
 * its SIS ids as a JSON array, `role_sis_ids` for lookups by SIS id, `links` keyed WITHOUT
 * ROWID by (account, district, student, source) plus its by-student index, foreign keys on
 * (as the store runs). Nothing else: no orgs, locks or run history.
 */
const MINIMAL_SCHEMA = `
CREATE TABLE students (
  district_id TEXT NOT NULL, sis_id TEXT NOT NULL, school_id TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
  PRIMARY KEY (district_id, sis_id)
) WITHOUT ROWID;
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
  email TEXT COLLATE NOCASE, mobile_phone TEXT, home_phone TEXT, language TEXT, claimed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX accounts_by_email ON accounts (email) WHERE email IS NOT NULL;
CREATE INDEX accounts_by_mobile ON accounts (mobile_phone) WHERE mobile_phone IS NOT NULL;
CREATE TABLE account_roles (
  account_id TEXT NOT NULL REFERENCES accounts (id), district_id TEXT NOT NULL, role TEXT NOT NULL, status TEXT NOT NULL, sis_ids TEXT NOT NULL,
  PRIMARY KEY (account_id, district_id, role)
) WITHOUT ROWID;
CREATE INDEX account_roles_by_district ON account_roles (district_id, account_id);
CREATE TABLE role_sis_ids (
  district_id TEXT NOT NULL, role TEXT NOT NULL, sis_id TEXT NOT NULL, account_id TEXT NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (district_id, role, sis_id, account_id)
) WITHOUT ROWID;
CREATE TABLE links (
  account_id TEXT NOT NULL REFERENCES accounts (id), district_id TEXT NOT NULL, student_sis_id TEXT NOT NULL, source TEXT NOT NULL,
  PRIMARY KEY (account_id, district_id, student_sis_id, source),
  FOREIGN KEY (district_id, student_sis_id) REFERENCES students (district_id, sis_id)
) WITHOUT ROWID;
CREATE INDEX links_by_student ON links (district_id, student_sis_id);
`;

/** (e) Plain prepared-statement inserts of the day-1 guardians' accounts, roles and links, in one transaction. */
export async function measurePlainSqliteInsert(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const truth = readTruth(paths);
  const file = join(paths.dir, 'plain-insert.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = new Database(file);
  // The connection settings the SQLite store uses on a file it opens (src/sqlite/sqlite-store.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = ${-128 * 1024}`);
  db.exec(MINIMAL_SCHEMA);

  // Set-up (not timed): the roster the day-1 file is applied to: students and staff accounts.
  const districtId = roster.districtId;
  const insertStudent = db.prepare('INSERT INTO students (district_id, sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?, ?)');
  const insertAccount = db.prepare('INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertRole = db.prepare("INSERT INTO account_roles (account_id, district_id, role, status, sis_ids) VALUES (?, ?, ?, 'active', ?)");
  const insertSisId = db.prepare('INSERT INTO role_sis_ids (district_id, role, sis_id, account_id) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const s of roster.students) insertStudent.run(s.districtId, s.sisId, s.schoolId, s.firstName, s.lastName);
    for (const t of roster.staff) {
      const id = `staff-${t.sisId}`;
      insertAccount.run(id, t.firstName, t.lastName, t.email, t.mobilePhone, t.homePhone, null);
      insertRole.run(id, t.districtId, 'staff', JSON.stringify([t.sisId]));
      insertSisId.run(t.districtId, 'staff', t.sisId, id);
    }
  })();
  const insertLink = db.prepare('INSERT INTO links (account_id, district_id, student_sis_id, source) VALUES (?, ?, ?, ?)');
  const accountIdOf = new Map<string, string>();
  for (const g of truth.guardians) accountIdOf.set(g.key, g.staffSisId !== null ? `staff-${g.staffSisId}` : randomUUID());

  const run = await timed(() => {
    let accounts = 0;
    let links = 0;
    db.transaction(() => {
      for (const g of truth.guardians) {
        const id = accountIdOf.get(g.key) as string;
        const sisIds = JSON.stringify(g.guardianSisId === null ? [] : [g.guardianSisId]);
        if (g.staffSisId === null) {
          insertAccount.run(id, g.firstName, g.lastName, g.email, g.mobilePhone, g.homePhone, g.language);
          accounts++;
        }
        insertRole.run(id, districtId, 'guardian', sisIds);
        if (g.guardianSisId !== null) insertSisId.run(districtId, 'guardian', g.guardianSisId, id);
      }
      for (const [key, student] of truth.links) {
        const id = accountIdOf.get(key);
        if (id === undefined) continue;
        insertLink.run(id, districtId, student, 'guardian-file');
        links++;
      }
    })();
    return { accounts, links, roles: truth.guardians.length };
  });
  db.close();
  return resultOf('e', size, run.value.links, run, { accountsInserted: run.value.accounts, guardianRoles: run.value.roles, linksInserted: run.value.links });
}
