// The CLI's exit codes (docs/cli.md): scripts and schedulers branch on these, so they are
// fixed and derived from the report status (or the signal that stopped a run) in one place.
import type { IssueCode } from '../errors/issue-codes.js';
import type { Issue } from '../errors/issue.js';
import type { SyncStatus } from '../model/report.js';

export const EXIT_CODES = {
  /** Done; warnings allowed. */
  ok: 0,
  /** The file or the run failed. */
  failed: 1,
  /** Usage or configuration error: nothing was run. */
  usage: 2,
  /** The run was held back by the removal threshold (`failed-threshold`). */
  threshold: 3,
  /**
   * The run finished (its changes, if any, are in the roster and its report in the run
   * history) but the `--report` files could not be written. Apart from 1, which says nothing
   * was changed: a script must not run a finished sync again because its files are missing.
   */
  reportNotWritten: 4,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. The run released its lock and is `cancelled` in the history. */
  interrupted: 130,
  /** Stopped by SIGTERM (a scheduler or service manager): 128 + 15, as shells report it; otherwise as `interrupted`. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export function exitCodeForStatus(status: SyncStatus): ExitCode {
  switch (status) {
    case 'succeeded':
    case 'succeeded-with-warnings':
    case 'disabled':
      return EXIT_CODES.ok;
    case 'failed-threshold':
      return EXIT_CODES.threshold;
    case 'failed':
      return EXIT_CODES.failed;
  }
}

/**
 * The exit code of a finished run or self-check. A configuration problem the library found
 * (an unknown --encoding label, say) is a usage error (2), not a bad file (1).
 */
export function exitCodeForOutcome(status: SyncStatus, issues: readonly Issue[]): ExitCode {
  if (status === 'failed' && issues.some((i) => isConfigurationError(i.code) && i.severity === 'error')) return EXIT_CODES.usage;
  return exitCodeForStatus(status);
}

/**
 * Codes that say the command was given something wrong (an option, an org id the roster does
 * not have, or one of the other level) rather than that the file or the run failed: exit 2.
 */
export function isConfigurationError(code: IssueCode): boolean {
  return code === 'INVALID_CONFIGURATION' || code === 'SCOPE_NOT_FOUND';
}

/** The exit code of a command stopped by `signal`: 128 + its number, as shells report it. */
export function exitCodeForSignal(signal: 'SIGINT' | 'SIGTERM'): ExitCode {
  return signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated;
}
