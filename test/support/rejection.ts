// The GuardianSyncError a promise rejects with: the one way the tests wait for a failure.
import { expect } from 'vitest';
import { isGuardianSyncError, type GuardianSyncError } from '../../src/errors/guardian-sync-error.js';

/** Awaits the rejection; fails the test when the promise resolves or rejects with anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<GuardianSyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isGuardianSyncError(error), `expected a GuardianSyncError, got ${String(error)}`).toBe(true);
  return error as GuardianSyncError;
}
