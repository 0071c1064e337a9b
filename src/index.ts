// Public API of guardian-sync: an explicit list of re-exports.
export { ISSUE_CODES, ISSUE_SEVERITY, ISSUE_HINTS } from './errors/issue-codes.js';
export type { IssueCode, Severity } from './errors/issue-codes.js';
export { createIssue, hasErrors } from './errors/issue.js';
export type { Issue, IssueLocation } from './errors/issue.js';
export { GuardianSyncError, isGuardianSyncError } from './errors/guardian-sync-error.js';
export type { GuardianSyncErrorContext } from './errors/guardian-sync-error.js';
export { GUARDIAN_FIELDS } from './model/guardian-row.js';
export type { GuardianField, GuardianRow, RawGuardianFields } from './model/guardian-row.js';
export { ACCOUNT_FIELDS, LINK_SOURCES, scopeKey } from './model/roster.js';
export type * from './model/roster.js';
export { isEmptyPlan } from './model/plan.js';
export type * from './model/plan.js';
export { EMPTY_COUNTS } from './model/report.js';
export type * from './model/report.js';
export type * from './contracts/roster-store.js';
export type * from './contracts/file-source.js';
export type * from './sync/sync-options.js';
