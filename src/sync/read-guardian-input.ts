// Bytes → validated guardian rows: the one reading step shared by `syncGuardians` and
// `validateGuardianFile`, for both input formats. Pure (bytes in, values out); whole-file
// errors are thrown as GuardianSyncError, row problems come back as issues.
import { detectEncoding } from '../decode/detect-encoding.js';
import { decodeChunks } from '../decode/decode-text.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import { parseGuardianFile } from '../parse/parse-guardian-file.js';
import { describeSkippedRows, summarizeSkippedRows } from './skipped-rows.js';
import type { ColumnMapping, InputFormat } from './sync-options.js';

export interface ReadInputOptions {
  readonly format: InputFormat;
  readonly fileName: string;
  readonly encoding?: string | undefined;
  readonly legacyEncoding?: string | undefined;
  readonly columns?: ColumnMapping | undefined;
  readonly defaultRegion?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called every few thousand records, for progress bars. */
  readonly onRecords?: ((records: number) => void) | undefined;
}

export interface RejectedRow {
  readonly line: number;
  readonly issues: readonly Issue[];
  /** The row's student id when it can be trusted: checked against the roster all the same. */
  readonly studentSisId?: string | undefined;
}

export interface GuardianInput {
  readonly encoding: string;
  readonly encodingGuessed: boolean;
  readonly delimiter: string;
  /** Data records read (header excluded). */
  readonly records: number;
  /** Canonical field → the header text that supplied it. */
  readonly header: ColumnMapping;
  /** Valid rows, in line order. */
  readonly rows: GuardianRow[];
  readonly rejected: RejectedRow[];
  /** File-level issues (encoding, header) and every row issue, in the order found. */
  readonly issues: Issue[];
  /** OneRoster delta files only remove what they say; everything else is a full file. */
  readonly mode: 'full' | 'delta';
}

const PROGRESS_EVERY = 5000;

export async function readGuardianInput(bytes: Uint8Array, options: ReadInputOptions): Promise<GuardianInput> {
  if (options.format === 'oneroster') {
    const { readOneRosterInput } = await import('./read-oneroster-input.js');
    return readOneRosterInput(bytes, options);
  }
  return readGuardiansCsv(bytes, options);
}

/** guardians.csv: detect the encoding, stream-decode, stream-parse. */
export async function readGuardiansCsv(bytes: Uint8Array, options: ReadInputOptions): Promise<GuardianInput> {
  const detection = detectEncoding(bytes, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    fileName: options.fileName,
  });
  const issues: Issue[] = [...detection.issues];
  const rows: GuardianRow[] = [];
  const rejected: RejectedRow[] = [];
  let header: ColumnMapping = {};
  let delimiter = ',';
  let records = 0;

  const events = parseGuardianFile(decodeChunks(bytes, detection), {
    columns: options.columns,
    defaultRegion: options.defaultRegion,
    fileName: options.fileName,
    signal: options.signal,
  });
  for await (const event of events) {
    switch (event.type) {
      case 'header':
        header = event.header.mapping;
        delimiter = event.header.delimiter;
        issues.push(...event.header.issues);
        break;
      case 'row':
        records++;
        rows.push(event.row);
        if (event.issues.length > 0) issues.push(...event.issues);
        break;
      case 'rejected':
        records++;
        rejected.push(event.studentSisId === undefined ? { line: event.line, issues: event.issues } : { line: event.line, issues: event.issues, studentSisId: event.studentSisId });
        issues.push(...event.issues);
        break;
    }
    if (options.onRecords !== undefined && records % PROGRESS_EVERY === 0 && records > 0) options.onRecords(records);
  }
  return {
    encoding: detection.encoding,
    encodingGuessed: detection.guessed,
    delimiter,
    records,
    header,
    rows,
    rejected,
    issues,
    mode: 'full',
  };
}

/**
 * Why a file gives nothing to sync (a header only, every row rejected, or a OneRoster set
 * with no guardians), or null when it has valid rows. A whole-file error (docs/file-format.md).
 */
export function noValidRowsMessage(input: GuardianInput, fileName: string, format: InputFormat): string | null {
  if (input.rows.length > 0) return null;
  if (format === 'oneroster' && input.rejected.length === 0) {
    return `${fileName} lists no guardian linked to a student (users with the role parent, guardian or relative): nothing to sync.`;
  }
  if (input.records === 0) return `${fileName} has a header but no data rows: nothing to sync.`;
  // The reasons, counted, so the message says what to fix even where the rows' own issues are not shown.
  const reasons = describeSkippedRows(summarizeSkippedRows(input.rejected));
  return `None of the ${input.records} rows of ${fileName} could be used${reasons === '' ? '' : `: ${reasons}`}. Fix those rows (each is listed with its issue).`;
}

/** Throws NO_VALID_ROWS when the input gives nothing to sync. */
export function assertHasValidRows(input: GuardianInput, fileName: string, format: InputFormat): void {
  const message = noValidRowsMessage(input, fileName, format);
  if (message !== null) throw new GuardianSyncError('NO_VALID_ROWS', message, { file: fileName });
}
