// Arbitraries for guardian files: cell texts full of what breaks CSV readers (quotes,
// delimiters, CR/LF, emoji, combining marks, invisible characters, leading zeros, formula
// payloads), whole rows, and helpers that serialize rows with csv-stringify and encode
// them the way districts' tools do (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252).
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { GUARDIAN_FIELDS, type GuardianField } from '../../src/model/guardian-row.js';

export type RawRow = Record<GuardianField, string>;

const TRICKY_PIECES = [
  '"', ',', ';', '\t', '\r', '\n', '\r\n', ' ', '  ', '\u00A0', '\u200B', '\u2060', '\u00AD',
  'é', 'e\u0301', 'Å', 'A\u030A', 'ß', '😀', '👩‍👧', '🇺🇸', '中文', 'Nguyễn', 'Đặng', "O'Brien",
  '0', '00123', '007', '=HYPERLINK("http://x")', '@SUM(A1)', '+cmd', '-1', '＝1', '\t=1',
];

/** One piece of cell text: tricky constants or ordinary text (no NUL, no lone surrogates). */
const piece = fc.oneof(
  fc.constantFrom(...TRICKY_PIECES),
  fc.string({ unit: 'grapheme-ascii', maxLength: 6 }).filter((s) => !s.includes('\u0000')),
  fc.string({ unit: 'grapheme', maxLength: 3 }).filter((s) => !s.includes('\u0000')),
);

/** Any cell text a district file might hold. */
export const cellText = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));

const validEmail = fc
  .tuple(fc.constantFrom('ann', 'Bo.Ng', 'c_d+tag', "o'brien", 'ZOE'), fc.constantFrom('example.org', 'School.K12.us', 'mail.example.com'))
  .map(([local, domain]) => `${local}@${domain}`);
const validPhone = fc
  .tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 }))
  .chain(([a, b, c]) =>
    fc.constantFrom(`(${a}) ${b}-${String(c).padStart(4, '0')}`, `${a}.${b}.${String(c).padStart(4, '0')}`, `+1 ${a} ${b} ${String(c).padStart(4, '0')}`),
  );

/** A raw row: realistic values mixed with arbitrary text in every field. */
export const rawRow: fc.Arbitrary<RawRow> = fc.record({
  studentSisId: fc.oneof(fc.constantFrom('00123', 'S1', ' 0042 ', 'A-7'), cellText),
  guardianSisId: fc.oneof(fc.constantFrom('G1', '000777', ''), cellText),
  firstName: fc.oneof(fc.constantFrom('Ann', 'José', 'Jose\u0301', 'Zoë', 'Nguyễn Văn', '  Mary  Ann '), cellText),
  lastName: fc.oneof(fc.constantFrom('Lee', "O'Brien", 'García', '=HYPERLINK("x")'), cellText),
  email: fc.oneof(validEmail, fc.constant(''), cellText),
  mobilePhone: fc.oneof(validPhone, fc.constant(''), cellText),
  homePhone: fc.oneof(validPhone, fc.constant(''), cellText),
  language: fc.oneof(fc.constantFrom('es', 'Spanish', 'zh-hant', 'Español', ''), cellText),
  relationship: fc.oneof(fc.constantFrom('mother', 'Father', ''), cellText),
});

/** Windows-1252 can hold only some characters: rows for that encoding draw from these. */
const WINDOWS_1252_PIECES = ['é', 'ñ', 'ü', 'Ö', 'ç', 'ß', '€', '“', '”', '’', '–', '"', ',', ';', '\t', '\r\n', '\n', ' ', '\u00A0', '0', '00123'];
const windows1252Text = fc
  .array(fc.oneof(fc.constantFrom(...WINDOWS_1252_PIECES), fc.string({ unit: 'grapheme-ascii', maxLength: 5 }).filter((s) => !s.includes('\u0000'))), {
    maxLength: 5,
  })
  .map((parts) => parts.join(''));

export const windows1252Row: fc.Arbitrary<RawRow> = fc.record({
  studentSisId: windows1252Text,
  guardianSisId: windows1252Text,
  firstName: windows1252Text,
  lastName: windows1252Text,
  email: fc.oneof(validEmail, windows1252Text),
  mobilePhone: fc.oneof(validPhone, windows1252Text),
  homePhone: windows1252Text,
  language: windows1252Text,
  relationship: windows1252Text,
});

export type Delimiter = ',' | ';' | '\t';
export const delimiter: fc.Arbitrary<Delimiter> = fc.constantFrom(',', ';', '\t');
export const lineEnding = fc.constantFrom('\n', '\r\n');

/** The file text: a header of every field, then the rows, serialized by csv-stringify. */
export function serializeRows(rows: readonly RawRow[], options: { delimiter: Delimiter; lineEnding: string }): string {
  const records = [GUARDIAN_FIELDS.slice(), ...rows.map((row) => GUARDIAN_FIELDS.map((field) => row[field]))];
  // csv-stringify quotes only fields holding its own record delimiter: a lone CR or LF
  // must be quoted too, or it is a line break to every reader.
  return stringify(records, { delimiter: options.delimiter, record_delimiter: options.lineEnding === '\r\n' ? 'windows' : 'unix', quoted_match: /[\r\n]/ });
}

export type TestEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'windows-1252';

/** Encodes text as a district's tool would write it. */
export function encodeText(text: string, encoding: TestEncoding): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    case 'utf-16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252');
  }
}

/** Physical line breaks in a text (CRLF, LF and lone CR each count once). */
export function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}
