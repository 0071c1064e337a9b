// `roster import`: a OneRoster set (files, a folder, a zip, or users.csv + orgs.csv) → the
// store's roster, through the optional `RosterStore.importRoster`. The reading is pure
// (`readOneRosterRoster`); this file only opens the input and calls the store. Students and
// staff carry the district of their school, so one district's import never changes another's.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Issue } from '../errors/issue.js';
import type { RosterImportResult, RosterStore } from '../contracts/roster-store.js';
import type { OneRosterFiles } from './oneroster-files.js';
import { openOneRosterInput, type OneRosterInput, type OpenOneRosterInputOptions } from './open-oneroster-input.js';
import { readOneRosterRoster, type OneRosterRosterOptions } from './read-oneroster-roster.js';

export interface ImportOneRosterRosterOptions extends OneRosterRosterOptions, OpenOneRosterInputOptions {}

export type ImportOneRosterRosterResult = RosterImportResult & {
  /**
   * The districts the imported students and staff belong to, sorted: a roster serves many
   * districts, and a caller checking that it imported the district it meant reads it here.
   */
  readonly districts: readonly string[];
  readonly issues: Issue[];
};

/**
 * Loads students, staff and orgs into the store. Throws INVALID_CONFIGURATION when the store
 * has no `importRoster`, and the whole-file errors of reading (FILE_NOT_FOUND, MALFORMED_CSV,
 * UNSAFE_ARCHIVE, …) before the store is touched. Importing again updates in place.
 */
export async function importOneRosterRoster(
  input: OneRosterFiles | OneRosterInput,
  store: RosterStore,
  options: ImportOneRosterRosterOptions = {},
): Promise<ImportOneRosterRosterResult> {
  if (typeof store.importRoster !== 'function') {
    throw new GuardianSyncError('INVALID_CONFIGURATION', 'This roster store cannot import a roster (it has no importRoster method): use a store that supports it, such as the SQLite or memory store.');
  }
  const files = isFileSet(input) ? input : await openOneRosterInput(input, options);
  const { roster, issues } = readOneRosterRoster(files, options);
  const result = await store.importRoster(roster);
  const districts = [...new Set([...roster.students, ...roster.staff].map((r) => r.districtId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ...result, districts, issues };
}

function isFileSet(input: OneRosterFiles | OneRosterInput): input is OneRosterFiles {
  return typeof (input as Partial<OneRosterFiles>).get === 'function';
}
