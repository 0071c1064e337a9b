// Issues grouped by code for the terminal: severity, code, count and lines, the first few
// messages, and what to do (ISSUE_HINTS). Shared by `validate` and `roster import`; the sync
// report has its own text form (formatReportText).
import type { Issue } from '../errors/issue.js';
import { toTerminalSafe } from '../report/format-report-text.js';
import { formatCount } from '../report/report-wording.js';
import { summarizeIssues } from '../report/summarize-issues.js';
import type { Paint } from './paint.js';

/** Distinct messages shown per issue code; the rest are counted. All lines are in the group's heading. */
const MESSAGES_PER_CODE = 5;
const LINES_PER_CODE = 20;
const LINES_PER_MESSAGE = 8;

export function formatIssueGroups(issues: readonly Issue[], paint: Paint): string[] {
  const out: string[] = [];
  for (const group of summarizeIssues(issues, { maxLines: LINES_PER_CODE })) {
    const more = group.lineCount > group.lines.length ? `, … (${formatCount(group.lineCount)} lines in all)` : '';
    const lines = group.lineCount === 0 ? '' : `  ${group.lineCount === 1 ? 'line' : 'lines'} ${group.lines.join(', ')}${more}`;
    out.push('', `  ${paint.severity(group.severity, group.severity.toUpperCase())} ${paint.bold(group.code)} ×${formatCount(group.count)}${lines}`);
    // Rows with the same problem often get the same message: show each distinct message
    // once, with the lines it is about, instead of the same sentence five times.
    const messages = distinctMessages(group.issues);
    for (const { message, column, lines: at } of messages.slice(0, MESSAGES_PER_CODE)) {
      const shownLines = at.slice(0, LINES_PER_MESSAGE).join(', ') + (at.length > LINES_PER_MESSAGE ? ', …' : '');
      const where = [at.length === 0 ? null : `${at.length === 1 ? 'line' : 'lines'} ${shownLines}`, column === null ? null : `column ${toTerminalSafe(column, 60)}`].filter(
        (w): w is string => w !== null,
      );
      // Messages may quote a cell of the file: made safe for the terminal like every user value.
      out.push(`    ${where.length > 0 ? `${where.join(', ')}: ` : ''}${toTerminalSafe(message, 300)}`);
    }
    if (messages.length > MESSAGES_PER_CODE) out.push(paint.dim(`    … and ${formatCount(messages.length - MESSAGES_PER_CODE)} more`));
    out.push(`    ${paint.cyan('What to do:')} ${group.hint}`);
  }
  return out;
}

interface DistinctMessage {
  readonly message: string;
  readonly column: string | null;
  readonly lines: number[];
}

function distinctMessages(issues: readonly Issue[]): DistinctMessage[] {
  const byText = new Map<string, DistinctMessage>();
  for (const issue of issues) {
    const key = `${issue.column ?? ''}\u0000${issue.message}`;
    let entry = byText.get(key);
    if (entry === undefined) {
      entry = { message: issue.message, column: issue.column, lines: [] };
      byText.set(key, entry);
    }
    if (issue.line !== null) entry.lines.push(issue.line);
  }
  return [...byText.values()];
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
