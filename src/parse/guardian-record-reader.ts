// The heart of the guardians.csv parser, shared by the text and the UTF-8 byte paths: bytes
// go to csv-parse's engine, and each record it completes becomes an event (the header once,
// then a valid row or a rejected line) with the physical line where the record starts.
// Synchronous: the callers decide how events travel (in batches, or one at a time).
//
// A malformed quote stops the whole file with its line; a ragged row is a row error; a last
// row cut short with no line break after it means the file is still being written
// (FILE_UNSTABLE). Line numbers are counted here: csv-parse's own count is the end line and
// counts a CRLF inside quotes twice.
import type { Buffer } from 'node:buffer';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import type { GuardianField, RawGuardianFields } from '../model/guardian-row.js';
import { assertPhoneRegion, DEFAULT_PHONE_REGION } from '../normalize/normalize-phone.js';
import { createCsvEngine, noop, type CsvEngine, type TextShape } from './csv-engine.js';
import { malformedCsv } from './csv-errors.js';
import type { Preamble } from './detect-delimiter.js';
import { mapHeader } from './header-mapping.js';
import { DEFAULT_MAX_RECORD_SIZE, type ParseEvent, type ParseOptions } from './parse-events.js';
import { checkGuardianRow } from './validate-row.js';

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/**
 * Checks the options before anything is read (a wrong region is a configuration problem: say
 * so before reading, not at the first phone) and returns the record size limit.
 */
export function startReading(options: ParseOptions): number {
  const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
  if (!Number.isSafeInteger(maxRecordSize) || maxRecordSize < 1) {
    throw new GuardianSyncError('INVALID_CONFIGURATION', `maxRecordSize must be a positive whole number of characters (got ${String(maxRecordSize)}).`);
  }
  if (options.defaultRegion !== undefined) assertPhoneRegion(options.defaultRegion);
  throwIfReadingAborted(options.signal, options.fileName);
  return maxRecordSize;
}

/** Line breaks inside a record's fields (only quoted fields can hold them); CRLF is one. */
export function countBreaks(fields: readonly string[]): number {
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

/** True when every field of the record is empty or white space. */
export function isBlank(fields: readonly string[]): boolean {
  // Most records stop at their first field.
  for (const field of fields) if (field.length !== 0 && field.trim() !== '') return false;
  return true;
}

/** Where each field's column is (-1: the file has no such column), read once from the header. */
interface FieldColumns {
  readonly studentSisId: number;
  readonly guardianSisId: number;
  readonly firstName: number;
  readonly lastName: number;
  readonly email: number;
  readonly mobilePhone: number;
  readonly homePhone: number;
  readonly language: number;
  readonly relationship: number;
}

/** The issues of every row that has none: one list, shared (most rows of a file). */
const NO_ISSUES: readonly Issue[] = Object.freeze([]);

const cell = (fields: readonly string[], index: number): string | undefined => (index < 0 ? undefined : (fields[index] ?? ''));

/** Feeds csv-parse and turns its records into events; one per file. */
export class GuardianRecordReader {
  readonly #engine: CsvEngine;
  readonly #delimiter: string;
  readonly #options: ParseOptions;
  readonly #maxRecordSize: number;
  readonly #region: string;
  /** The next row's issues, filled by checkGuardianRow; handed on with the row when not empty. */
  #rowIssues: Issue[] = [];
  /** Physical line where the previous record ended; records and blank lines follow on. */
  #lastLine: number;
  /** csv-parse's line count at the previous record (see CsvEngine.info). */
  #csvLines = 0;
  /** The header as the parser saw it, for error messages that name a column. */
  #headerCells: readonly string[] | undefined;
  #headerColumns: readonly string[] | undefined;
  #columns: FieldColumns | undefined;
  #requiredLength = 0;
  /**
   * The last non-blank record, not yet turned into an event: only the next record (or the
   * end of the text) tells whether it is the file's last, which FILE_UNSTABLE needs.
   */
  #pending: string[] | undefined;
  #pendingLine = 0;
  /** csv-parse does not trim (TextShape): a line of white space is then a record of its own. */
  readonly #untrimmed: boolean;
  /** A line of white space only came after the pending record (read untrimmed). */
  #spaceLineHeld = false;
  #endsWithBreak = false;
  /** The previous row's student id cell, and the id read from it. */
  #previousStudentText: string | undefined;
  #previousStudentId = '';
  #events: ParseEvent[] = [];
  #failure: unknown;
  #failed = false;

  /** `shape`: what the caller found out about the text (its line breaks, whether it needs trimming). */
  constructor(preamble: Preamble, options: ParseOptions, maxRecordSize: number, shape: TextShape = {}) {
    this.#delimiter = preamble.delimiter;
    this.#lastLine = preamble.lineOffset;
    this.#options = options;
    this.#maxRecordSize = maxRecordSize;
    this.#region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
    this.#engine = createCsvEngine(preamble.delimiter, maxRecordSize, shape);
    this.#untrimmed = shape.trim === false;
  }

  /**
   * Parses the next UTF-8 bytes of the text and returns the events of the records they
   * complete. After a failure the events before it are still returned; `throwIfFailed` then
   * throws it (so records parsed before an error come out first: header errors win over later ones).
   */
  write(bytes: Buffer): ParseEvent[] {
    this.#parse(bytes, false);
    return this.#takeEvents();
  }

  /** The end of the text; `endsWithBreak` tells whether its last character is a line break. */
  end(endsWithBreak: boolean): ParseEvent[] {
    this.#endsWithBreak = endsWithBreak;
    if (this.#parse(undefined, true)) {
      try {
        this.#flush(true);
        if (this.#columns === undefined) {
          const fileName = this.#options.fileName;
          throw new GuardianSyncError('FILE_EMPTY', `${fileName ?? 'The file'} has no header line: export it again with its header.`, { file: fileName });
        }
      } catch (error) {
        this.#fail(error);
      }
    }
    return this.#takeEvents();
  }

  /** Throws what stopped the reading, if anything did. */
  throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#failure = error;
  }

  #takeEvents(): ParseEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /** One call of the engine; false when reading stopped (the failure is kept). */
  #parse(bytes: Buffer | undefined, end: boolean): boolean {
    if (this.#failed) return false;
    try {
      const error = this.#engine.parse(bytes, end, this.#push, noop);
      if (error === undefined) return true;
      // The record before the broken one is not the file's last: more text follows it.
      this.#flush(false);
      this.#fail(malformedCsv(error, this.#lastLine + 1, this.#headerCells, this.#options.fileName, this.#maxRecordSize));
    } catch (error) {
      // Thrown by a record (a header error): csv-parse's state is lost, and so is the file.
      this.#fail(error);
    }
    return false;
  }

  // Called synchronously, in order, for every record (blank lines are records of one empty
  // field here), so `#lastLine` is exact at the moment an error stops the parser.
  readonly #push = (record: unknown): void => {
    const fields = record as string[];
    const line = this.#lastLine + 1;
    // csv-parse's count moves by one past a record without line breaks (nearly all of
    // them): only the others are searched for breaks.
    const csvLines = this.#engine.info.lines;
    this.#lastLine = csvLines === this.#csvLines + 1 ? line : line + countBreaks(fields);
    this.#csvLines = csvLines;
    if (this.#untrimmed && fields.length === 1 && fields[0] !== '' && isBlank(fields)) {
      // A line of white space only. csv-parse's trim would make no record of it as the
      // text's last line without a line break after it, so the record before would be the
      // file's last (FILE_UNSTABLE). Read untrimmed, what follows decides: another record
      // makes this one a record, and the end of the text makes it none.
      if (this.#spaceLineHeld) this.#flush(false);
      this.#spaceLineHeld = true;
      return;
    }
    this.#spaceLineHeld = false;
    this.#flush(false);
    if (isBlank(fields)) return;
    this.#headerCells ??= fields;
    this.#pending = fields;
    this.#pendingLine = line;
  };

  #flush(last: boolean): void {
    const fields = this.#pending;
    if (fields === undefined) return;
    this.#pending = undefined;
    this.#record(fields, this.#pendingLine, last);
  }

  #record(fields: string[], line: number, last: boolean): void {
    const columns = this.#columns;
    const headerColumns = this.#headerColumns;
    if (columns === undefined || headerColumns === undefined) {
      this.#readHeader(fields, line);
      return;
    }
    // Strict on purpose, even for empty extra fields: an unquoted comma in a name shifts
    // every later value one column right, and the shifted row must not be read.
    if (fields.length < this.#requiredLength || fields.length > headerColumns.length) {
      // The last record, short, with no line break after it: the file stops mid-row, as a
      // file still being written (or cut off in transfer) does. Synced, its missing rows
      // would look like guardians who left; the whole file waits instead.
      if (last && fields.length < this.#requiredLength && !this.#endsWithBreak) {
        const fileName = this.#options.fileName;
        throw new GuardianSyncError(
          'FILE_UNSTABLE',
          `${fileName ?? 'The file'} ends in the middle of a row: line ${line} has ${fields.length} of ${headerColumns.length} fields and no line break after it, so the file is probably still being written or was cut off. Nothing was changed. Wait until the export is complete and run again; if the file is complete, fix line ${line}.`,
          { file: fileName, line },
        );
      }
      this.#events.push({
        type: 'rejected',
        line,
        issues: [
          createIssue(
            'WRONG_FIELD_COUNT',
            `The row has ${fields.length} fields but the header has ${headerColumns.length}: the row is skipped. Check for an unquoted ${DELIMITER_NAMES[this.#delimiter] ?? 'delimiter'} in a value.`,
            { line },
          ),
        ],
      });
      return;
    }
    // Files come sorted by student, a student's guardians side by side: a student id cell
    // that repeats the previous row's is read as the id already held for it (its normalized
    // form normalizes to itself), so the rows share one string (40% of a district's rows).
    let studentText = cell(fields, columns.studentSisId);
    if (studentText === this.#previousStudentText && studentText !== undefined) studentText = this.#previousStudentId;
    else this.#previousStudentText = studentText;
    // Every key, in one order: one object shape for every row (a missing column is undefined).
    const raw: RawGuardianFields = {
      studentSisId: studentText,
      guardianSisId: cell(fields, columns.guardianSisId),
      firstName: cell(fields, columns.firstName),
      lastName: cell(fields, columns.lastName),
      email: cell(fields, columns.email),
      mobilePhone: cell(fields, columns.mobilePhone),
      homePhone: cell(fields, columns.homePhone),
      language: cell(fields, columns.language),
      relationship: cell(fields, columns.relationship),
    };
    const checked = checkGuardianRow(raw, line, this.#region, this.#rowIssues);
    let issues: readonly Issue[] = NO_ISSUES;
    if (this.#rowIssues.length > 0) {
      issues = this.#rowIssues;
      this.#rowIssues = [];
    }
    if (typeof checked !== 'string') {
      this.#previousStudentId = checked.studentSisId;
      this.#events.push({ type: 'row', row: checked, issues });
    } else {
      this.#previousStudentId = checked;
      this.#events.push({ type: 'rejected', line, issues, studentSisId: checked === '' ? undefined : checked });
    }
  }

  #readHeader(fields: string[], line: number): void {
    const header = mapHeader(fields, { columns: this.#options.columns, line, fileName: this.#options.fileName });
    const at = (field: GuardianField): number => header.indexes.get(field) ?? -1;
    this.#columns = {
      studentSisId: at('studentSisId'),
      guardianSisId: at('guardianSisId'),
      firstName: at('firstName'),
      lastName: at('lastName'),
      email: at('email'),
      mobilePhone: at('mobilePhone'),
      homePhone: at('homePhone'),
      language: at('language'),
      relationship: at('relationship'),
    };
    this.#headerColumns = header.columns;
    this.#requiredLength = header.columns.reduce((lastCell, text, index) => (text !== '' ? index + 1 : lastCell), 0);
    this.#events.push({
      type: 'header',
      header: { delimiter: this.#delimiter, line, columns: header.columns, mapping: header.mapping, issues: header.issues },
    });
  }
}
