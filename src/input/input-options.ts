// What the reading stage is told. One type for every path: the dispatcher and each path
// (guardians.csv, OneRoster) take it whole, so no caller picks the options a path gets, and
// the OneRoster path names every option it passes on (an option added here does not compile
// there until that path says what it does with it).
import type { ColumnMapping } from '../model/column-mapping.js';
import type { InputFormat } from './input-format.js';

/**
 * How a file is read, as a caller of the sync or the self-check chooses it: the settings that
 * do not come from the file or the run. One definition, extended by `InputOptions`,
 * `SyncGuardiansOptions` and `ValidateOptions`, so the three cannot drift.
 */
export interface ReadingSettings {
  /** Which path reads the file. @default 'guardians' */
  readonly format?: InputFormat | undefined;
  /** Decode with this encoding instead of detecting it (e.g. 'windows-1250'); for OneRoster, every CSV of the set. */
  readonly encoding?: string | undefined;
  /** Encoding used when the bytes are neither UTF-8 nor UTF-16. @default 'windows-1252' */
  readonly legacyEncoding?: string | undefined;
  /**
   * Canonical field → header text, for a guardians.csv whose headers are named otherwise (also
   * one inside a OneRoster zip). A users.csv is read by OneRoster's own column names.
   */
  readonly columns?: ColumnMapping | undefined;
  /** Region for phone numbers without a country code (ISO 3166-1 alpha-2). @default 'US' */
  readonly defaultRegion?: string | undefined;
}

export interface InputOptions extends ReadingSettings {
  /** Which path reads the bytes: chosen by the caller, as the stage has no default. */
  readonly format: InputFormat;
  /** The name of the file the bytes came from, for messages, issues and the report. */
  readonly fileName: string;
  /** Aborted, the read stops between records with ABORTED. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called with the count so far, for progress bars: every RECORDS_PER_PROGRESS records of a
   * guardians.csv, every USERS_PER_PROGRESS users of a OneRoster users.csv (5,000 both).
   */
  readonly onRecords?: ((records: number) => void) | undefined;
}
