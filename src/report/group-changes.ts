// A report's changes by kind, for the text and HTML forms: each kind's count and its first
// entries (in the report's order: by line). One pass, so a day-1 report of two million
// changes is grouped without copying it.
import { REPORT_CHANGE_KINDS, type ReportChange, type ReportChangeKind } from '../model/report.js';

export interface ChangeGroup {
  readonly kind: ReportChangeKind;
  /** Changes of this kind in the report. */
  readonly count: number;
  /** The first `maxPerKind` of them. */
  readonly changes: readonly ReportChange[];
}

/** The kinds present, in `REPORT_CHANGE_KINDS` order, each with its count and first `maxPerKind` changes. */
export function groupChanges(changes: readonly ReportChange[], maxPerKind: number): ChangeGroup[] {
  const limit = Math.max(0, Math.floor(maxPerKind));
  const counts = new Map<ReportChangeKind, number>();
  const firsts = new Map<ReportChangeKind, ReportChange[]>();
  for (const change of changes) {
    const count = counts.get(change.kind) ?? 0;
    counts.set(change.kind, count + 1);
    if (count >= limit) continue;
    const first = firsts.get(change.kind);
    if (first === undefined) firsts.set(change.kind, [change]);
    else first.push(change);
  }
  return REPORT_CHANGE_KINDS.filter((kind) => counts.has(kind)).map((kind) => ({ kind, count: counts.get(kind)!, changes: firsts.get(kind) ?? [] }));
}
