// The guardians.csv path of the reading stage: detect the encoding, parse (a UTF-8 file from
// its own bytes, any other stream-decoded to text first), and collect the parser's events,
// a batch at a time, into one GuardianInput. Pure (bytes in, values out): whole-file errors
// are thrown as GuardianSyncError, row problems come back as issues.
import { decodeChunks } from '../decode/decode-text.js';
import { detectEncoding } from '../decode/detect-encoding.js';
import type { Issue } from '../errors/issue.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import type { GuardianRow } from '../model/guardian-row.js';
import { parseGuardianBatches, type ParseOptions } from '../parse/parse-guardian-file.js';
import { parseGuardianUtf8 } from '../parse/parse-guardian-utf8.js';
import type { GuardianInput, RejectedRow } from './guardian-input.js';
import type { InputOptions } from './input-options.js';

/** How often `onRecords` is called: often enough for a progress bar, rarely enough to cost nothing. */
export const RECORDS_PER_PROGRESS = 5000;

/** Reads a guardians.csv (`options.format` is not looked at: the caller chose this path). */
export async function readGuardiansCsv(bytes: Uint8Array, options: InputOptions): Promise<GuardianInput> {
  const detection = detectEncoding(bytes, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    fileName: options.fileName,
  });
  const issues: Issue[] = [...detection.issues];
  const rows: GuardianRow[] = [];
  const rejected: RejectedRow[] = [];
  let header: ColumnMapping = {};
  let delimiter = ',';
  let records = 0;

  const parseOptions: ParseOptions = {
    columns: options.columns,
    defaultRegion: options.defaultRegion,
    fileName: options.fileName,
    signal: options.signal,
  };
  const batches =
    detection.encoding === 'utf-8' ? parseGuardianUtf8(bytes, detection, parseOptions) : parseGuardianBatches(decodeChunks(bytes, detection), parseOptions);
  for await (const batch of batches) {
    for (const event of batch) {
      switch (event.type) {
        case 'header':
          header = event.header.mapping;
          delimiter = event.header.delimiter;
          issues.push(...event.header.issues);
          continue;
        case 'row':
          records++;
          rows.push(event.row);
          if (event.issues.length > 0) issues.push(...event.issues);
          break;
        case 'rejected':
          records++;
          rejected.push(event.studentSisId === undefined ? { line: event.line, issues: event.issues } : { line: event.line, issues: event.issues, studentSisId: event.studentSisId });
          issues.push(...event.issues);
          break;
      }
      if (options.onRecords !== undefined && records % RECORDS_PER_PROGRESS === 0) {
        options.onRecords(records);
        // The callback may abort: the records after it are not read.
        throwIfReadingAborted(options.signal, options.fileName);
      }
    }
  }
  return {
    encoding: detection.encoding,
    encodingGuessed: detection.guessed,
    delimiter,
    records,
    header,
    rows,
    rejected,
    issues,
    mode: 'full',
  };
}
