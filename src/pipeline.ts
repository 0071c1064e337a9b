// `guardian-sync/pipeline`: the stages `syncGuardians` runs, one by one, for other SIS
// connectors that bring their own rows or drive the steps themselves. Bytes → text → rows
// (decode, parse, validate and normalize, or OneRoster users) → guardians → a plan → the
// rows a store writes. Every stage is pure but the reading of a source and `applyPlan`
// (which writes through the store it is given). An explicit list of re-exports: each name
// is a semver promise, and the API report in the repository's api/ folder records it.
// The model these stages take and return (`GuardianRow`, `RosterSnapshot`, `SyncPlan`,
// `ApplyResult`, `Issue`, `RosterStore`) is exported by the root entry, `guardian-sync`.

// Issues a stage reports
export { createIssue, hasErrors } from './errors/issue.js';
export type { IssueLocation } from './errors/issue.js';

// Fetch: a source's file as one buffer, with its size limit and hash
export { readSourceFile } from './sources/read-source-file.js';
export type { ReadSourceFileOptions, SourceFileContents } from './sources/read-source-file.js';

// Read: bytes → validated rows, both input formats (what sync and validate share)
export { readGuardianInput } from './input/read-guardian-input.js';
export type { GuardianInput, RejectedRow } from './input/guardian-input.js';
export type { InputOptions } from './input/input-options.js';

// Decode
export { detectEncoding } from './decode/detect-encoding.js';
export type { DecodeOptions, EncodingDetection } from './decode/detect-encoding.js';
export { decodeChunks, decodeText } from './decode/decode-text.js';
export type { DecodedText } from './decode/decode-text.js';

// Parse, map the header, validate rows
export { parseGuardianFile } from './parse/parse-guardian-file.js';
export type { HeaderInfo, ParseEvent, ParseOptions } from './parse/parse-guardian-file.js';
export { parseGuardianText } from './parse/parse-guardian-text.js';
export type { ParsedGuardianFile } from './parse/parse-guardian-text.js';
export { HEADER_ALIASES, mapHeader } from './parse/header-mapping.js';
export type { HeaderMapping, HeaderMappingOptions } from './parse/header-mapping.js';
export { guardianRowSchema } from './parse/guardian-row-schema.js';
export { validateGuardianRow } from './parse/validate-row.js';
export type { RowValidation, RowValidationOptions } from './parse/validate-row.js';

// Normalize
export { normalizeName } from './normalize/normalize-name.js';
export { normalizeEmail } from './normalize/normalize-email.js';
export type { NormalizedEmail } from './normalize/normalize-email.js';
export { normalizePhone } from './normalize/normalize-phone.js';
export type { NormalizedPhone } from './normalize/normalize-phone.js';
export { normalizeLanguage } from './normalize/normalize-language.js';
export type { NormalizedLanguage } from './normalize/normalize-language.js';
export { normalizeId } from './normalize/normalize-id.js';

// OneRoster users and roster → the same rows and roster values
export { createOneRosterFiles } from './oneroster/oneroster-files.js';
export { readOneRosterGuardians } from './oneroster/read-oneroster-guardians.js';
export type { OneRosterGuardianOptions, OneRosterGuardianResult } from './oneroster/read-oneroster-guardians.js';
export { readOneRosterRoster } from './oneroster/read-oneroster-roster.js';
export type { OneRosterRosterOptions, OneRosterRosterResult } from './oneroster/read-oneroster-roster.js';
export type { OneRosterMode, OneRosterVersion } from './oneroster/read-oneroster-manifest.js';
export type { OneRosterDecodeOptions } from './oneroster/read-oneroster-table.js';

// Resolve: rows → guardians (docs/identity-rules.md §1)
export { groupRowsIntoGuardians } from './resolve/group-rows-into-guardians.js';
export type { FileGuardian, GroupedGuardians } from './resolve/group-rows-into-guardians.js';

// Plan: guardians against the stored roster → a SyncPlan
export { snapshotLogins } from './plan/snapshot-logins.js';
export { buildPlan } from './plan/build-plan.js';
export type { PlanInput, PlanSettings } from './plan/plan-input.js';
export { isEmptyPlan } from './model/plan.js';
export { applyPlanToSnapshot } from './apply/apply-plan-to-snapshot.js';

// Apply: what applying a plan means, over a store's write primitives
export { applyPlan, ApplyFailure, isApplyFailure } from './apply/apply-plan.js';
export type { ApplyPlanOptions } from './apply/apply-plan.js';
export { planWrites, touchedKeys, UnappliablePlanError } from './apply/plan-writes.js';
export type { AccountWrite, PlanWrites, RowWrite, TouchedKeys, TouchedRows, UnappliableItem, WriteCounter, WritePhase } from './apply/plan-writes.js';
export type { PlanStep, PlanStepKind } from './apply/plan-steps.js';
