// guardians.csv text → a stream of events: the header once, then each record as a valid
// row or a rejected line (docs/file-format.md, "Dialect"). csv-parse does the RFC 4180 work,
// fed chunk by chunk (the text is never one string), with a record size limit and never
// `skip_records_with_error` (which turns one stray quote into zero rows and no error). A malformed quote stops the whole file with
// its line; a ragged row is a row error. Line numbers are physical lines where a record
// starts, counted here (csv-parse's own count is the end line and counts a CRLF inside
// quotes twice).
import { Buffer } from 'node:buffer';
import { Parser, type Options as CsvParseOptions } from 'csv-parse';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import type { GuardianRow, RawGuardianFields } from '../model/guardian-row.js';
import { assertPhoneRegion } from '../normalize/normalize-phone.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import { firstLineEnd, readPreamble } from './detect-delimiter.js';
import { mapHeader, type HeaderMapping } from './header-mapping.js';
import { validateGuardianRow } from './validate-row.js';

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

interface LocatedRecord {
  readonly fields: string[];
  /** Physical line where the record starts. */
  readonly line: number;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

function toAsyncIterable(input: string | Iterable<string> | AsyncIterable<string>): AsyncIterable<string> {
  if (typeof input === 'string') return (async function* () { yield input; })();
  if (Symbol.asyncIterator in input) return input;
  const iterable = input;
  return (async function* () { yield* iterable; })();
}

/** Line breaks inside a record's fields (only quoted fields can hold them); CRLF is one. */
function countBreaks(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) {
    if (field.indexOf('\n') === -1 && field.indexOf('\r') === -1) continue;
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 0x0d) {
        breaks++;
        if (field.charCodeAt(i + 1) === 0x0a) i++;
      } else if (c === 0x0a) breaks++;
    }
  }
  return breaks;
}

function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

interface CodedError extends Error {
  readonly code: string;
}

function isCsvError(error: Error): error is CodedError {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

function noop(): void {
  // csv-parse calls `close` only for `to`/`to_line`, which we do not use.
}

/** The synchronous engine inside csv-parse's stream (see createCsvEngine). */
interface CsvEngine {
  parse(buffer: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
}

/**
 * csv-parse is "one pure engine with thin wrappers": its Parser stream keeps the engine as
 * `api` and feeds it chunk by chunk. We feed it the same way, without the object-mode
 * stream between it and us: every record reaches us synchronously and in order (exact line
 * numbers even when an error stops the parse) and at the cost of bare csv-parse. The
 * version is pinned; the parse tests fail loudly if the engine ever moves.
 */
function createCsvEngine(options: CsvParseOptions): CsvEngine {
  const engine = (new Parser(options) as unknown as { api?: Partial<CsvEngine> }).api;
  if (engine === undefined || typeof engine.parse !== 'function') {
    throw new Error('csv-parse no longer exposes its parsing engine as Parser#api: guardian-sync needs updating for this csv-parse version.');
  }
  return engine as CsvEngine;
}

function csvErrorToGuardianError(error: CodedError, line: number, headerCells: readonly string[] | undefined, options: ParseOptions, maxRecordSize: number): GuardianSyncError {
  const file = options.fileName;
  const index = (error as { column?: unknown }).column;
  const column = typeof index === 'number' ? (headerCells?.[index]?.trim() || `column ${index + 1}`) : undefined;
  const at = `the record starting at line ${line}${column !== undefined ? `, column ${JSON.stringify(column)}` : ''}`;
  let message: string;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      message = `A double quote opened in ${at} is never closed, so the rest of the file would be one value. Close the quote, or remove it.`;
      break;
    case 'CSV_MAX_RECORD_SIZE':
      message = `${at[0]?.toUpperCase() ?? ''}${at.slice(1)} is longer than ${maxRecordSize} characters: a double quote opened there is probably never closed, or a value is far too long. Fix the quoting at that line.`;
      break;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      message = `In ${at}, a quoted value has text right after its closing quote. Inside quotes, write a double quote as two double quotes (""); a backslash before a quote (\\") is not CSV escaping.`;
      break;
    case 'INVALID_OPENING_QUOTE':
      message = `In ${at}, a double quote appears in the middle of a value that does not start with one. Quote the whole value and double the inner quotes ("Ann ""Nan"" Lee"), or remove the quote.`;
      break;
    default:
      message = `${at[0]?.toUpperCase() ?? ''}${at.slice(1)} is not valid CSV (${error.code}). Fix the quoting at that line.`;
  }
  return new GuardianSyncError('MALFORMED_CSV', message, { file, line, column });
}

export async function* parseGuardianFile(
  input: string | Iterable<string> | AsyncIterable<string>,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent, void, undefined> {
  const { fileName, signal } = options;
  const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
  if (!Number.isSafeInteger(maxRecordSize) || maxRecordSize < 1) {
    throw new GuardianSyncError('INVALID_CONFIGURATION', `maxRecordSize must be a positive whole number of characters (got ${String(maxRecordSize)}).`);
  }
  // A wrong region is a configuration problem: say so before reading, not at the first phone.
  if (options.defaultRegion !== undefined) assertPhoneRegion(options.defaultRegion);
  throwIfReadingAborted(signal, fileName);
  const source = toAsyncIterable(input)[Symbol.asyncIterator]();

  // Read ahead to the end of the first non-blank line: the dialect is decided there.
  let head = '';
  let sourceDone = false;
  while (head.length <= maxRecordSize && firstLineEnd(head) === -1) {
    const next = await source.next();
    if (next.done === true) {
      sourceDone = true;
      break;
    }
    head += next.value;
  }
  const preamble = readPreamble(head);
  head = head.slice(preamble.skip);

  // The text after the preamble. A chunk ending in half a surrogate pair keeps that half
  // for the next chunk: encoded alone it would become U+FFFD.
  // Whether the text seen so far ends with a line break (the final answer once it is all read).
  let endsWithBreak = head.endsWith('\n') || head.endsWith('\r');
  async function* text(): AsyncGenerator<string> {
    let carry = head;
    head = '';
    try {
      while (!sourceDone) {
        throwIfReadingAborted(signal, fileName);
        const next = await source.next();
        if (next.done === true) break;
        carry += next.value;
        const last = carry.charCodeAt(carry.length - 1);
        const keep = last >= 0xd800 && last <= 0xdbff ? 1 : 0;
        endsWithBreak = last === 0x0a || last === 0x0d;
        if (carry.length > keep) yield carry.slice(0, carry.length - keep);
        carry = carry.slice(carry.length - keep);
      }
      if (carry !== '') yield carry;
    } finally {
      if (!sourceDone) await source.return?.();
    }
  }

  // Physical line where the previous record ended; records and blank lines follow on.
  let lastLine = preamble.lineOffset;
  // The header as the parser saw it, for error messages that name a column.
  let headerCells: string[] | undefined;
  const batch: LocatedRecord[] = [];
  // Called synchronously, in order, for every record (blank lines are records of one
  // empty field here), so `lastLine` is exact at the moment an error stops the parser.
  const push = (record: unknown): void => {
    const fields = record as string[];
    const line = lastLine + 1;
    lastLine = line + countBreaks(fields);
    if (isBlank(fields)) return;
    headerCells ??= fields;
    batch.push({ fields, line });
  };
  const parser = createCsvEngine({
    delimiter: preamble.delimiter,
    // All three, always: csv-parse otherwise keeps the first one it sees for the whole file.
    record_delimiter: ['\r\n', '\n', '\r'],
    quote: '"',
    escape: '"',
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: false,
    skip_records_with_error: false,
    max_record_size: maxRecordSize,
    trim: true,
    bom: true,
  });

  let header: HeaderMapping | undefined;
  let requiredLength = 0;
  const rowOptions = { defaultRegion: options.defaultRegion };
  const fail = (error: Error): GuardianSyncError => {
    if (isGuardianSyncError(error)) return error;
    if (isCsvError(error)) return csvErrorToGuardianError(error, lastLine + 1, headerCells, options, maxRecordSize);
    return new GuardianSyncError('MALFORMED_CSV', `The file could not be parsed as CSV near line ${lastLine + 1}.`, { file: fileName, line: lastLine + 1 });
  };

  let finished = false;
  const chunks = text();
  try {
    while (!finished) {
      const next = await chunks.next();
      let error: Error | undefined;
      if (next.done === true) {
        finished = true;
        error = parser.parse(undefined, true, push, noop);
      } else {
        error = parser.parse(Buffer.from(next.value, 'utf8'), false, push, noop);
      }
      // Records parsed before an error still come out first: header errors win over later ones.
      for (const { fields, line } of batch) {
        throwIfReadingAborted(signal, fileName);
        if (header === undefined) {
          header = mapHeader(fields, { columns: options.columns, line, fileName });
          requiredLength = header.columns.reduce((last, cell, index) => (cell !== '' ? index + 1 : last), 0);
          yield {
            type: 'header',
            header: { delimiter: preamble.delimiter, line, columns: header.columns, mapping: header.mapping, issues: header.issues },
          };
          continue;
        }
        // Strict on purpose, even for empty extra fields: an unquoted comma in a name shifts
        // every later value one column right, and the shifted row must not be read.
        if (fields.length < requiredLength || fields.length > header.columns.length) {
          // The last record, short, with no line break after it: the file stops mid-row, as a
          // file still being written (or cut off in transfer) does. Synced, its missing rows
          // would look like guardians who left; the whole file waits instead.
          if (finished && fields.length < requiredLength && !endsWithBreak && line === batch[batch.length - 1]!.line) {
            throw new GuardianSyncError(
              'FILE_UNSTABLE',
              `${fileName ?? 'The file'} ends in the middle of a row: line ${line} has ${fields.length} of ${header.columns.length} fields and no line break after it, so the file is probably still being written or was cut off. Nothing was changed. Wait until the export is complete and run again; if the file is complete, fix line ${line}.`,
              { file: fileName, line },
            );
          }
          yield {
            type: 'rejected',
            line,
            issues: [
              createIssue(
                'WRONG_FIELD_COUNT',
                `The row has ${fields.length} fields but the header has ${header.columns.length}: the row is skipped. Check for an unquoted ${DELIMITER_NAMES[preamble.delimiter] ?? 'delimiter'} in a value.`,
                { line },
              ),
            ],
          };
          continue;
        }
        const raw: RawGuardianFields = {};
        for (const [field, index] of header.indexes) raw[field] = fields[index] ?? '';
        const result = validateGuardianRow(raw, line, rowOptions);
        if (result.row !== null) yield { type: 'row', row: result.row, issues: result.issues };
        else yield { type: 'rejected', line, issues: result.issues, studentSisId: result.studentSisId === '' ? undefined : result.studentSisId };
      }
      batch.length = 0;
      if (error !== undefined) throw fail(error);
    }
  } finally {
    // The consumer may stop early (break, an error): release the source.
    await chunks.return(undefined);
  }
  if (header === undefined) {
    throw new GuardianSyncError('FILE_EMPTY', `${fileName ?? 'The file'} has no header line: export it again with its header.`, { file: fileName });
  }
}
