// Test helper: bytes → detectEncoding → decodeChunks → parseGuardianFile, the way the sync
// reads a file, with every event collected.
import { decodeChunks } from '../../src/decode/decode-text.js';
import { detectEncoding, type DecodeOptions } from '../../src/decode/detect-encoding.js';
import type { Issue } from '../../src/errors/issue.js';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import { parseGuardianFile, type HeaderInfo, type ParseEvent, type ParseOptions } from '../../src/parse/parse-guardian-file.js';

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

export async function readBytes(bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const detection = detectEncoding(bytes, options);
  const events: ParseEvent[] = [];
  for await (const event of parseGuardianFile(decodeChunks(bytes, detection, options.chunkSize), options)) events.push(event);
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
