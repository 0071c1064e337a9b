// `sftp://user@host:port/path/guardians.csv` → SFTP source options (the CLI's --sftp).
// A password in the URL is refused: URLs end up in shell history, logs and process lists.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

export interface SftpUrlParts {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The folder. */
  readonly path: string;
  /** Undefined when the URL names a folder (ends with `/`): the default file name applies. */
  readonly fileName: string | undefined;
}

/**
 * @example parseSftpUrl('sftp://district@sftp.example.org:2222/inbox/guardians.csv')
 * // { host: 'sftp.example.org', port: 2222, username: 'district', path: '/inbox', fileName: 'guardians.csv' }
 * @throws GuardianSyncError INVALID_CONFIGURATION when it is not such a URL or carries a password.
 */
export function parseSftpUrl(url: string): SftpUrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('is not a URL');
  }
  if (parsed.protocol !== 'sftp:') throw invalid('must start with sftp://');
  if (parsed.password !== '') {
    throw invalid('must not contain a password: pass it with --password-env VAR (or the `password` option) instead');
  }
  if (parsed.username === '') throw invalid('needs a user name, as in sftp://user@host/path/guardians.csv');
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw invalid('needs a host name');
  if (parsed.search !== '' || parsed.hash !== '') throw invalid('must not have a query or fragment');
  const port = parsed.port === '' ? 22 : Number(parsed.port);
  let username: string;
  let fullPath: string;
  try {
    username = decodeURIComponent(parsed.username);
    fullPath = decodeURIComponent(parsed.pathname);
  } catch {
    throw invalid('has a malformed %-escape');
  }
  if (fullPath === '' || fullPath.endsWith('/')) {
    return { host, port, username, path: trimDir(fullPath), fileName: undefined };
  }
  const slash = fullPath.lastIndexOf('/');
  return { host, port, username, path: trimDir(fullPath.slice(0, slash + 1)), fileName: fullPath.slice(slash + 1) };
}

function trimDir(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function invalid(why: string): GuardianSyncError {
  // The URL itself is not echoed: it may hold a password.
  return new GuardianSyncError('INVALID_CONFIGURATION', `The SFTP URL ${why}. Expected sftp://user@host:port/path/guardians.csv.`, { column: 'sftp' });
}
