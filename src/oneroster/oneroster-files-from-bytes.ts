// Bytes already in memory (an upload, an SFTP download, a folder delivered as a stored zip) →
// a OneRoster file set: a ZIP by its magic bytes, whatever its name, or one CSV. Pure, so the
// reading stage can open what a source delivered without the file system; the I/O edge that
// reads paths (`openOneRosterInput`, src/sources) ends here too.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createOneRosterFiles, GUARDIANS_FILE_NAME, ONEROSTER_FILE_NAMES, type OneRosterFiles } from './oneroster-files.js';
import { DEFAULT_ARCHIVE_LIMITS, isZipBytes, readZipArchive, type ArchiveLimits } from './read-zip-archive.js';

const KNOWN_NAMES: ReadonlySet<string> = new Set([...Object.values(ONEROSTER_FILE_NAMES), GUARDIANS_FILE_NAME]);

/**
 * A ZIP is read with the archive limits (UNSAFE_ARCHIVE). One CSV over `maxTotalBytes` is
 * FILE_TOO_LARGE; one not named like a OneRoster file (`export.csv`) is also available as
 * `users.csv`, since that is what a single file can only be.
 */
export async function oneRosterFilesFromBytes(name: string, bytes: Uint8Array, limits: ArchiveLimits = {}): Promise<OneRosterFiles> {
  if (isZipBytes(bytes)) return readZipArchive(bytes, { fileName: name, limits });
  const maxTotalBytes = limits.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  if (bytes.length > maxTotalBytes) throw oneRosterInputTooLarge(name, maxTotalBytes);
  const entries: [string, Uint8Array][] = [[name, bytes]];
  if (!KNOWN_NAMES.has(name.trim().toLowerCase())) entries.push([ONEROSTER_FILE_NAMES.users, bytes]);
  return createOneRosterFiles(entries);
}

/** FILE_TOO_LARGE for a OneRoster input (one file, or a folder's CSVs together) over the limit. */
export function oneRosterInputTooLarge(name: string, limit: number): GuardianSyncError {
  return new GuardianSyncError('FILE_TOO_LARGE', `${name} is larger than the limit of ${limit} bytes: check the export, or raise the limit.`, { file: name });
}
