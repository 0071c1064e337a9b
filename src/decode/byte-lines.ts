// Byte offsets → physical line numbers, and where UTF-8 first goes wrong: used only to
// write precise error messages, never on the normal path.

/** 1-based line of the byte at `offset` (CRLF, LF and lone CR each end a line). */
export function lineAtOffset(bytes: Uint8Array, offset: number, unitSize: 1 | 2 | 4 = 1, littleEndian = true): number {
  let line = 1;
  const end = Math.min(offset, bytes.length);
  let previousWasCr = false;
  for (let i = 0; i + unitSize <= end; i += unitSize) {
    const unit = unitAt(bytes, i, unitSize, littleEndian);
    if (unit === 0x0d) {
      line++;
      previousWasCr = true;
    } else {
      if (unit === 0x0a && !previousWasCr) line++;
      previousWasCr = false;
    }
  }
  return line;
}

function unitAt(bytes: Uint8Array, i: number, size: 1 | 2 | 4, littleEndian: boolean): number {
  if (size === 1) return bytes[i] ?? 0;
  if (size === 2) return littleEndian ? (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) : ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  const b0 = bytes[i] ?? 0;
  const b3 = bytes[i + 3] ?? 0;
  return littleEndian ? b0 | ((bytes[i + 1] ?? 0) << 8) : b3 | ((bytes[i + 2] ?? 0) << 8);
}

export interface Utf8Scan {
  /** Offset of the first byte that is not valid UTF-8, or -1. */
  readonly firstInvalid: number;
  /** Number of valid multi-byte sequences (non-ASCII characters) seen. */
  readonly multiByte: number;
}

/** Scans for valid multi-byte sequences and the first invalid byte (RFC 3629 rules). */
export function scanUtf8(bytes: Uint8Array, start = 0): Utf8Scan {
  let multiByte = 0;
  let firstInvalid = -1;
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      if (firstInvalid === -1) firstInvalid = i;
      i++;
    } else {
      multiByte++;
      i += length;
    }
  }
  return { firstInvalid, multiByte };
}

function isContinuation(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80;
}

/** Length of the valid sequence starting at i (2–4), or 0 when it is not valid UTF-8. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  const b1 = bytes[i + 1];
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(b1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    if (b1 === undefined || !isContinuation(b1) || !isContinuation(bytes[i + 2])) return 0;
    if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b === 0xed && b1 > 0x9f) return 0; // surrogates
    return 3;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (b1 === undefined || !isContinuation(b1) || !isContinuation(bytes[i + 2]) || !isContinuation(bytes[i + 3])) return 0;
    if (b === 0xf0 && b1 < 0x90) return 0;
    if (b === 0xf4 && b1 > 0x8f) return 0;
    return 4;
  }
  return 0;
}
