// Deadlines for remote operations. ssh2-sftp-client's `readyTimeout` covers only the
// handshake: a stalled listing, transfer or `end()` would otherwise wait forever. A deadline
// runs `onExpire` (which destroys the connection) and rejects; the abandoned operation's
// own later rejection is swallowed so it cannot surface as an unhandled rejection.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

export class DeadlineExceeded extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

export interface DeadlineOptions {
  readonly what: string;
  readonly ms: number;
  /** Called once when the deadline passes or the signal aborts, before the rejection. */
  readonly onExpire: () => void;
  readonly signal?: AbortSignal | undefined;
  /** Re-arms an idle timer: returns a function the operation calls whenever it makes progress. */
  readonly idleMs?: number | undefined;
}

/**
 * Settles with `run`'s result, or rejects with DeadlineExceeded (or ABORTED on `signal`).
 * `run` receives a `progress()` callback that restarts the idle timer, when there is one.
 */
export async function withDeadline<T>(options: DeadlineOptions, run: (progress: () => void) => Promise<T>): Promise<T> {
  const { what, ms, onExpire, signal, idleMs } = options;
  if (signal?.aborted === true) {
    onExpire();
    throw abortError();
  }
  let total: NodeJS.Timeout | undefined;
  let idle: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let expired = false;
  const stopped = new Promise<never>((_, reject) => {
    const expire = (error: Error): void => {
      if (expired) return;
      expired = true;
      onExpire();
      reject(error);
    };
    total = setTimeout(() => expire(new DeadlineExceeded(what, ms)), ms);
    if (idleMs !== undefined) idle = setTimeout(() => expire(new DeadlineExceeded(`${what} (no data)`, idleMs)), idleMs);
    onAbort = () => expire(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const progress = (): void => {
    if (idle === undefined || expired || idleMs === undefined) return;
    idle.refresh();
  };
  let operation: Promise<T>;
  try {
    operation = run(progress);
  } catch (error) {
    // A client that throws instead of rejecting must not leave the timers running.
    operation = Promise.reject(error);
  }
  try {
    return await Promise.race([operation, stopped]);
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    // Whichever lost the race must not become an unhandled rejection.
    operation.catch(() => undefined);
    stopped.catch(() => undefined);
  }
}

function abortError(): GuardianSyncError {
  return new GuardianSyncError('ABORTED', 'The SFTP download was cancelled; run the sync again.');
}
