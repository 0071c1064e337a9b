// When a roster import may fold away the placeholder district that an earlier import without
// orgs.csv made up (SYNTHETIC_DISTRICT): once an import says which real district the
// placeholder's schools belong to, keeping both leaves every student twice and makes every
// later sync ask for `--org`. Pure: the caller reads the roster's orgs and the schools of the
// placeholder's students, and passes the merge to `RosterStore.importRoster`.
import type { DistrictMerge, RosterImport } from '../contracts/roster-store.js';
import type { Org } from '../model/roster.js';

export interface PlaceholderMergeInput {
  /** The id the placeholder district has (`districtId` option, or SYNTHETIC_DISTRICT's). */
  readonly placeholderId: string;
  /** Every org of the roster before the import. */
  readonly knownOrgs: readonly Org[];
  /**
   * The schools of the placeholder's students in the roster. An earlier version moved the
   * placeholder's schools to the real district but left its students: they still say where
   * the placeholder belongs.
   */
  readonly placeholderStudentSchools: readonly string[];
  /** What this import writes. */
  readonly roster: RosterImport;
}

export type PlaceholderMergeDecision =
  /** No placeholder in the roster, or this import still uses it: nothing to say. */
  | { readonly kind: 'none' }
  | { readonly kind: 'merge'; readonly merge: DistrictMerge }
  /** The placeholder stays; `reason` says why, for the person running the import. */
  | { readonly kind: 'kept'; readonly placeholderId: string; readonly reason: string };

/**
 * Merge the placeholder into district D when every school it has (in the roster, or through
 * its students) lies in D by this import or by the roster, and this import does not itself
 * use the placeholder. A placeholder with no school and no student is merged into the
 * import's district when the import has exactly one. Anything else keeps it: schools in two
 * districts cannot be merged into one without giving a district's guardians to another.
 */
export function decidePlaceholderMerge(input: PlaceholderMergeInput): PlaceholderMergeDecision {
  const { placeholderId: id, knownOrgs, roster } = input;
  const known = new Map(knownOrgs.map((o) => [o.id, o]));
  if (known.get(id)?.type !== 'district') return { kind: 'none' };
  const usedHere = roster.orgs.some((o) => o.id === id || o.parentId === id) || roster.students.some((s) => s.districtId === id) || roster.staff.some((s) => s.districtId === id);
  if (usedHere) return { kind: 'none' };

  const schools = new Set(input.placeholderStudentSchools);
  for (const org of knownOrgs) if (org.type === 'school' && org.parentId === id) schools.add(org.id);
  const imported = new Map(roster.orgs.map((o) => [o.id, o]));
  const districts = new Set<string>();
  const unplaced: string[] = [];
  for (const school of schools) {
    const district = districtOfSchool(imported.get(school), id) ?? districtOfSchool(known.get(school), id);
    if (district === undefined) unplaced.push(school);
    else districts.add(district);
  }
  if (schools.size === 0) {
    const importDistricts = new Set([...roster.students, ...roster.staff].map((r) => r.districtId));
    for (const org of roster.orgs) if (org.type === 'district') importDistricts.add(org.id);
    if (importDistricts.size === 1) return { kind: 'merge', merge: { from: id, into: [...importDistricts][0]! } };
    return { kind: 'kept', placeholderId: id, reason: 'it has no school, and this import names several districts' };
  }
  if (unplaced.length > 0) {
    return { kind: 'kept', placeholderId: id, reason: `no district is known yet for its school${unplaced.length > 1 ? 's' : ''} ${unplaced.sort().slice(0, 5).join(', ')}` };
  }
  if (districts.size > 1) {
    return { kind: 'kept', placeholderId: id, reason: `its schools now lie in several districts (${[...districts].sort().join(', ')})` };
  }
  return { kind: 'merge', merge: { from: id, into: [...districts][0]! } };
}

/** The district of a school as this import or the roster has it; never the placeholder itself. */
function districtOfSchool(org: Org | undefined, placeholderId: string): string | undefined {
  if (org === undefined) return undefined;
  const district = org.type === 'district' ? org.id : org.parentId;
  return district === null || district === placeholderId ? undefined : district;
}
