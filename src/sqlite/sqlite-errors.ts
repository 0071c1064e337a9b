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
 * STORE_FAILED with the SQLite code only; `doing` completes "could not …".
 */
export function asSqliteFailure(error: unknown, doing: string): unknown {
  const code = sqliteCode(error);
  if (isGuardianSyncError(error) || !code.startsWith('SQLITE_')) return error;
  const busy = isBusy(code);
  return new GuardianSyncError(
    'STORE_FAILED',
    busy
      ? `The SQLite roster is busy: another process kept it locked for longer than the busy timeout (${code}), so the store could not ${doing}; nothing was changed. Run again.`
      : `The SQLite store could not ${doing} (${code}); nothing was changed. Check that the database file is writable and the disk has space.`,
    { transient: busy },
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
