// Waits for a store call, but no longer than the run's signal allows: a store that hangs
// on a read must not hold a daily sync (and its scope lock) forever.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, during: string): Promise<T> {
  if (signal === undefined) return work;
  const aborted = (): GuardianSyncError => new GuardianSyncError('ABORTED', `The sync was cancelled (or hit its deadline) while ${during}; nothing more was changed.`);
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
