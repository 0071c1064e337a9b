// The sync report, exactly the JSON of docs/reports.md (`formatVersion: 1`).
import type { Issue } from '../errors/issue.js';
import type { FieldName, RowOutcome, SyncCounts, ThresholdResult } from './plan.js';
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
  /** The fields an entry of `changes` carries in report.json: always `REPORT_CHANGE_FIELDS`. */
  readonly changeFields: readonly ReportChangeField[];
  /**
   * What the run changed (a dry run: would change), one entry per plan item, in line order
   * then kind (entries without lines last). Empty for a run that stopped before planning; a
   * failed apply lists only the entries whose lines the store holds. Items the safety
   * threshold held back are not changes (the threshold block counts them).
   */
  readonly changes: readonly ReportChange[];
}

/**
 * A report as the run history keeps it: the status may also be `running`, `interrupted` or
 * `cancelled`, and a report saved before `changes` existed has neither `changes` nor
 * `changeFields` (read it as no changes recorded: `report.changes ?? []`).
 */
export type SavedReport = Omit<SyncReport, 'status' | 'changes' | 'changeFields'> & {
  readonly status: RunStatus;
  readonly changeFields?: readonly ReportChangeField[] | undefined;
  readonly changes?: readonly ReportChange[] | undefined;
};

/** The kinds of change, in the order a report lists the changes of one line. */
export const REPORT_CHANGE_KINDS = ['created', 'updated', 'role-added', 'restored', 'archived', 'linked', 'unlinked', 'id-removed'] as const;

export type ReportChangeKind = (typeof REPORT_CHANGE_KINDS)[number];

/**
 * The fields of a change in report.json, in the order it writes them. Never a name and
 * never a contact value: whoever can read the report folder must not learn guardians'
 * emails or phones from it, and names stay in report.html (on the host).
 */
export const REPORT_CHANGE_FIELDS = Object.freeze(['kind', 'lines', 'accountId', 'fields', 'studentSisId'] as const);

export type ReportChangeField = (typeof REPORT_CHANGE_FIELDS)[number];

export interface ReportChangeBase {
  /** The file lines behind the change; empty for archives and link removals, which no line asks for. */
  readonly lines: readonly number[];
  readonly accountId: string;
  /**
   * The guardian's first and last name as the plan writes them or the store holds them, for
   * report.html only. Never in report.json: `stringifyReport` (report.json, `--json`, the
   * shipped stores' run history) leaves it out, and `changeFields` does not list it.
   */
  readonly name?: string | undefined;
}

/** An account created, given the guardian role or new guardian SIS ids (`role-added`), restored, archived, or made to give guardian SIS ids up to another account (`id-removed`). */
export interface ReportAccountChange extends ReportChangeBase {
  readonly kind: 'created' | 'role-added' | 'restored' | 'archived' | 'id-removed';
}

/** An account whose names, contacts or language changed: the field names, never the values. */
export interface ReportUpdateChange extends ReportChangeBase {
  readonly kind: 'updated';
  readonly fields: readonly FieldName[];
}

/** A guardian–student link added or removed (the student's SIS id in the run's district). */
export interface ReportLinkChange extends ReportChangeBase {
  readonly kind: 'linked' | 'unlinked';
  readonly studentSisId: string;
}

export type ReportChange = ReportAccountChange | ReportUpdateChange | ReportLinkChange;

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
