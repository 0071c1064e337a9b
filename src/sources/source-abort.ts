// Cancellation for file sources: one error shape for "the caller aborted", whichever
// source or stage noticed it, so reports show ABORTED and never a foreign AbortError.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

/** The error every source throws when its `signal` is aborted. */
export function abortedError(file?: string | undefined): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'Reading the guardian file was cancelled; run the sync again.', { file });
}

/** Throws ABORTED when the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, file?: string | undefined): void {
  if (signal?.aborted === true) throw abortedError(file);
}
