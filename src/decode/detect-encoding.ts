// Decides how a guardian file's bytes are decoded (docs/file-format.md, "Encoding"): an
// explicit encoding wins; otherwise BOM → strict UTF-8 → UTF-16 without BOM (NUL pattern)
// → the legacy encoding (default Windows-1252). Binary files, empty files and NUL bytes
// are refused here, so nothing but text ever reaches the parser. Pure: bytes in, a
// decision (or a GuardianSyncError) out.
import { isUtf8 } from 'node:buffer';
import jschardet from 'jschardet';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { detectBinarySignature } from './binary-signatures.js';
import { lineAtOffset, scanUtf8 } from './byte-lines.js';
import { canonicalEncodingName, isWideEncoding, requireEncodingName } from './encoding-names.js';

export interface DecodeOptions {
  /** Decode with this encoding, skipping detection (e.g. 'windows-1250'). */
  readonly encoding?: string | undefined;
  /** Encoding used when the bytes are neither UTF-8 nor UTF-16. @default 'windows-1252' */
  readonly legacyEncoding?: string | undefined;
  /** For messages only. */
  readonly fileName?: string | undefined;
}

export interface EncodingDetection {
  /** Canonical lower-case name: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | another iconv-lite name. */
  readonly encoding: string;
  /** Bytes of byte-order mark at the start, skipped when decoding. */
  readonly bomLength: number;
  /** True when the encoding is the legacy fallback, not proven by BOM, UTF-8 validity or the caller. */
  readonly guessed: boolean;
  /** ENCODING_GUESSED warnings. */
  readonly issues: Issue[];
}

export const DEFAULT_LEGACY_ENCODING = 'windows-1252';

// Bytes examined for the UTF-16 NUL pattern and by the legacy-encoding detector.
const UTF16_SAMPLE_BYTES = 4096;
const CHARDET_SAMPLE_BYTES = 64 * 1024;
// jschardet's confidence on short single-byte text is tiny even when right (≈0.09 for a
// Czech line in Windows-1250) and ≈0.03 when wrong (Windows-1252 names read as 1257):
// above this it is worth a warning, never a decision.
const CHARDET_MIN_CONFIDENCE = 0.06;

interface Bom {
  readonly encoding: string;
  readonly length: number;
}

function detectBom(bytes: Uint8Array): Bom | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return { encoding: 'utf-32le', length: 4 };
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** UTF-16 without BOM: the text is mostly ASCII, so every other byte is NUL. */
function detectUtf16ByNuls(bytes: Uint8Array): string | undefined {
  const length = Math.min(bytes.length, UTF16_SAMPLE_BYTES) & ~1;
  if (length < 4) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = length / 2;
  if (oddNuls / pairs > 0.3 && evenNuls / pairs < 0.02) return 'utf-16le';
  if (evenNuls / pairs > 0.3 && oddNuls / pairs < 0.02) return 'utf-16be';
  return undefined;
}

function where(fileName: string | undefined): string {
  return fileName !== undefined ? fileName : 'The file';
}

function isBlankBytes(bytes: Uint8Array, start: number, encoding: string): boolean {
  const unit = encoding.startsWith('utf-32') ? 4 : encoding.startsWith('utf-16') ? 2 : 1;
  const bigEndian = encoding.endsWith('be');
  for (let i = start; i < bytes.length; i += unit) {
    let value = 0;
    for (let k = 0; k < unit; k++) {
      const b = bytes[i + k] ?? 0;
      value = bigEndian ? value * 256 + b : value + b * 256 ** k;
    }
    if (value !== 0x20 && value !== 0x09 && value !== 0x0a && value !== 0x0d && value !== 0x0b && value !== 0x0c) return false;
  }
  return true;
}

function assertNoNul(bytes: Uint8Array, start: number, encoding: string, fileName: string | undefined, bom: Bom | undefined): void {
  const nul = bytes.indexOf(0, start);
  if (nul === -1) return;
  const line = lineAtOffset(bytes, nul);
  const bomNote = bom !== undefined && bom.encoding !== encoding ? ` Its byte-order mark says ${bom.encoding}: do not name the encoding ${encoding}.` : '';
  throw new GuardianSyncError(
    'BINARY_FILE',
    `${where(fileName)} contains NUL bytes (first at line ${line}), so it is not ${encoding === 'text' ? 'a text file' : `a ${encoding} text file`}: it may be a spreadsheet or a damaged export.${bomNote} Save it again as "CSV UTF-8".`,
    { file: fileName, line },
  );
}

function assertUtf8(bytes: Uint8Array, start: number, fileName: string | undefined, reason: string): void {
  if (isUtf8(bytes.subarray(start))) return;
  const { firstInvalid } = scanUtf8(bytes, start);
  const line = lineAtOffset(bytes, firstInvalid);
  throw new GuardianSyncError(
    'UNDECODABLE',
    `${where(fileName)} is ${reason}, but line ${line} has bytes that are not valid UTF-8. Save the file again as "CSV UTF-8", or name its real encoding (--encoding).`,
    { file: fileName, line },
  );
}

// Bytes Windows-1252 leaves undefined: a file holding them was written in something else.
const UNDEFINED_IN_1252 = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

/** ENCODING_GUESSED when jschardet reads the bytes as another legacy encoding. */
function chardetIssues(bytes: Uint8Array, legacy: string): Issue[] {
  if (legacy === 'windows-1252') {
    // indexOf is native: a callback per byte would cost a second on a 200 MB file.
    const found = UNDEFINED_IN_1252.map((b) => bytes.indexOf(b)).filter((i) => i !== -1);
    if (found.length > 0) {
      const undefinedAt = Math.min(...found);
      const line = lineAtOffset(bytes, undefinedAt);
      return [
        createIssue(
          'ENCODING_GUESSED',
          `The file is not UTF-8 and was decoded as windows-1252, but line ${line} has a byte windows-1252 does not define (shown as \uFFFD): the file is in another encoding. Save it as "CSV UTF-8" or name its encoding (--encoding).`,
          { line },
        ),
      ];
    }
  }
  const sample = bytes.subarray(0, CHARDET_SAMPLE_BYTES);
  const result = jschardet.detect(sample);
  if (result.encoding === null || result.confidence < CHARDET_MIN_CONFIDENCE) return [];
  const other = canonicalEncodingName(result.encoding);
  if (other === undefined || other === legacy || other === 'utf-8' || isWideEncoding(other)) return [];
  const percent = Math.round(result.confidence * 100);
  return [
    createIssue(
      'ENCODING_GUESSED',
      `The file is not UTF-8; it was decoded as ${legacy}, but its bytes look like ${other} (detector confidence ${percent}%). If names with accents look wrong, save the file as "CSV UTF-8" or name its encoding (--encoding ${other}).`,
    ),
  ];
}

export function detectEncoding(bytes: Uint8Array, options: DecodeOptions = {}): EncodingDetection {
  const fileName = options.fileName;
  const legacy = requireEncodingName(options.legacyEncoding ?? DEFAULT_LEGACY_ENCODING, 'legacyEncoding');
  const explicit = options.encoding !== undefined ? requireEncodingName(options.encoding, 'encoding') : undefined;

  if (bytes.length === 0) {
    throw new GuardianSyncError('FILE_EMPTY', `${where(fileName)} is empty (0 bytes): export it again.`, { file: fileName });
  }
  const binary = detectBinarySignature(bytes);
  if (binary !== undefined) {
    throw new GuardianSyncError(
      'BINARY_FILE',
      `${where(fileName)} is ${binary}, not a CSV text file. Open it in the spreadsheet and save it as "CSV UTF-8 (comma delimited)".`,
      { file: fileName },
    );
  }

  const bom = detectBom(bytes);
  let encoding: string;
  let bomLength = 0;
  let guessed = false;
  let issues: Issue[] = [];
  if (explicit !== undefined) {
    encoding = explicit;
    // A BOM that agrees with the named encoding is still a BOM, not text.
    if (bom !== undefined && (bom.encoding === explicit || (bom.encoding === 'utf-8' && explicit === 'utf-8'))) bomLength = bom.length;
  } else if (bom !== undefined) {
    encoding = bom.encoding;
    bomLength = bom.length;
  } else {
    const wide = detectUtf16ByNuls(bytes);
    if (wide !== undefined) {
      encoding = wide;
    } else {
      assertNoNul(bytes, 0, 'text', fileName, undefined);
      if (isUtf8(bytes)) {
        encoding = 'utf-8';
      } else {
        const scan = scanUtf8(bytes);
        if (scan.multiByte > 0) {
          // Valid UTF-8 accents *and* invalid bytes: two encodings in one file (often rows
          // pasted from another export). Either decoding would corrupt some names.
          const line = lineAtOffset(bytes, scan.firstInvalid);
          throw new GuardianSyncError(
            'UNDECODABLE',
            `${where(fileName)} mixes encodings: most of it is UTF-8, but line ${line} has bytes that are not. Save the file again as "CSV UTF-8", or name its encoding (--encoding) to decode it all one way.`,
            { file: fileName, line },
          );
        }
        encoding = legacy;
        guessed = true;
        issues = chardetIssues(bytes, legacy);
      }
    }
  }

  if (!isWideEncoding(encoding)) assertNoNul(bytes, bomLength, encoding, fileName, bom);
  if (encoding === 'utf-8' && !guessed) {
    assertUtf8(bytes, bomLength, fileName, explicit !== undefined ? 'named as UTF-8' : bomLength > 0 ? 'marked as UTF-8 (it starts with a UTF-8 byte-order mark)' : 'UTF-8');
  }
  const unit = encoding.startsWith('utf-32') ? 4 : encoding.startsWith('utf-16') ? 2 : 1;
  if ((bytes.length - bomLength) % unit !== 0) {
    throw new GuardianSyncError(
      'UNDECODABLE',
      `${where(fileName)} is ${encoding} but its length is not a whole number of characters: it looks truncated. Upload it again.`,
      { file: fileName },
    );
  }
  if (isBlankBytes(bytes, bomLength, encoding)) {
    throw new GuardianSyncError('FILE_EMPTY', `${where(fileName)} has no header and no rows (only ${bomLength > 0 ? 'a byte-order mark and ' : ''}white space): export it again.`, {
      file: fileName,
    });
  }
  return { encoding, bomLength, guessed, issues };
}
