// The UTF-8 byte path (parseGuardianUtf8, which the reading stage takes for UTF-8 files)
// against the text path (decode → parseGuardianFile): the same events and the same errors
// for any text, well-formed or not, cut in batches of any size, whichever line breaks and
// trimming the byte path chose. readBytes (the helper every parse test uses) reads both ways
// and compares them.
import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/decode/detect-encoding.js';
import { ANY_LINE_BREAK, lineBreaksOf } from '../../src/parse/line-break-style.js';
import { parseGuardianUtf8 } from '../../src/parse/parse-guardian-utf8.js';
import { hasSpaceBesideQuote } from '../../src/parse/quote-spacing.js';
import { rejectionOf } from '../support/rejection.js';
import { readBytes, readText } from './read-guardian-bytes.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('lineBreaksOf', () => {
  it('finds a file of one line break, or a mix', () => {
    expect(lineBreaksOf(utf8('a,b\nc,d\n'), 0)).toEqual(['\n']);
    expect(lineBreaksOf(utf8('a,b\r\nc,"d\r\ne"\r\n'), 0)).toEqual(['\r\n']);
    expect(lineBreaksOf(utf8('a,b'), 0)).toEqual(['\n']);
    expect(lineBreaksOf(utf8('a,b\r\nc,"d\ne"\r\n'), 0)).toEqual(ANY_LINE_BREAK);
    expect(lineBreaksOf(utf8('a,b\r\nc,d\r'), 0)).toEqual(ANY_LINE_BREAK);
    expect(lineBreaksOf(utf8('a,b\rc,d\r'), 0)).toEqual(ANY_LINE_BREAK);
    expect(lineBreaksOf(utf8('a,b\r\r\n'), 0)).toEqual(ANY_LINE_BREAK);
    expect(lineBreaksOf(utf8('a,b\n\r\n'), 0)).toEqual(ANY_LINE_BREAK);
  });

  it('looks only from `start` on', () => {
    expect(lineBreaksOf(utf8('sep=;\nstudentSisId\r\n'), 6)).toEqual(['\r\n']);
  });
});

/** Pieces of guardian files, good and broken, to be put together at random. */
const piece = fc.constantFrom(
  'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone',
  'S1,G1,Ann,Lee,ann@example.org,(202) 555-0143',
  'S2,,Bo,Ng,Bo.Ng@Example.org,',
  'S3,G3,"Lee, Jr.",Do,,202.555.0199',
  'S4,G4,"Mary\r\nAnn",Lee,m@example.org,',
  'S5,G5,"Cy\nDo","E\rF",c@example.org,',
  ' "S6" , G6 ,Ann,Lee,a6@example.org,',
  'S7,G7,Zoë,Nguyễn,z@example.org,',
  'S8,G8,Ann',
  'S9,G9,Ann,Lee,a9@example.org,,extra',
  ',,,,,',
  '   ',
  '',
  'S10,"G10,Ann,Lee',
  'S11,Ann "Nan",Lee,x@example.org,',
  'S12,"Ann"x,Lee,x@example.org,',
  '\uFEFF',
  'sep=;',
  'studentSisId;firstName;lastName;email',
  'S13;Ann;Lee;a13@example.org',
  '😀,👩‍👧,中文',
  // White space at the edges of unquoted values (no quote beside it), and beside quotes.
  ' studentSisId , guardianSisId ,\u00A0firstName,lastName\t,email, mobilePhone',
  'S14 , G14 ,  Ann  ,Lee ,\u00A0a14@Example.org\u00A0, 202-555-0143 ',
  '\u3000S15\u3000,\uFEFFG15,Ann\u2003,Lee,a15@example.org,',
  'S16,G16,"Ann"\u00A0,Lee,a16@example.org,',
  'S17,G17,\u2003"Ann",Lee,a17@example.org,',
  'S18,G18,"Zoë",Lee,"a18@example.org",""',
);
const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
const guardianText = fc
  .array(fc.tuple(piece, lineBreak), { minLength: 1, maxLength: 12 })
  .chain((lines) => fc.boolean().map((finalBreak) => lines.map(([text, eol], i) => (i < lines.length - 1 || finalBreak ? text + eol : text)).join('')));

describe('parseGuardianUtf8', () => {
  test.prop([guardianText, fc.integer({ min: 1, max: 64 }), fc.boolean()], { numRuns: 500 })(
    'reads any text as the text path does, in batches of any size (rows, rejected lines, errors and their lines)',
    async (text, chunkSize, bom) => {
      const bytes = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]) : utf8(text);
      let detected = true;
      try {
        detectEncoding(bytes);
      } catch {
        detected = false; // FILE_EMPTY: no parser runs
      }
      if (!detected) return;
      // readBytes compares the two paths (the text path decodes at least 16 bytes at a time;
      // the byte path takes `chunkSize` as it is); its own result or error does not matter here.
      await readBytes(bytes, { chunkSize }).catch((error: unknown) => {
        if ((error as { name?: unknown }).name === 'AssertionError') throw error;
      });
    },
  );

  it('decides FILE_UNSTABLE by the last record of the file, whatever the batches', async () => {
    const header = 'studentSisId,guardianSisId,firstName,lastName,email\n';
    // A short row followed by a line break (and a line of commas) is one bad row.
    const followed = `${header}S1,G1,Ann,Lee,a@example.org\nS2,G2,An\n,`;
    for (let size = 1; size <= followed.length; size++) {
      const result = await readText(followed, { chunkSize: size });
      expect(result.rejected, `batches of ${size}`).toMatchObject([{ line: 3, issues: [{ code: 'WRONG_FIELD_COUNT' }] }]);
    }
    // The same short row at the very end of the file: the file stops mid-row.
    const cut = `${header}S1,G1,Ann,Lee,a@example.org\nS2,G2,An`;
    for (let size = 1; size <= cut.length; size++) {
      expect(await rejectionOf(readText(cut, { chunkSize: size })), `batches of ${size}`).toMatchObject({ code: 'FILE_UNSTABLE', line: 3 });
    }
  });

  it('gives the records before a malformed one, then the error', async () => {
    const text = 'studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\nS2,"Ann,B,b@example.org\n';
    const bytes = utf8(text);
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for (const batch of parseGuardianUtf8(bytes, detectEncoding(bytes))) for (const event of batch) seen.push(event.type);
      })(),
    );
    expect(seen).toEqual(['header', 'row']);
    expect(error).toMatchObject({ code: 'MALFORMED_CSV', line: 3 });
  });

  it('stops with ABORTED between batches', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `S${i},A,B,a${i}@example.org`).join('\n');
    const bytes = utf8(`studentSisId,firstName,lastName,email\n${rows}\n`);
    const controller = new AbortController();
    let batches = 0;
    const error = await rejectionOf(
      (async () => {
        for (const _batch of parseGuardianUtf8(bytes, detectEncoding(bytes), { signal: controller.signal }, 100)) {
          batches++;
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('ABORTED');
    expect(batches).toBe(1);
  });

  it('reads UTF-8 only', () => {
    const bytes = Buffer.from('studentSisId,firstName,lastName,email\nS1,Åsa,B,a@example.org\n', 'latin1');
    expect(() => [...parseGuardianUtf8(bytes, detectEncoding(bytes))]).toThrow(/UTF-8 only/);
  });
});


describe('hasSpaceBesideQuote', () => {
  const check = (text: string, delimiter = ','): boolean => hasSpaceBesideQuote(utf8(text), 0, delimiter);

  it('finds white space of any kind right before or after a double quote', () => {
    expect(check('a,"b",c\r\n"d","e"\n')).toBe(false);
    expect(check('a, "b",c')).toBe(true);
    expect(check('a,"b" ,c')).toBe(true);
    expect(check('a,"b"\u00A0,c')).toBe(true);
    expect(check('a,\u3000"b",c')).toBe(true);
    expect(check('a,"b\uFEFF",c')).toBe(true);
    expect(check('a,\t"b",c')).toBe(true);
  });

  it('lets the delimiter, line breaks and other characters stand beside a quote', () => {
    expect(check('a\t"b"\t"c"', '\t')).toBe(false);
    expect(check('"Zoë","Nguyễn","😀"\r\n"x\ny"')).toBe(false);
    expect(check('a , b ,c\u00A0')).toBe(false);
  });

  it('gives up (trims) when a file has more quotes than it looks at', () => {
    expect(check('"a",'.repeat(100))).toBe(true);
    expect(check(`${'x'.repeat(64 * 1024)}${'"a",'.repeat(30)}`)).toBe(false);
  });
});
