import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeChunks, decodeText } from '../../src/decode/decode-text.js';
import { detectEncoding, type DecodeOptions } from '../../src/decode/detect-encoding.js';
import { isGuardianSyncError, type GuardianSyncError } from '../../src/errors/guardian-sync-error.js';

const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function failure(input: Uint8Array, options?: DecodeOptions): GuardianSyncError {
  try {
    detectEncoding(input, options);
  } catch (error) {
    if (isGuardianSyncError(error)) return error;
    throw error;
  }
  throw new Error('expected detectEncoding to throw');
}

describe('detectEncoding: text that must decode', () => {
  it('UTF-8 with BOM: BOM removed, quoted header intact', () => {
    const decoded = decodeText(bytes(BOM8, '"studentSisId","firstName"\nS1,Zoë\n'));
    expect(decoded).toMatchObject({ encoding: 'utf-8', guessed: false, text: '"studentSisId","firstName"\nS1,Zoë\n' });
  });

  it('UTF-8 with BOM and an unquoted header', () => {
    expect(detectEncoding(bytes(BOM8, 'studentSisId,firstName\n'))).toEqual({ encoding: 'utf-8', bomLength: 3, guessed: false, issues: [] });
  });

  it('plain ASCII is UTF-8', () => {
    expect(detectEncoding(bytes('a,b\n1,2\n')).encoding).toBe('utf-8');
  });

  it('UTF-16LE with BOM and tabs (Excel "Unicode Text")', () => {
    const text = 'studentSisId\tfirstName\r\nS1\tZoë 😀\r\n';
    const decoded = decodeText(bytes([0xff, 0xfe], iconv.encode(text, 'utf-16le')));
    expect(decoded).toMatchObject({ encoding: 'utf-16le', guessed: false, text });
  });

  it('UTF-16BE with BOM', () => {
    const text = 'studentSisId,firstName\nS1,Zoë\n';
    expect(decodeText(bytes([0xfe, 0xff], iconv.encode(text, 'utf-16be')))).toMatchObject({ encoding: 'utf-16be', text });
  });

  it('UTF-16LE without BOM, recognized by its NUL pattern', () => {
    const text = 'studentSisId,firstName\nS1,Zoë\n';
    expect(decodeText(iconv.encode(text, 'utf-16le'))).toMatchObject({ encoding: 'utf-16le', text });
  });

  it('UTF-16BE without BOM, recognized by its NUL pattern', () => {
    const text = 'studentSisId,firstName\nS1,Zoë\n';
    expect(decodeText(iconv.encode(text, 'utf-16be'))).toMatchObject({ encoding: 'utf-16be', text });
  });

  it('Windows-1252 bytes 0x80–0x9F decode to € “ ” ’ – (not C1 controls)', () => {
    const decoded = decodeText(bytes('a,b\n1,', [0x80, 0x20, 0x93, 0x78, 0x94, 0x20, 0x92, 0x20, 0x96], '\n'));
    expect(decoded).toMatchObject({ encoding: 'windows-1252', guessed: true, text: 'a,b\n1,€ “x” ’ –\n' });
  });

  it('a short Windows-1252 file with one ë decodes as Windows-1252, with no false alarm', () => {
    const decoded = decodeText(iconv.encode('studentSisId,firstName,lastName\nS1,Zoë,Lee\n', 'windows-1252'));
    expect(decoded).toMatchObject({ encoding: 'windows-1252', guessed: true, text: 'studentSisId,firstName,lastName\nS1,Zoë,Lee\n' });
    expect(decoded.issues).toEqual([]);
  });

  it('true ISO-8859-1 (letters 0xA0–0xFF) decodes identically as Windows-1252', () => {
    const text = 'a,b\nS1,Ångström Æsa Ðór Øyvind ß ÿ ©\n';
    const decoded = decodeText(Buffer.from(text, 'latin1'));
    expect(decoded).toMatchObject({ encoding: 'windows-1252', text });
  });

  it('treats the explicit labels iso-8859-1 and latin1 as windows-1252 (WHATWG)', () => {
    for (const label of ['iso-8859-1', 'ISO_8859-1', 'latin1', 'ascii']) {
      expect(detectEncoding(bytes('a\n'), { encoding: label }).encoding, label).toBe('windows-1252');
    }
  });

  it('an explicit encoding wins over detection (Windows-1250 names)', () => {
    const text = 'a,b\nS1,Dvořák Łódź\n';
    expect(decodeText(iconv.encode(text, 'windows-1250'), { encoding: 'cp1250' })).toMatchObject({ encoding: 'windows-1250', guessed: false, text });
  });

  it('warns ENCODING_GUESSED when a non-UTF-8 file looks like another legacy encoding', () => {
    const text = 'studentSisId,firstName\nS1,Příliš žluťoučký kůň úpěl ďábelské ódy\nS2,Dvořák Janáček Šťastný\n';
    const detection = detectEncoding(iconv.encode(text, 'windows-1250'));
    expect(detection).toMatchObject({ encoding: 'windows-1252', guessed: true });
    expect(detection.issues.map((i) => i.code)).toEqual(['ENCODING_GUESSED']);
    expect(detection.issues[0]?.severity).toBe('warning');
  });

  it('warns ENCODING_GUESSED, with the line, for bytes Windows-1252 does not define', () => {
    const detection = detectEncoding(bytes('a,b\nS1,x\nS2,', [0x8d, 0xe9], '\n'));
    expect(detection.encoding).toBe('windows-1252');
    expect(detection.issues).toEqual([expect.objectContaining({ code: 'ENCODING_GUESSED', line: 3 })]);
  });

  it('uses the configured legacy encoding when the bytes are not UTF-8', () => {
    const text = 'a,b\nS1,Dvořák\n';
    expect(decodeText(iconv.encode(text, 'windows-1250'), { legacyEncoding: 'windows-1250' })).toMatchObject({ encoding: 'windows-1250', guessed: true, text });
  });
});

describe('detectEncoding: files that must be refused', () => {
  it('0-byte file → FILE_EMPTY', () => {
    expect(failure(new Uint8Array()).code).toBe('FILE_EMPTY');
  });

  it('only a BOM → FILE_EMPTY', () => {
    expect(failure(bytes(BOM8)).code).toBe('FILE_EMPTY');
    expect(failure(bytes([0xff, 0xfe])).code).toBe('FILE_EMPTY');
  });

  it('only whitespace and line breaks → FILE_EMPTY', () => {
    expect(failure(bytes(' \r\n\t\n')).code).toBe('FILE_EMPTY');
    expect(failure(bytes([0xff, 0xfe], iconv.encode('\r\n \r\n', 'utf-16le'))).code).toBe('FILE_EMPTY');
  });

  it.each([
    ['an XLSX (ZIP) renamed .csv', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]],
    ['an empty ZIP', [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]],
    ['a PDF', [...Buffer.from('%PDF-1.7\n')]],
    ['a gzip file', [0x1f, 0x8b, 0x08, 0x00]],
    ['an old .xls (OLE2)', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]],
    ['a PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['a JPEG', [0xff, 0xd8, 0xff, 0xe0]],
  ])('%s → BINARY_FILE, with what to do', (_name, head) => {
    const error = failure(bytes(head, 'studentSisId,firstName\n'), { fileName: 'guardians.csv' });
    expect(error.code).toBe('BINARY_FILE');
    expect(error.message).toMatch(/CSV/);
    expect(error.file).toBe('guardians.csv');
  });

  it('a ZIP is refused even when the caller names an encoding', () => {
    expect(failure(bytes([0x50, 0x4b, 0x03, 0x04], 'x'), { encoding: 'utf-8' }).code).toBe('BINARY_FILE');
  });

  it('NUL bytes in a file that is not UTF-16 → BINARY_FILE with the line', () => {
    const error = failure(bytes('studentSisId,firstName\nS1,Ann\nS2,B', [0], 'b\n'));
    expect(error.code).toBe('BINARY_FILE');
    expect(error.line).toBe(3);
  });

  it('NUL bytes with an explicit single-byte encoding → BINARY_FILE', () => {
    expect(failure(bytes('a,b\n1,', [0], '\n'), { encoding: 'windows-1252' }).code).toBe('BINARY_FILE');
  });

  it('invalid UTF-8 mixed into UTF-8 → UNDECODABLE with the line of the first bad byte', () => {
    const error = failure(bytes('studentSisId,firstName\nS1,Zoë\nS2,Ren', [0xe9], '\n'));
    expect(error.code).toBe('UNDECODABLE');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/line 3/);
  });

  it('bytes invalid in an explicitly named UTF-8 → UNDECODABLE with the line', () => {
    const error = failure(bytes('a,b\r\n1,2\r\n3,', [0xff], '\r\n'), { encoding: 'UTF-8' });
    expect(error.code).toBe('UNDECODABLE');
    expect(error.line).toBe(3);
  });

  it('a UTF-8 BOM followed by invalid UTF-8 → UNDECODABLE', () => {
    expect(failure(bytes(BOM8, 'a,b\n1,', [0xe9], '\n')).code).toBe('UNDECODABLE');
  });

  it('an encoding name iconv-lite does not know → INVALID_CONFIGURATION', () => {
    expect(failure(bytes('a\n'), { encoding: 'klingon-8' }).code).toBe('INVALID_CONFIGURATION');
    expect(failure(bytes('a\n'), { legacyEncoding: 'nope' }).code).toBe('INVALID_CONFIGURATION');
  });

  it('UTF-16 with an odd number of bytes (truncated) → UNDECODABLE', () => {
    expect(failure(bytes([0xff, 0xfe], iconv.encode('a,b\n', 'utf-16le'), [0x41])).code).toBe('UNDECODABLE');
  });
});

describe('decodeChunks', () => {
  it('decodes multi-byte characters split across chunk boundaries, in every encoding', () => {
    const text = 'studentSisId,firstName\nS1,Zoë 😀 中文 e\u0301\nS2,“Ann” – €\n';
    const cases: [string, Uint8Array][] = [
      ['utf-8', bytes(BOM8, text)],
      ['utf-16le', bytes([0xff, 0xfe], iconv.encode(text, 'utf-16le'))],
      ['utf-16be', bytes([0xfe, 0xff], iconv.encode(text, 'utf-16be'))],
    ];
    for (const [name, input] of cases) {
      const detection = detectEncoding(input);
      expect(detection.encoding).toBe(name);
      for (const size of [16, 17, 19, 23, 1024]) {
        const chunks = [...decodeChunks(input, detection, size)];
        expect(chunks.join(''), `${name} / ${size}`).toBe(text);
      }
    }
    const legacy = iconv.encode('a,b\n1,“Ann” – € Zoë\n', 'windows-1252');
    expect([...decodeChunks(legacy, detectEncoding(legacy), 16)].join('')).toBe('a,b\n1,“Ann” – € Zoë\n');
  });

  it('yields several chunks for a large input instead of one string', () => {
    const input = bytes('x'.repeat(100_000));
    const chunks = [...decodeChunks(input, detectEncoding(input), 16 * 1024)];
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('').length).toBe(100_000);
  });
});
