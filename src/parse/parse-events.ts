// What the guardians.csv parser is told and what it says: its options, the header it found
// and one event per record (docs/file-format.md, "Dialect"). Shared by the per-event API
// (parseGuardianFile) and the batched readers behind it.
import type { Issue } from '../errors/issue.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import type { GuardianRow } from '../model/guardian-row.js';

export interface ParseOptions {
  /** Canonical field → header text, for files with other header names. */
  readonly columns?: ColumnMapping | undefined;
  /** Region for phone numbers without a country code. @default 'US' */
  readonly defaultRegion?: string | undefined;
  /** For messages only. */
  readonly fileName?: string | undefined;
  /** Characters one record may hold; a longer record is MALFORMED_CSV. @default 1_000_000 */
  readonly maxRecordSize?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface HeaderInfo {
  readonly delimiter: string;
  /** Physical line of the header. */
  readonly line: number;
  /** Header cells as found (invisible characters removed, trimmed). */
  readonly columns: readonly string[];
  /** Canonical field → header found. */
  readonly mapping: ColumnMapping;
  readonly issues: readonly Issue[];
}

export type ParseEvent =
  | { readonly type: 'header'; readonly header: HeaderInfo }
  | { readonly type: 'row'; readonly row: GuardianRow; readonly issues: readonly Issue[] }
  | {
      readonly type: 'rejected';
      readonly line: number;
      readonly issues: readonly Issue[];
      /**
       * The skipped row's student id, when it has one that can be trusted (not on a row with
       * the wrong number of fields, whose values may sit in the wrong columns): the sync
       * still checks it against the roster, so one run reports every problem of the row.
       */
      readonly studentSisId?: string | undefined;
    };

/** A guardian row is a few hundred characters: a record over this is a runaway quote or junk. */
export const DEFAULT_MAX_RECORD_SIZE = 1_000_000;
