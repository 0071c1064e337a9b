// What a schema migration could not carry over, kept in the file's `migration_notes` table so
// that it can be read on any later open, not only by the process that migrated. Notes hold
// ids only (accounts, students, SIS ids, sources), never names or contacts: they end up in
// logs and support tickets.
import type { RoleName, RoleStatus } from '../model/roster.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** A role the migration could not give a district: it is no longer on the account. */
export interface SqliteRoleNotPlaced {
  readonly kind: 'role-not-placed';
  readonly toVersion: number;
  readonly accountId: string;
  readonly role: RoleName;
  readonly status: RoleStatus;
  readonly sisIds: readonly string[];
  /** The same facts in a sentence, with what to do about them. */
  readonly message: string;
}

/** A link whose student (or account) the migration could not find or place: it was dropped. */
export interface SqliteLinkNotPlaced {
  readonly kind: 'link-not-placed';
  readonly toVersion: number;
  readonly accountId: string;
  readonly studentSisId: string;
  readonly source: string;
  readonly message: string;
}

/** A student whose school is not in the roster's orgs, so it has no district: it was dropped. */
export interface SqliteStudentNotPlaced {
  readonly kind: 'student-not-placed';
  readonly toVersion: number;
  readonly studentSisId: string;
  readonly schoolId: string;
  readonly message: string;
}

export type SqliteMigrationNote = SqliteRoleNotPlaced | SqliteLinkNotPlaced | SqliteStudentNotPlaced;

/** The schema migration a store ran when it opened its file. */
export interface SqliteMigration {
  /** The file's schema version before (0 for a new file). */
  readonly fromVersion: number;
  readonly toVersion: number;
  /** What could not be carried over (empty when everything was). */
  readonly unplaced: readonly SqliteMigrationNote[];
}

export const MIGRATION_NOTES_TABLE = `
CREATE TABLE migration_notes (
  id INTEGER PRIMARY KEY,
  to_version INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('role-not-placed', 'link-not-placed', 'student-not-placed')),
  account_id TEXT,
  role TEXT,
  status TEXT,
  sis_ids TEXT,
  student_sis_id TEXT,
  source TEXT,
  school_id TEXT,
  message TEXT NOT NULL
);
`;

export function writeMigrationNote(db: SqliteDatabase, note: SqliteMigrationNote): void {
  db.prepare(
    'INSERT INTO migration_notes (to_version, kind, account_id, role, status, sis_ids, student_sis_id, source, school_id, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    note.toVersion,
    note.kind,
    'accountId' in note ? note.accountId : null,
    note.kind === 'role-not-placed' ? note.role : null,
    note.kind === 'role-not-placed' ? note.status : null,
    note.kind === 'role-not-placed' ? JSON.stringify(note.sisIds) : null,
    note.kind === 'role-not-placed' ? null : note.studentSisId,
    note.kind === 'link-not-placed' ? note.source : null,
    note.kind === 'student-not-placed' ? note.schoolId : null,
    note.message,
  );
}

type NoteRow = [
  toVersion: number,
  kind: SqliteMigrationNote['kind'],
  accountId: string | null,
  role: RoleName | null,
  status: RoleStatus | null,
  sisIds: string | null,
  studentSisId: string | null,
  source: string | null,
  schoolId: string | null,
  message: string,
];

/** The notes of migrations to versions above `afterVersion`, in the order they were written. */
export function readMigrationNotes(db: SqliteDatabase, afterVersion = 0): SqliteMigrationNote[] {
  const rows = db
    .prepare('SELECT to_version, kind, account_id, role, status, sis_ids, student_sis_id, source, school_id, message FROM migration_notes WHERE to_version > ? ORDER BY id')
    .raw(true)
    .all(afterVersion) as NoteRow[];
  return rows.map(([toVersion, kind, accountId, role, status, sisIds, studentSisId, source, schoolId, message]): SqliteMigrationNote => {
    switch (kind) {
      case 'role-not-placed':
        return { kind, toVersion, accountId: accountId ?? '', role: role ?? 'guardian', status: status ?? 'active', sisIds: JSON.parse(sisIds ?? '[]') as string[], message };
      case 'link-not-placed':
        return { kind, toVersion, accountId: accountId ?? '', studentSisId: studentSisId ?? '', source: source ?? '', message };
      case 'student-not-placed':
        return { kind, toVersion, studentSisId: studentSisId ?? '', schoolId: schoolId ?? '', message };
    }
  });
}
