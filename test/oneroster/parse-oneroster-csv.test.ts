// Reading one OneRoster CSV: the same safety as guardians.csv (no silent skips, lines right
// after quoted newlines, ragged rows as row issues) plus OneRoster's habits (multi-valued
// quoted fields, case-insensitive headers, extension columns).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { parseOneRosterCsv, splitMultiValue } from '../../src/oneroster/parse-oneroster-csv.js';

const parseUsers = (text: string, required?: string[]) =>
  parseOneRosterCsv(text, { fileName: 'users.csv', issuesWithLine: true, required, used: () => true });

function thrown(run: () => unknown): { code: string; line: number | undefined; message: string } {
  try {
    run();
  } catch (error) {
    if (isGuardianSyncError(error)) return { code: error.code, line: error.line, message: error.message };
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('parseOneRosterCsv', () => {
  it('matches headers case-insensitively and reads values trimmed', () => {
    const table = parseUsers('SOURCEDID,Status,GivenName\n u1 ,,Ana \n');
    expect(table.records).toHaveLength(1);
    const [record] = table.records;
    expect(table.value(record!, 'sourcedId')).toBe('u1');
    expect(table.value(record!, 'status')).toBe('');
    expect(table.value(record!, 'givenname')).toBe('Ana');
    expect(table.value(record!, 'email')).toBe('');
  });

  it('gives each record the physical line it starts on, after quoted CRLF, LF and CR newlines', () => {
    const text = 'sourcedId,givenName\r\nu1,"Ana\r\nMaria"\r\n\r\nu2,"Bo\nB\rC"\nu3,Cy\ru4,Di';
    const table = parseUsers(text);
    expect(table.records.map((r) => [table.value(r, 'sourcedId'), r.line])).toEqual([
      ['u1', 2],
      ['u2', 5],
      ['u3', 8],
      ['u4', 9],
    ]);
    expect(table.value(table.records[0]!, 'givenName')).toBe('Ana\r\nMaria');
  });

  it('reads multi-valued fields quoted with commas inside', () => {
    const table = parseUsers('sourcedId,agentSourcedIds,orgSourcedIds\nu1,"g1, g2,,g1",s1\n');
    const record = table.records[0]!;
    expect(splitMultiValue(table.value(record, 'agentSourcedIds'))).toEqual(['g1', 'g2']);
    expect(splitMultiValue(table.value(record, 'orgSourcedIds'))).toEqual(['s1']);
    expect(splitMultiValue('')).toEqual([]);
  });

  it('reports a ragged row as WRONG_FIELD_COUNT with its line, and keeps reading', () => {
    const table = parseUsers('sourcedId,givenName,familyName\nu1,Ana,Diaz\nu2,Bo\nu3,Cy,Lee,extra\nu4,Di,Ng\n');
    expect(table.records.map((r) => r.line)).toEqual([2, 5]);
    expect(table.ragged.map((r) => r.line)).toEqual([3, 4]);
    expect(table.recordCount).toBe(4);
    expect(table.issues.map((i) => [i.code, i.line, i.severity])).toEqual([
      ['WRONG_FIELD_COUNT', 3, 'error'],
      ['WRONG_FIELD_COUNT', 4, 'error'],
    ]);
  });

  it('tolerates blank trailing header columns, whether rows carry them or not', () => {
    const table = parseUsers('sourcedId,givenName,,\nu1,Ana\nu2,Bo,,\nu3,Cy,\n');
    expect(table.records.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(table.header).toEqual(['sourcedId', 'givenName']);
    expect(table.issues).toEqual([]);
  });

  it('tolerates unknown and extension columns after the standard ones', () => {
    const table = parseUsers('sourcedId,givenName,metadata.preferredLanguage,metadata.custom\nu1,Ana,es,x\n');
    expect(table.value(table.records[0]!, 'metadata.preferredLanguage')).toBe('es');
  });

  it('ignores blank lines and rows of only commas', () => {
    const table = parseUsers('sourcedId,givenName\n\n,\n u1,Ana\n , \n');
    expect(table.recordCount).toBe(1);
    expect(table.records[0]!.line).toBe(4);
  });

  it('strips a BOM and invisible characters from the header', () => {
    const table = parseUsers('\uFEFFsourced\u200BId,givenName\nu1,Ana\n', ['sourcedId']);
    expect(table.value(table.records[0]!, 'sourcedId')).toBe('u1');
  });

  it('throws MALFORMED_CSV for an unclosed quote, with the line the record starts on', () => {
    const error = thrown(() => parseUsers('sourcedId,givenName\r\nu1,"Ana\r\nMaria"\r\nu2,"Bo\r\nu3,Cy\r\n'));
    expect(error.code).toBe('MALFORMED_CSV');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/users\.csv is not valid CSV near line 4/);
  });

  it('throws MALFORMED_CSV for a stray quote instead of skipping the record', () => {
    expect(thrown(() => parseUsers('sourcedId,givenName\nu1,A"na\n')).code).toBe('MALFORMED_CSV');
    expect(thrown(() => parseUsers('sourcedId,givenName\nu1,"Ana"x\n')).code).toBe('MALFORMED_CSV');
  });

  it('throws MALFORMED_CSV for a record over the size limit', () => {
    const error = thrown(() =>
      parseOneRosterCsv(`sourcedId,givenName\nu1,"${'x'.repeat(5000)}"\n`, { fileName: 'users.csv', maxRecordBytes: 1000 }),
    );
    expect(error.code).toBe('MALFORMED_CSV');
  });

  it('throws MISSING_REQUIRED_COLUMN, DUPLICATE_COLUMN and FILE_EMPTY', () => {
    expect(thrown(() => parseUsers('sourcedId,givenName\nu1,Ana\n', ['sourcedId', 'role'])).code).toBe('MISSING_REQUIRED_COLUMN');
    expect(thrown(() => parseUsers('sourcedId,email,EMAIL\nu1,a,b\n')).code).toBe('DUPLICATE_COLUMN');
    expect(thrown(() => parseUsers('')).code).toBe('FILE_EMPTY');
    expect(thrown(() => parseUsers('\n\n')).code).toBe('FILE_EMPTY');
    // A duplicate of a column the reader does not use is not an error.
    const table = parseOneRosterCsv('sourcedId,grades,grades\nu1,1,2\n', { fileName: 'users.csv', used: (n) => n === 'sourcedid' });
    expect(table.records).toHaveLength(1);
  });

  test.prop([fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.string({ maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')), { minLength: 1, maxLength: 20 })])(
    'record lines count every physical line, whatever the newlines inside quoted fields',
    (rows) => {
      let text = 'sourcedId,givenName\n';
      let line = 2;
      const expected: number[] = [];
      for (const [id, name, newline] of rows) {
        expected.push(line);
        const quoted = `"${name.replace(/"/g, '""')}"`;
        text += `${id},${quoted}${newline}`;
        line += 1 + (name.match(/\r\n|\r|\n/g)?.length ?? 0);
      }
      const table = parseUsers(text);
      expect(table.records.map((r) => r.line)).toEqual(expected);
      expect(table.records.map((r) => table.value(r, 'sourcedId'))).toEqual(rows.map(([id]) => id));
    },
  );
});
