// An issue is one finding of a run, row or file: what, where, how bad. Reports list them;
// exceptions carry one. Never put a whole row or a credential in `message`.
import { ISSUE_SEVERITY, type IssueCode, type Severity } from './issue-codes.js';

export interface Issue {
  readonly severity: Severity;
  readonly code: IssueCode;
  /** Physical line (1-based) where the record starts; null for file- or run-level issues. */
  readonly line: number | null;
  /** The canonical field (e.g. `email`) or the header text; null when not about one column. */
  readonly column: string | null;
  readonly message: string;
  /** Other lines involved (e.g. all rows of a conflicting guardian), when more than one. */
  readonly lines?: readonly number[] | undefined;
}

export interface IssueLocation {
  readonly line?: number | null | undefined;
  readonly column?: string | null | undefined;
  readonly lines?: readonly number[] | undefined;
  /** Overrides the code's default severity (rare: e.g. a warning promoted by a host). */
  readonly severity?: Severity | undefined;
}

/** Builds an issue with the code's default severity. */
export function createIssue(code: IssueCode, message: string, where: IssueLocation = {}): Issue {
  const issue: Issue = {
    severity: where.severity ?? ISSUE_SEVERITY[code],
    code,
    line: where.line ?? null,
    column: where.column ?? null,
    message,
  };
  return where.lines !== undefined ? { ...issue, lines: where.lines } : issue;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
