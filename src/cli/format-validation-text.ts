// The readable output of `guardian-sync validate`: what a district's IT person reads to fix
// a file before the sync is enabled. File facts first, then the header mapping, the counts,
// then every issue grouped by code with its lines and what to do about it.
import { ISSUE_HINTS } from '../errors/issue-codes.js';
import { GUARDIAN_FIELDS } from '../model/guardian-row.js';
import { toTerminalSafe } from '../report/format-report-text.js';
import { formatBytes, formatCount, formatDelimiter } from '../report/report-wording.js';
import type { ValidationReport } from '../sync/validate-guardian-file.js';
import { formatIssueGroups, plural } from './format-issue-groups.js';
import type { Paint } from './paint.js';

export function formatValidationText(report: ValidationReport, paint: Paint, path: string): string {
  const out: string[] = [];
  out.push(paint.bold(`Self-check of ${toTerminalSafe(path)}`));
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
      out.push(`  ${field.padEnd(width)}  ${header === undefined ? paint.dim('(not in the file)') : `← "${toTerminalSafe(header, 80)}"`}`);
    }
  }

  const { counts } = report;
  out.push('', paint.bold('Counts'));
  out.push(`  Rows        ${formatCount(counts.rows)}${counts.rowsSkipped > 0 ? `  (${formatCount(counts.rowsSkipped)} skipped: ${skippedReasons(counts.rowsSkippedByCode)})` : ''}`);
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

  const errors = report.issues.filter((i) => i.severity === 'error').length;
  const warnings = report.issues.filter((i) => i.severity === 'warning').length;
  if (report.issues.length > 0) {
    out.push('', paint.bold(`Issues (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`));
    out.push(...formatIssueGroups(report.issues, paint));
  }

  out.push('');
  if (report.valid) {
    out.push(paint.green(`Result: the file is valid${warnings > 0 ? `, with ${plural(warnings, 'warning')}` : ''}.`));
  } else {
    out.push(paint.red(`Result: the file has ${plural(errors, 'error')}. Fix them and run validate again.`));
  }
  return out.join('\n');
}

/**
 * `MISSING_VALUE ×2, NO_CONTACT_CREDENTIAL ×1`: the codes that skipped rows, as the issue groups
 * below name them. A row can be skipped by a warning (no usable email or mobile), so "skipped
 * for errors" beside "0 errors" would not add up.
 */
function skippedReasons(byCode: ValidationReport['counts']['rowsSkippedByCode']): string {
  const parts = Object.entries(byCode).map(([code, rows]) => `${code} ×${formatCount(rows ?? 0)}`);
  return parts.length === 0 ? 'see the issues' : parts.join(', ');
}
