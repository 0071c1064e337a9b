// `--file` as a file source. With `--format oneroster` it may name a folder holding a
// OneRoster export: the whole folder is read (users.csv, roles.csv, manifest.csv, …), so a
// 1.2 export keeps its roles and a delta export its manifest. A file is taken only once it
// is complete (the settle wait, or its `.done` marker): see createLocalFileSource.
import { stat } from 'node:fs/promises';
import type { GuardianFileSource } from '../contracts/file-source.js';
import { createOneRosterFolderSource } from '../sources/oneroster-folder-source.js';
import { createLocalFileSource, type LocalDoneMarkerMode } from '../sources/local-file-source.js';
import type { InputFormat } from '../input/input-format.js';
import { UsageError } from './usage-error.js';

/** How sure the command must be that the file is complete before it reads it. */
export interface LocalFileChecks {
  /** From `--settle`; undefined: the library's default. */
  readonly stableCheckMs?: number | undefined;
  /** 'require' with `--require-done-marker`. */
  readonly doneMarker?: LocalDoneMarkerMode | undefined;
}

/**
 * The self-check reads the file as it is: it changes nothing, and a person runs it on a file
 * they hold. A file that changes while it is read is still refused.
 */
export const SELF_CHECK_FILE_CHECKS: LocalFileChecks = { stableCheckMs: 0, doneMarker: 'ignore' };

export async function localInputSource(command: string, path: string, format: InputFormat, checks: LocalFileChecks): Promise<GuardianFileSource> {
  if (format === 'oneroster') {
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory() === true) {
      // A folder has no single modification time or marker to trust: refuse rather than pretend.
      if (checks.doneMarker === 'require') throw new UsageError('--require-done-marker needs a file (a users.csv or a .zip), not a folder.', command);
      return createOneRosterFolderSource({ path });
    }
  }
  return createLocalFileSource({ path, stableCheckMs: checks.stableCheckMs, doneMarker: checks.doneMarker });
}
