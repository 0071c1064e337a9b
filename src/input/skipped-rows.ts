// Why rows of a file were skipped, counted by the issue code that skipped them, with their
// first lines: what NO_VALID_ROWS and `validate` say, so that "3 rows skipped" always comes
// with its reasons (a row without a usable email or mobile is skipped by a warning, not an
// error, and a count of errors alone would not add up).
import type { IssueCode } from '../errors/issue-codes.js';
import type { Issue } from '../errors/issue.js';

/** Lines listed per code: enough to find the rows, short enough for one message. */
const LINES_SHOWN = 5;

export interface SkippedRowsByCode {
  readonly code: IssueCode;
  /** Rows this code skipped. */
  readonly rows: number;
  /** The first lines it skipped, ascending. */
  readonly lines: readonly number[];
}

/**
 * The issue that made a rejected row unusable: its first error, or else its last issue.
 * Validation checks the fields first and adds the verdict last (NO_CONTACT_CREDENTIAL after
 * the INVALID_EMAIL and INVALID_PHONE that led to it), so the last one is the reason.
 */
export function skipReason(issues: readonly Issue[]): IssueCode | null {
  return (issues.find((i) => i.severity === 'error') ?? issues[issues.length - 1])?.code ?? null;
}

/** Skipped rows counted per reason, most rows first (ties in line order). */
export function summarizeSkippedRows(rejected: readonly { readonly line: number; readonly issues: readonly Issue[] }[]): SkippedRowsByCode[] {
  const byCode = new Map<IssueCode, { rows: number; lines: number[] }>();
  for (const row of rejected) {
    const code = skipReason(row.issues);
    if (code === null) continue;
    let entry = byCode.get(code);
    if (entry === undefined) {
      entry = { rows: 0, lines: [] };
      byCode.set(code, entry);
    }
    entry.rows++;
    if (entry.lines.length < LINES_SHOWN) entry.lines.push(row.line);
  }
  // Rejected rows come in line order, so each code's lines are ascending and Map order is first-seen order.
  return [...byCode.entries()].map(([code, e]) => ({ code, rows: e.rows, lines: e.lines })).sort((a, b) => b.rows - a.rows);
}

/** `MISSING_VALUE ×2 (lines 2, 3), NO_CONTACT_CREDENTIAL ×1 (line 4)`; '' when nothing was skipped. */
export function describeSkippedRows(summary: readonly SkippedRowsByCode[]): string {
  return summary
    .map(({ code, rows, lines }) => {
      const more = rows > lines.length ? ', …' : '';
      return `${code} ×${rows} (${lines.length === 1 && rows === 1 ? 'line' : 'lines'} ${lines.join(', ')}${more})`;
    })
    .join(', ');
}

/** Skipped rows per reason as a plain record, for JSON: `{ "MISSING_VALUE": 2, "NO_CONTACT_CREDENTIAL": 1 }`. */
export function skippedRowsByCode(summary: readonly SkippedRowsByCode[]): Partial<Record<IssueCode, number>> {
  const out: Partial<Record<IssueCode, number>> = {};
  for (const { code, rows } of summary) out[code] = rows;
  return out;
}
