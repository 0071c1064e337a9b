// Bytes → text, in chunks, through a streaming decoder: a 200 MB file never becomes one
// string here, a character split across two chunks is decoded once, and the BOM is
// dropped. UTF-8 uses the native TextDecoder; everything else iconv-lite (Node's
// TextDecoder('windows-1252') turns 0x80–0x9F into control characters).
import iconv from 'iconv-lite';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Issue } from '../errors/issue.js';
import { lineAtOffset } from './byte-lines.js';
import { detectEncoding, type DecodeOptions, type EncodingDetection } from './detect-encoding.js';

export interface DecodedText {
  readonly text: string;
  readonly encoding: string;
  readonly guessed: boolean;
  readonly issues: Issue[];
}

/** Input bytes per chunk. */
export const DEFAULT_DECODE_CHUNK_SIZE = 1024 * 1024;

export function* decodeChunks(bytes: Uint8Array, detection: EncodingDetection, chunkSize: number = DEFAULT_DECODE_CHUNK_SIZE): Generator<string, void, undefined> {
  const size = Math.max(16, Math.floor(chunkSize));
  const start = detection.bomLength;
  if (detection.encoding === 'utf-8') {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (let offset = start; offset < bytes.length; offset += size) {
      const end = Math.min(offset + size, bytes.length);
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(offset, end), { stream: end < bytes.length });
      } catch {
        // Only reachable when the detection was made up by the caller: detectEncoding
        // has already checked the whole buffer.
        const line = lineAtOffset(bytes, offset);
        throw new GuardianSyncError('UNDECODABLE', `The file has bytes that are not valid UTF-8 at or after line ${line}. Save it again as "CSV UTF-8".`, { line });
      }
      if (text !== '') yield text;
    }
    return;
  }
  const decoder = iconv.getDecoder(detection.encoding, { stripBOM: false });
  for (let offset = start; offset < bytes.length; offset += size) {
    const end = Math.min(offset + size, bytes.length);
    const text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset));
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== undefined && rest !== '') yield rest;
}

/** Detect and decode in one call; for small inputs (the whole text is one string). */
export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const detection = detectEncoding(bytes, options);
  let text = '';
  for (const chunk of decodeChunks(bytes, detection)) text += chunk;
  return { text, encoding: detection.encoding, guessed: detection.guessed, issues: detection.issues };
}
