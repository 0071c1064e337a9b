// The plain version of src/oneroster/parse-oneroster-csv.ts, as it was before the reader
// went record by record: the whole text to csv-parse/sync with `info`, a table of every
// record, lines counted over the bytes from csv-parse's byte offsets. The oracle of
// oneroster-csv-reader.test.ts's properties: the reader must read any text exactly as this
// does. One fix (LineCounter's constructor) aside, it is the code as it was.
import { parse } from 'csv-parse/sync';
import { GuardianSyncError } from '../../../src/errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../../../src/errors/issue.js';
import { INVISIBLE_CHARACTERS } from '../../../src/normalize/invisible-characters.js';
import {
  normalizeHeaderName,
  type OneRosterRecord,
  type OneRosterTable,
  type ParseOneRosterCsvOptions,
} from '../../../src/oneroster/parse-oneroster-csv.js';

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
const INVISIBLE = INVISIBLE_CHARACTERS;
const LF = 0x0a;
const CR = 0x0d;

/** The plain reading: csv-parse/sync over the whole text, every record held at once. */
export function parseOneRosterCsvPlain(text: string, options: ParseOneRosterCsvOptions): OneRosterTable {
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

  constructor(private readonly bytes: Uint8Array) {
    // The one change from the code it was: a text starting with a BOM (csv-parse skips it)
    // and blank lines gave its header line 1. The reader counts the lines it has.
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.pos = 3;
  }

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
