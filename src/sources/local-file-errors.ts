// The local file source's failures, worded for whoever runs the sync on this machine: what
// is wrong, the path it is about (a local path is no secret, and "guardians.csv" alone does
// not say which folder), and what to do. Never the words of the SFTP source: a disk is not
// a server or a network. Kept short: the text report shows 200 characters of a message.
import { basename } from 'node:path';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

/** What an `fs` error says about a path, kept to its code: Node's message repeats the syscall and path. */
export function localOpenFailure(error: unknown, path: string, name: string): GuardianSyncError {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new GuardianSyncError('FILE_NOT_FOUND', `${path} was not found: check the path and file name, or the export that writes it.`, { file: name });
    case 'EISDIR':
      return notAFile(path, name);
    case 'EACCES':
    case 'EPERM':
      // Not transient: running again changes nothing until someone changes the permissions.
      return new GuardianSyncError(
        'SOURCE_UNAVAILABLE',
        `${path} cannot be read: permission denied. Give the user running the sync read access to the file and its folder, then run again.`,
        { file: name },
      );
    case 'EBUSY':
      return new GuardianSyncError('SOURCE_UNAVAILABLE', `${path} is locked by another program (an export, or a spreadsheet that has it open): close it, then run again.`, {
        file: name,
        transient: true,
      });
    default:
      return localReadFailure(path, name, typeof code === 'string' ? code : undefined);
  }
}

export function notAFile(path: string, name: string): GuardianSyncError {
  return new GuardianSyncError('FILE_NOT_FOUND', `${path} is a folder or a device, not a file: give the path of the guardian file itself.`, { file: name });
}

/** An I/O error while opening or reading: the disk or the network share under the path. */
export function localReadFailure(path: string, name: string, code?: string | undefined): GuardianSyncError {
  const why = code === undefined ? '' : ` (${code})`;
  return new GuardianSyncError('SOURCE_UNAVAILABLE', `${path} could not be read${why}: check the disk or network share it is on, then run again.`, {
    file: name,
    transient: true,
  });
}

/** The file changed between the looks of the settle wait, or while it was read. */
export function localFileUnstable(path: string, name: string, what: string): GuardianSyncError {
  return new GuardianSyncError('FILE_UNSTABLE', `${path} is still being written: ${what}. Nothing was changed; run again once it is complete.`, {
    file: name,
    transient: true,
  });
}

/** doneMarker 'require' and no marker at least as new as the file. */
export function localMarkerMissing(path: string, name: string, marker: 'missing' | 'older'): GuardianSyncError {
  const message =
    marker === 'missing'
      ? `${path} has no ${basename(path)}.done marker next to it, and this sync requires one: nothing was changed. The export must write the marker once the file is complete.`
      : `${path}.done is older than the file (it was left by an earlier one), and this sync requires a marker written after the file: nothing was changed.`;
  return new GuardianSyncError('FILE_UNSTABLE', message, { file: name, transient: true });
}
