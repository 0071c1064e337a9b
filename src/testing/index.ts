// `guardian-sync/testing`: the conformance suites adapter authors run (vitest is an
// optional peer dependency). Each suite builds a fresh adapter per test and checks what the
// adapter really wrote by reading the backend directly. The store suite's checks are also
// values (`ROSTER_STORE_CHECKS`, `runRosterStoreCheck`), so a test can run them against a
// deliberately wrong store and assert that they fail.
export { describeRosterStoreConformance } from './roster-store-conformance.js';
export type { RosterStoreConformanceOptions, RosterStoreHarness, RosterStoreInspector, RosterStoreSeed } from './roster-store-harness.js';
export { runRosterStoreCheck, stateOf, districtPart } from './roster-store-check.js';
export type { RosterStoreCheck, RosterStoreCheckContext, RosterStoreCheckOutcome, RosterState } from './roster-store-check.js';
export { ROSTER_STORE_CHECKS, rosterStoreCheck } from './roster-store-checks.js';
export { interruptWrites, WRITE_METHODS } from './interrupt-writes.js';
export type { InterruptWritesOptions } from './interrupt-writes.js';
export { DAY_FILE, syncDay } from './roster-store-checks-convergence.js';
export { RosterModel } from './roster-store-model.js';
export type { RosterModelSnapshot, RosterModelState } from './roster-store-model.js';
export { compareWithModel, describeOperation, randomRosterOperations, seededRandom } from './roster-store-operations.js';
export type { RandomSource, RosterOperation } from './roster-store-operations.js';
export {
  buildTestPlan,
  buildTestReport,
  createItem,
  updateItem,
  roleAddItem,
  idRemoveItem,
  linkItem,
  roleStatusItem,
  testFields,
  normalizeAccounts,
  normalizeLinks,
  normalizeStudents,
  conformanceAccount,
  conformanceAccounts,
  CONFORMANCE_ACCOUNTS,
  CONFORMANCE_LINKS,
  CONFORMANCE_ORGS,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  CONFORMANCE_SCOPE_D2,
  CONFORMANCE_STUDENTS,
  NO_LOGINS,
} from './roster-store-fixtures.js';
export type { TestPlanItems } from './roster-store-fixtures.js';
export { describeFileSourceConformance } from './file-source-conformance.js';
export type { FileSourceCapabilities, FileSourceConformanceOptions, FileSourceHarness } from './file-source-harness.js';
