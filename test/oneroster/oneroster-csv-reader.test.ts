// The record-by-record OneRoster reader against its plain version (the whole text to
// csv-parse/sync, every record held: support/plain-oneroster-csv.ts). Any text, cut into
// chunks anywhere, through the text path, the UTF-8 byte path and legacy and UTF-16
// decoding, must give the same table or the same error (code, message, line, column).
import { Buffer } from 'node:buffer';
import { fc, test } from '@fast-check/vitest';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/decode/decode-text.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import {
  collectRecords,
  OneRosterCsvReader,
  parseOneRosterCsv,
  tableOf,
  type OneRosterTable,
  type ParseOneRosterCsvOptions,
} from '../../src/oneroster/parse-oneroster-csv.js';
import { readOneRosterTable } from '../../src/oneroster/read-oneroster-table.js';
import { lineBreaksOf } from '../../src/parse/line-break-style.js';
import { parseOneRosterCsvPlain } from './support/plain-oneroster-csv.js';

type Outcome =
  | { readonly error: { readonly code: string; readonly message: string; readonly line: number | null | undefined; readonly column: string | null | undefined; readonly file: string | null | undefined } }
  | { readonly table: unknown };

/** What a table says, every part of it (values through `value`, columns through `columnIndex`). */
function describeTable(table: OneRosterTable, names: readonly string[]): unknown {
  return {
    fileName: table.fileName,
    header: table.header,
    headerLine: table.headerLine,
    records: table.records,
    ragged: table.ragged,
    recordCount: table.recordCount,
    issues: table.issues,
    columns: names.map((n) => table.columnIndex(n)),
    values: table.records.map((r) => names.map((n) => table.value(r, n))),
  };
}

function outcome(read: () => OneRosterTable, names: readonly string[]): Outcome {
  try {
    return { table: describeTable(read(), names) };
  } catch (error) {
    if (!isGuardianSyncError(error)) throw error;
    return { error: { code: error.code, message: error.message, line: error.line, column: error.column, file: error.file } };
  }
}

const NAMES = ['sourcedId', 'givenName', 'email', 'role', 'x', ''];

// Pieces of OneRoster-like CSV text, the troublesome ones included: quotes of every kind,
// line breaks of every kind inside and outside quotes, blank lines, lines of spaces or of
// only commas, white space beside quotes, stray and unclosed quotes, invisible characters.
const piece = fc.constantFrom(
  'u1',
  'Ana',
  ' Bo ',
  'Zoë',
  '𝒜',
  'sourcedId',
  'SourcedID',
  'givenName',
  'email',
  'role',
  '\uFEFF',
  '\u200B',
  ',',
  ',',
  ',',
  '\n',
  '\n',
  '\r\n',
  '\r\n',
  '\r',
  '""',
  '"a,b"',
  '"x""y"',
  '"l1\nl2"',
  '"l1\r\nl2"',
  '"l1\rl2"',
  '"\r\n"',
  '"',
  ' "q" ',
  'a"b',
  '"q"x',
  '   ',
  '\n\n',
  '\r\n\r\n',
);
const csvText = fc.oneof(
  { weight: 1, arbitrary: fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')) },
  {
    weight: 3,
    // A header first, so that most texts get past it.
    arbitrary: fc
      .tuple(fc.constantFrom('sourcedId,givenName,email', 'sourcedId,givenName,,', 'SOURCEDID,email,Email', '\uFEFFsourcedId,role', ''), fc.constantFrom('\n', '\r\n', '\r'), fc.array(piece, { maxLength: 60 }))
      .map(([header, newline, parts]) => `${header}${newline}${parts.join('')}`),
  },
);
const parseOptions = fc.record({
  required: fc.constantFrom(undefined, ['sourcedId'], ['sourcedId', 'role']),
  usedAll: fc.boolean(),
  issuesWithLine: fc.boolean(),
  maxRecordBytes: fc.constantFrom(undefined, 8, 40),
});
type Generated = { required: readonly string[] | undefined; usedAll: boolean; issuesWithLine: boolean; maxRecordBytes: number | undefined };

const optionsOf = (o: Generated): ParseOneRosterCsvOptions => ({
  fileName: 'users.csv',
  required: o.required,
  used: o.usedAll ? () => true : (name) => name === 'sourcedid',
  issuesWithLine: o.issuesWithLine,
  maxRecordBytes: o.maxRecordBytes,
});

/** The reader fed `bytes` cut at `cuts`. */
function readInChunks(bytes: Buffer, cuts: readonly number[], options: ParseOneRosterCsvOptions, shaped: boolean): OneRosterTable {
  const collected = collectRecords();
  const reader = new OneRosterCsvReader(options, collected.sink, shaped ? { lineBreaks: lineBreaksOf(bytes, 0) } : {});
  const points = [0, ...[...cuts].map((c) => Math.min(c, bytes.length)).sort((a, b) => a - b), bytes.length];
  for (let i = 1; i < points.length; i++) reader.write(bytes.subarray(points[i - 1], points[i]));
  return tableOf(reader.end(), collected.records);
}

describe('OneRosterCsvReader reads as csv-parse/sync over the whole text does', () => {
  test.prop([csvText, parseOptions, fc.array(fc.nat({ max: 400 }), { maxLength: 6 }), fc.boolean()])(
    'any text, in any chunks, with or without its line breaks known: the same table or the same error',
    (text, generated, cuts, shaped) => {
      const options = optionsOf(generated);
      const expected = outcome(() => parseOneRosterCsvPlain(text, options), NAMES);
      expect(outcome(() => parseOneRosterCsv(text, options), NAMES)).toEqual(expected);
      expect(outcome(() => readInChunks(Buffer.from(text, 'utf8'), cuts, options, shaped), NAMES)).toEqual(expected);
    },
  );

  test.prop([csvText, parseOptions, fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le-bom', 'windows-1252')])(
    'a file of a set, in each encoding: as decoding it whole and parsing the text',
    (text, generated, encoding) => {
      const usable = encoding === 'windows-1252' ? text.replace(/[^\u0000-\u00ff]/gu, '?') : text;
      const bytes =
        encoding === 'utf-8'
          ? Buffer.from(usable, 'utf8')
          : encoding === 'utf-8-bom'
            ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(usable, 'utf8')])
            : encoding === 'utf-16le-bom'
              ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(usable, 'utf16le')])
              : iconv.encode(usable, 'windows-1252');
      const files = createOneRosterFiles([['users.csv', bytes]]);
      const { fileName: _fileName, ...rest } = optionsOf(generated);
      const read = (): OneRosterTable => {
        const table = readOneRosterTable(files, 'users.csv', rest);
        if (table === undefined) throw new Error('no users.csv');
        return table;
      };
      const plain = (): OneRosterTable => {
        const decoded = decodeText(bytes, { fileName: 'users.csv' });
        const table = parseOneRosterCsvPlain(decoded.text, { ...rest, fileName: 'users.csv' });
        return { ...table, issues: [...decoded.issues, ...table.issues] };
      };
      expect(outcome(read, NAMES)).toEqual(outcome(plain, NAMES));
    },
  );

  it('reads a UTF-16 surrogate pair cut between two decoded chunks whole', () => {
    // decodeChunks cuts every MiB of input: put a pair across the first cut.
    const filler = 'x'.repeat(1024 * 1024 / 2 - 'sourcedId,givenName\nu1,'.length - 1);
    const text = `sourcedId,givenName\nu1,${filler}𝒜\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const table = readOneRosterTable(createOneRosterFiles([['users.csv', bytes]]), 'users.csv');
    expect(table?.records[0]?.fields[1]).toBe(`${filler}𝒜`);
  });

  it('names the line of the broken record after blank lines and quoted line breaks, whatever the chunks', () => {
    const text = 'sourcedId,givenName\r\nu1,"A\r\nB"\r\n\r\n\r\nu2,"C\r\nD",x"y\r\n';
    const options: ParseOneRosterCsvOptions = { fileName: 'users.csv' };
    const expected = outcome(() => parseOneRosterCsvPlain(text, options), NAMES);
    expect(expected).toMatchObject({ error: { code: 'MALFORMED_CSV', line: 7 } });
    for (let cut = 0; cut <= text.length; cut++) {
      expect(outcome(() => readInChunks(Buffer.from(text, 'utf8'), [cut, cut + 3], options, true), NAMES)).toEqual(expected);
    }
  });
});
