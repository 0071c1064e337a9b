// `roster import`: a OneRoster set (files, a folder, a zip, or users.csv + orgs.csv) → the
// store's roster, through the optional `RosterStore.importRoster`. The reading is pure
// (`readOneRosterRoster`); this file only opens the input and calls the store. Students and
// staff carry the district of their school, so one district's import never changes another's.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Issue } from '../errors/issue.js';
import type { DistrictMerge, RosterImportResult, RosterStore } from '../contracts/roster-store.js';
import type { Org } from '../model/roster.js';
import type { OneRosterFiles } from '../oneroster/oneroster-files.js';
import { openOneRosterInput, type OneRosterInput, type OpenOneRosterInputOptions } from '../sources/open-oneroster-input.js';
import { decidePlaceholderMerge, type PlaceholderMergeDecision } from '../oneroster/placeholder-district-merge.js';
import { readOneRosterRoster, SYNTHETIC_DISTRICT, type OneRosterRosterOptions } from '../oneroster/read-oneroster-roster.js';

export interface ImportOneRosterRosterOptions extends OneRosterRosterOptions, OpenOneRosterInputOptions {}

export type ImportOneRosterRosterResult = RosterImportResult & {
  /**
   * The districts the imported students and staff belong to, sorted: a roster serves many
   * districts, and a caller checking that it imported the district it meant reads it here.
   */
  readonly districts: readonly string[];
  /**
   * The placeholder district of an earlier import without orgs.csv, folded into the district
   * this import names for its schools (at most one entry). Empty when there was none.
   */
  readonly mergedDistricts: readonly DistrictMerge[];
  /** The placeholder district the roster still holds after this import, and why; null when none. */
  readonly placeholderKept: { readonly districtId: string; readonly reason: string } | null;
  readonly issues: Issue[];
};

/**
 * Loads students, staff and orgs into the store. Throws INVALID_CONFIGURATION when the store
 * has no `importRoster`, and the whole-file errors of reading (FILE_NOT_FOUND, MALFORMED_CSV,
 * UNSAFE_ARCHIVE, …) before the store is touched. Importing again updates in place.
 *
 * With a store that lists its orgs, the import makes no placeholder district it can avoid:
 * a school the roster already places in a district stays there (users.csv alone after an
 * import with orgs.csv), and a placeholder made by an earlier import without orgs.csv is
 * folded into the district this import names for its schools (`RosterImport.mergeDistricts`).
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
  const knownOrgs = typeof store.listOrgs === 'function' ? await store.listOrgs() : [];
  const { roster, issues } = readOneRosterRoster(files, { ...options, knownOrgs });
  const placeholderId = options.districtId ?? SYNTHETIC_DISTRICT.id;
  const decision = decidePlaceholderMerge({ placeholderId, knownOrgs, placeholderStudentSchools: await studentSchools(store, knownOrgs, placeholderId), roster });
  const result = await store.importRoster(decision.kind === 'merge' ? { ...roster, mergeDistricts: [decision.merge] } : roster);
  const districts = [...new Set([...roster.students, ...roster.staff].map((r) => r.districtId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ...result, districts, ...(await mergeOutcome(store, decision)), issues };
}

/** The schools of the placeholder's students, when the roster has the placeholder and the store can export it. */
async function studentSchools(store: RosterStore, knownOrgs: readonly Org[], placeholderId: string): Promise<string[]> {
  if (typeof store.exportRoster !== 'function' || !knownOrgs.some((o) => o.id === placeholderId && o.type === 'district')) return [];
  const view = await store.exportRoster(placeholderId);
  return [...new Set(view.students.map((s) => s.schoolId))];
}

/**
 * What became of the placeholder, as the store has it after the import: a store that does
 * not know `mergeDistricts` keeps it, and the result says so rather than claim a merge.
 */
async function mergeOutcome(store: RosterStore, decision: PlaceholderMergeDecision): Promise<Pick<ImportOneRosterRosterResult, 'mergedDistricts' | 'placeholderKept'>> {
  if (decision.kind === 'none') return { mergedDistricts: [], placeholderKept: null };
  if (decision.kind === 'kept') return { mergedDistricts: [], placeholderKept: { districtId: decision.placeholderId, reason: decision.reason } };
  const { from } = decision.merge;
  const still = typeof store.listOrgs === 'function' && (await store.listOrgs()).some((o) => o.id === from);
  return still
    ? { mergedDistricts: [], placeholderKept: { districtId: from, reason: 'the roster store does not merge districts (RosterImport.mergeDistricts)' } }
    : { mergedDistricts: [decision.merge], placeholderKept: null };
}

function isFileSet(input: OneRosterFiles | OneRosterInput): input is OneRosterFiles {
  return typeof (input as Partial<OneRosterFiles>).get === 'function';
}
