// The self-check: decode, parse and validate a guardian file alone, with no roster. What
// `guardian-sync validate` prints, and what a host shows a district before enabling a sync.
import type { GuardianFileSource } from '../contracts/file-source.js';
import { isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, hasErrors, type Issue } from '../errors/issue.js';
import type { FileSummary } from '../model/report.js';
import { countGuardians } from '../resolve/count-guardians.js';
import { fetchGuardianInput } from './fetch-guardian-input.js';
import { orderIssues } from './assemble-report.js';
import { noValidRowsMessage, type GuardianInput } from './read-guardian-input.js';
import { DEFAULT_MAX_FILE_BYTES } from './resolve-sync-options.js';
import type { ColumnMapping, InputFormat } from './sync-options.js';

export interface ValidateOptions {
  /** @default 'guardians' */
  readonly format?: InputFormat | undefined;
  readonly encoding?: string | undefined;
  /** @default 'windows-1252' */
  readonly legacyEncoding?: string | undefined;
  readonly columns?: ColumnMapping | undefined;
  /** @default 'US' */
  readonly defaultRegion?: string | undefined;
  /** @default 200 MiB */
  readonly maxFileBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ValidationReport {
  readonly formatVersion: 1;
  /** Null when the file could not be read at all (missing, too large). */
  readonly file: FileSummary | null;
  /** Canonical field → header found in the file. */
  readonly header: ColumnMapping;
  readonly counts: {
    readonly rows: number;
    readonly rowsSkipped: number;
    /** Distinct guardians after the identity rules inside the file (docs/identity-rules.md §1). */
    readonly guardians: number;
    readonly rowsWithoutGuardianSisId: number;
  };
  readonly issues: readonly Issue[];
  /** True when no issue has error severity. */
  readonly valid: boolean;
}

export async function validateGuardianFile(source: GuardianFileSource, options: ValidateOptions = {}): Promise<ValidationReport> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let file: FileSummary | null = null;
  let input: GuardianInput;
  try {
    const fetched = await fetchGuardianInput(source, {
      format: options.format ?? 'guardians',
      maxBytes,
      encoding: options.encoding,
      legacyEncoding: options.legacyEncoding,
      columns: options.columns,
      defaultRegion: options.defaultRegion ?? 'US',
      signal: options.signal,
      onFile: (read) => (file = read),
    });
    file = fetched.file;
    input = fetched.input;
  } catch (error) {
    if (!isGuardianSyncError(error)) throw error;
    const issues = [error.toIssue()];
    return { formatVersion: 1, file, header: {}, counts: { rows: 0, rowsSkipped: 0, guardians: 0, rowsWithoutGuardianSisId: 0 }, issues, valid: false };
  }

  const issues = [...input.issues];
  const noRows = noValidRowsMessage(input, file.name, options.format ?? 'guardians');
  if (noRows !== null) issues.unshift(createIssue('NO_VALID_ROWS', noRows));
  const ordered = orderIssues(issues);
  return {
    formatVersion: 1,
    file,
    header: input.header,
    counts: {
      rows: input.records,
      rowsSkipped: input.rejected.length,
      guardians: countGuardians(input.rows),
      rowsWithoutGuardianSisId: input.rows.reduce((n, row) => (row.guardianSisId === null ? n + 1 : n), 0),
    },
    issues: ordered,
    valid: !hasErrors(ordered),
  };
}
