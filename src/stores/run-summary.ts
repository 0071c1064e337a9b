// Run history helpers of the memory store: the summary line of a report and the order
// `listRuns` promises (most recent first), which the SQL stores get from their ORDER BY.
import type { RunSummary, SavedReport } from '../model/report.js';
import type { SyncScope } from '../model/roster.js';

/** The run-history line of a report. */
export function summarizeRun(report: SavedReport): RunSummary {
  return {
    runId: report.runId,
    scope: { level: report.scope.level, orgId: report.scope.orgId },
    status: report.status,
    dryRun: report.dryRun,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    counts: { ...report.counts },
    // A report saved before a threshold existed in it (hand-written, or by an old host) has none.
    ...(report.threshold === undefined ? {} : { threshold: { ...report.threshold } }),
  };
}

/**
 * Most recent first. `startedAt` is compared as text: the sync writes UTC ISO-8601
 * (`toISOString()`), which sorts as text exactly as in time, and SQLite sorts it the same
 * way without parsing. Ties (same millisecond) fall back to the run id, descending.
 */
export function compareRunsRecentFirst(a: RunSummary, b: RunSummary): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? 1 : -1;
}

export function runMatchesScope(run: RunSummary, scope: SyncScope | undefined): boolean {
  return scope === undefined || (run.scope.level === scope.level && run.scope.orgId === scope.orgId);
}
