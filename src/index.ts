// Public API of guardian-sync, for the host backend that embeds it: the sync and the
// self-check, stores and sources, report renderers, errors and issue codes, and the types of
// their inputs and outputs. An explicit list of re-exports: each name is a semver promise,
// and the API report in the repository's api/ folder records it, so a change shows in review.
// Other entries: `guardian-sync/pipeline` (the stages one by one, for other SIS connectors),
// `guardian-sync/sqlite`, `guardian-sync/postgres`, `guardian-sync/sftp` (heavy clients, optional
// peers) and `guardian-sync/testing` (conformance suites, ESM only).

// Errors and issues
export { ISSUE_CODES, ISSUE_SEVERITY, ISSUE_HINTS } from './errors/issue-codes.js';
export type { IssueCode, Severity } from './errors/issue-codes.js';
export type { Issue } from './errors/issue.js';
export { GuardianSyncError, isGuardianSyncError } from './errors/guardian-sync-error.js';
export type { GuardianSyncErrorContext } from './errors/guardian-sync-error.js';

// The sync and the self-check
export { syncGuardians } from './sync/sync-guardians.js';
export type { ProgressEvent, SyncGuardiansOptions, SyncPhase } from './sync/sync-options.js';
export { validateGuardianFile } from './sync/validate-guardian-file.js';
export type { ValidateOptions, ValidationReport } from './sync/validate-guardian-file.js';
export type { InputFormat } from './input/input-format.js';
export type { ReadingSettings } from './input/input-options.js';
export type { ColumnMapping } from './model/column-mapping.js';
export type { Logger } from './contracts/logger.js';

// Model and contracts
export { GUARDIAN_FIELDS } from './model/guardian-row.js';
export type { GuardianField, GuardianRow, KeptField, RawGuardianFields } from './model/guardian-row.js';
export { LINK_SOURCES } from './model/roster.js';
// Types by name, never `export type *`: the declaration bundler drops the `type` of a star
// export, and the package's .d.ts would then promise values (`ACCOUNT_FIELDS`, `roleIn`…)
// the JavaScript does not export.
export type {
  Account,
  AccountFields,
  AccountRole,
  GuardianLink,
  Org,
  OrgType,
  ResolvedScope,
  RoleName,
  RoleStatus,
  RosterSeed,
  RosterSnapshot,
  SnapshotLogins,
  SnapshotRequest,
  Student,
  SyncLevel,
  SyncScope,
} from './model/roster.js';
export type {
  AccountCreate,
  AccountUpdate,
  FieldChange,
  FieldName,
  LinkChange,
  RoleAdd,
  RoleAddReason,
  RoleIdRemove,
  RoleStatusChange,
  RowAction,
  RowOutcome,
  RowResult,
  SyncCounts,
  SyncPlan,
  ThresholdResult,
} from './model/plan.js';
export { REPORT_CHANGE_FIELDS, REPORT_CHANGE_KINDS } from './model/report.js';
export type {
  FileSummary,
  ReportAccountChange,
  ReportChange,
  ReportChangeBase,
  ReportChangeField,
  ReportChangeKind,
  ReportLinkChange,
  ReportUpdateChange,
  RunStatus,
  RunSummary,
  SavedReport,
  SyncReport,
  SyncStatus,
} from './model/report.js';
export type {
  ApplyResult,
  DistrictMerge,
  ExportedAccount,
  ExportedStudent,
  FullRosterStore,
  ListRunsOptions,
  LockAttempt,
  LockHolder,
  LockOptions,
  NewAccount,
  RosterExport,
  RosterImport,
  RosterImportResult,
  RosterStore,
  RosterStoreCapabilities,
  RosterWriter,
  StaffRecord,
  StoredAccount,
  StoredRole,
  TransactionOptions,
} from './contracts/roster-store.js';
export type { GuardianFileSource, SourceFile, SourceOpenOptions } from './contracts/file-source.js';

// Sources
export { createLocalFileSource } from './sources/local-file-source.js';
export type { LocalDoneMarkerMode, LocalFileSourceOptions } from './sources/local-file-source.js';
export { createBytesSource } from './sources/bytes-source.js';
export type { BytesSourceOptions } from './sources/bytes-source.js';
export { createOneRosterFolderSource } from './sources/oneroster-folder-source.js';
export type { OneRosterFolderSourceOptions } from './sources/oneroster-folder-source.js';

// The memory store (the reference store)
export { createMemoryStore } from './stores/memory-store.js';
export type { MemoryLock, MemoryRosterData, MemoryRosterSeed, MemoryRun, MemoryStore, MemoryStoreOptions } from './stores/memory-store.js';
export type { MemoryDistrictIndex, MemoryDistrictMember, MemoryRosterIndexes } from './stores/memory-roster-data.js';
export type { StoreHooks } from './stores/store-hooks.js';

// For a host's own store (docs/adapters.md)
export { buildRosterExport } from './stores/build-roster-export.js';
export type { RosterExportInput } from './stores/build-roster-export.js';
export { importStaffRecords } from './stores/import-staff.js';
export type { StaffImportAccess, StaffImportCounts } from './stores/import-staff.js';

// OneRoster: open an export, load its roster into a store
export { openOneRosterInput } from './sources/open-oneroster-input.js';
export type { OneRosterInput, OpenOneRosterInputOptions } from './sources/open-oneroster-input.js';
export type { ArchiveLimits } from './oneroster/read-zip-archive.js';
export type { OneRosterFiles } from './oneroster/oneroster-files.js';
export { importOneRosterRoster } from './sync/import-oneroster-roster.js';
export type { ImportOneRosterRosterOptions, ImportOneRosterRosterResult } from './sync/import-oneroster-roster.js';
export type { OneRosterRosterOptions } from './oneroster/read-oneroster-roster.js';

// Reports
export { formatReportText } from './report/format-report-text.js';
export type { FormatReportTextOptions } from './report/format-report-text.js';
export { formatIssuesCsv } from './report/format-issues-csv.js';
export { renderReportHtml, REPORT_HTML_CSP } from './report/render-report-html.js';
export type { RenderReportHtmlOptions } from './report/render-report-html.js';
export { writeReportFiles } from './report/write-report-files.js';
export type { ReportFilePaths } from './report/write-report-files.js';
export { stringifyReport } from './report/stringify-report.js';
export { summarizeIssues } from './report/summarize-issues.js';
export type { IssueGroup, SummarizeIssuesOptions } from './report/summarize-issues.js';
export { renderRosterHtml, ROSTER_HTML_CSP } from './report/render-roster-html.js';
export type { RenderRosterHtmlOptions } from './report/render-roster-html.js';
export type { RosterPageSchool } from './report/roster-page-data.js';
