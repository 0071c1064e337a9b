// The self-check: decode, parse and validate a guardian file alone, with no roster. What
// `guardian-sync validate` prints, and what a host shows a district before enabling a sync.
import type { GuardianFileSource } from '../contracts/file-source.js';
import { isGuardianSyncError } from '../errors/guardian-sync-error.js';
import type { IssueCode } from '../errors/issue-codes.js';
import { createIssue, hasErrors, type Issue } from '../errors/issue.js';
import type { FileSummary } from '../model/report.js';
import { groupRowsIntoGuardians, type FileGuardian } from '../resolve/group-rows-into-guardians.js';
import { fetchGuardianInput } from './fetch-guardian-input.js';
import { orderIssues } from './assemble-report.js';
import { findFileLoginCollisions } from './file-login-collisions.js';
import type { GuardianInput } from '../input/guardian-input.js';
import { noValidRowsMessage } from '../input/no-valid-rows.js';
import { DEFAULT_MAX_FILE_BYTES } from './resolve-sync-options.js';
import { skippedRowsByCode, summarizeSkippedRows } from '../input/skipped-rows.js';
import type { ReadingSettings } from '../input/input-options.js';
import type { ColumnMapping } from '../model/column-mapping.js';

export interface ValidateOptions extends ReadingSettings {
  /** @default 200 MiB */
  readonly maxFileBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ValidationReport {
  readonly formatVersion: 1;
  /** Null when the file could not be read at all (missing, too large). */
  readonly file: FileSummary | null;
  /** Canonical field → header found in the file. */
  readonly header: ColumnMapping;
  readonly counts: {
    readonly rows: number;
    readonly rowsSkipped: number;
    /** `rowsSkipped` by the issue code that skipped each row (an error, or a warning such as NO_CONTACT_CREDENTIAL). */
    readonly rowsSkippedByCode: Readonly<Partial<Record<IssueCode, number>>>;
    /** Distinct guardians after the identity rules inside the file (docs/identity-rules.md §1). */
    readonly guardians: number;
    readonly rowsWithoutGuardianSisId: number;
  };
  readonly issues: readonly Issue[];
  /** True when no issue has error severity. */
  readonly valid: boolean;
}

export async function validateGuardianFile(source: GuardianFileSource, options: ValidateOptions = {}): Promise<ValidationReport> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let file: FileSummary | null = null;
  let input: GuardianInput;
  try {
    const fetched = await fetchGuardianInput(source, {
      format: options.format ?? 'guardians',
      maxBytes,
      encoding: options.encoding,
      legacyEncoding: options.legacyEncoding,
      columns: options.columns,
      defaultRegion: options.defaultRegion ?? 'US',
      signal: options.signal,
      onFile: (read) => (file = read),
    });
    file = fetched.file;
    input = fetched.input;
  } catch (error) {
    if (!isGuardianSyncError(error)) throw error;
    const issues = [error.toIssue()];
    return { formatVersion: 1, file, header: {}, counts: { rows: 0, rowsSkipped: 0, rowsSkippedByCode: {}, guardians: 0, rowsWithoutGuardianSisId: 0 }, issues, valid: false };
  }

  // People as the sync groups them (§1): their count, the rows that disagree (§1.3, §1.4),
  // and the logins two of them share (§3), which the sync would give to one only.
  // Rows of one id that disagree, and two ids that are one person, are known without a roster too.
  const { guardians, issues: groupIssues } = groupRowsIntoGuardians(input.rows);
  const issues = [...input.issues, ...groupIssues, ...findFileLoginCollisions(guardians), ...guardiansWithoutLogin(guardians)];
  const noRows = noValidRowsMessage(input, file.name, options.format ?? 'guardians');
  if (noRows !== null) issues.unshift(createIssue('NO_VALID_ROWS', noRows));
  const ordered = orderIssues(issues);
  return {
    formatVersion: 1,
    file,
    header: input.header,
    counts: {
      rows: input.records,
      rowsSkipped: input.rejected.length,
      rowsSkippedByCode: skippedRowsByCode(summarizeSkippedRows(input.rejected)),
      guardians: guardians.length,
      rowsWithoutGuardianSisId: input.rows.reduce((n, row) => (row.guardianSisId === null ? n + 1 : n), 0),
    },
    issues: ordered,
    valid: !hasErrors(ordered),
  };
}

/**
 * NO_CONTACT_CREDENTIAL for each person of the file without a usable login, whose logins are
 * invalid or in a missing column (both empty is refused per row already). Without a roster
 * the self-check cannot tell whether the guardian is new, so it says both outcomes.
 */
function guardiansWithoutLogin(guardians: readonly FileGuardian[]): Issue[] {
  const issues: Issue[] = [];
  for (const g of guardians) {
    if (g.fields.email !== null || g.fields.mobilePhone !== null) continue;
    const byId = g.sisIds.length > 0 ? 'an existing guardian with this guardianSisId keeps the email and mobile stored' : 'without a guardianSisId they cannot be found in the roster either';
    issues.push(
      createIssue(
        'NO_CONTACT_CREDENTIAL',
        `The guardian on line ${g.fieldsLine} has no usable email or mobile phone: a new guardian is not added until a file has one; ${byId}.`,
        { line: g.fieldsLine, column: 'email', lines: g.rows.map((r) => r.line) },
      ),
    );
  }
  return issues;
}
