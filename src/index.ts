// Public API of guardian-sync: an explicit list of re-exports. Heavy clients live on their
// own subpaths: `guardian-sync/sqlite`, `guardian-sync/sftp`, `guardian-sync/testing`.

// Errors and issues
export { ISSUE_CODES, ISSUE_SEVERITY, ISSUE_HINTS } from './errors/issue-codes.js';
export type { IssueCode, Severity } from './errors/issue-codes.js';
export { createIssue, hasErrors } from './errors/issue.js';
export type { Issue, IssueLocation } from './errors/issue.js';
export { GuardianSyncError, isGuardianSyncError } from './errors/guardian-sync-error.js';
export type { GuardianSyncErrorContext } from './errors/guardian-sync-error.js';

// Model and contracts
export { GUARDIAN_FIELDS } from './model/guardian-row.js';
export type { GuardianField, GuardianRow, RawGuardianFields } from './model/guardian-row.js';
export { ACCOUNT_FIELDS, isSharedAccount, LINK_SOURCES, roleIn, scopeKey } from './model/roster.js';
export type * from './model/roster.js';
export { isEmptyPlan } from './model/plan.js';
export type * from './model/plan.js';
export { EMPTY_COUNTS } from './model/report.js';
export type * from './model/report.js';
export type * from './contracts/roster-store.js';
export type * from './contracts/file-source.js';

// The sync and the self-check
export { syncGuardians } from './sync/sync-guardians.js';
export type * from './sync/sync-options.js';
export { validateGuardianFile } from './sync/validate-guardian-file.js';
export type { ValidateOptions, ValidationReport } from './sync/validate-guardian-file.js';
export { readGuardianInput } from './sync/read-guardian-input.js';
export type { GuardianInput, ReadInputOptions, RejectedRow } from './sync/read-guardian-input.js';

// Pure stages, for other connectors
export { detectEncoding, DEFAULT_LEGACY_ENCODING } from './decode/detect-encoding.js';
export type { DecodeOptions, EncodingDetection } from './decode/detect-encoding.js';
export { decodeChunks, decodeText, DEFAULT_DECODE_CHUNK_SIZE } from './decode/decode-text.js';
export type { DecodedText } from './decode/decode-text.js';
export { parseGuardianFile, DEFAULT_MAX_RECORD_SIZE } from './parse/parse-guardian-file.js';
export type { HeaderInfo, ParseEvent, ParseOptions } from './parse/parse-guardian-file.js';
export { parseGuardianText } from './parse/parse-guardian-text.js';
export type { ParsedGuardianFile } from './parse/parse-guardian-text.js';
export { HEADER_ALIASES, headerKey, mapHeader } from './parse/header-mapping.js';
export { guardianRowSchema } from './parse/guardian-row-schema.js';
export type { HeaderMapping, HeaderMappingOptions } from './parse/header-mapping.js';
export { validateGuardianRow } from './parse/validate-row.js';
export type { RowValidation, RowValidationOptions } from './parse/validate-row.js';
export { normalizeName } from './normalize/normalize-name.js';
export { normalizeEmail } from './normalize/normalize-email.js';
export type { NormalizedEmail } from './normalize/normalize-email.js';
export { normalizePhone, DEFAULT_PHONE_REGION } from './normalize/normalize-phone.js';
export type { NormalizedPhone } from './normalize/normalize-phone.js';
export { normalizeLanguage } from './normalize/normalize-language.js';
export type { NormalizedLanguage } from './normalize/normalize-language.js';
export { normalizeId } from './normalize/normalize-id.js';
export { contactKey, sameContact } from './resolve/contact-key.js';
export type { ContactFields } from './resolve/contact-key.js';
export { groupRowsIntoGuardians } from './resolve/group-rows-into-guardians.js';
export type { FileGuardian, GroupedGuardians } from './resolve/group-rows-into-guardians.js';
export { countGuardians } from './resolve/count-guardians.js';
export { buildPlan } from './plan/build-plan.js';
export { snapshotLogins } from './plan/snapshot-logins.js';
export { DEFAULT_MAX_REMOVAL_RATIO } from './plan/plan-input.js';
export type { PlanInput, PlanSettings } from './plan/plan-input.js';
export { applyPlanToSnapshot } from './plan/apply-plan-to-snapshot.js';

// Applying a plan: the library's semantics over a store's primitives
export { applyPlan, ApplyFailure, isApplyFailure } from './apply/apply-plan.js';
export type { ApplyPlanOptions } from './apply/apply-plan.js';
export { EMPTY_APPLY_RESULT, linkKey, planWrites, touchedKeys, UnappliablePlanError } from './apply/plan-writes.js';
export type { AccountWrite, PlanWrites, RowWrite, TouchedKeys, TouchedRows, UnappliableItem, WriteCounter, WritePhase } from './apply/plan-writes.js';
export { applyPlanToMaps } from './apply/apply-plan-in-memory.js';
export type { RosterMaps } from './apply/apply-plan-in-memory.js';

// Sources and the reference store
export { createLocalFileSource } from './sources/local-file-source.js';
export type { LocalDoneMarkerMode, LocalFileSourceOptions } from './sources/local-file-source.js';
export { createBytesSource } from './sources/bytes-source.js';
export type { BytesSourceOptions } from './sources/bytes-source.js';
export { readSourceFile } from './sources/read-source-file.js';
export type { ReadSourceFileOptions, SourceFileContents } from './sources/read-source-file.js';
export { createMemoryRosterData, createMemoryStore, memoryLinkKey, seedMemoryRosterData } from './stores/memory-store.js';
export type { MemoryLock, MemoryRosterData, MemoryRosterSeed, MemoryRun, MemoryStore, MemoryStoreOptions } from './stores/memory-store.js';
export { memoryStaffIdKey, memoryStudentKey } from './stores/memory-roster-data.js';
export type { MemoryDistrictIndex, MemoryDistrictMember, MemoryRosterIndexes } from './stores/memory-roster-data.js';
export { countPlanSteps, describeStep, planSteps } from './stores/plan-steps.js';
export type { StoreHooks } from './stores/store-hooks.js';
export type { PlanStep, PlanStepKind } from './stores/plan-steps.js';

// Helpers for store authors
export { buildRosterExport } from './stores/build-roster-export.js';
export type { RosterExportInput } from './stores/build-roster-export.js';
export { importStaffRecords } from './stores/import-staff.js';
export type { StaffImportAccess, StaffImportCounts } from './stores/import-staff.js';
export { compareRunsRecentFirst, runMatchesScope, summarizeRun } from './stores/run-summary.js';
export { loadAborted } from './stores/store-errors.js';
export { compareText, sortedSisIds, sortRoles } from './stores/account-roles.js';

// Reports
export { formatReportText } from './report/format-report-text.js';
export type { FormatReportTextOptions } from './report/format-report-text.js';
export { formatIssuesCsv } from './report/format-issues-csv.js';
export { renderReportHtml } from './report/render-report-html.js';
export type { RenderReportHtmlOptions } from './report/render-report-html.js';
export { writeReportFiles } from './report/write-report-files.js';
export type { ReportFilePaths } from './report/write-report-files.js';
export { FORMULA_TRIGGERS, isFormulaLike, neutralizeFormula } from './report/neutralize-formula.js';
export { escapeHtml } from './report/escape-html.js';
export { stringifyReport } from './report/stringify-report.js';
export { ISSUES_CSV_COLUMNS } from './report/format-issues-csv.js';
export { REPORT_FILE_NAMES } from './report/write-report-files.js';
export { REPORT_HTML_CSP } from './report/render-report-html.js';
export { renderRosterHtml, ROSTER_HTML_CSP } from './report/render-roster-html.js';
export type { RenderRosterHtmlOptions } from './report/render-roster-html.js';
export type { RosterPageSchool } from './report/roster-page-data.js';
export { summarizeIssues } from './report/summarize-issues.js';
export type { IssueGroup, SummarizeIssuesOptions } from './report/summarize-issues.js';

// OneRoster
export { openOneRosterInput } from './oneroster/open-oneroster-input.js';
export { createOneRosterFolderSource } from './oneroster/oneroster-folder-source.js';
export type { OneRosterFolderSourceOptions } from './oneroster/oneroster-folder-source.js';
export type { OneRosterInput, OpenOneRosterInputOptions } from './oneroster/open-oneroster-input.js';
export { createOneRosterFiles, findGuardiansCsv, GUARDIANS_FILE_NAME, ONEROSTER_FILE_NAMES } from './oneroster/oneroster-files.js';
export { ONEROSTER_GUARDIAN_ROLES, ONEROSTER_STAFF_ROLES, ONEROSTER_STUDENT_ROLES } from './oneroster/oneroster-roles.js';
export { DEFAULT_ARCHIVE_LIMITS, isZipBytes, readZipArchive } from './oneroster/read-zip-archive.js';
export type { ArchiveLimits } from './oneroster/read-zip-archive.js';
export type { OneRosterFiles } from './oneroster/oneroster-files.js';
export { readOneRosterGuardians } from './oneroster/read-oneroster-guardians.js';
export type { OneRosterGuardianOptions, OneRosterGuardianResult } from './oneroster/read-oneroster-guardians.js';
export type { OneRosterMode, OneRosterVersion } from './oneroster/read-oneroster-manifest.js';
export { readOneRosterRoster, SYNTHETIC_DISTRICT } from './oneroster/read-oneroster-roster.js';
export type { OneRosterRosterOptions, OneRosterRosterResult } from './oneroster/read-oneroster-roster.js';
export { importOneRosterRoster } from './oneroster/import-oneroster-roster.js';
export type { ImportOneRosterRosterOptions, ImportOneRosterRosterResult } from './oneroster/import-oneroster-roster.js';
