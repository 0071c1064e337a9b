// Turns whatever ssh2 / ssh2-sftp-client threw into a GuardianSyncError with a message we
// chose. Their errors have carried passwords, keys and config objects, so nothing of the
// foreign error (message, properties, stack) is copied: only its code and a few known
// message fragments are read to pick our code.
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { DeadlineExceeded } from './deadline.js';

export interface ErrorContext {
  /** What we were doing, e.g. "listing /inbox". Chosen by us, safe to show. */
  readonly doing: string;
  /** `user@host:port`, safe to show. */
  readonly where: string;
  readonly file: string;
  /** The fingerprint our verifier refused during this connection, if it did. */
  readonly refusedHostKey?: string | null | undefined;
}


export function toSftpError(error: unknown, context: ErrorContext): GuardianSyncError {
  if (isGuardianSyncError(error)) return error;
  const { doing, where, file } = context;
  if (context.refusedHostKey !== undefined && context.refusedHostKey !== null) {
    return new GuardianSyncError(
      'HOST_KEY_MISMATCH',
      `The SFTP server ${where} presented host key ${context.refusedHostKey}, which is not pinned. Confirm the new key with the server's owner before adding it to hostKeys (--host-key).`,
      { file },
    );
  }
  if (error instanceof DeadlineExceeded) {
    return new GuardianSyncError('SOURCE_UNAVAILABLE', `The SFTP server ${where} did not answer within ${error.ms} ms while ${doing}; the connection was closed. The run can be retried.`, {
      file,
      transient: true,
    });
  }
  const code = readCode(error);
  const message = readMessage(error);
  if (/authentication methods failed|authentication failed|permission denied \(publickey|auth.*fail/i.test(message) || code === 'ERR_BAD_AUTH') {
    return new GuardianSyncError('AUTH_FAILED', `The SFTP server ${where} refused the login: check the user name, password or key.`, { file });
  }
  if (/cannot parse privatekey|unsupported key format|bad passphrase|encrypted private .*key/i.test(message)) {
    return new GuardianSyncError('INVALID_CONFIGURATION', 'The SFTP private key could not be read: check the key file and its passphrase.', { file, column: 'privateKey' });
  }
  if (code === 2 || code === 'ENOENT' || /no such file/i.test(message)) {
    return new GuardianSyncError('FILE_NOT_FOUND', `Not found on the SFTP server ${where} while ${doing}: check the folder and file name.`, { file });
  }
  if (code === 3 || code === 'EACCES' || /permission denied/i.test(message)) {
    return new GuardianSyncError('SOURCE_UNAVAILABLE', `The SFTP server ${where} denied access while ${doing}: ask its owner to give this user read access (and write access to the archive folder).`, {
      file,
    });
  }
  // Everything else (refused, reset, closed, timed out, DNS, unknown) is network trouble as far
  // as the host can tell: a later try may succeed, and retrying it is harmless.
  return new GuardianSyncError('SOURCE_UNAVAILABLE', `The SFTP connection to ${where} failed while ${doing}${describeCode(code)}; the run can be retried.`, {
    file,
    transient: true,
  });
}

/** Retry only what may succeed on a second try: network trouble, never auth, keys or files. */
export function isRetryable(error: GuardianSyncError): boolean {
  return error.code === 'SOURCE_UNAVAILABLE' && error.transient;
}

function readCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function readMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : '';
}

/** Only well-known symbolic codes are shown; anything else could be foreign text. */
function describeCode(code: unknown): string {
  return typeof code === 'string' && /^E[A-Z_]{2,20}$/.test(code) ? ` (${code})` : '';
}
