// The errors the shipped stores throw when a snapshot or an apply is cancelled. Messages never
// carry names, contacts or a whole record.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

/** The apply was cancelled through its AbortSignal. */
export function applyAborted(done: number, total: number, atomic: boolean): GuardianSyncError {
  const state = atomic ? 'nothing was applied' : `${done} of ${total} changes were applied`;
  return new GuardianSyncError('ABORTED', `Applying the plan was cancelled (${state}); run the sync again to finish.`, { transient: true });
}

/** Snapshot loading was cancelled through its AbortSignal. */
export function loadAborted(): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'Loading the roster was cancelled; nothing was changed.', { transient: true });
}
