// The SQLite store's schema as an ordered list of migrations; the database's
// `PRAGMA user_version` is the number of migrations applied. Append, never edit: a file
// written by this version must open in every later one.
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { migrateV1ToV2 } from './migrate-v1-to-v2.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Version 1. Design notes (sized for a 1,000,000-link roster):
 * - Roles are columns of `accounts` (the model has two: guardian and staff), their SIS ids a
 *   JSON array: an account, with roles, is one row to write and one row to read.
 * - `role_sis_ids` indexes those ids for lookups by SIS id (roster import matches staff by it).
 * - `links` is keyed by (account, student, source) WITHOUT ROWID: the key is the table, so
 *   an insert touches one B-tree plus the by-student index.
 * - `email` compares case-insensitively (COLLATE NOCASE), so its index serves lookups by email.
 */
const V1 = `
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('district', 'school')),
  parent_id TEXT
);
CREATE INDEX orgs_by_parent ON orgs (parent_id);

CREATE TABLE students (
  sis_id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL REFERENCES orgs (id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL
);
CREATE INDEX students_by_school ON students (school_id);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT COLLATE NOCASE,
  mobile_phone TEXT,
  home_phone TEXT,
  language TEXT,
  claimed INTEGER NOT NULL DEFAULT 0,
  guardian_status TEXT CHECK (guardian_status IN ('active', 'archived')),
  guardian_sis_ids TEXT,
  staff_status TEXT CHECK (staff_status IN ('active', 'archived')),
  staff_sis_ids TEXT
);
CREATE INDEX accounts_by_email ON accounts (email) WHERE email IS NOT NULL;
CREATE INDEX accounts_by_mobile ON accounts (mobile_phone) WHERE mobile_phone IS NOT NULL;

CREATE TABLE role_sis_ids (
  role TEXT NOT NULL,
  sis_id TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (role, sis_id, account_id)
) WITHOUT ROWID;

CREATE TABLE links (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  student_sis_id TEXT NOT NULL REFERENCES students (sis_id),
  source TEXT NOT NULL,
  PRIMARY KEY (account_id, student_sis_id, source)
) WITHOUT ROWID;
CREATE INDEX links_by_student ON links (student_sis_id);

CREATE TABLE locks (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  scope_level TEXT NOT NULL,
  scope_org_id TEXT NOT NULL,
  status TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  counts TEXT NOT NULL,
  report TEXT NOT NULL
);
CREATE INDEX runs_by_start ON runs (started_at DESC, run_id DESC);
CREATE INDEX runs_by_scope ON runs (scope_level, scope_org_id, started_at DESC, run_id DESC);
`;

/**
 * Version 3: a lock row says which process holds it (its host, pid and, on Linux, pid
 * namespace: src/sqlite/sqlite-locks.ts), so a lock whose holder was killed on this host is
 * taken over at once rather than when its lease ends. Rows written before stay without a
 * process (NULL): they end by their lease only.
 */
const V3 = `
ALTER TABLE locks ADD COLUMN host TEXT;
ALTER TABLE locks ADD COLUMN pid INTEGER;
ALTER TABLE locks ADD COLUMN pid_namespace TEXT;
`;

/**
 * Version 4: a run's threshold block as a column beside its counts, so `listRuns` can say a
 * run was forced past the threshold (and by how much) without parsing whole reports. Runs
 * saved before get it from their report once, here.
 */
const V4 = `
ALTER TABLE runs ADD COLUMN threshold TEXT;
UPDATE runs SET threshold = json_extract(report, '$.threshold') WHERE json_valid(report);
`;

/**
 * Version 5: a run's report in a table of its own. SQLite stores a row's columns in order,
 * and a value larger than a page continues in an overflow chain: reading `threshold`, added
 * after the report by version 4, walked through the whole report (tens of MB for a district of
 * a million rows) for every run `listRuns` returned. Measured on a 1M-row district's roster
 * holding one run: `listRuns` took 200 ms. Now a run's row holds its summary only, and
 * `getRun` alone reads the report.
 */
const V5 = `
CREATE TABLE run_reports (
  run_id TEXT PRIMARY KEY,
  report TEXT NOT NULL
);
INSERT INTO run_reports (run_id, report) SELECT run_id, report FROM runs;
ALTER TABLE runs DROP COLUMN report;
`;

/** SQL to run, or a function for a migration that moves data by rules (it runs inside the migration's transaction). */
export type SqliteMigrationStep = string | ((db: SqliteDatabase) => void);

/** Migration i brings a database from version i to i + 1. */
export const SQLITE_MIGRATIONS: readonly SqliteMigrationStep[] = [V1, migrateV1ToV2, V3, V4, V5];

/** The schema version this code writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

export function readSchemaVersion(db: SqliteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the database to {@link SQLITE_SCHEMA_VERSION} in one transaction, and returns the
 * versions it went from and to; null when the file was already current (also when another
 * process migrated it first: the version is read again under the write lock, so two
 * processes opening a new file at once are safe).
 * @throws GuardianSyncError INVALID_CONFIGURATION when the file was written by a newer version,
 *   or holds someone else's tables; STORE_FAILED when a migration fails (nothing changed).
 */
export function migrateSqliteSchema(db: SqliteDatabase): { readonly fromVersion: number; readonly toVersion: number } | null {
  if (checkVersion(readSchemaVersion(db)) === SQLITE_SCHEMA_VERSION) return null;
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = checkVersion(readSchemaVersion(db));
    if (current === 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get() !== undefined) {
      throw new GuardianSyncError(
        'INVALID_CONFIGURATION',
        'The database file already holds tables but no guardian-sync schema: point the store at a new file or at a guardian-sync roster database.',
      );
    }
    if (current === SQLITE_SCHEMA_VERSION) {
      db.exec('COMMIT');
      return null;
    }
    try {
      for (let version = current; version < SQLITE_SCHEMA_VERSION; version += 1) {
        const migration = SQLITE_MIGRATIONS[version];
        if (typeof migration === 'string') db.exec(migration);
        else migration?.(db);
      }
      db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
      db.exec('COMMIT');
    } catch (error) {
      throw migrationFailure(error, current);
    }
    return { fromVersion: current, toVersion: SQLITE_SCHEMA_VERSION };
  } catch (error) {
    if (db.inTransaction !== false) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // Nothing was open: the error that brought us here is the one to report.
      }
    }
    throw error;
  }
}

/**
 * A SQLite error while migrating, as STORE_FAILED with the SQLite code only (its message can
 * quote stored values). The transaction is rolled back, so the file is as it was.
 */
function migrationFailure(error: unknown, fromVersion: number): unknown {
  if (isGuardianSyncError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? code : 'unknown error';
  const busy = reason.startsWith('SQLITE_BUSY') || reason.startsWith('SQLITE_LOCKED');
  return new GuardianSyncError(
    'STORE_FAILED',
    busy
      ? `The roster database could not be upgraded to schema version ${SQLITE_SCHEMA_VERSION}: another process kept it locked (${reason}). Nothing was changed; open it again.`
      : `The roster database could not be upgraded from schema version ${fromVersion} to ${SQLITE_SCHEMA_VERSION} (${reason}). Nothing was changed: the file is still at version ${fromVersion}. ` +
          'Check that it is writable and the disk has space; if that is not it, keep a copy of the file and report the error.',
    { transient: busy },
  );
}

function checkVersion(version: number): number {
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      `The roster database has schema version ${version}, newer than this guardian-sync understands (${SQLITE_SCHEMA_VERSION}): upgrade guardian-sync, or use a copy made for this version.`,
    );
  }
  return version;
}
