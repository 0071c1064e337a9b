// The JSON documents the CLI prints with --json, as zod schemas written from CONTRACTS.md
// (not from the source types), so a drift between the contract and the CLI fails a test.
// Objects are not strict: the contract allows more fields to be added.
import { z } from 'zod';
import { ISSUE_CODES } from '../../src/errors/issue-codes.js';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'ISO-8601 date');
const count = z.number().int().min(0);

export const issueShape = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.enum(ISSUE_CODES),
  line: z.number().int().positive().nullable(),
  column: z.string().nullable(),
  message: z.string().min(1),
});

export const fileShape = z.object({
  name: z.string().min(1),
  size: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  encoding: z.string().min(1),
  delimiter: z.string().min(1),
  rows: count,
});

export const syncReportShape = z.object({
  formatVersion: z.literal(1),
  runId: z.string().min(1),
  startedAt: isoDate,
  finishedAt: isoDate,
  status: z.enum(['succeeded', 'succeeded-with-warnings', 'failed', 'failed-threshold', 'disabled']),
  dryRun: z.boolean(),
  scope: z.object({ level: z.enum(['district', 'school']), orgId: z.string().min(1) }),
  file: fileShape.nullable(),
  counts: z.object({
    rows: count,
    rowsSkipped: count,
    guardians: count,
    accountsCreated: count,
    accountsUpdated: count,
    rolesAdded: count,
    linksAdded: count,
    linksRemoved: count,
    guardiansArchived: count,
    guardiansRestored: count,
    unchanged: count,
  }),
  threshold: z.object({ maxRemovalRatio: z.number().min(0).max(1), removalRatio: z.number().min(0), archiveRatio: z.number().min(0), loginChangeRatio: z.number().min(0).optional(), exceeded: z.boolean(), forced: z.boolean().optional() }),
  issues: z.array(issueShape),
  rows: z.array(
    z.object({
      line: z.number().int().positive(),
      action: z.enum(['CREATED', 'UPDATED', 'LINKED', 'UNCHANGED', 'SKIPPED']),
      result: z.enum(['SUCCESS', 'WARNING', 'ERROR']),
    }),
  ),
  /** Issue 14: what the run changed (optional: reports saved before it have none), described in docs/reports.md. */
  changeFields: z.array(z.enum(['kind', 'lines', 'accountId', 'fields', 'studentSisId'])).optional(),
  changes: z
    .array(
      z
        .object({
          kind: z.enum(['created', 'updated', 'role-added', 'restored', 'archived', 'linked', 'unlinked', 'id-removed']),
          lines: z.array(z.number().int().positive()),
          accountId: z.string().min(1),
          fields: z.array(z.enum(['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language'])).min(1).optional(),
          studentSisId: z.string().min(1).optional(),
        })
        // Only the fields changeFields names: never a name or a contact value.
        .strict(),
    )
    .optional(),
});

/** `validate --json`: the report's `file` and `issues`, plus `header` and `counts.rows` / `counts.guardians`. */
export const validationShape = z.object({
  file: fileShape.nullable(),
  issues: z.array(issueShape),
  header: z.record(z.string(), z.string()),
  counts: z.object({ rows: count, guardians: count }),
});

const nullableText = z.string().min(1).nullable();

export const rosterExportShape = z.object({
  formatVersion: z.literal(1),
  /** The district whose view this is (documented in docs/cli.md, beyond CONTRACTS.md's minimum). */
  districtId: z.string().min(1),
  accounts: z.array(
    z.object({
      id: z.string().min(1),
      firstName: z.string(),
      lastName: z.string(),
      email: nullableText,
      mobilePhone: z.string().regex(/^\+\d{6,15}$/).nullable(),
      homePhone: z.string().regex(/^\+\d{6,15}$/).nullable(),
      language: nullableText,
      claimed: z.boolean(),
      roles: z.array(z.object({ role: z.enum(['guardian', 'staff']), sisIds: z.array(z.string().min(1)), status: z.enum(['active', 'archived']) })),
      students: z.array(z.string().min(1)),
    }),
  ),
  students: z.array(z.object({ sisId: z.string().min(1), schoolId: z.string().min(1), firstName: z.string(), lastName: z.string() })),
});

/** `runs --json` (documented in docs/cli.md). */
export const runsShape = z.object({
  formatVersion: z.literal(1),
  runs: z.array(
    syncReportShape.pick({ runId: true, scope: true, dryRun: true, startedAt: true, finishedAt: true, counts: true, threshold: true }).extend({
      // The history's statuses: a finished run's, or one it has while (or because) it did not finish.
      status: z.enum(['succeeded', 'succeeded-with-warnings', 'failed', 'failed-threshold', 'disabled', 'running', 'interrupted', 'cancelled']),
    }),
  ),
});

/** `roster import --json` (documented in docs/cli.md). */
export const rosterImportShape = z.object({
  formatVersion: z.literal(1),
  orgs: count,
  students: count,
  staffCreated: count,
  staffUpdated: count,
  districts: z.array(z.string().min(1)),
  issues: z.array(issueShape),
});

/** What any command prints with --json when it stops on a usage or configuration error. */
export const errorShape = z.object({
  formatVersion: z.literal(1),
  error: z.object({ code: z.string().min(1), message: z.string().min(1) }),
});

/** Sorted by the contract's rule: code-unit order, so the output is stable. */
export function isSortedBy<T>(items: readonly T[], key: (item: T) => string): boolean {
  return items.every((item, i) => i === 0 || key(items[i - 1] as T) < key(item));
}
