// How the SQLite store reports a SQLite failure: STORE_FAILED naming what it was doing (by
// ids only) and the SQLite code, never the driver's message (it can quote stored values:
// names, emails). Our own errors and foreign ones pass through unchanged.
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';

/** The SQLite result code of a driver error (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_FOREIGNKEY`…), or "unknown error". */
export function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

/** Another connection kept the file locked past the busy timeout: running again may succeed. */
export function isBusy(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/**
 * A SQLite error of a whole operation (BEGIN, COMMIT, a lock, a saved run, an import) as
 * STORE_FAILED with the SQLite code only; `doing` completes "could not …". `file` (the
 * database path, when the store opened it by path) says where: a read-only or full file is
 * not fixed by running again, so those say what to fix instead.
 */
export function asSqliteFailure(error: unknown, doing: string, file?: string | undefined): unknown {
  const code = sqliteCode(error);
  if (isGuardianSyncError(error) || !code.startsWith('SQLITE_')) return error;
  const busy = isBusy(code);
  const where = file === undefined ? 'the SQLite roster' : `the SQLite roster ${file}`;
  let message: string;
  if (busy) {
    message = `The SQLite roster is busy: another process kept it locked for longer than the busy timeout (${code}), so the store could not ${doing}; nothing was changed. Run again.`;
  } else if (code.startsWith('SQLITE_READONLY')) {
    message = `The store could not ${doing}: ${where} is read-only for this process (${code}); nothing was changed. ${writableHint(file)}`;
  } else if (code.startsWith('SQLITE_FULL')) {
    message = `The store could not ${doing}: the disk of ${where} is full (${code}); nothing was changed. Free space on that disk, then run again.`;
  } else {
    message = `The SQLite store could not ${doing} in ${where} (${code}); nothing was changed. Check that the database file is writable and the disk has space.`;
  }
  return new GuardianSyncError('STORE_FAILED', message, { transient: busy });
}

/** What to do about a roster SQLite may not write: the file and its folder (SQLite writes -wal and -shm files beside it). */
function writableHint(file: string | undefined): string {
  return file === undefined
    ? 'Make the database file and its folder writable by the user running the sync (SQLite writes -wal and -shm files beside it).'
    : `Make ${file} and its folder writable by the user running the sync (SQLite writes ${file}-wal and ${file}-shm beside it).`;
}

/**
 * Opening the database file at `file` failed: it is not there to open (a folder, a folder
 * that does not exist, no permission), not a SQLite database, or read-only where SQLite must
 * write. Said with the path, as INVALID_CONFIGURATION (the path is the setting to fix) or
 * STORE_FAILED (the file is right but cannot be written); the driver's message is not kept.
 */
export function asOpenFailure(error: unknown, file: string): unknown {
  if (isGuardianSyncError(error)) return error;
  const code = sqliteCode(error);
  if (code.startsWith('SQLITE_NOTADB')) {
    return new GuardianSyncError('INVALID_CONFIGURATION', `${file} is not a SQLite database (${code}): give the path of a guardian-sync roster, or of a new file to create.`);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new GuardianSyncError('STORE_FAILED', `The SQLite roster ${file} could not be opened: it is read-only for this process (${code}). ${writableHint(file)}`);
  }
  if (code.startsWith('SQLITE_') && !code.startsWith('SQLITE_CANTOPEN')) return asSqliteFailure(error, 'open the database', file);
  // What is left to say is about the path: SQLITE_CANTOPEN, or better-sqlite3's own check
  // that the folder exists (a plain TypeError). Anything else is not ours to word.
  if (!code.startsWith('SQLITE_CANTOPEN') && !(error instanceof TypeError)) return error;
  return new GuardianSyncError(
    'INVALID_CONFIGURATION',
    `The SQLite roster ${file} could not be opened${code.startsWith('SQLITE_') ? ` (${code})` : ''}: check that the path names a file (not a folder), in a folder that exists, and that this user may read and write both.`,
  );
}

/**
 * A SQLite error while writing one row of a writer call: STORE_FAILED naming the row by its
 * ids (`row`, e.g. `the link of account "a" to student "S1" of district "D1"`). The statement
 * is undone; the transaction it ran in is rolled back when the error leaves its body.
 */
export function asRowFailure(error: unknown, row: string): unknown {
  const code = sqliteCode(error);
  if (isGuardianSyncError(error) || !code.startsWith('SQLITE_')) return error;
  const reason =
    code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
      ? 'it refers to an account or student that is not in the roster'
      : code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
        ? 'a row with the same key is already in the roster'
        : 'SQLite refused it';
  return new GuardianSyncError('STORE_FAILED', `The SQLite store could not write ${row}: ${reason} (${code}). The transaction is rolled back; run the sync again.`, {
    transient: isBusy(code),
  });
}
