// A UTF-8 guardians.csv (the common case) parsed from its own bytes: csv-parse reads bytes,
// so decoding the file to strings only to encode them back (what the text path does, and
// must do for other encodings) would cost two copies of the file. detectEncoding has already
// checked that every byte is valid UTF-8, so csv-parse sees the bytes the text path would
// give it, and the bytes at hand tell it what it may skip (line breaks the file does not
// use, trimming). The events are the same: test/parse/read-guardian-bytes.ts reads every
// test file both ways.
import { Buffer } from 'node:buffer';
import { decodeChunks } from '../decode/decode-text.js';
import type { EncodingDetection } from '../decode/detect-encoding.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import { firstLineEnd, readPreamble } from './detect-delimiter.js';
import { GuardianRecordReader, startReading } from './guardian-record-reader.js';
import { lineBreaksOf } from './line-break-style.js';
import { hasSpaceBesideQuote } from './quote-spacing.js';
import type { ParseEvent, ParseOptions } from './parse-events.js';

/** Bytes per batch of events, a few hundred rows (16 KiB to 1 MiB measured the same on a million rows). */
export const UTF8_BATCH_BYTES = 64 * 1024;

/**
 * The events of a UTF-8 file whose `detection` (from detectEncoding, which validated the
 * bytes) says utf-8, a batch per `batchBytes` of input; as parseGuardianBatches, of which it
 * is the byte form.
 */
export function* parseGuardianUtf8(
  bytes: Uint8Array,
  detection: EncodingDetection,
  options: ParseOptions = {},
  batchBytes: number = UTF8_BATCH_BYTES,
): Generator<readonly ParseEvent[], void, undefined> {
  if (detection.encoding !== 'utf-8') throw new Error(`parseGuardianUtf8 reads UTF-8 only (the file is ${detection.encoding}).`);
  const maxRecordSize = startReading(options);

  // The head exactly as the text path reads it (the same decoded chunks, until the first
  // non-blank line ends), so the dialect is decided on the same text.
  let head = '';
  for (const chunk of decodeChunks(bytes, detection)) {
    head += chunk;
    if (head.length > maxRecordSize || firstLineEnd(head) !== -1) break;
  }
  const preamble = readPreamble(head);
  // The preamble (a BOM character, a `sep=` line) is ASCII but for the BOM: its UTF-8 length.
  const start = detection.bomLength + Buffer.byteLength(head.slice(0, preamble.skip), 'utf8');
  const last = bytes[bytes.length - 1];
  const endsWithBreak = bytes.length > start && (last === 0x0a || last === 0x0d);

  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // What csv-parse is spared, knowing the bytes: the record delimiters the file does not
  // use, and trimming when no quote has white space beside it.
  const reader = new GuardianRecordReader(preamble, options, maxRecordSize, {
    lineBreaks: lineBreaksOf(buffer, start),
    trim: hasSpaceBesideQuote(buffer, start, preamble.delimiter),
  });
  const step = Math.max(1, Math.floor(batchBytes));
  for (let offset = start; offset < buffer.length; offset += step) {
    throwIfReadingAborted(options.signal, options.fileName);
    // A view, not a copy; csv-parse keeps a character cut at the end for the next one.
    const events = reader.write(buffer.subarray(offset, Math.min(offset + step, buffer.length)));
    if (events.length > 0) yield events;
    reader.throwIfFailed();
  }
  const events = reader.end(endsWithBreak);
  if (events.length > 0) yield events;
  reader.throwIfFailed();
}
