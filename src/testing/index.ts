// `guardian-sync/testing`: the conformance suites adapter authors run (vitest is an
// optional peer dependency). Each suite builds a fresh adapter per test and checks what the
// adapter really wrote by reading the backend directly.
export { describeRosterStoreConformance } from './roster-store-conformance.js';
export type { RosterStoreConformanceOptions, RosterStoreHarness, RosterStoreInspector, RosterStoreSeed } from './roster-store-harness.js';
export {
  buildTestPlan,
  buildTestReport,
  createItem,
  updateItem,
  roleAddItem,
  linkItem,
  roleStatusItem,
  testFields,
  normalizeAccounts,
  normalizeLinks,
  CONFORMANCE_ACCOUNTS,
  CONFORMANCE_LINKS,
  CONFORMANCE_ORGS,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  CONFORMANCE_STUDENTS,
} from './roster-store-fixtures.js';
export type { TestPlanItems } from './roster-store-fixtures.js';
export { describeFileSourceConformance } from './file-source-conformance.js';
export type { FileSourceCapabilities, FileSourceConformanceOptions, FileSourceHarness } from './file-source-harness.js';
