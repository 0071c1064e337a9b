// Bytes of one file of a OneRoster set → its records, one by one (readOneRosterRecords), or
// collected into a table (readOneRosterTable, for the small files). Pure. Decoding follows
// docs/file-format.md (BOM, strict UTF-8, UTF-16, legacy fallback) through the shared
// detector, so a users.csv saved by Excel reads like a guardians.csv saved by Excel. A UTF-8
// file (the common case) is parsed from its own bytes, as guardians.csv is
// (src/parse/parse-guardian-utf8.ts); any other is decoded in chunks, each parsed as it
// comes. Neither is ever one string or one table.
import { Buffer } from 'node:buffer';
import { decodeChunks } from '../decode/decode-text.js';
import { detectEncoding } from '../decode/detect-encoding.js';
import { splitHalfPair } from '../decode/half-surrogate-pair.js';
import type { Issue } from '../errors/issue.js';
import { lineBreaksOf } from '../parse/line-break-style.js';
import { UTF8_BATCH_BYTES } from '../parse/parse-guardian-utf8.js';
import type { OneRosterFiles } from './oneroster-files.js';
import {
  collectRecords,
  OneRosterCsvReader,
  tableOf,
  type OneRosterReadSummary,
  type OneRosterRecordSink,
  type OneRosterTable,
  type ParseOneRosterCsvOptions,
} from './parse-oneroster-csv.js';

export interface DecodedOneRosterSummary extends OneRosterReadSummary {
  /** The encoding the bytes were decoded with. */
  readonly encoding: string;
  /** True when the encoding is the legacy fallback, not proven (see `decodeText`). */
  readonly encodingGuessed: boolean;
  /** Decoding issues (e.g. ENCODING_GUESSED) followed by the file's row issues. */
  readonly issues: readonly Issue[];
}

export interface DecodedOneRosterTable extends DecodedOneRosterSummary, OneRosterTable {
  readonly issues: readonly Issue[];
}

/** How the CSVs of a set are decoded: the options every OneRoster reader passes on to each table. */
export interface OneRosterDecodeOptions {
  /** Decode with this encoding instead of detecting it. */
  readonly encoding?: string | undefined;
  /** Encoding used when a file's bytes are neither UTF-8 nor UTF-16. @default 'windows-1252' */
  readonly legacyEncoding?: string | undefined;
}

export interface ReadOneRosterTableOptions extends Omit<ParseOneRosterCsvOptions, 'fileName'>, OneRosterDecodeOptions {}

/** Reads the named file of the set; undefined when the set has no such file. */
export function readOneRosterTable(files: OneRosterFiles, name: string, options: ReadOneRosterTableOptions = {}): DecodedOneRosterTable | undefined {
  const collected = collectRecords();
  const summary = readOneRosterRecords(files, name, collected.sink, options);
  return summary === undefined ? undefined : tableOf(summary, collected.records);
}

/**
 * Reads the named file of the set, handing its records to `sink` one by one; undefined (and
 * nothing handed on) when the set has no such file.
 */
export function readOneRosterRecords(
  files: OneRosterFiles,
  name: string,
  sink: OneRosterRecordSink,
  options: ReadOneRosterTableOptions = {},
): DecodedOneRosterSummary | undefined {
  const bytes = files.get(name);
  if (bytes === undefined) return undefined;
  const fileName = files.names.find((n) => n.trim().toLowerCase() === name) ?? name;
  const detection = detectEncoding(bytes, { encoding: options.encoding, legacyEncoding: options.legacyEncoding, fileName });
  const parseOptions = { ...options, fileName };
  let reader: OneRosterCsvReader;
  if (detection.encoding === 'utf-8') {
    // detectEncoding has checked that every byte is valid UTF-8: these are the bytes the
    // decoded text would be encoded back to (the BOM aside, skipped as decoding does).
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const start = detection.bomLength;
    reader = new OneRosterCsvReader(parseOptions, sink, { lineBreaks: lineBreaksOf(buffer, start) });
    for (let offset = start; offset < buffer.length; offset += UTF8_BATCH_BYTES) {
      reader.write(buffer.subarray(offset, Math.min(offset + UTF8_BATCH_BYTES, buffer.length)));
    }
  } else {
    reader = new OneRosterCsvReader(parseOptions, sink);
    let held = '';
    for (const chunk of decodeChunks(bytes, detection)) {
      // A surrogate pair cut between two chunks is encoded whole, with the next one.
      const [whole, half] = splitHalfPair(held + chunk);
      reader.write(Buffer.from(whole, 'utf8'));
      held = half;
    }
    if (held !== '') reader.write(Buffer.from(held, 'utf8'));
  }
  const summary = reader.end();
  return { ...summary, encoding: detection.encoding, encodingGuessed: detection.guessed, issues: [...detection.issues, ...summary.issues] };
}
