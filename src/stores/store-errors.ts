// The errors the shipped stores throw while applying a plan. Messages name the item by kind
// and ids (what to look for) and never carry names, contacts or a whole record.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { describeStep, type PlanStep } from './plan-steps.js';

/** An item of the plan cannot be applied (e.g. it refers to an account that does not exist). */
export function stepFailure(step: PlanStep, reason: string, atomic: boolean): GuardianSyncError {
  const after = atomic
    ? 'Nothing of the plan was applied; run the sync again to re-plan against the current roster.'
    : 'The changes before it were applied; run the sync again: it re-plans and converges.';
  return new GuardianSyncError('STORE_FAILED', `Cannot apply the ${describeStep(step)}: ${reason}. ${after}`);
}

/** The apply was cancelled through its AbortSignal. */
export function applyAborted(done: number, total: number, atomic: boolean): GuardianSyncError {
  const state = atomic ? 'nothing was applied' : `${done} of ${total} changes were applied`;
  return new GuardianSyncError('ABORTED', `Applying the plan was cancelled (${state}); run the sync again to finish.`, { transient: true });
}

/** Snapshot loading was cancelled through its AbortSignal. */
export function loadAborted(): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'Loading the roster was cancelled; nothing was changed.', { transient: true });
}
