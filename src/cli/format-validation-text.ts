// The readable output of `guardian-sync validate`: what a district's IT person reads to fix
// a file before the sync is enabled. File facts first, then the header mapping, the counts,
// then every issue grouped by code with its lines and what to do about it.
import { ISSUE_HINTS } from '../errors/issue-codes.js';
import { GUARDIAN_FIELDS } from '../model/guardian-row.js';
import { formatBytes, formatCount, formatDelimiter } from '../report/report-wording.js';
import { summarizeIssues } from '../report/summarize-issues.js';
import type { ValidationReport } from '../sync/validate-guardian-file.js';
import type { Paint } from './paint.js';

/** Messages shown per issue code; the rest are counted, with their line numbers. */
const MESSAGES_PER_CODE = 5;
const LINES_PER_CODE = 20;

export function formatValidationText(report: ValidationReport, paint: Paint, path: string): string {
  const out: string[] = [];
  out.push(paint.bold(`Self-check of ${path}`));
  if (report.file !== null) {
    const file = report.file;
    out.push(`  Size        ${formatBytes(file.size)}  (sha256 ${file.sha256.slice(0, 12)}…)`);
    out.push(`  Encoding    ${file.encoding}`);
    out.push(`  Delimiter   ${formatDelimiter(file.delimiter)}`);
  } else {
    out.push('  The file could not be read (see the error below).');
  }

  const found = GUARDIAN_FIELDS.filter((field) => report.header[field] !== undefined);
  if (found.length > 0) {
    out.push('', paint.bold('Header mapping'));
    const width = Math.max(...GUARDIAN_FIELDS.map((f) => f.length));
    for (const field of GUARDIAN_FIELDS) {
      const header = report.header[field];
      out.push(`  ${field.padEnd(width)}  ${header === undefined ? paint.dim('(not in the file)') : `← ${JSON.stringify(header)}`}`);
    }
  }

  const { counts } = report;
  out.push('', paint.bold('Counts'));
  out.push(`  Rows        ${formatCount(counts.rows)}${counts.rowsSkipped > 0 ? `  (${formatCount(counts.rowsSkipped)} skipped for errors)` : ''}`);
  out.push(`  Guardians   ${formatCount(counts.guardians)}`);
  if (counts.rowsWithoutGuardianSisId > 0) {
    const noColumn = report.header.guardianSisId === undefined;
    out.push(
      '',
      paint.yellow(
        noColumn
          ? `Warning: the file has no guardianSisId column (${formatCount(counts.rowsWithoutGuardianSisId)} rows).`
          : `Warning: ${formatCount(counts.rowsWithoutGuardianSisId)} of ${formatCount(counts.rows)} rows have no guardianSisId.`,
      ),
      `  ${ISSUE_HINTS.MISSING_GUARDIAN_SIS_ID}`,
    );
  }

  const groups = summarizeIssues(report.issues, { maxLines: LINES_PER_CODE });
  const errors = report.issues.filter((i) => i.severity === 'error').length;
  const warnings = report.issues.filter((i) => i.severity === 'warning').length;
  if (groups.length > 0) {
    out.push('', paint.bold(`Issues (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`));
    for (const group of groups) {
      const lines = group.lineCount === 0 ? '' : `  ${group.lineCount === 1 ? 'line' : 'lines'} ${group.lines.join(', ')}${group.lineCount > group.lines.length ? `, … (${formatCount(group.lineCount)} lines)` : ''}`;
      out.push('', `  ${paint.severity(group.severity, group.severity.toUpperCase())} ${paint.bold(group.code)} ×${formatCount(group.count)}${lines}`);
      for (const issue of group.issues.slice(0, MESSAGES_PER_CODE)) {
        const where = [issue.line === null ? null : `line ${issue.line}`, issue.column === null ? null : `column ${issue.column}`].filter((w) => w !== null);
        out.push(`    ${where.length > 0 ? `${where.join(', ')}: ` : ''}${issue.message}`);
      }
      if (group.count > MESSAGES_PER_CODE) out.push(paint.dim(`    … and ${formatCount(group.count - MESSAGES_PER_CODE)} more`));
      out.push(`    ${paint.cyan('What to do:')} ${group.hint}`);
    }
  }

  out.push('');
  if (report.valid) {
    out.push(paint.green(`Result: the file is valid${warnings > 0 ? `, with ${plural(warnings, 'warning')}` : ''}.`));
  } else {
    out.push(paint.red(`Result: the file has ${plural(errors, 'error')}. Fix them and run validate again.`));
  }
  return out.join('\n');
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
