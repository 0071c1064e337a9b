// The reading stage's verdict on a whole file: a file with no row to sync is a whole-file
// error (docs/file-format.md), said with the reasons its rows were skipped.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { GuardianInput } from './guardian-input.js';
import type { InputFormat } from './input-format.js';
import { describeSkippedRows, summarizeSkippedRows } from './skipped-rows.js';

/**
 * Why a file gives nothing to sync (a header only, every row rejected, or a OneRoster set
 * with no guardians), or null when it has valid rows.
 */
export function noValidRowsMessage(input: GuardianInput, fileName: string, format: InputFormat): string | null {
  if (input.rows.length > 0) return null;
  if (format === 'oneroster' && input.rejected.length === 0) {
    return `${fileName} lists no guardian linked to a student (users with the role parent, guardian or relative): nothing to sync.`;
  }
  if (input.records === 0) return `${fileName} has a header but no data rows: nothing to sync.`;
  // The reasons, counted, so the message says what to fix even where the rows' own issues are not shown.
  const reasons = describeSkippedRows(summarizeSkippedRows(input.rejected));
  return `None of the ${input.records} rows of ${fileName} could be used${reasons === '' ? '' : `: ${reasons}`}. Fix those rows (each is listed with its issue).`;
}

/** Throws NO_VALID_ROWS when the input gives nothing to sync. */
export function assertHasValidRows(input: GuardianInput, fileName: string, format: InputFormat): void {
  const message = noValidRowsMessage(input, fileName, format);
  if (message !== null) throw new GuardianSyncError('NO_VALID_ROWS', message, { file: fileName });
}
