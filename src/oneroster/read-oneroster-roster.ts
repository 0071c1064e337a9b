// A OneRoster set → the roster a daily roster sync delivers (orgs, students, staff), as
// `guardian-sync roster import` loads it. Pure. Guardians are not here: they are the guardian
// sync's job (`readOneRosterGuardians`); a teacher who is also a parent is staff here and a
// guardian there, and the store keeps one account for both.
//
// One roster serves many districts and SIS ids are unique only inside one (docs/identity-rules.md
// §7), so every student and staff record carries the district of its school: the store keys
// them by (district, SIS id), and importing one district never touches another's.
import { createIssue, type Issue } from '../errors/issue.js';
import type { RosterImport, StaffRecord } from '../contracts/roster-store.js';
import type { Org, Student } from '../model/roster.js';
import { normalizeEmail } from '../normalize/normalize-email.js';
import { normalizeName } from '../normalize/normalize-name.js';
import { normalizePhone } from '../normalize/normalize-phone.js';
import type { OneRosterFiles } from './oneroster-files.js';
import { ONEROSTER_FILE_NAMES } from './oneroster-files.js';
import { ONEROSTER_STAFF_ROLES, ONEROSTER_STUDENT_ROLES } from './oneroster-roles.js';
import { readOneRosterTable } from './read-oneroster-table.js';
import { hasActiveRole, readOneRosterUsers, type OneRosterUser } from './read-oneroster-users.js';

/** Id and name of the district made up when the set has no orgs.csv or no district in it. */
export const SYNTHETIC_DISTRICT = { id: 'oneroster-district', name: 'District (from OneRoster)' } as const;

export interface OneRosterRosterOptions {
  /** The student field used as the student's SIS id; must match the guardian sync's. @default 'sourcedId' */
  readonly studentIdField?: 'sourcedId' | 'identifier' | undefined;
  /** Region for phone numbers without a country code. @default 'US' */
  readonly defaultRegion?: string | undefined;
  /** Decode every file with this encoding instead of detecting it. */
  readonly encoding?: string | undefined;
  /** Id of the made-up district (see {@link SYNTHETIC_DISTRICT}). @default 'oneroster-district' */
  readonly districtId?: string | undefined;
  /** Name of the made-up district. @default 'District (from OneRoster)' */
  readonly districtName?: string | undefined;
  /**
   * Orgs the roster already holds (`RosterStore.listOrgs`). A school the set uses without
   * saying its district (no orgs.csv, or missing from it) stays in the district the roster
   * has it in, instead of going to the made-up district: importing users.csv alone after
   * an import with orgs.csv makes no placeholder district.
   */
  readonly knownOrgs?: readonly Org[] | undefined;
}

export interface OneRosterRosterResult {
  readonly roster: RosterImport;
  readonly issues: Issue[];
}

interface OrgRow {
  readonly line: number;
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly parentId: string;
}

/** A student as users.csv gives it, before its school's district is known. */
type StudentWithoutDistrict = Omit<Student, 'districtId'>;

/** A staff member as users.csv gives it: every org of its staff roles, in any district. */
type StaffWithoutDistrict = Omit<StaffRecord, 'districtId'> & { readonly line: number };

/**
 * Reads students, staff and orgs. `tobedeleted` users and orgs are left out (a roster import
 * adds and updates; it does not delete). Without orgs.csv every school id seen forms one
 * district, {@link SYNTHETIC_DISTRICT}; a school id missing from orgs.csv is added to the only
 * district of orgs.csv (or the made-up one) with a DANGLING_REFERENCE warning. Either way, a
 * school that `knownOrgs` already places in a district stays there.
 *
 * Every student gets the district of its school (the nearest district above it in orgs.csv).
 * A staff member whose schools lie in two districts becomes one record per district, each
 * with that district's schools: a staff role belongs to one district. A staff member with no
 * org at all goes to the only district when there is one; with several it is skipped
 * (MISSING_VALUE), because guessing would give it a role in a district it may not work in.
 * Throws like `readOneRosterGuardians` for whole-file problems.
 */
export function readOneRosterRoster(files: OneRosterFiles, options: OneRosterRosterOptions = {}): OneRosterRosterResult {
  const set = readOneRosterUsers(files, { encoding: options.encoding });
  const issues: Issue[] = [...set.issues];
  const region = options.defaultRegion ?? 'US';
  const students: StudentWithoutDistrict[] = [];
  const staff: StaffWithoutDistrict[] = [];
  /** School ids used by students and staff, with the first users.csv line that used each. */
  const schoolsUsed = new Map<string, number>();

  for (const user of set.users) {
    if (user.status === 'tobedeleted') continue;
    if (hasActiveRole(user, ONEROSTER_STUDENT_ROLES)) {
      const schoolId = studentSchool(user);
      const sisId = options.studentIdField === 'identifier' ? user.identifier : user.sourcedId;
      if (schoolId === undefined || sisId === '') {
        const column = schoolId === undefined ? 'orgSourcedIds' : 'identifier';
        issues.push(createIssue('MISSING_VALUE', `users.csv line ${user.line}: student ${user.sourcedId} has no ${column}; the student is skipped.`, { line: user.line, column }));
      } else {
        students.push({ sisId, schoolId, firstName: normalizeName(user.givenName), lastName: normalizeName(user.familyName) });
        if (!schoolsUsed.has(schoolId)) schoolsUsed.set(schoolId, user.line);
      }
    }
    if (hasActiveRole(user, ONEROSTER_STAFF_ROLES)) {
      const record = staffRecord(user, region, issues);
      staff.push(record);
      for (const id of record.schoolIds) if (!schoolsUsed.has(id)) schoolsUsed.set(id, user.line);
    }
  }

  const { orgs, districtOf, onlyDistrict } = readOrgs(files, options, schoolsUsed, issues);
  return {
    roster: {
      orgs,
      students: students.map((s) => ({ districtId: districtOf(s.schoolId), ...s })),
      staff: staff.flatMap((s) => staffByDistrict(s, districtOf, onlyDistrict, issues)),
    },
    issues,
  };
}

/**
 * One record per district the staff member's orgs lie in, each with that district's orgs
 * (in the order users.csv gave them), in order of first appearance.
 */
function staffByDistrict(
  record: StaffWithoutDistrict,
  districtOf: (orgId: string) => string,
  onlyDistrict: string | undefined,
  issues: Issue[],
): StaffRecord[] {
  const { line, ...fields } = record;
  if (fields.schoolIds.length === 0) {
    if (onlyDistrict !== undefined) return [{ districtId: onlyDistrict, ...fields }];
    issues.push(
      createIssue('MISSING_VALUE', `users.csv line ${line}: staff member ${fields.sisId} has no org, and the roster has several districts; the staff member is skipped. Give the user an org in orgSourcedIds.`, {
        line,
        column: 'orgSourcedIds',
      }),
    );
    return [];
  }
  const schoolsByDistrict = new Map<string, string[]>();
  for (const schoolId of fields.schoolIds) {
    const districtId = districtOf(schoolId);
    const list = schoolsByDistrict.get(districtId);
    if (list === undefined) schoolsByDistrict.set(districtId, [schoolId]);
    else list.push(schoolId);
  }
  return [...schoolsByDistrict].map(([districtId, schoolIds]) => ({ districtId, ...fields, schoolIds }));
}

/** 1.2: the org of the primary student role, then other student roles; 1.1: the first of orgSourcedIds. */
function studentSchool(user: OneRosterUser): string | undefined {
  const roles = user.roles.filter((r) => r.status === 'active' && ONEROSTER_STUDENT_ROLES.has(r.role) && r.orgSourcedId !== null);
  const primary = roles.find((r) => r.roleType === 'primary') ?? roles[0];
  return primary?.orgSourcedId ?? user.orgSourcedIds[0];
}

function staffRecord(user: OneRosterUser, region: string, issues: Issue[]): StaffWithoutDistrict {
  const email = normalizeEmail(user.email);
  if (email.invalid) issues.push(createIssue('INVALID_EMAIL', `users.csv line ${user.line}: the email of staff member ${user.sourcedId} is not an address; it was left empty.`, { line: user.line, column: 'email' }));
  const mobile = normalizePhone(user.sms, region);
  if (mobile.invalid) issues.push(createIssue('INVALID_PHONE', `users.csv line ${user.line}: the sms number of staff member ${user.sourcedId} is not a phone number; it was left empty.`, { line: user.line, column: 'sms' }));
  const home = normalizePhone(user.phone, region);
  if (home.invalid) issues.push(createIssue('INVALID_PHONE', `users.csv line ${user.line}: the phone number of staff member ${user.sourcedId} is not a phone number; it was left empty.`, { line: user.line, column: 'phone' }));
  const roleOrgs = user.roles
    .filter((r) => r.status === 'active' && ONEROSTER_STAFF_ROLES.has(r.role) && r.orgSourcedId !== null)
    .map((r) => r.orgSourcedId as string);
  return {
    line: user.line,
    sisId: user.sourcedId,
    firstName: normalizeName(user.givenName),
    lastName: normalizeName(user.familyName),
    email: email.value,
    mobilePhone: mobile.value,
    homePhone: home.value,
    // A copy: a user's list may be shared with other users (compactUserValues), and frozen.
    schoolIds: roleOrgs.length > 0 ? [...new Set(roleOrgs)] : [...user.orgSourcedIds],
  };
}

interface ReadOrgsResult {
  readonly orgs: Org[];
  /** The district of an org id used by a user: itself for a district, else the nearest district above it. */
  readonly districtOf: (orgId: string) => string;
  /** The district when the roster read has exactly one, for users with no org. */
  readonly onlyDistrict: string | undefined;
}

function readOrgs(files: OneRosterFiles, options: OneRosterRosterOptions, schoolsUsed: ReadonlyMap<string, number>, issues: Issue[]): ReadOrgsResult {
  const synthetic: Org = {
    id: options.districtId ?? SYNTHETIC_DISTRICT.id,
    name: options.districtName ?? SYNTHETIC_DISTRICT.name,
    type: 'district',
    parentId: null,
  };
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.orgs, {
    encoding: options.encoding,
    required: ['sourcedId', 'type'],
    used: (name) => ['sourcedid', 'status', 'name', 'type', 'parentsourcedid'].includes(name),
  });
  const knownDistrictOf = knownDistricts(options.knownOrgs ?? [], synthetic.id);
  if (table === undefined) {
    // No orgs.csv: a school the roster already places in a district stays there; every
    // other school seen belongs to one made-up district.
    const districtByOrg = new Map<string, string>();
    const schools: Org[] = [];
    for (const id of schoolsUsed.keys()) {
      const known = knownDistrictOf(id);
      districtByOrg.set(id, known ?? synthetic.id);
      if (known === undefined) schools.push({ id, name: id, type: 'school', parentId: synthetic.id });
    }
    const districtIds = [...new Set(districtByOrg.values())];
    // A set with no school at all (staff without orgs) keeps the made-up district as before.
    const usesSynthetic = schools.length > 0 || districtIds.length === 0;
    return {
      orgs: usesSynthetic ? [synthetic, ...schools] : [],
      districtOf: (orgId) => districtByOrg.get(orgId) ?? synthetic.id,
      onlyDistrict: districtIds.length === 1 ? districtIds[0] : districtIds.length === 0 ? synthetic.id : undefined,
    };
  }
  issues.push(...table.issues);
  const rows = new Map<string, OrgRow>();
  for (const record of table.records) {
    const id = table.value(record, 'sourcedId');
    if (id === '' || rows.has(id) || table.value(record, 'status').toLowerCase() === 'tobedeleted') continue;
    rows.set(id, {
      line: record.line,
      id,
      name: normalizeName(table.value(record, 'name')),
      type: table.value(record, 'type').toLowerCase(),
      parentId: table.value(record, 'parentSourcedId'),
    });
  }
  const districts = [...rows.values()].filter((o) => o.type === 'district');
  let syntheticUsed = false;
  const fallbackDistrict = (): string => {
    if (districts.length === 1) return (districts[0] as OrgRow).id;
    syntheticUsed = true;
    return synthetic.id;
  };
  /** The nearest district above an org (OneRoster allows local/state orgs and departments between). */
  const districtAbove = (org: OrgRow): string => {
    const seen = new Set<string>([org.id]);
    let parent = rows.get(org.parentId);
    while (parent !== undefined && !seen.has(parent.id)) {
      if (parent.type === 'district') return parent.id;
      seen.add(parent.id);
      parent = rows.get(parent.parentId);
    }
    return fallbackDistrict();
  };

  const orgs: Org[] = districts.map((d) => ({ id: d.id, name: d.name !== '' ? d.name : d.id, type: 'district', parentId: null }));
  for (const org of rows.values()) {
    if (org.type !== 'school') continue;
    orgs.push({ id: org.id, name: org.name !== '' ? org.name : org.id, type: 'school', parentId: districtAbove(org) });
  }
  /** Schools missing from orgs.csv that the roster already places in a district: they stay there. */
  const keptByRoster = new Map<string, string>();
  for (const [id, line] of schoolsUsed) {
    if (rows.has(id)) continue;
    const known = knownDistrictOf(id);
    if (known !== undefined) {
      keptByRoster.set(id, known);
      issues.push(
        createIssue('DANGLING_REFERENCE', `users.csv line ${line}: org ${id} is not in orgs.csv; it stays a school of district ${known}, where the roster has it.`, {
          line,
          column: 'orgSourcedIds',
        }),
      );
      continue;
    }
    issues.push(
      createIssue('DANGLING_REFERENCE', `users.csv line ${line}: org ${id} is not in orgs.csv; it was added as a school of the district.`, { line, column: 'orgSourcedIds' }),
    );
    orgs.push({ id, name: id, type: 'school', parentId: fallbackDistrict() });
  }
  // The district of every org a user names, worked out before the synthetic district is
  // (maybe) added, since finding one may be what needs it: a school through its parent, a
  // district (a district administrator's org) is its own, anything else (a department of
  // orgs.csv) through the chain above it.
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const districtByOrg = new Map<string, string>();
  for (const id of schoolsUsed.keys()) {
    const org = byId.get(id);
    const row = rows.get(id);
    const kept = keptByRoster.get(id);
    districtByOrg.set(
      id,
      kept ?? (org?.type === 'district' ? org.id : org?.parentId != null ? org.parentId : row !== undefined ? districtAbove(row) : fallbackDistrict()),
    );
  }
  if (syntheticUsed) orgs.unshift(synthetic);
  const districtIds = [...new Set([...orgs.filter((o) => o.type === 'district').map((o) => o.id), ...keptByRoster.values()])];
  return {
    orgs,
    // Every org a user names is in the map; the fallback only keeps the type total.
    districtOf: (orgId) => districtByOrg.get(orgId) ?? districtIds[0] ?? synthetic.id,
    onlyDistrict: districtIds.length === 1 ? districtIds[0] : undefined,
  };
}

/**
 * The district a roster's org belongs to, for an org id of the set: a school's parent when
 * that is a district of the roster, a district itself. Undefined for an org the roster does
 * not have, or one it has only under the made-up district (the placeholder is never a
 * reason to keep using it).
 */
function knownDistricts(knownOrgs: readonly Org[], syntheticId: string): (orgId: string) => string | undefined {
  const byId = new Map(knownOrgs.map((o) => [o.id, o]));
  return (orgId) => {
    const org = byId.get(orgId);
    if (org === undefined) return undefined;
    const districtId = org.type === 'district' ? org.id : org.parentId;
    if (districtId === null || districtId === syntheticId) return undefined;
    return byId.get(districtId)?.type === 'district' ? districtId : undefined;
  };
}
