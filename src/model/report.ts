// The sync report, exactly the JSON of docs/reports.md (`formatVersion: 1`).
import type { Issue } from '../errors/issue.js';
import type { RowOutcome, SyncCounts, ThresholdResult } from './plan.js';
import type { SyncLevel } from './roster.js';

export type SyncStatus = 'succeeded' | 'succeeded-with-warnings' | 'failed' | 'failed-threshold' | 'disabled';

/**
 * The status of a run in the history: a finished run's `SyncStatus`, `running` while it holds
 * its scope's lock, `interrupted` when it never finished (its process was killed; the next
 * run of the scope marks it so), or `cancelled` when its `signal` stopped it (Ctrl-C in the
 * CLI, a host shutting down, a deadline): it released its lock, and the report it returned
 * is `failed` with an `ABORTED` error. The history keeps the stop apart from a failure that
 * needs fixing.
 */
export type RunStatus = SyncStatus | 'running' | 'interrupted' | 'cancelled';

export interface FileSummary {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  /** Encoding used to decode, e.g. `utf-8`, `windows-1252`, `utf-16le`. */
  readonly encoding: string;
  readonly delimiter: string;
  /** Data records read (header excluded). */
  readonly rows: number;
}

export interface SyncReport {
  readonly formatVersion: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: SyncStatus;
  readonly dryRun: boolean;
  readonly scope: { readonly level: SyncLevel; readonly orgId: string };
  /** Null when the run stopped before a file was read (disabled, lock, source failure). */
  readonly file: FileSummary | null;
  readonly counts: SyncCounts;
  /** `loginChangeRatio` is absent in reports saved before it existed; `forced` only when force let an exceeded run through. */
  readonly threshold: Omit<ThresholdResult, 'forced' | 'loginChangeRatio'> & { readonly forced?: boolean; readonly loginChangeRatio?: number };
  readonly issues: readonly Issue[];
  readonly rows: readonly RowOutcome[];
}

/** A report as the run history keeps it: the status may also be `running`, `interrupted` or `cancelled`. */
export type SavedReport = Omit<SyncReport, 'status'> & { readonly status: RunStatus };

/** One line of run history. */
export interface RunSummary {
  readonly runId: string;
  readonly scope: { readonly level: SyncLevel; readonly orgId: string };
  readonly status: RunStatus;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly counts: SyncCounts;
  /**
   * The report's threshold block, so a listing can say a run was forced past the threshold
   * and by how much without reading whole reports. The shipped stores return it; a store may
   * leave it out (a listing then cannot tell a forced run from another).
   */
  readonly threshold?: SyncReport['threshold'] | undefined;
}

export const EMPTY_COUNTS: SyncCounts = Object.freeze({
  rows: 0,
  rowsSkipped: 0,
  guardians: 0,
  accountsCreated: 0,
  accountsUpdated: 0,
  rolesAdded: 0,
  linksAdded: 0,
  linksRemoved: 0,
  guardiansArchived: 0,
  guardiansRestored: 0,
  unchanged: 0,
});
