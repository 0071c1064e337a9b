// Ctrl-C (SIGINT) and SIGTERM while a command works on the roster. Node's default is to die
// on the spot, which leaves a sync's scope locked and its run "running". While a trap is
// set, the first signal aborts the command's AbortSignal instead: the sync stops at its next
// check, releases its lock, is saved as `cancelled`, and the command exits 130 (SIGINT) or
// 143 (SIGTERM). A second signal means "now": the process exits at once.
import { exitCodeForSignal } from './exit-codes.js';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface InterruptTrap {
  /** Aborted at the first SIGINT or SIGTERM while the trap is set. */
  readonly signal: AbortSignal;
  /** The signal that aborted `signal`, or undefined while none came. */
  received(): InterruptSignal | undefined;
  /** Removes the trap: a signal after this ends the process the default way. Idempotent. */
  release(): void;
}

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** What the trap needs of `process`: signal listeners and exit (a stand-in in tests). */
export interface SignalTarget {
  on(event: InterruptSignal, listener: () => void): unknown;
  off(event: InterruptSignal, listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * Sets the trap on `target` (the real `process` in the CLI). `say` prints the one line a
 * second signal gets before the process exits: the run is then left `running` in the
 * history (the next run of the scope marks it `interrupted`), and its lock ends with the
 * process (SQLite on this host, PostgreSQL) or its lease.
 */
export function trapInterrupts(target: SignalTarget, say: (line: string) => void): InterruptTrap {
  const controller = new AbortController();
  let received: InterruptSignal | undefined;
  const handlers = new Map<InterruptSignal, () => void>();
  for (const name of SIGNALS) {
    const handler = (): void => {
      if (received === undefined) {
        received = name;
        controller.abort();
        return;
      }
      say(`guardian-sync: ${name} again: stopped at once. The run stays "running" in the history until the next run of its scope marks it interrupted.`);
      target.exit(exitCodeForSignal(name));
    };
    handlers.set(name, handler);
    target.on(name, handler);
  }
  return {
    signal: controller.signal,
    received: () => received,
    release() {
      for (const [name, handler] of handlers) target.off(name, handler);
      handlers.clear();
    },
  };
}
