// parseGuardianFile for a whole string, collected: tests, small uploads, the self-check UI.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import type { HeaderInfo, ParseOptions } from './parse-events.js';
import { parseGuardianBatches } from './parse-guardian-file.js';

export interface ParsedGuardianFile {
  readonly header: HeaderInfo;
  readonly rows: GuardianRow[];
  readonly rejected: { readonly line: number; readonly issues: readonly Issue[] }[];
  /** Header issues, then every row issue, in line order. */
  readonly issues: Issue[];
  /** Data records read (blank lines and the header excluded). */
  readonly recordCount: number;
}

export async function parseGuardianText(input: string, options: ParseOptions = {}): Promise<ParsedGuardianFile> {
  let header: HeaderInfo | undefined;
  const rows: GuardianRow[] = [];
  const rejected: { line: number; issues: readonly Issue[] }[] = [];
  const issues: Issue[] = [];
  let recordCount = 0;
  for await (const batch of parseGuardianBatches(input, options)) {
    for (const event of batch) {
      if (event.type === 'header') {
        header = event.header;
        issues.push(...event.header.issues);
      } else {
        recordCount++;
        if (event.type === 'row') rows.push(event.row);
        else rejected.push({ line: event.line, issues: event.issues });
        issues.push(...event.issues);
      }
    }
  }
  // parseGuardianBatches already throws FILE_EMPTY when there is no header; kept for the types.
  if (header === undefined) throw new GuardianSyncError('FILE_EMPTY', 'The file has no header line: export it again with its header.', { file: options.fileName });
  return { header, rows, rejected, issues, recordCount };
}
