// The errors the shipped stores throw when a snapshot or an apply is cancelled. Messages never
// carry names, contacts or a whole record.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

/**
 * The apply was cancelled through its AbortSignal, before its transaction began or inside one
 * that is then rolled back: the stores throw it only where nothing of the plan is written.
 */
export function applyAborted(): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'Applying the plan was cancelled (nothing was applied); run the sync again to finish.', { transient: true });
}

/** Snapshot loading was cancelled through its AbortSignal. */
export function loadAborted(): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'Loading the roster was cancelled; nothing was changed.', { transient: true });
}
