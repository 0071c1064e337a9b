// Pure helpers that turn a run's pieces (input, plan, failure) into the report of
// docs/reports.md: row outcomes merged with parse rejections, issues in line order, status.
import { compareIssueLines } from '../errors/compare-issue-lines.js';
import type { Issue } from '../errors/issue.js';
import type { RowOutcome, SyncCounts, SyncPlan, ThresholdResult } from '../model/plan.js';
import type { SyncReport, SyncStatus } from '../model/report.js';
import type { RejectedRow } from '../input/guardian-input.js';

/**
 * Row outcomes of the whole file: the planner's outcomes for valid rows (a row that also
 * had a parse warning reads WARNING) merged, in line order, with the rows parsing rejected.
 */
export function mergeRowOutcomes(planned: readonly RowOutcome[], rejected: readonly RejectedRow[], parseIssues: readonly Issue[]): RowOutcome[] {
  const warned = new Set<number>();
  for (const issue of parseIssues) if (issue.line !== null && issue.severity !== 'info') warned.add(issue.line);
  const out: RowOutcome[] = [];
  let r = 0;
  const pushRejected = (row: RejectedRow): void => {
    const result = row.issues.some((i) => i.severity === 'error') ? 'ERROR' : 'WARNING';
    out.push({ line: row.line, action: 'SKIPPED', result });
  };
  // Both lists are in line order: a linear merge, not a sort of a million rows.
  for (const outcome of planned) {
    while (r < rejected.length && rejected[r]!.line < outcome.line) pushRejected(rejected[r++]!);
    out.push(outcome.result === 'SUCCESS' && warned.has(outcome.line) ? { ...outcome, result: 'WARNING' } : outcome);
  }
  while (r < rejected.length) pushRejected(rejected[r++]!);
  return out;
}

/** Issues sorted for reading: run- and file-level first, then by line; stable otherwise. */
export function orderIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(compareIssueLines);
}

/** Counts of the whole file: the plan's, plus the rows parsing rejected. */
export function fileCounts(plan: SyncPlan, rejectedRows: number): SyncCounts {
  return { ...plan.counts, rows: plan.counts.rows + rejectedRows, rowsSkipped: plan.counts.rowsSkipped + rejectedRows };
}

export function statusOf(issues: readonly Issue[], threshold: ThresholdResult): SyncStatus {
  if (issues.some((i) => i.severity === 'error' && i.line === null && i.code !== 'THRESHOLD_EXCEEDED')) return 'failed';
  if (threshold.exceeded && !threshold.forced) return 'failed-threshold';
  return issues.some((i) => i.severity !== 'info') ? 'succeeded-with-warnings' : 'succeeded';
}

export function idleThreshold(maxRemovalRatio: number): ThresholdResult {
  return { maxRemovalRatio, removalRatio: 0, archiveRatio: 0, loginChangeRatio: 0, exceeded: false, forced: false };
}

/** The report's threshold block: `forced` appears only when force let an exceeded run through. */
export function reportThreshold(threshold: ThresholdResult): SyncReport['threshold'] {
  const { forced, ...rest } = threshold;
  return forced ? { ...rest, forced } : rest;
}
