// csv-parse's synchronous engine, set up for the guardians.csv dialect (docs/file-format.md,
// "Dialect"): RFC 4180 quotes, every line ending, spaces around quoted values, a record size
// limit, and never `skip_records_with_error` (which turns one stray quote into zero rows and
// no error).
import type { Buffer } from 'node:buffer';
import { Parser, type Options as CsvParseOptions } from 'csv-parse';
import { ANY_LINE_BREAK, type LineBreaks } from './line-break-style.js';

/** The synchronous engine inside csv-parse's stream (see createCsvEngine). */
export interface CsvEngine {
  /**
   * Parses `buffer` (undefined with `end`: the rest), calling `push` synchronously, in order,
   * for each record; returns the error that stopped it, if any.
   */
  parse(buffer: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
  /**
   * `lines`: csv-parse's line count at the moment, which moves by exactly one from a record
   * to the next when the record holds no line break (a quoted CRLF counts twice, so it is not
   * a physical line number). `bytes`: where csv-parse is in the bytes given so far, at the
   * end of the record just completed (its line break included) while `push` runs.
   * `empty_lines`: the lines skipped so far by `skipEmptyLines`.
   */
  readonly info: { readonly lines: number; readonly bytes: number; readonly empty_lines: number };
}

/** What the engine is told about the text besides its delimiter, when the caller found it out. */
export interface TextShape {
  /** Every line break the text has (lineBreaksOf). @default all three */
  readonly lineBreaks?: LineBreaks | undefined;
  /** False when no quoted value has white space around it (hasSpaceBesideQuote). @default true */
  readonly trim?: boolean | undefined;
  /**
   * True to let csv-parse drop lines holding no character at all instead of reading each as
   * a record of one empty field (OneRoster's CSVs; line numbers then count them through
   * `info.lines`). @default false
   */
  readonly skipEmptyLines?: boolean | undefined;
}

function csvParseOptions(delimiter: string, maxRecordSize: number, shape: TextShape): CsvParseOptions {
  return {
    delimiter,
    // Every line break the text has (all three unless known otherwise): csv-parse otherwise
    // keeps the first one it sees for the whole file.
    record_delimiter: [...(shape.lineBreaks ?? ANY_LINE_BREAK)],
    quote: '"',
    escape: '"',
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: shape.skipEmptyLines ?? false,
    skip_records_with_error: false,
    max_record_size: maxRecordSize,
    // White space around values, quoted ones too, is allowed (quote-spacing.ts).
    trim: shape.trim ?? true,
    bom: true,
  };
}

/**
 * csv-parse is "one pure engine with thin wrappers": its Parser stream keeps the engine as
 * `api` and feeds it chunk by chunk. We feed it the same way, without the object-mode
 * stream between it and us: every record reaches us synchronously and in order (exact line
 * numbers even when an error stops the parse) and at the cost of bare csv-parse. The
 * version is pinned; the parse tests fail loudly if the engine ever moves.
 */
export function createCsvEngine(delimiter: string, maxRecordSize: number, shape: TextShape = {}): CsvEngine {
  const engine = (new Parser(csvParseOptions(delimiter, maxRecordSize, shape)) as unknown as { api?: Partial<CsvEngine> }).api;
  if (engine === undefined || typeof engine.parse !== 'function' || typeof engine.info?.lines !== 'number') {
    throw new Error('csv-parse no longer exposes its parsing engine as Parser#api: guardian-sync needs updating for this csv-parse version.');
  }
  return engine as CsvEngine;
}

export function noop(): void {
  // csv-parse calls `close` only for `to`/`to_line`, which we do not use.
}
