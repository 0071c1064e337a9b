// The error a reader throws when its caller's signal is aborted: one error whichever reader
// noticed (the guardians.csv parser, the OneRoster readers, the reading stage between them),
// so a cancelled read reports the same ABORTED issue on every input path.
import { GuardianSyncError } from './guardian-sync-error.js';

export function readingAborted(fileName: string | undefined): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'Reading the guardian file was cancelled.', { file: fileName });
}

/** Throws ABORTED when the signal is aborted. A property read: cheap enough to call per record. */
export function throwIfReadingAborted(signal: AbortSignal | undefined, fileName: string | undefined): void {
  if (signal?.aborted === true) throw readingAborted(fileName);
}
