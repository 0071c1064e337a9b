// Groups a run's issues by code for reading: the text and HTML reports both list issues
// this way (most severe first, then in the order of ISSUE_CODES, which puts file errors
// before row issues), so the grouping lives here once.
import { ISSUE_CODES, ISSUE_HINTS, type IssueCode, type Severity } from '../errors/issue-codes.js';
import type { Issue } from '../errors/issue.js';

export interface IssueGroup {
  readonly code: IssueCode;
  /** The most severe severity among the group's issues (a host may promote one issue). */
  readonly severity: Severity;
  /** Number of issues with this code. */
  readonly count: number;
  /** The first `maxLines` distinct file lines the issues point at, ascending. */
  readonly lines: readonly number[];
  /** How many distinct lines the issues point at in all (`lines` may show fewer). */
  readonly lineCount: number;
  /** What to do about it (ISSUE_HINTS). */
  readonly hint: string;
  /** The group's issues, in the report's order. */
  readonly issues: readonly Issue[];
}

export interface SummarizeIssuesOptions {
  /**
   * How many line numbers each group keeps in `lines`.
   * @default 10
   */
  readonly maxLines?: number | undefined;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

const CODE_RANK: ReadonlyMap<IssueCode, number> = new Map(ISSUE_CODES.map((code, i) => [code, i]));

/** Issues grouped by code: errors first, then warnings, then info; within a severity, ISSUE_CODES order. */
export function summarizeIssues(issues: readonly Issue[], options: SummarizeIssuesOptions = {}): IssueGroup[] {
  const maxLines = Math.max(0, Math.floor(options.maxLines ?? 10));
  const byCode = new Map<IssueCode, { severity: Severity; issues: Issue[]; lines: Set<number> }>();
  for (const issue of issues) {
    let group = byCode.get(issue.code);
    if (group === undefined) {
      group = { severity: issue.severity, issues: [], lines: new Set() };
      byCode.set(issue.code, group);
    }
    if (SEVERITY_RANK[issue.severity] < SEVERITY_RANK[group.severity]) group.severity = issue.severity;
    group.issues.push(issue);
    if (issue.line !== null) group.lines.add(issue.line);
    if (issue.lines !== undefined) for (const line of issue.lines) group.lines.add(line);
  }
  const groups: IssueGroup[] = [];
  for (const [code, group] of byCode) {
    const sorted = [...group.lines].sort((a, b) => a - b);
    groups.push({
      code,
      severity: group.severity,
      count: group.issues.length,
      lines: sorted.slice(0, maxLines),
      lineCount: sorted.length,
      hint: ISSUE_HINTS[code],
      issues: group.issues,
    });
  }
  return groups.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (CODE_RANK.get(a.code) ?? 0) - (CODE_RANK.get(b.code) ?? 0),
  );
}
