// The CLI's exit codes (docs/cli.md): scripts and schedulers branch on these, so they are
// fixed and derived from the report status in one place.
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
  if (status === 'failed' && issues.some((i) => i.code === 'INVALID_CONFIGURATION' && i.severity === 'error')) return EXIT_CODES.usage;
  return exitCodeForStatus(status);
}
