// Properties: whatever a district's cells hold, serializing rows (csv-stringify) in any
// supported encoding and delimiter and reading them back (detect → decode in chunks →
// parse → validate) gives exactly the rows validateGuardianRow makes of the cells, at the
// right physical lines.
import { test, fc } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { GUARDIAN_FIELDS } from '../../src/model/guardian-row.js';
import type { ParseEvent } from '../../src/parse/parse-guardian-file.js';
import { validateGuardianRow } from '../../src/parse/validate-row.js';
import { guardianRowSchema } from '../../src/parse/guardian-row-schema.js';
import {
  countLineBreaks,
  delimiter,
  encodeText,
  lineEnding,
  rawRow,
  serializeRows,
  windows1252Row,
  type RawRow,
} from '../arbitraries/guardian-csv.js';
import { readBytes } from './read-guardian-bytes.js';

/** The events a correct reader must produce for these rows (header excluded). */
function expectedEvents(rows: readonly RawRow[]): ParseEvent[] {
  const events: ParseEvent[] = [];
  let line = 2;
  for (const row of rows) {
    const values = GUARDIAN_FIELDS.map((field) => row[field]);
    if (values.some((value) => value.trim() !== '')) {
      const result = validateGuardianRow(row, line, { defaultRegion: 'US' });
      const studentSisId = result.studentSisId === '' ? undefined : result.studentSisId;
      events.push(result.row !== null ? { type: 'row', row: result.row, issues: result.issues } : { type: 'rejected', line, issues: result.issues, studentSisId });
    }
    line += 1 + values.reduce((n, value) => n + countLineBreaks(value), 0);
  }
  return events;
}

const chunkSize = fc.integer({ min: 16, max: 4096 });

describe('serialize → parse round trip', () => {
  test.prop([fc.array(rawRow, { maxLength: 8 }), delimiter, lineEnding, fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom'), chunkSize])(
    'gives the rows back in UTF-8 (with or without BOM) and UTF-16 LE/BE, with any delimiter',
    async (rows, delim, eol, encoding, size) => {
      const text = serializeRows(rows, { delimiter: delim, lineEnding: eol });
      const result = await readBytes(encodeText(text, encoding), { chunkSize: size });
      expect(result.header.delimiter).toBe(delim);
      expect(result.events.slice(1)).toEqual(expectedEvents(rows));
      for (const row of result.rows) expect(guardianRowSchema.safeParse(row).success).toBe(true);
    },
  );

  test.prop([fc.array(windows1252Row, { maxLength: 8 }), delimiter, lineEnding, chunkSize])(
    'gives the rows back in Windows-1252 for text it can represent',
    async (rows, delim, eol, size) => {
      const text = serializeRows(rows, { delimiter: delim, lineEnding: eol });
      const result = await readBytes(encodeText(text, 'windows-1252'), { chunkSize: size, encoding: 'windows-1252' });
      expect(result.events.slice(1)).toEqual(expectedEvents(rows));
    },
  );

  const latinLetters = fc.constantFrom('é', 'ñ', 'ü', 'Ö', 'ç', 'ß', 'Å', 'ø');
  const latinName = fc
    .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 4 }).filter((s) => !/["\u0000\r\n,;\t]/.test(s)), latinLetters, fc.constantFrom('', 'a', 'x'))
    .map(([a, letter, b]) => `${a}${letter}${b}`);
  test.prop([fc.array(fc.tuple(latinName, latinName), { minLength: 1, maxLength: 6 }), delimiter])(
    'detects Windows-1252 by itself when the file has accented letters',
    async (names, delim) => {
      const rows: RawRow[] = names.map(([first, last], i) => ({
        studentSisId: `S${i}`,
        guardianSisId: `G${i}`,
        firstName: first,
        lastName: last,
        email: `g${i}@example.org`,
        mobilePhone: '',
        homePhone: '',
        language: '',
        relationship: '',
      }));
      const result = await readBytes(encodeText(serializeRows(rows, { delimiter: delim, lineEnding: '\r\n' }), 'windows-1252'));
      expect(result.encoding).toBe('windows-1252');
      expect(result.events.slice(1)).toEqual(expectedEvents(rows));
    },
  );
});
