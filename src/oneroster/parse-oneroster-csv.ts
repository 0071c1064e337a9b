// One OneRoster CSV file → its records, one by one, each with the physical line it starts on
// (OneRosterCsvReader), or collected into a table (parseOneRosterCsv, for the small files).
// Pure. Same safety as the guardians.csv parser: records with errors are never skipped
// silently (a malformed quote throws MALFORMED_CSV, it does not lose rows); ragged rows
// become WRONG_FIELD_COUNT row issues; a record size cap stops one stray quote from
// swallowing the file; CRLF, LF and CR are all record ends, even mixed.
//
// The reader feeds csv-parse's engine (src/parse/csv-engine.ts) UTF-8 bytes chunk by chunk
// and hands each record on as it completes, so a users.csv of a million users is never held
// as a table. It reads a file exactly as csv-parse/sync reading the whole text at once does
// (test/oneroster/support/plain-oneroster-csv.ts, compared by a property test): blank lines
// are no records, values are not trimmed by the parser, and errors name the same lines.
import { Buffer } from 'node:buffer';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { INVISIBLE_CHARACTERS } from '../normalize/invisible-characters.js';
import { createCsvEngine, noop, type CsvEngine, type TextShape } from '../parse/csv-engine.js';
import { countBreaks, isBlank } from '../parse/guardian-record-reader.js';

export interface OneRosterRecord {
  /** Physical line (1-based) where the record starts, right even after quoted newlines. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** A file's checked header. */
export interface OneRosterColumns {
  readonly fileName: string;
  /** Header names as found (invisible characters removed, trimmed). */
  readonly header: readonly string[];
  readonly headerLine: number;
  /** Index of a column by name (case-insensitive), or undefined when the file lacks it. */
  columnIndex(name: string): number | undefined;
}

/** What a read of a whole file gives besides the records it handed on. */
export interface OneRosterReadSummary extends OneRosterColumns {
  /** Records with the wrong field count, in line order (their issues are in `issues`). */
  readonly ragged: readonly OneRosterRecord[];
  /** Data records read, ragged ones included (blank lines and rows of only commas are not records). */
  readonly recordCount: number;
  readonly issues: readonly Issue[];
}

export interface OneRosterTable extends OneRosterReadSummary {
  /** Records with the header's field count, in line order. */
  readonly records: readonly OneRosterRecord[];
  /** The trimmed value of a column in a record; '' when the column or the field is missing. */
  value(record: OneRosterRecord, name: string): string;
}

/** Takes a file's records one by one, in line order. */
export interface OneRosterRecordSink {
  /** The header, once checked (required columns present, no used one twice), before any record. */
  start(columns: OneRosterColumns): void;
  /**
   * A record with the header's field count (blank ones and ragged ones are not handed on),
   * its fields untrimmed. The reader keeps no reference to it.
   */
  record(fields: string[], line: number): void;
}

export interface ParseOneRosterCsvOptions {
  /** The file the text came from, for messages. */
  readonly fileName: string;
  /** Columns that must be present (case-insensitive); absent → MISSING_REQUIRED_COLUMN thrown. */
  readonly required?: readonly string[] | undefined;
  /**
   * Columns the reader uses: a duplicate of one of them → DUPLICATE_COLUMN thrown (which one
   * to read cannot be guessed). Duplicates of other columns are ignored.
   */
  readonly used?: ((normalizedName: string) => boolean) | undefined;
  /** Whether row issues carry the line (true for the file a report is about) or name it in the message. */
  readonly issuesWithLine?: boolean | undefined;
  /** @default 1 MiB */
  readonly maxRecordBytes?: number | undefined;
}

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
// BOM, zero-width spaces, word joiners (the shared list): Excel and some SIS exports put them in headers.
const INVISIBLE = INVISIBLE_CHARACTERS;
const LF = 0x0a;
const CR = 0x0d;

/** Header name as compared: invisible characters removed, trimmed, lower-cased. */
export function normalizeHeaderName(name: string): string {
  return name.replace(INVISIBLE, '').trim().toLowerCase();
}

/** Splits a multi-valued OneRoster field (`"s1,s2"`): trimmed, blanks dropped, duplicates removed. */
export function splitMultiValue(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const id = part.trim();
    if (id !== '' && !out.includes(id)) out.push(id);
  }
  return out;
}

/** A chunk of the bytes given to csv-parse, kept while an error could still point into it. */
interface FedChunk {
  /** Offset of its first byte in the bytes fed. */
  readonly start: number;
  readonly bytes: Buffer;
}

/**
 * Reads one OneRoster CSV from its UTF-8 bytes, given in chunks of any size (`write`, then
 * `end`), handing each record to `sink` as it completes. Errors come in the order a read of
 * the whole text gives them: MALFORMED_CSV (thrown by `write` or `end` as soon as the parse
 * stops), then, from `end`, FILE_EMPTY, DUPLICATE_COLUMN, MISSING_REQUIRED_COLUMN (a header
 * with one of these hands on no record; the rest of the file is still parsed, for
 * MALFORMED_CSV).
 */
export class OneRosterCsvReader {
  readonly #options: ParseOneRosterCsvOptions;
  readonly #sink: OneRosterRecordSink;
  readonly #engine: CsvEngine;
  /** Physical line where the previous record ends (0 before the first). */
  #lastLine = 0;
  /** csv-parse's `info.lines` and `info.empty_lines` at the previous record. */
  #csvLines = 0;
  #emptyLines = 0;
  /** Offset just past the previous record (its line break included), in the bytes fed. */
  #recordEnd = 0;
  #fed = 0;
  /** Chunks from the one holding `#recordEnd` on: what an error's offset is counted over. */
  #window: FedChunk[] = [];
  #header: OneRosterColumns | undefined;
  #width = 0;
  #trimmedWidth = 0;
  /** What the header lacks or repeats, thrown by `end` (after the whole file parsed). */
  #headerError: GuardianSyncError | undefined;
  readonly #ragged: OneRosterRecord[] = [];
  readonly #issues: Issue[] = [];
  #recordCount = 0;

  /** `shape.lineBreaks`: the line breaks the bytes use, when the caller found them out (lineBreaksOf). */
  constructor(options: ParseOneRosterCsvOptions, sink: OneRosterRecordSink, shape: Pick<TextShape, 'lineBreaks'> = {}) {
    this.#options = options;
    this.#sink = sink;
    // csv-parse/sync's defaults but for what a OneRoster file needs: values kept untrimmed
    // (a space beside a quote is malformed), blank lines no records.
    this.#engine = createCsvEngine(',', options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, { lineBreaks: shape.lineBreaks, trim: false, skipEmptyLines: true });
  }

  /** Parses the next bytes (csv-parse keeps a character or a record cut at their end for the next ones). */
  write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#window.push({ start: this.#fed, bytes });
    this.#fed += bytes.length;
    this.#parse(bytes, false);
    // Only the chunk holding the end of the last record, and those after it, can hold an error.
    let keep = this.#window.length - 1;
    while (keep > 0 && this.#window[keep]!.start > this.#recordEnd) keep--;
    if (keep > 0) this.#window = this.#window.slice(keep);
  }

  /** The end of the bytes: the last record, then the whole-file checks. */
  end(): OneRosterReadSummary {
    this.#parse(undefined, true);
    const header = this.#header;
    if (header === undefined || this.#trimmedWidth === 0) {
      const fileName = this.#options.fileName;
      throw new GuardianSyncError('FILE_EMPTY', `${fileName} is empty: it has no header line.`, { file: fileName });
    }
    if (this.#headerError !== undefined) throw this.#headerError;
    return { ...header, ragged: this.#ragged, recordCount: this.#recordCount, issues: this.#issues };
  }

  #parse(bytes: Buffer | undefined, end: boolean): void {
    const error = this.#engine.parse(bytes, end, this.#push, noop);
    if (error !== undefined) throw malformed(error, this.#errorLine(error), this.#options.fileName);
  }

  // Called synchronously, in order, for every record csv-parse completes.
  readonly #push = (record: unknown): void => {
    const fields = record as string[];
    const { info } = this.#engine;
    // Blank lines before the record (skipped by csv-parse), then the record; csv-parse's line
    // count moves by one more when the record holds line breaks (only quoted values can).
    const blanks = info.empty_lines - this.#emptyLines;
    const line = this.#lastLine + 1 + blanks;
    this.#lastLine = info.lines === this.#csvLines + 1 + blanks ? line : line + countBreaks(fields);
    this.#csvLines = info.lines;
    this.#emptyLines = info.empty_lines;
    this.#recordEnd = info.bytes;

    if (this.#header === undefined) {
      this.#readHeader(fields, line);
      return;
    }
    if (isBlank(fields)) return;
    this.#recordCount++;
    const count = fields.length;
    if (count === this.#width || (count >= this.#trimmedWidth && count <= this.#width)) {
      if (this.#headerError === undefined && this.#trimmedWidth > 0) this.#sink.record(fields, line);
      return;
    }
    this.#ragged.push({ line, fields });
    const { fileName } = this.#options;
    const message = `${fileName} line ${line} has ${count} fields but the header has ${this.#trimmedWidth}: the row is skipped (check for an unquoted comma).`;
    this.#issues.push(createIssue('WRONG_FIELD_COUNT', message, this.#options.issuesWithLine === true ? { line } : {}));
  };

  #readHeader(fields: readonly string[], headerLine: number): void {
    const { fileName, used, required } = this.#options;
    const headerFields = fields.map((h) => h.replace(INVISIBLE, '').trim());
    const width = headerFields.length;
    // Trailing blank header cells (`…,password,`) are tolerated: rows may have them or not.
    let trimmedWidth = width;
    while (trimmedWidth > 0 && headerFields[trimmedWidth - 1] === '') trimmedWidth--;
    this.#width = width;
    this.#trimmedWidth = trimmedWidth;

    const index = new Map<string, number>();
    headerFields.forEach((name, i) => {
      const key = normalizeHeaderName(name);
      if (key === '') return;
      if (index.has(key)) {
        if (used?.(key) === true) {
          this.#headerError ??= new GuardianSyncError('DUPLICATE_COLUMN', `${fileName} has two columns named ${name}: remove or rename one of them.`, {
            file: fileName,
            line: headerLine,
            column: name,
          });
        }
        return;
      }
      index.set(key, i);
    });
    for (const name of required ?? []) {
      if (this.#headerError === undefined && !index.has(name.toLowerCase())) {
        this.#headerError = new GuardianSyncError('MISSING_REQUIRED_COLUMN', `${fileName} has no ${name} column: add it (OneRoster requires it).`, {
          file: fileName,
          line: headerLine,
          column: name,
        });
      }
    }
    const header: OneRosterColumns = {
      fileName,
      header: headerFields.slice(0, trimmedWidth),
      headerLine,
      columnIndex: (name) => index.get(name.toLowerCase()),
    };
    this.#header = header;
    if (this.#headerError === undefined && trimmedWidth > 0) this.#sink.start(header);
  }

  /**
   * The line csv-parse's error points at: where its byte offset (the last record's end, or
   * the last delimiter read of the broken record) lies, counting the lines from the end of
   * the last record (one line past it) over the chunks kept.
   */
  #errorLine(error: Error): number {
    const offset = (error as { bytes?: unknown }).bytes;
    let line = this.#lastLine + 1;
    if (typeof offset !== 'number') return line;
    let previous = -1;
    for (const chunk of this.#window) {
      const from = Math.max(this.#recordEnd, chunk.start) - chunk.start;
      const to = Math.min(offset, chunk.start + chunk.bytes.length) - chunk.start;
      for (let i = from; i < to; i++) {
        const c = chunk.bytes[i];
        if (c === CR || (c === LF && previous !== CR)) line++;
        previous = c ?? -1;
      }
    }
    return line;
  }
}

/** Parses one OneRoster CSV text, collected into a table. Throws FILE_EMPTY, MALFORMED_CSV, MISSING_REQUIRED_COLUMN, DUPLICATE_COLUMN. */
export function parseOneRosterCsv(text: string, options: ParseOneRosterCsvOptions): OneRosterTable {
  const collected = collectRecords();
  const reader = new OneRosterCsvReader(options, collected.sink);
  reader.write(Buffer.from(text, 'utf8'));
  return tableOf(reader.end(), collected.records);
}

/** A sink keeping every record, for `tableOf`. */
export function collectRecords(): { readonly sink: OneRosterRecordSink; readonly records: readonly OneRosterRecord[] } {
  const records: OneRosterRecord[] = [];
  const sink: OneRosterRecordSink = {
    start: () => undefined,
    record: (fields, line) => {
      records.push({ line, fields });
    },
  };
  return { sink, records };
}

/** A read's summary and the records it collected, as a table. */
export function tableOf<S extends OneRosterReadSummary>(summary: S, records: readonly OneRosterRecord[]): S & OneRosterTable {
  return {
    ...summary,
    records,
    value: (record, name) => {
      const i = summary.columnIndex(name);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    },
  };
}

function malformed(error: unknown, line: number, fileName: string): GuardianSyncError {
  const details = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown };
  const code = typeof details.code === 'string' ? details.code : '';
  const what =
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field is never closed'
      : code === 'CSV_MAX_RECORD_SIZE'
        ? 'a record is larger than the limit (usually an unclosed quote)'
        : code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE'
          ? 'a double quote is misplaced'
          : 'the CSV cannot be read';
  return new GuardianSyncError(
    'MALFORMED_CSV',
    `${fileName} is not valid CSV near line ${line}: ${what}. Fix the quoting there; no row of the file was used.`,
    { file: fileName, line },
  );
}
