// The short human summary of a sync report, for a terminal (the CLI prints it on stderr):
// status, scope, file, counts, threshold, the first changes of each kind, then issues
// grouped by code with their hints. Terminals and logs are read by more people than
// report.html: changes show lines and account ids here, never names.
import type { SyncReport } from '../model/report.js';
import { groupChanges } from './group-changes.js';
import {
  CHANGE_KIND_LABELS,
  COUNT_KEYS,
  COUNT_LABELS,
  DRY_RUN_NOTE,
  describeChangeDetail,
  describeOutcome,
  formatBytes,
  formatChangeLines,
  formatCount,
  formatDelimiter,
  formatDuration,
  readThreshold,
  type StatusWording,
} from './report-wording.js';
import { summarizeIssues, type IssueGroup } from './summarize-issues.js';

export interface FormatReportTextOptions {
  /**
   * ANSI colors. Pass true only when the output is a TTY (the CLI decides; this stays pure).
   * @default false
   */
  readonly color?: boolean | undefined;
  /**
   * How many line numbers to show per issue code.
   * @default 10
   */
  readonly maxLines?: number | undefined;
  /**
   * How many changes to show per kind (created, updated, linked…); the rest are counted.
   * @default 20
   */
  readonly maxChanges?: number | undefined;
}

export const DEFAULT_TEXT_CHANGES_PER_KIND = 20;

const ANSI = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
type Style = keyof typeof ANSI;

// Control characters (an ESC could recolor or rewrite the terminal), line breaks and the
// bidirectional overrides (which can make text read differently than it is) from user values.
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A user value made safe to print on one terminal line: controls shown as `\u001b`, breaks as spaces. */
export function toTerminalSafe(value: string, maxLength = 200): string {
  const safe = value.replace(UNSAFE_FOR_TERMINAL, (ch) =>
    ch === '\n' || ch === '\r' || ch === '\t' ? ' ' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe;
}

/** Characters of an issue's message shown: run-level messages say what, where and what to do, and run to 400. */
const MESSAGE_LENGTH = 600;

const TONE_STYLE: Readonly<Record<StatusWording['tone'], Style>> = { good: 'green', warn: 'yellow', bad: 'red', neutral: 'cyan' };
const SEVERITY_STYLE = { error: 'red', warning: 'yellow', info: 'cyan' } as const satisfies Record<IssueGroup['severity'], Style>;

function formatLines(lines: readonly number[], lineCount: number): string {
  if (lineCount === 0) return '';
  const shown = lines.map(formatCount).join(', ');
  const more = lineCount - lines.length;
  return `${lineCount === 1 ? 'line' : 'lines'} ${shown}${more > 0 ? ` …and ${formatCount(more)} more` : ''}`;
}

/** Renders a report as plain text (or ANSI-colored text), ending with a newline. */
export function formatReportText(report: SyncReport, options: FormatReportTextOptions = {}): string {
  const paint = (style: Style, text: string): string => (options.color === true ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  const field = (label: string, value: string): void => {
    out.push(`${paint('bold', label.padEnd(10))}${value}`);
  };

  const status = describeOutcome(report);
  out.push(`${paint('bold', 'guardian-sync:')} ${paint(TONE_STYLE[status.tone], paint('bold', status.label))}${report.dryRun ? ' (dry run)' : ''}`);
  out.push(`  ${status.meaning}`);
  if (report.dryRun) out.push(`  ${DRY_RUN_NOTE}`);

  const duration = formatDuration(report.startedAt, report.finishedAt);
  field('Run', `${toTerminalSafe(report.runId)}  ${toTerminalSafe(report.startedAt)}${duration !== null ? ` (${duration})` : ''}`);
  field('Scope', `${report.scope.level} ${toTerminalSafe(report.scope.orgId)}`);
  if (report.file === null) field('File', 'none (the run stopped before a file was read)');
  else {
    const f = report.file;
    field(
      'File',
      `${toTerminalSafe(f.name)} · ${formatBytes(f.size)} · ${toTerminalSafe(f.encoding)} · ${formatDelimiter(f.delimiter)} · ${formatCount(f.rows)} ${f.rows === 1 ? 'row' : 'rows'}`,
    );
  }

  // Counts in two aligned columns: eleven numbers in six lines.
  out.push(paint('bold', 'Counts'));
  const cells = COUNT_KEYS.map((key) => `${COUNT_LABELS[key].padEnd(21)}${formatCount(report.counts[key]).padStart(9)}`);
  for (let i = 0; i < cells.length; i += 2) out.push(`  ${cells[i] ?? ''}${cells[i + 1] !== undefined ? `    ${cells[i + 1]}` : ''}`);

  const t = readThreshold(report);
  const mark = (above: boolean): string => (above ? `  ${paint('red', paint('bold', t.forced ? 'EXCEEDED (forced)' : 'EXCEEDED'))}` : '');
  t.ratios.forEach((r, i) => field(i === 0 ? 'Threshold' : '', `${r.text}${mark(r.above)}`));
  field('', t.exceeded ? paint(t.forced ? 'yellow' : 'red', t.verdict) : t.verdict);

  // A report saved before changes existed has none to show, which is not "none".
  if (report.changes !== undefined) {
    const changes = report.changes;
    const groups = groupChanges(changes, options.maxChanges ?? DEFAULT_TEXT_CHANGES_PER_KIND);
    if (changes.length === 0) field('Changes', report.dryRun ? 'none would be made' : 'none');
    else field('Changes', `${formatCount(changes.length)}${report.dryRun ? ' (dry run: what a real run would change)' : ''}; by line and account id (report.html has names)`);
    for (const g of groups) {
      out.push(`  ${paint('bold', CHANGE_KIND_LABELS[g.kind])}  ×${formatCount(g.count)}`);
      for (const change of g.changes) {
        const lines = change.lines.length === 0 ? '(no line)' : `${change.lines.length === 1 ? 'line' : 'lines'} ${formatChangeLines(change.lines)}`;
        const detail = describeChangeDetail(change);
        out.push(`    ${lines.padEnd(16)} ${toTerminalSafe(change.accountId, 80)}${detail === '' ? '' : `  ${toTerminalSafe(detail, 120)}`}`);
      }
      const more = g.count - g.changes.length;
      if (more > 0) out.push(`    ${paint('dim', `… and ${formatCount(more)} more`)}`);
    }
  }

  const groups = summarizeIssues(report.issues, { maxLines: options.maxLines });
  if (groups.length === 0) field('Issues', 'none');
  else {
    field('Issues', `${formatCount(report.issues.length)} in ${groups.length} ${groups.length === 1 ? 'code' : 'codes'}`);
    for (const g of groups) {
      const lines = formatLines(g.lines, g.lineCount);
      out.push(`  ${paint(SEVERITY_STYLE[g.severity], g.severity.padEnd(8))} ${paint('bold', g.code)}  ×${formatCount(g.count)}${lines !== '' ? `  ${lines}` : ''}`);
      const first = g.issues[0];
      // Messages end with what to do: cut only the rare one that quotes a long cell.
      if (first !== undefined && first.message !== '') out.push(`           ${g.count > 1 ? 'e.g. ' : ''}${toTerminalSafe(first.message, MESSAGE_LENGTH)}`);
      out.push(`           ${paint('dim', `→ ${g.hint}`)}`);
    }
  }

  const missingIds = groups.find((g) => g.code === 'MISSING_GUARDIAN_SIS_ID');
  if (missingIds !== undefined) {
    const lines = formatLines(missingIds.lines, missingIds.lineCount);
    out.push(
      paint(
        'yellow',
        `Rows without guardianSisId: ${formatCount(missingIds.lineCount || missingIds.count)}${lines !== '' ? ` (${lines})` : ''}. ${missingIds.hint}`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
