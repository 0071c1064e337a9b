// Text of one OneRoster CSV file → a table of records with the physical line each starts on.
// Pure. Same safety as the guardians.csv parser: records with errors are
// never skipped silently (a malformed quote throws MALFORMED_CSV, it does not lose rows);
// ragged rows become WRONG_FIELD_COUNT row issues; a record size cap stops one stray quote
// from swallowing the file; CRLF, LF and CR are all record ends, even mixed.
import { parse } from 'csv-parse/sync';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { INVISIBLE_CHARACTERS } from '../normalize/invisible-characters.js';

export interface OneRosterRecord {
  /** Physical line (1-based) where the record starts, right even after quoted newlines. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface OneRosterTable {
  readonly fileName: string;
  /** Header names as found (invisible characters removed, trimmed). */
  readonly header: readonly string[];
  readonly headerLine: number;
  /** Records with the header's field count, in line order. */
  readonly records: readonly OneRosterRecord[];
  /** Records with the wrong field count, in line order (their issues are in `issues`). */
  readonly ragged: readonly OneRosterRecord[];
  /** Data records read, ragged ones included (blank lines and rows of only commas are not records). */
  readonly recordCount: number;
  readonly issues: readonly Issue[];
  /** Index of a column by name (case-insensitive), or undefined when the file lacks it. */
  columnIndex(name: string): number | undefined;
  /** The trimmed value of a column in a record; '' when the column or the field is missing. */
  value(record: OneRosterRecord, name: string): string;
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

/** Parses one OneRoster CSV text. Throws FILE_EMPTY, MALFORMED_CSV, MISSING_REQUIRED_COLUMN, DUPLICATE_COLUMN. */
export function parseOneRosterCsv(text: string, options: ParseOneRosterCsvOptions): OneRosterTable {
  const { fileName } = options;
  // Parsing UTF-8 bytes, not the string, because csv-parse reports `info.bytes` (where each
  // record ends) in bytes; its `info.lines` counts a CRLF inside quotes as two lines.
  const buffer = Buffer.from(text, 'utf8');
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(buffer, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    throw malformed(error, buffer, fileName);
  }

  const lines = new LineCounter(buffer);
  let headerFields: string[] | undefined;
  let headerLine = 0;
  const records: OneRosterRecord[] = [];
  const ragged: OneRosterRecord[] = [];
  const issues: Issue[] = [];
  let recordCount = 0;
  let width = 0;
  let trimmedWidth = 0;

  for (const { record, info } of parsed) {
    const line = lines.advance(info.bytes);
    if (headerFields === undefined) {
      headerFields = record.map((h) => h.replace(INVISIBLE, '').trim());
      headerLine = line;
      width = headerFields.length;
      // Trailing blank header cells (`…,password,`) are tolerated: rows may have them or not.
      trimmedWidth = width;
      while (trimmedWidth > 0 && headerFields[trimmedWidth - 1] === '') trimmedWidth--;
      continue;
    }
    if (record.every((f) => f.trim() === '')) continue;
    recordCount++;
    if (record.length === width || (record.length >= trimmedWidth && record.length <= width)) {
      records.push({ line, fields: record });
    } else {
      ragged.push({ line, fields: record });
      const message = `${fileName} line ${line} has ${record.length} fields but the header has ${trimmedWidth}: the row is skipped (check for an unquoted comma).`;
      issues.push(createIssue('WRONG_FIELD_COUNT', message, options.issuesWithLine === true ? { line } : {}));
    }
  }
  if (headerFields === undefined || trimmedWidth === 0) {
    throw new GuardianSyncError('FILE_EMPTY', `${fileName} is empty: it has no header line.`, { file: fileName });
  }

  const index = new Map<string, number>();
  const seen = new Set<string>();
  headerFields.forEach((name, i) => {
    const key = normalizeHeaderName(name);
    if (key === '') return;
    if (seen.has(key)) {
      if (options.used?.(key) === true) {
        throw new GuardianSyncError('DUPLICATE_COLUMN', `${fileName} has two columns named ${name}: remove or rename one of them.`, {
          file: fileName,
          line: headerLine,
          column: name,
        });
      }
      return;
    }
    seen.add(key);
    index.set(key, i);
  });
  for (const name of options.required ?? []) {
    if (!index.has(name.toLowerCase())) {
      throw new GuardianSyncError('MISSING_REQUIRED_COLUMN', `${fileName} has no ${name} column: add it (OneRoster requires it).`, {
        file: fileName,
        line: headerLine,
        column: name,
      });
    }
  }

  const header = headerFields.slice(0, trimmedWidth);
  return {
    fileName,
    header,
    headerLine,
    records,
    ragged,
    recordCount,
    issues,
    columnIndex: (name) => index.get(name.toLowerCase()),
    value: (record, name) => {
      const i = index.get(name.toLowerCase());
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    },
  };
}

/**
 * Counts physical lines over the UTF-8 bytes: CRLF, LF and CR each end one line. Called with
 * the byte offset where each record ends, in order, it returns the line the record starts on
 * (after any blank lines before it). One pass over the whole file in total.
 */
class LineCounter {
  private pos = 0;
  private line = 1;

  constructor(private readonly bytes: Uint8Array) {}

  advance(recordEnd: number): number {
    const b = this.bytes;
    // Blank lines before the record.
    while (this.pos < recordEnd && (b[this.pos] === LF || b[this.pos] === CR)) this.step();
    const start = this.line;
    while (this.pos < recordEnd) {
      if (b[this.pos] === LF || b[this.pos] === CR) this.step();
      else this.pos++;
    }
    return start;
  }

  /** Line number of a byte offset (for errors, after the records before it were counted or not). */
  lineAt(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset && i < this.bytes.length; i++) {
      const c = this.bytes[i];
      if (c === CR) {
        if (this.bytes[i + 1] === LF) i++;
        line++;
      } else if (c === LF) line++;
    }
    return line;
  }

  private step(): void {
    if (this.bytes[this.pos] === CR && this.bytes[this.pos + 1] === LF) this.pos += 2;
    else this.pos++;
    this.line++;
  }
}

function malformed(error: unknown, buffer: Uint8Array, fileName: string): GuardianSyncError {
  const details = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; lines?: unknown; bytes?: unknown };
  const code = typeof details.code === 'string' ? details.code : '';
  // csv-parse's own line count is off after a CRLF inside quotes; prefer its byte offset.
  let line: number | undefined;
  if (typeof details.bytes === 'number') line = new LineCounter(buffer).lineAt(details.bytes);
  else if (typeof details.lines === 'number') line = details.lines;
  const where = line !== undefined ? ` near line ${line}` : '';
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
    `${fileName} is not valid CSV${where}: ${what}. Fix the quoting there; no row of the file was used.`,
    { file: fileName, line },
  );
}
