// Arbitraries for report tests: issues and whole SyncReports whose user values mix plain
// text, markup, formula triggers, control characters and non-ASCII, so the renderers are
// tried on what a district's file can really put in a message or a column name.
import { fc } from '@fast-check/vitest';
import { ISSUE_CODES } from '../../src/errors/issue-codes.js';
import type { Issue } from '../../src/errors/issue.js';
import type { RowOutcome, SyncCounts } from '../../src/model/plan.js';
import { REPORT_CHANGE_FIELDS, type ReportChange, type SyncReport, type SyncStatus } from '../../src/model/report.js';
import { ACCOUNT_FIELDS } from '../../src/model/roster.js';

const DANGEROUS_PIECES = [
  '=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '<script>', '</script>', '<img src=x onerror=alert(1)>',
  '"', "'", '&', '<', '>', ',', ';', '\u001b[31m', '\u202e', 'é', '中', '😀', 'HYPERLINK("http://x")', ' ',
];

/** A string built from dangerous pieces and random text, often starting with a trigger. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...DANGEROUS_PIECES), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

export const issueArb: fc.Arbitrary<Issue> = fc
  .record({
    severity: fc.constantFrom('error', 'warning', 'info' as const),
    code: fc.constantFrom(...ISSUE_CODES),
    line: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
    column: fc.option(hostileText, { nil: null }),
    message: hostileText,
    lines: fc.option(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  })
  .map(({ lines, ...rest }): Issue => (lines === undefined ? rest : { ...rest, lines }));

const count = fc.nat({ max: 2_000_000 });
const countsArb: fc.Arbitrary<SyncCounts> = fc.record({
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
});

const rowArb: fc.Arbitrary<RowOutcome> = fc.record({
  line: fc.integer({ min: 2, max: 1_000_000 }),
  action: fc.constantFrom('CREATED', 'UPDATED', 'LINKED', 'UNCHANGED', 'SKIPPED' as const),
  result: fc.constantFrom('SUCCESS', 'WARNING', 'ERROR' as const),
});

const changeLines = fc.array(fc.integer({ min: 2, max: 1_000_000 }), { maxLength: 3 });
const changeBase = fc.record({ lines: changeLines, accountId: hostileText, name: fc.option(hostileText, { nil: undefined }) });

/** A change of any kind, with a hostile name (or none), account id and student id. */
export const reportChangeArb: fc.Arbitrary<ReportChange> = fc.oneof(
  fc.tuple(fc.constantFrom('created', 'role-added', 'restored', 'archived', 'id-removed' as const), changeBase).map(([kind, base]): ReportChange => ({ kind, ...base })),
  fc.tuple(changeBase, fc.subarray([...ACCOUNT_FIELDS], { minLength: 1 })).map(([base, fields]): ReportChange => ({ kind: 'updated', ...base, fields })),
  fc.tuple(fc.constantFrom('linked', 'unlinked' as const), changeBase, hostileText).map(([kind, base, studentSisId]): ReportChange => ({ kind, ...base, studentSisId })),
);

const ratio = fc.double({ min: 0, max: 1, noNaN: true });

export const syncReportArb: fc.Arbitrary<SyncReport> = fc.record({
  formatVersion: fc.constant(1 as const),
  runId: hostileText,
  startedAt: fc.constant('2026-11-28T06:00:00.000Z'),
  finishedAt: fc.constant('2026-11-28T06:00:01.500Z'),
  status: fc.constantFrom<SyncStatus>('succeeded', 'succeeded-with-warnings', 'failed', 'failed-threshold', 'disabled'),
  dryRun: fc.boolean(),
  scope: fc.record({ level: fc.constantFrom('district', 'school' as const), orgId: hostileText }),
  file: fc.option(
    fc.record({
      name: hostileText,
      size: fc.nat({ max: 100_000_000 }),
      sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
      encoding: fc.constantFrom('utf-8', 'windows-1252', 'utf-16le'),
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      rows: fc.nat({ max: 1_000_000 }),
    }),
    { nil: null },
  ),
  counts: countsArb,
  threshold: fc
    .record({ maxRemovalRatio: ratio, removalRatio: ratio, archiveRatio: ratio, forced: fc.boolean() })
    .map(({ forced, ...t }) => {
      const exceeded = t.removalRatio > t.maxRemovalRatio || t.archiveRatio > t.maxRemovalRatio;
      return exceeded && forced ? { ...t, exceeded, forced } : { ...t, exceeded };
    }),
  issues: fc.array(issueArb, { maxLength: 12 }),
  rows: fc.array(rowArb, { maxLength: 12 }),
  changeFields: fc.constant(REPORT_CHANGE_FIELDS),
  changes: fc.array(reportChangeArb, { maxLength: 12 }),
});
