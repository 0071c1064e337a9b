// Test helper: bytes → detectEncoding → decodeChunks → parseGuardianFile, the way the sync
// reads a file, with every event collected. A UTF-8 file is read a second time the way the
// reading stage reads it, from its own bytes (parseGuardianUtf8, in batches of `chunkSize`
// bytes): both must give the same events, or fail with the same error.
import { expect } from 'vitest';
import { decodeChunks } from '../../src/decode/decode-text.js';
import { detectEncoding, type DecodeOptions, type EncodingDetection } from '../../src/decode/detect-encoding.js';
import type { Issue } from '../../src/errors/issue.js';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import { parseGuardianFile, type HeaderInfo, type ParseEvent, type ParseOptions } from '../../src/parse/parse-guardian-file.js';
import { parseGuardianUtf8 } from '../../src/parse/parse-guardian-utf8.js';

export interface ReadResult {
  readonly encoding: string;
  readonly events: ParseEvent[];
  readonly header: HeaderInfo;
  readonly rows: GuardianRow[];
  readonly rejected: { line: number; issues: readonly Issue[] }[];
  /** Encoding, header and row issues in order. */
  readonly issues: Issue[];
}

export type ReadOptions = DecodeOptions & ParseOptions & { readonly chunkSize?: number | undefined };

type Outcome = { readonly events: ParseEvent[]; readonly error?: undefined } | { readonly events: ParseEvent[]; readonly error: unknown };

async function textPath(bytes: Uint8Array, detection: EncodingDetection, options: ReadOptions): Promise<Outcome> {
  const events: ParseEvent[] = [];
  try {
    for await (const event of parseGuardianFile(decodeChunks(bytes, detection, options.chunkSize), options)) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

function bytePath(bytes: Uint8Array, detection: EncodingDetection, options: ReadOptions): Outcome {
  const events: ParseEvent[] = [];
  try {
    for (const batch of parseGuardianUtf8(bytes, detection, options, options.chunkSize)) events.push(...batch);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

/** What a test compares of an error: all a report shows of it. */
function shape(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, line, column, file } = error as Error & Record<string, unknown>;
  return { name: error.name, message: error.message, code, line, column, file };
}

export async function readBytes(bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const detection = detectEncoding(bytes, options);
  const outcome = await textPath(bytes, detection, options);
  if (detection.encoding === 'utf-8') {
    const fromBytes = bytePath(bytes, detection, options);
    expect(shape(fromBytes.error), 'the UTF-8 byte path fails as the text path does').toEqual(shape(outcome.error));
    // Events before a failure come out too, on both paths.
    expect(fromBytes.events, 'the UTF-8 byte path gives the events of the text path').toEqual(outcome.events);
  }
  if (outcome.error !== undefined) throw outcome.error;
  const events = outcome.events;
  const headerEvent = events[0];
  if (headerEvent?.type !== 'header') throw new Error('the first event must be the header');
  const rows: GuardianRow[] = [];
  const rejected: { line: number; issues: readonly Issue[] }[] = [];
  const issues: Issue[] = [...detection.issues, ...headerEvent.header.issues];
  for (const event of events.slice(1)) {
    if (event.type === 'header') throw new Error('the header event must come exactly once');
    if (event.type === 'row') rows.push(event.row);
    else rejected.push({ line: event.line, issues: event.issues });
    issues.push(...event.issues);
  }
  return { encoding: detection.encoding, events, header: headerEvent.header, rows, rejected, issues };
}

export function readText(text: string, options: ReadOptions = {}): Promise<ReadResult> {
  return readBytes(Buffer.from(text, 'utf8'), options);
}


export const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,language';
