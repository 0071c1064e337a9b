// `--timings`: where a command's wall time went, one line per phase on stderr after the run.
// The sync's own phases come from its `onProgress` events (a phase lasts from its first event
// to the first event of the next phase); the CLI marks its own steps around them (setting up
// before the sync, closing the roster after it, writing report files, printing the output).
// `startup` is the process's uptime when the command began (Node's start and module loading),
// and `total` its uptime when the lines are made, so the lines add up to the total.
import type { ProgressEvent } from '../sync/sync-options.js';

export interface PhaseTimings {
  /** Feed the sync's progress events here. */
  readonly onProgress: (event: ProgressEvent) => void;
  /** The CLI's own step `name` starts now (and the previous phase ends). */
  readonly mark: (name: string) => void;
  /** Ends the current phase and returns the lines: startup, each phase in order, total. */
  readonly lines: () => string[];
}

export interface PhaseTimingsOptions {
  /** Monotonic clock in milliseconds. @default performance.now */
  readonly now?: (() => number) | undefined;
  /** Seconds since the process started. @default process.uptime */
  readonly uptime?: (() => number) | undefined;
}

/** The prefix of every line, so a script can pick them out of the rest of stderr. */
export const TIMING_PREFIX = 'timing';

/** Starts the clock: call when the command begins its work. The first phase is `setup`. */
export function createPhaseTimings(options: PhaseTimingsOptions = {}): PhaseTimings {
  const now = options.now ?? (() => performance.now());
  const uptime = options.uptime ?? (() => process.uptime());
  const startupMs = uptime() * 1000;
  const totals = new Map<string, number>();
  let current = 'setup';
  let since = now();

  const enter = (name: string): void => {
    if (name === current) return;
    const t = now();
    totals.set(current, (totals.get(current) ?? 0) + (t - since));
    current = name;
    since = t;
  };

  return {
    // `done` is the sync's last event: what follows it until the CLI's next step is closing the roster.
    onProgress: (event) => enter(event.phase === 'done' ? 'close' : event.phase),
    mark: enter,
    lines() {
      enter('');
      totals.delete('');
      const totalMs = uptime() * 1000;
      const rows: [string, number][] = [['startup', startupMs], ...totals];
      const width = Math.max(...rows.map(([name]) => name.length), 'total'.length);
      const line = (name: string, ms: number, note = ''): string => `${TIMING_PREFIX} ${name.padEnd(width)} ${String(Math.round(ms)).padStart(7)} ms${note}`;
      return [
        ...rows.map(([name, ms]) => line(name, ms, totalMs > 0 ? ` ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%` : '')),
        line('total', totalMs, ' (since the process started)'),
      ];
    },
  };
}

/** Parses the lines back (for the bench): phase → milliseconds, `total` included. */
export function parseTimingLines(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${TIMING_PREFIX} (\\S+)\\s+(\\d+) ms`, 'gm'))) out[match[1] as string] = Number(match[2]);
  return out;
}
