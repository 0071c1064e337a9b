// The I/O edge of OneRoster input: a folder, a single CSV, a list of CSVs, a ZIP (by its
// magic bytes, whatever its name), or bytes already in memory → a file set the pure readers
// take. Sizes are checked before anything is read whole. Bytes go to the pure
// `oneRosterFilesFromBytes` (src/oneroster), which the reading stage calls directly.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createOneRosterFiles, type OneRosterFiles } from '../oneroster/oneroster-files.js';
import { oneRosterFilesFromBytes, oneRosterInputTooLarge as tooLarge } from '../oneroster/oneroster-files-from-bytes.js';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../oneroster/read-zip-archive.js';

/** Where a OneRoster set comes from. */
export type OneRosterInput =
  /** A folder of CSVs, a ZIP, or one CSV file. */
  | { readonly path: string }
  /** Several CSV files (e.g. users.csv and orgs.csv), keyed by their base names. */
  | { readonly paths: readonly string[] }
  /** Bytes already read (an upload, an SFTP download): a ZIP or one CSV. */
  | { readonly name: string; readonly bytes: Uint8Array };

export interface OpenOneRosterInputOptions extends ArchiveLimits {}

/**
 * Opens a OneRoster input. A single CSV not named like a OneRoster file (`export.csv`) is
 * also available as `users.csv`, since that is what a single file can only be. Throws
 * FILE_NOT_FOUND for a missing path, FILE_TOO_LARGE when a folder's CSVs or a file exceed
 * `maxTotalBytes`, UNSAFE_ARCHIVE for a refused ZIP.
 */
export async function openOneRosterInput(input: OneRosterInput, options: OpenOneRosterInputOptions = {}): Promise<OneRosterFiles> {
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  if ('bytes' in input) return oneRosterFilesFromBytes(input.name, input.bytes, options);
  if ('paths' in input) {
    const entries: [string, Uint8Array][] = [];
    let total = 0;
    for (const path of input.paths) {
      const size = await sizeOf(path);
      total += size;
      if (total > maxTotalBytes) throw tooLarge(basename(path), maxTotalBytes);
      entries.push([basename(path), await readFile(path)]);
    }
    return createOneRosterFiles(entries);
  }
  const info = await statOrThrow(input.path);
  if (info.isDirectory()) return fromFolder(input.path, maxTotalBytes);
  if (info.size > maxTotalBytes) throw tooLarge(basename(input.path), maxTotalBytes);
  return oneRosterFilesFromBytes(basename(input.path), await readFile(input.path), options);
}

/** The folder's own CSV files (not its subfolders); other files are ignored. */
async function fromFolder(folder: string, maxTotalBytes: number): Promise<OneRosterFiles> {
  const entries: [string, Uint8Array][] = [];
  let total = 0;
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.csv'))
    .map((d) => d.name)
    .sort();
  const seen = new Set<string>();
  for (const name of names) {
    // Case-sensitive file systems may hold users.csv and Users.csv: which one is meant is unknown.
    if (seen.has(name.toLowerCase())) {
      throw new GuardianSyncError('INVALID_CONFIGURATION', `The folder holds two files named ${name} (differing only in case): keep one.`, { file: name });
    }
    seen.add(name.toLowerCase());
    const path = join(folder, name);
    total += await sizeOf(path);
    if (total > maxTotalBytes) throw tooLarge(name, maxTotalBytes);
    entries.push([name, await readFile(path)]);
  }
  return createOneRosterFiles(entries);
}

async function statOrThrow(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch {
    throw new GuardianSyncError('FILE_NOT_FOUND', `${basename(path)} was not found: check the path.`, { file: basename(path) });
  }
}

async function sizeOf(path: string): Promise<number> {
  return (await statOrThrow(path)).size;
}
