// How the PostgreSQL store turns a driver or server error into our own. A server error's
// message and detail can quote the values of a row (`Key (lower(email))=(…) already
// exists`), and a connection error's can name the host: neither is ever copied. What is
// kept is the SQLSTATE (five characters, e.g. 23505), or the socket error code, and for
// constraint errors the constraint's name, which tells which rule a write broke.
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';

const SQLSTATE = /^[0-9A-Z]{5}$/;
const SOCKET_CODE = /^E[A-Z]+$/;

/** The SQLSTATE of a server error, or undefined. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

/** The constraint a server error names (a name of our schema, never a value), or undefined. */
export function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/** A short, value-free description: `SQLSTATE 23505`, `ECONNREFUSED`, or `connection lost`. */
export function describePgError(error: unknown): string {
  const state = sqlState(error);
  if (state !== undefined) return `SQLSTATE ${state}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SOCKET_CODE.test(code)) return code;
  // pg reports a connection the server or network ended as a plain Error without a code.
  const message = error instanceof Error ? error.message : '';
  if (/Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(message)) return 'connection lost';
  if (/timeout/i.test(message)) return 'timeout';
  return 'unknown error';
}

/**
 * Whether running the same operation again may succeed: serialization failures and
 * deadlocks (class 40), lock timeouts (55P03), too many connections (53300), the server
 * shutting down or ending the session (57P01–57P03), and lost or refused connections.
 */
export function isTransientPgError(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) return state.startsWith('40') || state.startsWith('08') || state === '55P03' || state === '53300' || /^57P0[123]$/.test(state);
  const described = describePgError(error);
  return described !== 'unknown error';
}

/**
 * A store failure doing `what` (e.g. `insert accounts`), with the SQLSTATE and what the
 * constraint it broke means; our own errors pass through unchanged.
 */
export function pgStoreFailure(error: unknown, what: string, after = 'nothing of the transaction was applied'): unknown {
  if (isGuardianSyncError(error)) return error;
  const state = sqlState(error);
  const reason = constraintReason(state, constraintOf(error));
  return new GuardianSyncError(
    'STORE_FAILED',
    `The PostgreSQL store could not ${what}${reason === undefined ? '' : `: ${reason}`} (${describePgError(error)}); ${after}.`,
    { transient: isTransientPgError(error) },
  );
}

/** What a broken constraint of our schema (or a write the server refused) means, in words that name no value. */
function constraintReason(state: string | undefined, constraint: string | undefined): string | undefined {
  switch (state) {
    case '23505':
      if (constraint === 'accounts_email_login') return 'an email is already the login of another account (logins are unique)';
      if (constraint === 'accounts_mobile_login') return 'a mobile phone is already the login of another account (logins are unique)';
      if (constraint === 'accounts_pkey') return 'an account with one of these ids already exists';
      return 'a row with the same key already exists';
    case '23503':
      if (constraint?.startsWith('links_') === true) return 'a link names an account or a student that is not in the roster';
      if (constraint?.startsWith('account_roles_') === true) return 'a role names an account that is not in the roster';
      if (constraint?.startsWith('students_') === true) return "a student's school is not in the roster";
      return 'a row refers to one that is not in the roster';
    case '23514':
      return 'a value is not one the column allows (a role must be guardian or staff, a status active or archived)';
    case '23502':
      return 'a required value is missing';
    case '21000':
      return 'the same key was given twice in one batch';
    // Not constraints, but as little fixed by running again: the setting to change is named.
    case '25006':
      return 'the database is read-only for this connection (a standby server, or default_transaction_read_only): point the store at the primary server';
    case '42501':
      return "the database role may not write the roster's tables: grant it INSERT, UPDATE and DELETE on the tables of the store's schema";
    default:
      return undefined;
  }
}
