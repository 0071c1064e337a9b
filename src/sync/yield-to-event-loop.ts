// Lets the event loop run once. Reading, planning and a SQLite apply are CPU work chained by
// promises alone, which never hand the loop a turn: timers (the lease heartbeat) and signal
// handlers (Ctrl-C in the CLI, which aborts the run's signal) would wait for the whole run.
// The sync yields here between its steps and between write batches.
import { setImmediate } from 'node:timers/promises';

export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}
