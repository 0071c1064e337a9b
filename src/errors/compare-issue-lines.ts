// The order reports list issues in: by line, file- and run-level issues (no line) first.
import type { Issue } from './issue.js';

/** Sort comparator by line; stable sorts keep the order of issues of one line. */
export function compareIssueLines(a: Issue, b: Issue): number {
  return (a.line ?? 0) - (b.line ?? 0);
}
