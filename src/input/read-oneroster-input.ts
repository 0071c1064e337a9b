// The OneRoster path of the reading stage: a users.csv, or a zip holding a OneRoster set or a
// guardians.csv → the same GuardianInput a guardians.csv gives, so identity rules, plan and
// report are shared. Pure: the zip is read in memory.
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import { findGuardiansCsv } from '../oneroster/oneroster-files.js';
import { oneRosterFilesFromBytes } from '../oneroster/oneroster-files-from-bytes.js';
import { readOneRosterGuardians, type OneRosterGuardianOptions } from '../oneroster/read-oneroster-guardians.js';
import type { GuardianInput } from './guardian-input.js';
import type { InputOptions } from './input-options.js';
import { readGuardiansCsv } from './read-guardians-csv.js';

/** Reads OneRoster bytes (`options.format` is not looked at: the caller chose this path). */
export async function readOneRosterInput(bytes: Uint8Array, options: InputOptions): Promise<GuardianInput> {
  const { fileName, signal } = options;
  throwIfReadingAborted(signal, fileName);
  const files = await oneRosterFilesFromBytes(fileName, bytes);
  // Unzipping is the one wait of this path: a signal aborted meanwhile stops it here.
  throwIfReadingAborted(signal, fileName);
  const guardiansCsv = findGuardiansCsv(files);
  if (guardiansCsv !== undefined) return readGuardiansCsv(guardiansCsv.bytes, { ...options, fileName: guardiansCsv.name });
  const result = readOneRosterGuardians(files, oneRosterReadOptions(options));
  return {
    encoding: result.file.encoding,
    encodingGuessed: result.file.encodingGuessed,
    delimiter: result.file.delimiter,
    records: result.file.rows,
    header: result.header,
    rows: result.rows,
    rejected: result.rejected,
    issues: result.issues,
    mode: result.mode,
  };
}

/**
 * Every input option, as the OneRoster readers take it. The options are destructured whole:
 * an option added to InputOptions leaves `rest` non-empty, which does not compile, until this
 * path says what it does with it.
 */
function oneRosterReadOptions(options: InputOptions): OneRosterGuardianOptions {
  const {
    // It chose this path. (A guardians.csv in the zip was handed every option, above.)
    format: _format,
    // Names the input in the messages of this stage; the readers name the set's own files.
    fileName: _fileName,
    // A users.csv has OneRoster's own column names; a mapping is for a guardians.csv.
    columns: _columns,
    encoding,
    legacyEncoding,
    defaultRegion,
    signal,
    onRecords,
    ...rest
  } = options;
  const unhandled: Record<string, never> = rest;
  void unhandled;
  return { encoding, legacyEncoding, defaultRegion, signal, onRecords };
}
