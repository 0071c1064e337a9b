// A ZIP of OneRoster CSVs (as SIS exports deliver them) → a file set, read in memory with
// yauzl and refused with UNSAFE_ARCHIVE when it could hurt the host: too many entries, too
// many bytes once inflated, a compression ratio only a zip bomb has (counted while inflating:
// headers can lie), paths that climb out (`..`, absolute, drive letters), nested archives,
// symbolic links, encryption. No file is written anywhere; names only become keys of the set.
import yauzl from 'yauzl';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createOneRosterFiles, oneRosterFileKey, type OneRosterFiles } from './oneroster-files.js';

export interface ArchiveLimits {
  /** More entries than this (directories included) → UNSAFE_ARCHIVE. @default 100 */
  readonly maxEntries?: number | undefined;
  /** More inflated bytes than this, all entries together → UNSAFE_ARCHIVE. @default 512 MiB */
  readonly maxTotalBytes?: number | undefined;
  /**
   * An entry inflating to more than this many times its compressed size → UNSAFE_ARCHIVE.
   * Entries under 1 MiB inflated are not held to it (tiny files compress oddly and cannot
   * hurt). CSV compresses about 5–15:1. @default 100
   */
  readonly maxCompressionRatio?: number | undefined;
}

export const DEFAULT_ARCHIVE_LIMITS = {
  maxEntries: 100,
  maxTotalBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 100,
} as const satisfies Required<ArchiveLimits>;

/** Entries smaller than this when inflated are exempt from the ratio check. */
const RATIO_FREE_BYTES = 1024 * 1024;
const STORED = 0;
const DEFLATED = 8;
// Unix file type bits in the high half of the external attributes (zip made on Unix).
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const NESTED_ARCHIVE_NAME = /\.(zip|jar|7z|rar|gz|tgz|tar|bz2|xz|zst)$/i;

/** True when the bytes start with a ZIP local file header (`PK\x03\x04`), whatever the file name. */
export function isZipBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads a ZIP held in memory into a file set. Files in one top-level folder (`export/users.csv`)
 * are keyed by their name in it; files deeper down keep their path (and so are not found as
 * `users.csv`, but show in FILE_NOT_FOUND's list). macOS `__MACOSX/` and `._*` entries are skipped.
 * Throws UNSAFE_ARCHIVE (with the entry's name) for every violation and for unreadable archives.
 */
export async function readZipArchive(bytes: Uint8Array, options: { readonly fileName: string; readonly limits?: ArchiveLimits | undefined }): Promise<OneRosterFiles> {
  const { fileName } = options;
  const maxEntries = options.limits?.maxEntries ?? DEFAULT_ARCHIVE_LIMITS.maxEntries;
  const maxTotalBytes = options.limits?.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  const maxRatio = options.limits?.maxCompressionRatio ?? DEFAULT_ARCHIVE_LIMITS.maxCompressionRatio;
  const unsafe = (why: string): GuardianSyncError =>
    new GuardianSyncError('UNSAFE_ARCHIVE', `${fileName} is refused: ${why}. Send a plain ZIP with the CSV files at its top level.`, { file: fileName });

  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      // Names are decoded and checked below, so that the refusal names the entry and the rule.
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch {
    throw unsafe('it cannot be read as a ZIP archive (damaged or not a ZIP)');
  }

  try {
    if (zip.entryCount > maxEntries) throw unsafe(`it has ${zip.entryCount} entries, more than the limit of ${maxEntries}`);
    const found: { path: string; bytes: Uint8Array }[] = [];
    let total = 0;
    let entries: AsyncIterableIterator<yauzl.Entry>;
    try {
      entries = zip.eachEntry();
    } catch {
      throw unsafe('its entries cannot be listed');
    }
    for (;;) {
      let next: IteratorResult<yauzl.Entry>;
      try {
        next = await entries.next();
      } catch {
        throw unsafe('its directory is damaged');
      }
      if (next.done === true) break;
      const entry = next.value;
      const path = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const problem = pathProblem(path);
      if (problem !== null) throw unsafe(`entry ${JSON.stringify(safeName(path))} ${problem}`);
      if (path.endsWith('/')) continue;
      if (path.startsWith('__MACOSX/') || baseName(path).startsWith('._')) continue;
      if (NESTED_ARCHIVE_NAME.test(path)) throw unsafe(`entry ${JSON.stringify(safeName(path))} is an archive inside the archive`);
      // Never followed (nothing is written to disk), but a link is not a CSV and means a hand-made archive.
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw unsafe(`entry ${JSON.stringify(safeName(path))} is a symbolic link`);
      if (entry.isEncrypted()) throw unsafe(`entry ${JSON.stringify(safeName(path))} is encrypted`);
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
        throw unsafe(`entry ${JSON.stringify(safeName(path))} uses compression method ${entry.compressionMethod}, not deflate`);
      }
      // Header checks first (cheap); the same limits are enforced again on the real bytes.
      if (total + entry.uncompressedSize > maxTotalBytes) throw unsafe(`it inflates to more than ${maxTotalBytes} bytes`);
      const allowed = Math.max(entry.compressedSize * maxRatio, RATIO_FREE_BYTES);
      if (entry.uncompressedSize > allowed) throw unsafe(`entry ${JSON.stringify(safeName(path))} has a compression ratio above ${maxRatio}:1 (a zip bomb)`);

      const data = await inflateEntry(zip, entry, [
        { limit: allowed, error: () => unsafe(`entry ${JSON.stringify(safeName(path))} has a compression ratio above ${maxRatio}:1 (a zip bomb)`) },
        { limit: maxTotalBytes - total, error: () => unsafe(`it inflates to more than ${maxTotalBytes} bytes`) },
      ], () => unsafe(`entry ${JSON.stringify(safeName(path))} is damaged or its sizes are false`));
      total += data.length;
      if (isZipBytes(data)) throw unsafe(`entry ${JSON.stringify(safeName(path))} is an archive inside the archive`);
      found.push({ path, bytes: data });
    }
    return toFileSet(found, unsafe);
  } finally {
    zip.close();
  }
}

/** Why a path is refused, or null. yauzl has already turned backslashes into slashes. */
function pathProblem(path: string): string | null {
  if (path.includes('\0')) return 'has a NUL character in its name';
  if (path.startsWith('/')) return 'has an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'has a drive letter in its path';
  if (path.split('/').some((segment) => segment === '..')) return 'climbs out of the archive (..)';
  return null;
}

/** Inflates one entry, failing with the first limit the real byte count passes. */
function inflateEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  limits: readonly { readonly limit: number; readonly error: () => Error }[],
  damaged: () => Error,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (openError, stream) => {
      if (openError !== null) {
        reject(damaged());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        stream.destroy();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Counted as the bytes inflate, so a lying header cannot make us hold a bomb in memory.
        const passed = limits.find((l) => size > l.limit);
        if (passed !== undefined) {
          fail(passed.error());
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', () => fail(damaged()));
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(new Uint8Array(Buffer.concat(chunks, size)));
      });
    });
  });
}

function toFileSet(found: readonly { path: string; bytes: Uint8Array }[], unsafe: (why: string) => Error): OneRosterFiles {
  const tops = new Set(found.map((f) => (f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : '')));
  const [onlyTop] = tops;
  const strip = tops.size === 1 && onlyTop !== undefined && onlyTop !== '' ? onlyTop.length + 1 : 0;
  const seen = new Set<string>();
  const entries: [string, Uint8Array][] = [];
  for (const f of found) {
    const name = f.path.slice(strip);
    // The same key the file set uses, so that a clash is this user-facing refusal, never its TypeError.
    const key = oneRosterFileKey(name);
    if (seen.has(key)) throw unsafe(`it holds two entries named ${JSON.stringify(safeName(name))}`);
    seen.add(key);
    entries.push([name, f.bytes]);
  }
  return createOneRosterFiles(entries);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Entry names go into messages: keep them short and printable. */
function safeName(path: string): string {
  const printable = path.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
}
