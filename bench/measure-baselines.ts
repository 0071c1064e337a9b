// The two baselines the pipeline is compared with: (a) csv-parse alone, and (e) a plain
// better-sqlite3 insert of the accounts and links the day-1 file should produce.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { readRoster, readTruth, type DatasetPaths } from './dataset.js';
import { timed, type MeasurementResult } from './measurement.js';

/** (a) csv-parse parsing the next-day file's bytes to arrays of strings, nothing else. */
export async function measureParseBaseline(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const bytes = readFileSync(paths.day2);
  const run = await timed(() => {
    // relax_column_count: the file has a few rows with a wrong field count, as real files do.
    const records = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
    return records.length - 1;
  });
  return { id: 'a', size, rows: run.value, seconds: run.seconds, peakRssBytes: run.peakRssBytes, startRssBytes: run.startRssBytes, peakIsOfTimedPart: run.peakIsOfTimedPart, details: { records: run.value, bytes: bytes.byteLength } };
}

/**
 * A minimal schema equivalent to what a roster store needs for the same data: accounts,
 * roles with their SIS ids, guardian links; keys and the lookup indexes a sync relies on.
 */
const MINIMAL_SCHEMA = `
CREATE TABLE students (sis_id TEXT PRIMARY KEY, school_id TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL);
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
  email TEXT, mobile_phone TEXT, home_phone TEXT, language TEXT, claimed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX accounts_email ON accounts (lower(email));
CREATE INDEX accounts_mobile ON accounts (mobile_phone);
CREATE TABLE account_roles (account_id TEXT NOT NULL, role TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (account_id, role));
CREATE TABLE role_sis_ids (account_id TEXT NOT NULL, role TEXT NOT NULL, sis_id TEXT NOT NULL, PRIMARY KEY (account_id, role, sis_id));
CREATE INDEX role_sis_ids_sis ON role_sis_ids (role, sis_id);
CREATE TABLE guardian_links (account_id TEXT NOT NULL, student_sis_id TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (account_id, student_sis_id, source));
CREATE INDEX guardian_links_student ON guardian_links (student_sis_id);
`;

/** (e) Plain prepared-statement inserts of the day-1 guardians' accounts, roles and links, in one transaction. */
export async function measurePlainSqliteInsert(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const truth = readTruth(paths);
  const file = join(paths.dir, 'plain-insert.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(MINIMAL_SCHEMA);

  // Set-up (not timed): the roster the day-1 file is applied to: students and staff accounts.
  const insertStudent = db.prepare('INSERT INTO students (sis_id, school_id, first_name, last_name) VALUES (?, ?, ?, ?)');
  const insertAccount = db.prepare('INSERT INTO accounts (id, first_name, last_name, email, mobile_phone, home_phone, language) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertRole = db.prepare('INSERT INTO account_roles (account_id, role, status) VALUES (?, ?, ?)');
  const insertSisId = db.prepare('INSERT INTO role_sis_ids (account_id, role, sis_id) VALUES (?, ?, ?)');
  const insertLink = db.prepare('INSERT INTO guardian_links (account_id, student_sis_id, source) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const s of roster.students) insertStudent.run(s.sisId, s.schoolId, s.firstName, s.lastName);
    for (const t of roster.staff) {
      const id = `staff-${t.sisId}`;
      insertAccount.run(id, t.firstName, t.lastName, t.email, t.mobilePhone, t.homePhone, null);
      insertRole.run(id, 'staff', 'active');
      insertSisId.run(id, 'staff', t.sisId);
    }
  })();
  const accountIdOf = new Map<string, string>();
  let seq = 0;
  for (const g of truth.guardians) accountIdOf.set(g.key, g.staffSisId !== null ? `staff-${g.staffSisId}` : `acct-${++seq}`);

  const run = await timed(() => {
    let accounts = 0;
    let links = 0;
    db.transaction(() => {
      for (const g of truth.guardians) {
        const id = accountIdOf.get(g.key) as string;
        if (g.staffSisId === null) {
          insertAccount.run(id, g.firstName, g.lastName, g.email, g.mobilePhone, g.homePhone, g.language);
          accounts++;
        }
        insertRole.run(id, 'guardian', 'active');
        if (g.guardianSisId !== null) insertSisId.run(id, 'guardian', g.guardianSisId);
      }
      for (const [key, student] of truth.links) {
        const id = accountIdOf.get(key);
        if (id === undefined) continue;
        insertLink.run(id, student, 'guardian-file');
        links++;
      }
    })();
    return { accounts, links, roles: truth.guardians.length };
  });
  db.close();
  return {
    id: 'e',
    size,
    rows: run.value.links,
    seconds: run.seconds,
    peakRssBytes: run.peakRssBytes,
    startRssBytes: run.startRssBytes,
    peakIsOfTimedPart: run.peakIsOfTimedPart,
    details: { accountsInserted: run.value.accounts, guardianRoles: run.value.roles, linksInserted: run.value.links },
  };
}
