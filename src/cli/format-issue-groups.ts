// Issues grouped by code for the terminal: severity, code, count and lines, the first few
// messages, and what to do (ISSUE_HINTS). Shared by `validate` and `roster import`; the sync
// report has its own text form (formatReportText).
import type { Issue } from '../errors/issue.js';
import { toTerminalSafe } from '../report/format-report-text.js';
import { formatCount } from '../report/report-wording.js';
import { summarizeIssues } from '../report/summarize-issues.js';
import type { Paint } from './paint.js';

/** Messages shown per issue code; the rest are counted, with their line numbers. */
const MESSAGES_PER_CODE = 5;
const LINES_PER_CODE = 20;

export function formatIssueGroups(issues: readonly Issue[], paint: Paint): string[] {
  const out: string[] = [];
  for (const group of summarizeIssues(issues, { maxLines: LINES_PER_CODE })) {
    const more = group.lineCount > group.lines.length ? `, … (${formatCount(group.lineCount)} lines in all)` : '';
    const lines = group.lineCount === 0 ? '' : `  ${group.lineCount === 1 ? 'line' : 'lines'} ${group.lines.join(', ')}${more}`;
    out.push('', `  ${paint.severity(group.severity, group.severity.toUpperCase())} ${paint.bold(group.code)} ×${formatCount(group.count)}${lines}`);
    for (const issue of group.issues.slice(0, MESSAGES_PER_CODE)) {
      const where = [issue.line === null ? null : `line ${issue.line}`, issue.column === null ? null : `column ${toTerminalSafe(issue.column, 60)}`].filter(
        (w): w is string => w !== null,
      );
      // Messages may quote a cell of the file: made safe for the terminal like every user value.
      out.push(`    ${where.length > 0 ? `${where.join(', ')}: ` : ''}${toTerminalSafe(issue.message, 300)}`);
    }
    if (group.count > MESSAGES_PER_CODE) out.push(paint.dim(`    … and ${formatCount(group.count - MESSAGES_PER_CODE)} more`));
    out.push(`    ${paint.cyan('What to do:')} ${group.hint}`);
  }
  return out;
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
