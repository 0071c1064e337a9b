// Bytes of one file of a OneRoster set → decoded text → table. Pure. Decoding follows
// docs/file-format.md (BOM, strict UTF-8, UTF-16, legacy fallback) through the shared decoder, so
// a users.csv saved by Excel reads like a guardians.csv saved by Excel.
import { decodeText } from '../decode/decode-text.js';
import type { Issue } from '../errors/issue.js';
import type { OneRosterFiles } from './oneroster-files.js';
import { parseOneRosterCsv, type OneRosterTable, type ParseOneRosterCsvOptions } from './parse-oneroster-csv.js';

export interface DecodedOneRosterTable extends OneRosterTable {
  /** The encoding the bytes were decoded with. */
  readonly encoding: string;
  /** True when the encoding is the legacy fallback, not proven (see `decodeText`). */
  readonly encodingGuessed: boolean;
  /** Decoding issues (e.g. ENCODING_GUESSED) followed by the table's row issues. */
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
  const bytes = files.get(name);
  if (bytes === undefined) return undefined;
  const fileName = files.names.find((n) => n.trim().toLowerCase() === name) ?? name;
  const decoded = decodeText(bytes, { encoding: options.encoding, legacyEncoding: options.legacyEncoding, fileName });
  const table = parseOneRosterCsv(decoded.text, { ...options, fileName });
  return { ...table, encoding: decoded.encoding, encodingGuessed: decoded.guessed, issues: [...decoded.issues, ...table.issues] };
}
