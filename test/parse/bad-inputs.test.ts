// RELIABILITY.md "Bad inputs" about decoding, parsing and normalization: each one a named
// test, read the way the sync reads a file (bytes → decode → parse → validate).
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { HEADER, readBytes, readText } from './read-guardian-bytes.js';

const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);

describe('encodings', () => {
  it('UTF-8 BOM + quoted header: the BOM does not stick to the first column', async () => {
    const text = '"studentSisId","firstName","lastName","email"\r\n"S1","Zoë","Lee","zoe@example.org"\r\n';
    const result = await readBytes(Buffer.concat([BOM8, Buffer.from(text)]));
    expect(result.header.mapping.studentSisId).toBe('studentSisId');
    expect(result.rows).toMatchObject([{ line: 2, studentSisId: 'S1', firstName: 'Zoë' }]);
  });

  it('UTF-8 BOM + unquoted header', async () => {
    const result = await readBytes(Buffer.concat([BOM8, Buffer.from('studentSisId,firstName,lastName,email\nS1,Ann,Lee,ann@example.org\n')]));
    expect(result.header.mapping.studentSisId).toBe('studentSisId');
    expect(result.rows).toHaveLength(1);
  });

  it('UTF-16LE with BOM and tabs (Excel "Unicode Text")', async () => {
    const text = 'studentSisId\tfirstName\tlastName\temail\r\nS1\tZoë\tNguyễn\tzoe@example.org\r\n';
    const result = await readBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    expect(result.encoding).toBe('utf-16le');
    expect(result.header.delimiter).toBe('\t');
    expect(result.rows).toMatchObject([{ line: 2, firstName: 'Zoë', lastName: 'Nguyễn' }]);
  });

  it('UTF-16BE with BOM', async () => {
    const text = 'studentSisId,firstName,lastName,email\nS1,Zoë,Lee,zoe@example.org\n';
    const result = await readBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]));
    expect(result.encoding).toBe('utf-16be');
    expect(result.rows).toMatchObject([{ firstName: 'Zoë' }]);
  });

  it('UTF-16LE without BOM', async () => {
    const text = 'studentSisId,firstName,lastName,email\nS1,Zoë,Lee,zoe@example.org\n';
    const result = await readBytes(iconv.encode(text, 'utf-16le'));
    expect(result.encoding).toBe('utf-16le');
    expect(result.rows).toMatchObject([{ firstName: 'Zoë' }]);
  });

  it('Windows-1252 bytes 0x80–0x9F (€ “ ” ’ –) survive into the row', async () => {
    const text = 'studentSisId,firstName,lastName,email,relationship\nS1,Ann,O’Neil–Lee,ann@example.org,“step” mother €\n';
    const result = await readBytes(iconv.encode(text, 'windows-1252'));
    expect(result.encoding).toBe('windows-1252');
    expect(result.rows).toMatchObject([{ lastName: 'O’Neil–Lee', relationship: '“step” mother €' }]);
  });

  it('a short Windows-1252 file with one ë', async () => {
    const result = await readBytes(iconv.encode('studentSisId,firstName,lastName,email\nS1,Zoë,Lee,z@example.org\n', 'windows-1252'));
    expect(result.rows).toMatchObject([{ firstName: 'Zoë' }]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'MISSING_GUARDIAN_SIS_ID' })]);
  });

  it('true ISO-8859-1', async () => {
    const result = await readBytes(Buffer.from('studentSisId,firstName,lastName,email\nS1,Åsa,Ångström,a@example.org\n', 'latin1'));
    expect(result.rows).toMatchObject([{ firstName: 'Åsa', lastName: 'Ångström' }]);
  });

  it('invalid UTF-8 mixed in → UNDECODABLE at the line of the bad byte, nothing parsed', async () => {
    const bytes = Buffer.concat([Buffer.from('studentSisId,firstName,lastName,email\nS1,Zoë,Lee,z@example.org\nS2,Ren'), Buffer.from([0xe9]), Buffer.from(',Lee,r@example.org\n')]);
    const error = await rejectionOf(readBytes(bytes));
    expect(error.code).toBe('UNDECODABLE');
    expect(error.line).toBe(3);
  });

  it('NUL bytes → BINARY_FILE, never parsed', async () => {
    const error = await rejectionOf(readBytes(Buffer.from('studentSisId,firstName,lastName,email\nS1,A\u0000nn,Lee,a@example.org\n')));
    expect(error.code).toBe('BINARY_FILE');
    expect(error.line).toBe(2);
  });

  it('an XLSX or ZIP renamed .csv → BINARY_FILE', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.from('[Content_Types].xml')]);
    expect((await rejectionOf(readBytes(zip, { fileName: 'guardians.csv' }))).code).toBe('BINARY_FILE');
  });

  it('0-byte file → FILE_EMPTY', async () => {
    expect((await rejectionOf(readBytes(new Uint8Array()))).code).toBe('FILE_EMPTY');
  });
});

describe('normalization inside rows', () => {
  it('NFD names come out equal to NFC names', async () => {
    const result = await readText(`studentSisId,firstName,lastName,email\nS1,Jose\u0301,Nu\u0301n\u0303ez,a@example.org\nS2,José,Núñez,b@example.org\n`);
    expect(result.rows[0]?.firstName).toBe(result.rows[1]?.firstName);
    expect(result.rows[0]?.lastName).toBe('Núñez');
  });

  it('zero-width space and NBSP inside names and emails are cleaned', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\nS1,Mary\u00A0\u00A0Ann,Le\u200Be,\u00A0ann\u200B@example.org\u00A0\n');
    expect(result.rows).toMatchObject([{ firstName: 'Mary Ann', lastName: 'Lee', email: 'ann@example.org' }]);
  });

  it('emails differing only in case are stored equal', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\nS1,Ann,Lee,Ann.Lee@Example.org\nS2,Ann,Lee,ann.lee@example.ORG\n');
    expect(result.rows.map((r) => r.email)).toEqual(['ann.lee@example.org', 'ann.lee@example.org']);
  });

  it('an email without @ → INVALID_EMAIL warning on its line, treated as absent', async () => {
    const result = await readText('studentSisId,firstName,lastName,email,mobilePhone\nS1,Ann,Lee,ann.example.org,(202) 555-0143\n');
    expect(result.rows).toMatchObject([{ line: 2, email: null, mobilePhone: '+12025550143' }]);
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'INVALID_EMAIL', line: 2, column: 'email', severity: 'warning' }));
  });

  it('phone variants: (202) 555-0143, 202.555.0143, +1…, extensions, 7 digits, 1-800-FLOWERS', async () => {
    const rows = [
      'S1,A,One,a1@example.org,(202) 555-0143,',
      'S2,A,Two,a2@example.org,202.555.0143,',
      'S3,A,Three,a3@example.org,+1 202 555 0143,',
      'S4,A,Four,a4@example.org,202-555-0143 ext. 12,202-555-0199 x7',
      'S5,A,Five,a5@example.org,555-0143,',
      'S6,A,Six,a6@example.org,1-800-FLOWERS,',
    ];
    const result = await readText(`studentSisId,firstName,lastName,email,mobilePhone,homePhone\n${rows.join('\n')}\n`);
    expect(result.rows.map((r) => [r.line, r.mobilePhone, r.homePhone])).toEqual([
      [2, '+12025550143', null],
      [3, '+12025550143', null],
      [4, '+12025550143', null],
      [5, '+12025550143', '+12025550199;ext=7'],
      [6, null, null],
      [7, null, null],
    ]);
    const invalid = result.issues.filter((i) => i.code === 'INVALID_PHONE');
    expect(invalid.map((i) => i.line)).toEqual([6, 7]);
    expect(invalid[1]?.message).toContain('1-800-FLOWERS');
  });

  it('a UK number without + is valid under region GB and invalid under US', async () => {
    const text = 'studentSisId,firstName,lastName,mobilePhone\nS1,Ann,Lee,020 7946 0018\n';
    expect((await readText(text, { defaultRegion: 'GB' })).rows).toMatchObject([{ mobilePhone: '+442079460018' }]);
    const us = await readText(text, { defaultRegion: 'US' });
    // Under US it is no number: the row goes on without it (a stored mobile is kept), marked as not known.
    expect(us.rows).toMatchObject([{ mobilePhone: null, kept: ['email', 'mobilePhone', 'homePhone', 'language'] }]);
    expect(codes(us.issues)).toContain('INVALID_PHONE');
    expect(codes(us.issues)).not.toContain('NO_CONTACT_CREDENTIAL');
  });

  it('formula payloads pass through parsing unchanged (escaping is the report\'s job)', async () => {
    const payloads = ['=HYPERLINK("http://evil.example","x")', '@SUM(A1:A2)', '+cmd|\' /C calc\'!A0', '-2+3', '＝1+2'];
    const lines = payloads.map((p, i) => `S${i},"${p.replace(/"/g, '""')}",Lee,p${i}@example.org`);
    const result = await readText(`studentSisId,firstName,lastName,email\n${lines.join('\n')}\n`);
    expect(result.rows.map((r) => r.firstName)).toEqual(payloads);
    const tabFirst = await readText('studentSisId,firstName,lastName,email\nS1,"\t=1+2",Lee,a@example.org\n');
    expect(tabFirst.rows[0]?.firstName).toBe('=1+2');
  });

  it('ids keep leading zeros and are only trimmed', async () => {
    const result = await readText('studentSisId,guardianSisId,firstName,lastName,email\n 00123 ,007,Ann,Lee,a@example.org\n');
    expect(result.rows).toMatchObject([{ studentSisId: '00123', guardianSisId: '007' }]);
  });

  it('a language name, code or tag becomes a BCP 47 tag; an unknown one is a warning', async () => {
    const result = await readText(`${HEADER}\nS1,G1,A,B,a@example.org,,Español\nS2,G2,A,B,b@example.org,,zh-hant\nS3,G3,A,B,c@example.org,,Elvish\n`);
    expect(result.rows.map((r) => r.language)).toEqual(['es', 'zh-Hant', null]);
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_LANGUAGE', line: 4, column: 'language' }));
  });
});

describe('dialect', () => {
  it('semicolon-delimited file', async () => {
    const result = await readText('studentSisId;firstName;lastName;email\nS1;Ann, Jr.;Lee;a@example.org\n');
    expect(result.header.delimiter).toBe(';');
    expect(result.rows).toMatchObject([{ firstName: 'Ann, Jr.' }]);
  });

  it('`sep=;` first line: accepted, skipped, and line numbers stay physical', async () => {
    const result = await readText('sep=;\r\nstudentSisId;firstName;lastName;email\r\nS1;Ann;Lee;a@example.org\r\nS2;;Lee;b@example.org\r\n');
    expect(result.header).toMatchObject({ delimiter: ';', line: 2 });
    expect(result.rows).toMatchObject([{ line: 3 }]);
    expect(result.rejected).toMatchObject([{ line: 4 }]);
  });

  it('a UTF-8 BOM before the `sep=` line', async () => {
    const result = await readBytes(Buffer.concat([BOM8, Buffer.from('sep=\t\nstudentSisId\tfirstName\tlastName\temail\nS1\tAnn\tLee\ta@example.org\n')]));
    expect(result.header).toMatchObject({ delimiter: '\t', line: 2 });
    expect(result.rows).toMatchObject([{ line: 3, firstName: 'Ann' }]);
  });

  it('mixed LF and CRLF line endings', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\r\nS1,A,B,a@example.org\nS2,A,B,b@example.org\r\nS3,A,B,c@example.org\n');
    expect(result.rows.map((r) => [r.line, r.studentSisId])).toEqual([[2, 'S1'], [3, 'S2'], [4, 'S3']]);
  });

  it('CR-only line endings (old Mac exports)', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\rS1,A,B,a@example.org\rS2,A,B,b@example.org\r');
    expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('no final newline', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\nS2,A,B,b@example.org');
    expect(result.rows.map((r) => [r.line, r.email])).toEqual([[2, 'a@example.org'], [3, 'b@example.org']]);
  });

  it('trailing blank lines and rows of only commas are ignored; line numbers still count them', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\n\nS1,A,B,a@example.org\n,,,\n   \nS2,A,B,b@example.org\n,,,\n\n\r\n');
    expect(result.rows.map((r) => r.line)).toEqual([3, 6]);
    expect(result.rejected).toEqual([]);
    expect(result.events).toHaveLength(3);
  });

  it('newlines inside quoted names (LF, CRLF, CR): each record keeps its starting line', async () => {
    const text = [
      'studentSisId,firstName,lastName,email',
      'S1,"Mary\nAnn",Lee,a@example.org',
      'S2,"Bo\r\nB","Ng\r\n\r\nX",b@example.org',
      'S3,"C\rD",Do,c@example.org',
      'S4,",E",F',
    ].join('\r\n');
    const result = await readText(`${text}\r\n`);
    // Lines: S1 2–3, S2 4–7, S3 8–9, S4 10 (one field short: rejected at its line).
    expect(result.rows.map((r) => [r.line, r.firstName])).toEqual([[2, 'Mary Ann'], [4, 'Bo B'], [8, 'C D']]);
    expect(result.rejected).toMatchObject([{ line: 10 }]);
  });

  it('a file that stops mid-row with no line break is FILE_UNSTABLE, not a sync without its last rows (issue 19, item 3)', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `S${i},G${i},Ann,Lee,a${i}@example.org`);
    const full = `studentSisId,guardianSisId,firstName,lastName,email\n${rows.join('\n')}\n`;
    const cut = full.slice(0, full.indexOf('S19,G19,Ann') + 'S19,G19,An'.length);
    const error = await rejectionOf(readText(cut));
    expect(error).toMatchObject({ code: 'FILE_UNSTABLE', line: 21 });
    expect(error.message).toMatch(/ends in the middle of a row: line 21 has 3 of 5 fields/);
    // The same short row followed by a line break is one bad row, as before.
    const ended = await readText(`${cut}\n`);
    expect(ended.rows).toHaveLength(19);
    expect(ended.rejected).toMatchObject([{ line: 21 }]);
    // A complete file without a final line break is fine.
    expect((await readText(full.trimEnd())).rows).toHaveLength(20);
  });

  it('an unclosed quote early in the file → MALFORMED_CSV at its line, not zero rows', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `S${i},A,B,a${i}@example.org`);
    rows[1] = 'S1,"Ann,B,a1@example.org';
    const error = await rejectionOf(readText(`studentSisId,firstName,lastName,email\n${rows.join('\n')}\n`));
    expect(error.code).toBe('MALFORMED_CSV');
    expect(error.line).toBe(3);
    expect(error.column).toBe('firstName');
    expect(error.message).toMatch(/line 3/);
  });

  it('an unclosed quote in a big file hits the record size limit → MALFORMED_CSV at its line', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `S${i},A,B,a${i}@example.org`);
    rows[0] = 'S0,"Ann,B,a0@example.org';
    const error = await rejectionOf(readText(`studentSisId,firstName,lastName,email\n${rows.join('\n')}\n`, { maxRecordSize: 10_000 }));
    expect(error.code).toBe('MALFORMED_CSV');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/never closed/);
  });

  it('`\\"` escaping → MALFORMED_CSV that explains doubled quotes', async () => {
    const error = await rejectionOf(readText('studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\nS2,"Ann \\"Nan\\"",Lee,b@example.org\n'));
    expect(error.code).toBe('MALFORMED_CSV');
    expect(error.line).toBe(3);
    expect(error.message).toContain('""');
    expect(error.message).toContain('\\"');
  });

  it('a stray quote inside an unquoted value → MALFORMED_CSV at its line', async () => {
    const error = await rejectionOf(readText('studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\nS2,A,B,b@example.org\nS3,Ann "Nan",Lee,c@example.org\n'));
    expect(error).toMatchObject({ code: 'MALFORMED_CSV', line: 4, column: 'firstName' });
  });

  it('text after a closing quote → MALFORMED_CSV', async () => {
    const error = await rejectionOf(readText('studentSisId,firstName,lastName,email\nS1,"Ann"x,Lee,a@example.org\n'));
    expect(error).toMatchObject({ code: 'MALFORMED_CSV', line: 2 });
  });

  it('spaces around a quoted value are accepted', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\nS1, "Lee, Ann" ,B,a@example.org\n');
    expect(result.rows).toMatchObject([{ firstName: 'Lee, Ann' }]);
  });

  it('rows with missing or extra (even empty) fields → WRONG_FIELD_COUNT row errors, the rest is read', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\nS1,A,B\nS2,A,B,b@example.org,extra\nS3,A,B,c@example.org,,\nS4,A,B,d@example.org\n');
    expect(result.rejected.map((r) => [r.line, codes(r.issues)])).toEqual([
      [2, ['WRONG_FIELD_COUNT']],
      [3, ['WRONG_FIELD_COUNT']],
      [4, ['WRONG_FIELD_COUNT']],
    ]);
    expect(result.rejected[0]?.issues[0]?.severity).toBe('error');
    expect(result.rows.map((r) => r.line)).toEqual([5]);
  });

  it('an unquoted comma in a name shifts the row: WRONG_FIELD_COUNT even when the last field is empty', async () => {
    const result = await readText('studentSisId,firstName,lastName,email,mobilePhone\nS1,Di,Ed, Jr.,di@example.org,\n');
    expect(result.rows).toEqual([]);
    expect(result.rejected).toMatchObject([{ line: 2, issues: [{ code: 'WRONG_FIELD_COUNT' }] }]);
  });

  it('a 1 MB field → MALFORMED_CSV naming the line, not a crash', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const error = await rejectionOf(readText(`studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\nS2,${big},B,b@example.org\n`));
    expect(error).toMatchObject({ code: 'MALFORMED_CSV', line: 3 });
    expect(error.message).toMatch(/longer than/);
    expect(error.message.length).toBeLessThan(500);
  });
});

describe('headers', () => {
  it('a duplicate header → DUPLICATE_COLUMN', async () => {
    const error = await rejectionOf(readText('studentSisId,firstName,lastName,email,email\nS1,A,B,a@example.org,b@example.org\n'));
    expect(error).toMatchObject({ code: 'DUPLICATE_COLUMN', line: 1 });
  });

  it('two headers mapping to one field (email and "Email Address") → DUPLICATE_COLUMN naming both', async () => {
    const error = await rejectionOf(readText('studentSisId,firstName,lastName,email,Email Address\nS1,A,B,a@example.org,b@example.org\n'));
    expect(error.code).toBe('DUPLICATE_COLUMN');
    expect(error.message).toContain('"email"');
    expect(error.message).toContain('"Email Address"');
  });

  it('differently-cased and spaced headers and aliases map to the fields', async () => {
    const result = await readText('STUDENT_SIS_ID,Parent-ID,First Name,last.name,Parent Email,Cell Phone,Preferred Language\nS1,G1,A,B,a@example.org,(202) 555-0143,es\n');
    expect(result.header.mapping).toEqual({
      studentSisId: 'STUDENT_SIS_ID',
      guardianSisId: 'Parent-ID',
      firstName: 'First Name',
      lastName: 'last.name',
      email: 'Parent Email',
      mobilePhone: 'Cell Phone',
      language: 'Preferred Language',
    });
    expect(result.issues).toEqual([]);
  });

  it('a misspelled required header → UNKNOWN_COLUMN is not enough: MISSING_REQUIRED_COLUMN', async () => {
    const error = await rejectionOf(readText('studentSisId,Frist Name,lastName,email\nS1,A,B,a@example.org\n'));
    expect(error).toMatchObject({ code: 'MISSING_REQUIRED_COLUMN', line: 1, column: 'firstName' });
    expect(error.message).toContain('"Frist Name"');
  });

  it('no email and no mobilePhone column → MISSING_REQUIRED_COLUMN', async () => {
    const error = await rejectionOf(readText('studentSisId,firstName,lastName,homePhone\nS1,A,B,202-555-0143\n'));
    expect(error.code).toBe('MISSING_REQUIRED_COLUMN');
    expect(error.message).toMatch(/email or mobilePhone/);
  });

  it('unknown headers → one UNKNOWN_COLUMN warning each, values ignored', async () => {
    const result = await readText('studentSisId,firstName,lastName,email,Notes,Grade\nS1,A,B,a@example.org,n,3\n');
    expect(result.header.issues.filter((i) => i.code === 'UNKNOWN_COLUMN').map((i) => i.column)).toEqual(['Notes', 'Grade']);
    expect(result.rows).toHaveLength(1);
  });

  it('headers named __proto__ and constructor pollute nothing', async () => {
    const result = await readText('studentSisId,firstName,lastName,email,__proto__,constructor,toString\nS1,A,B,a@example.org,"{""polluted"":1}",x,y\n');
    expect(result.rows).toHaveLength(1);
    expect(Object.keys(result.header.mapping).sort()).toEqual(['email', 'firstName', 'lastName', 'studentSisId']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(result.header.mapping)).toBe(Object.prototype);
    expect(codes(result.header.issues)).toEqual(['UNKNOWN_COLUMN', 'UNKNOWN_COLUMN', 'UNKNOWN_COLUMN', 'MISSING_GUARDIAN_SIS_ID']);
  });

  it('a caller mapping with a __proto__ key is read safely', async () => {
    const columns = JSON.parse('{"__proto__":"studentSisId","email":"E-mail"}') as Record<string, string>;
    const result = await readText('studentSisId,firstName,lastName,E-mail\nS1,A,B,a@example.org\n', { columns });
    expect(result.header.mapping.email).toBe('E-mail');
  });

  it("a caller's mapping wins over the aliases", async () => {
    const result = await readText('Pupil Number,studentId,First,Last,Work Email,email\nS1,X9,A,B,w@example.org,h@example.org\n', {
      columns: { studentSisId: 'Pupil Number', firstName: 'First', lastName: 'Last', email: 'Work Email' },
    });
    expect(result.rows).toMatchObject([{ studentSisId: 'S1', email: 'w@example.org' }]);
    expect(result.header.issues.filter((i) => i.code === 'UNKNOWN_COLUMN').map((i) => i.column)).toEqual(['studentId', 'email']);
  });

  it('a header cell with a BOM or invisible characters still maps', async () => {
    const result = await readText('\uFEFF\u200BstudentSisId\u200B,first\u00ADName,lastName,email\nS1,A,B,a@example.org\n');
    expect(result.header.mapping.studentSisId).toBe('studentSisId');
    expect(result.header.mapping.firstName).toBe('firstName');
  });

  it('header-only file → the header and no rows', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\r\n');
    expect(result.events).toHaveLength(1);
    expect(result.rows).toEqual([]);
  });

  it('a file of blank lines and commas → FILE_EMPTY (no header)', async () => {
    expect((await rejectionOf(readText('\n,,,\n\n'))).code).toBe('FILE_EMPTY');
  });

  it('no guardianSisId column → one file-level MISSING_GUARDIAN_SIS_ID warning, none per row', async () => {
    const result = await readText('studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\nS2,C,D,c@example.org\n');
    const missing = result.issues.filter((i) => i.code === 'MISSING_GUARDIAN_SIS_ID');
    expect(missing).toEqual([expect.objectContaining({ line: null, severity: 'warning' })]);
  });

  it('a blank guardianSisId → MISSING_GUARDIAN_SIS_ID on that row, the row still used', async () => {
    const result = await readText(`${HEADER}\nS1,,A,B,a@example.org,,\n`);
    expect(result.rows).toMatchObject([{ guardianSisId: null }]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'MISSING_GUARDIAN_SIS_ID', line: 2 })]);
  });

  it('missing required values → MISSING_VALUE errors naming the column; the row is skipped', async () => {
    const result = await readText(`${HEADER}\n,G1,,B,a@example.org,,\n`);
    expect(result.rejected[0]?.issues.map((i) => [i.code, i.column, i.severity])).toEqual([
      ['MISSING_VALUE', 'studentSisId', 'error'],
      ['MISSING_VALUE', 'firstName', 'error'],
    ]);
  });

  it('no usable email or mobile → NO_CONTACT_CREDENTIAL warning, not added', async () => {
    const result = await readText(`${HEADER}\nS1,G1,A,B,,,\n`);
    expect(result.rows).toEqual([]);
    expect(result.rejected).toEqual([{ line: 2, issues: [expect.objectContaining({ code: 'NO_CONTACT_CREDENTIAL', severity: 'warning' })] }]);
  });
});
