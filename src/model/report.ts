// The sync report, exactly the JSON of docs/reports.md (`formatVersion: 1`).
import type { Issue } from '../errors/issue.js';
import type { RowOutcome, SyncCounts, ThresholdResult } from './plan.js';
import type { SyncLevel } from './roster.js';

export type SyncStatus = 'succeeded' | 'succeeded-with-warnings' | 'failed' | 'failed-threshold' | 'disabled';

/**
 * The status of a run in the history: a finished run's `SyncStatus`, `running` while it holds
 * its scope's lock, or `interrupted` when it never finished (its process was killed; the next
 * run of the scope marks it so).
 */
export type RunStatus = SyncStatus | 'running' | 'interrupted';

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
  readonly threshold: Omit<ThresholdResult, 'forced'> & { readonly forced?: boolean };
  readonly issues: readonly Issue[];
  readonly rows: readonly RowOutcome[];
}

/** A report as the run history keeps it: the status may also be `running` or `interrupted`. */
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
