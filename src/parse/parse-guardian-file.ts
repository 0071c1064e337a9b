// guardians.csv text → a stream of events: the header once, then each record as a valid
// row or a rejected line (docs/file-format.md, "Dialect"). The text arrives in chunks (it is
// never one string) and goes to csv-parse as UTF-8 bytes (guardian-record-reader.ts).
//
// Two forms of one reader: `parseGuardianBatches` yields the events of each chunk together,
// which is how the reading stage consumes a million-row file (an async step per row would
// cost several microtasks each), and `parseGuardianFile`, the public API, yields them one by
// one. UTF-8 bytes skip the decoding altogether: parse-guardian-utf8.ts.
import { Buffer } from 'node:buffer';
import { splitHalfPair } from '../decode/half-surrogate-pair.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import { firstLineEnd, readPreamble } from './detect-delimiter.js';
import { GuardianRecordReader, startReading } from './guardian-record-reader.js';
import type { ParseEvent, ParseOptions } from './parse-events.js';

export { DEFAULT_MAX_RECORD_SIZE } from './parse-events.js';
export type { HeaderInfo, ParseEvent, ParseOptions } from './parse-events.js';

function toAsyncIterable(input: string | Iterable<string> | AsyncIterable<string>): AsyncIterable<string> {
  if (typeof input === 'string') return (async function* () { yield input; })();
  if (Symbol.asyncIterator in input) return input;
  const iterable = input;
  return (async function* () { yield* iterable; })();
}

/**
 * The events of the text, a batch per chunk of text read (events in file order; a batch is
 * never empty). When the reading fails, the events of the records before the failure come
 * first, then the error is thrown.
 */
export async function* parseGuardianBatches(
  input: string | Iterable<string> | AsyncIterable<string>,
  options: ParseOptions = {},
): AsyncGenerator<readonly ParseEvent[], void, undefined> {
  const { fileName, signal } = options;
  const maxRecordSize = startReading(options);
  const source = toAsyncIterable(input)[Symbol.asyncIterator]();

  // Read ahead to the end of the first non-blank line: the dialect is decided there.
  let head = '';
  let sourceDone = false;
  while (head.length <= maxRecordSize && firstLineEnd(head) === -1) {
    const next = await source.next();
    if (next.done === true) {
      sourceDone = true;
      break;
    }
    head += next.value;
  }
  const preamble = readPreamble(head);
  head = head.slice(preamble.skip);

  // The text after the preamble, each chunk without a half surrogate pair at its end (splitHalfPair).
  // Whether the text seen so far ends with a line break (the final answer once it is all read).
  let endsWithBreak = head.endsWith('\n') || head.endsWith('\r');
  async function* text(): AsyncGenerator<string> {
    let carry = head;
    head = '';
    try {
      while (!sourceDone) {
        throwIfReadingAborted(signal, fileName);
        const next = await source.next();
        if (next.done === true) break;
        carry += next.value;
        endsWithBreak = carry.endsWith('\n') || carry.endsWith('\r');
        const [whole, held] = splitHalfPair(carry);
        if (whole !== '') yield whole;
        carry = held;
      }
      if (carry !== '') yield carry;
    } finally {
      if (!sourceDone) await source.return?.();
    }
  }

  const reader = new GuardianRecordReader(preamble, options, maxRecordSize);
  const chunks = text();
  try {
    for (;;) {
      const next = await chunks.next();
      const events = next.done === true ? reader.end(endsWithBreak) : reader.write(Buffer.from(next.value, 'utf8'));
      if (events.length > 0) yield events;
      reader.throwIfFailed();
      if (next.done === true) return;
    }
  } finally {
    // The consumer may stop early (break, an error): release the source.
    await chunks.return(undefined);
  }
}

/** The events of the text one by one: the header once, then a row or a rejected line per record. */
export async function* parseGuardianFile(
  input: string | Iterable<string> | AsyncIterable<string>,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent, void, undefined> {
  for await (const batch of parseGuardianBatches(input, options)) {
    for (const event of batch) {
      // A consumer may abort while it handles an event: the next one is not given.
      throwIfReadingAborted(options.signal, options.fileName);
      yield event;
    }
  }
}
