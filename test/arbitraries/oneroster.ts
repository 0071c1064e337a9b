// A deterministic OneRoster district generator (seeded, so every failure replays) and the
// writers of its 1.1 and 1.2 CSV forms, plus the equivalent guardians.csv. Families of 1–3
// children with 1–3 guardians shared by the siblings, couples sharing one email, a few
// teachers who are also parents, some guardians listing their children, some listed only by
// them, some both. A fast-check arbitrary over the seed is exported for property tests.
import { fc } from '@fast-check/vitest';
import { stringify } from 'csv-stringify/sync';

export interface GenStudent {
  readonly sourcedId: string;
  readonly identifier: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly schoolId: string;
  /** Guardians as this student's row lists them (may be empty: the guardians list it instead). */
  readonly listsGuardians: readonly string[];
}

export interface GenGuardian {
  readonly sourcedId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly sms: string;
  readonly phone: string;
  readonly role: 'parent' | 'guardian' | 'relative';
  /** Also a teacher (1.2: one user with two roles; 1.1: two rows with one sourcedId). */
  readonly teacherAt: string | null;
  /** Students as this guardian's row lists them (may be empty: the students list it instead). */
  readonly listsStudents: readonly string[];
}

export interface GenTeacher {
  readonly sourcedId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly schoolId: string;
}

export interface GenDistrict {
  readonly districtId: string;
  readonly schools: readonly { readonly id: string; readonly name: string }[];
  readonly students: readonly GenStudent[];
  readonly guardians: readonly GenGuardian[];
  readonly teachers: readonly GenTeacher[];
  /** Every (guardian sourcedId, student sourcedId) pair, the truth the readers must find. */
  readonly pairs: readonly (readonly [string, string])[];
}

export interface GenOptions {
  readonly seed: number;
  /** About this many students (whole families are generated). */
  readonly students: number;
  readonly schools?: number | undefined;
}

const GIVEN = ['Ana', 'José', 'Maria', 'Li', 'Zoë', 'Omar', 'Chloé', 'Sam', 'Priya', 'Kwame', 'Ines', 'Tomás', 'Yuki', 'Noor'];
const FAMILY = ['Garcia', 'García', 'Smith', 'Ng', 'Nguyen', 'Okafor', "O'Brien", 'Müller', 'Kowalski', 'Haddad'];
const ROLES = ['parent', 'parent', 'parent', 'guardian', 'relative'] as const;

/** mulberry32: small, fast, good enough for test data, and the same on every platform. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateOneRosterDistrict(options: GenOptions): GenDistrict {
  const rnd = random(options.seed);
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const schools = Array.from({ length: options.schools ?? 3 }, (_, i) => ({ id: `sch-${i + 1}`, name: `School ${i + 1}` }));
  const students: GenStudent[] = [];
  const guardians: GenGuardian[] = [];
  const teachers: GenTeacher[] = [];
  const pairs: [string, string][] = [];

  for (let t = 0; t < Math.max(2, Math.round(options.students / 40)); t++) {
    teachers.push({ sourcedId: `t-${t + 1}`, givenName: pick(GIVEN), familyName: pick(FAMILY), email: `teacher${t + 1}@district.example.org`, schoolId: pick(schools).id });
  }

  let family = 0;
  while (students.length < options.students) {
    family++;
    const familyName = pick(FAMILY);
    const kids = Array.from({ length: int(1, 3) }, (_, k) => ({
      sourcedId: `s-${family}-${k + 1}`,
      identifier: `0${100000 + students.length + k}`,
      givenName: pick(GIVEN),
      familyName,
      schoolId: pick(schools).id,
    }));
    const guardianCount = int(1, 3);
    // Couples sometimes share one email address (a real and common case).
    const sharedEmail = guardianCount > 1 && rnd() < 0.2 ? `family${family}@mail.example.com` : null;
    // How this family's links are written: from the students, from the guardians, or both.
    const side = pick(['student', 'guardian', 'both'] as const);
    const famGuardians: GenGuardian[] = [];
    for (let g = 0; g < guardianCount; g++) {
      const sourcedId = `g-${family}-${g + 1}`;
      const teacherAt = rnd() < 0.03 ? pick(schools).id : null;
      const sms = rnd() < 0.7 ? `(202) 555-${String(1000 + ((family * 3 + g) % 9000)).padStart(4, '0')}` : '';
      // Some guardians have no email; every guardian has at least one login (email or mobile).
      const ownEmail = rnd() < 0.9 || sms === '' ? `p${family}.${g + 1}@mail.example.com` : '';
      famGuardians.push({
        sourcedId,
        givenName: pick(GIVEN),
        familyName: g === 2 ? pick(FAMILY) : familyName,
        email: g < 2 && sharedEmail !== null ? sharedEmail : ownEmail,
        sms,
        phone: rnd() < 0.3 ? `202.555.${String(2000 + (family % 7000)).padStart(4, '0')}` : '',
        role: g === 2 ? 'relative' : pick(ROLES),
        teacherAt,
        listsStudents: side === 'student' ? [] : kids.map((k) => k.sourcedId),
      });
    }
    for (const kid of kids) {
      students.push({ ...kid, listsGuardians: side === 'guardian' ? [] : famGuardians.map((g) => g.sourcedId) });
      for (const g of famGuardians) pairs.push([g.sourcedId, kid.sourcedId]);
    }
    guardians.push(...famGuardians);
  }
  return { districtId: 'dist-1', schools, students, guardians, teachers, pairs };
}

type Row = Record<string, string>;

function csv(columns: readonly string[], rows: readonly Row[]): string {
  return stringify([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))], { record_delimiter: 'windows' });
}

const USER_COLUMNS_11 = [
  'sourcedId', 'status', 'dateLastModified', 'enabledUser', 'orgSourcedIds', 'role', 'username', 'userIds', 'givenName', 'familyName',
  'middleName', 'identifier', 'email', 'sms', 'phone', 'agentSourcedIds', 'grades', 'password',
] as const;
const USER_COLUMNS_12 = [
  'sourcedId', 'status', 'dateLastModified', 'enabledUser', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier',
  'email', 'sms', 'phone', 'agentSourcedIds', 'grades', 'password', 'userMasterIdentifier', 'resourceSourcedIds', 'preferredGivenName',
  'preferredMiddleName', 'preferredFamilyName', 'primaryOrgSourcedId', 'pronouns',
] as const;
const ROLE_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId', 'userProfileSourcedId'] as const;
const ORG_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'] as const;

/** Users in a shuffled but seed-stable order, so lines do not follow families. */
function userOrder(d: GenDistrict): ({ kind: 'student'; u: GenStudent } | { kind: 'guardian'; u: GenGuardian } | { kind: 'teacher'; u: GenTeacher })[] {
  const all = [
    ...d.teachers.map((u) => ({ kind: 'teacher' as const, u })),
    ...d.students.map((u) => ({ kind: 'student' as const, u })),
    ...d.guardians.map((u) => ({ kind: 'guardian' as const, u })),
  ];
  const rnd = random(d.students.length * 7919 + d.guardians.length);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

function orgsCsv(d: GenDistrict): string {
  return csv(ORG_COLUMNS, [
    { sourcedId: d.districtId, name: 'Generated District', type: 'district' },
    ...d.schools.map((s) => ({ sourcedId: s.id, name: s.name, type: 'school', parentSourcedId: d.districtId })),
  ]);
}

/** OneRoster 1.1: role and orgSourcedIds in users.csv; a teacher-parent is two rows with one sourcedId. */
export function toOneRoster11(d: GenDistrict): Record<string, string> {
  const rows: Row[] = [];
  for (const item of userOrder(d)) {
    if (item.kind === 'student') {
      const s = item.u;
      rows.push({ sourcedId: s.sourcedId, orgSourcedIds: s.schoolId, role: 'student', givenName: s.givenName, familyName: s.familyName, identifier: s.identifier, agentSourcedIds: s.listsGuardians.join(','), enabledUser: 'true' });
    } else if (item.kind === 'teacher') {
      const t = item.u;
      rows.push({ sourcedId: t.sourcedId, orgSourcedIds: t.schoolId, role: 'teacher', givenName: t.givenName, familyName: t.familyName, email: t.email, enabledUser: 'true' });
    } else {
      const g = item.u;
      const base = { sourcedId: g.sourcedId, givenName: g.givenName, familyName: g.familyName, email: g.email, sms: g.sms, phone: g.phone, enabledUser: 'true' };
      rows.push({ ...base, role: g.role, agentSourcedIds: g.listsStudents.join(',') });
      if (g.teacherAt !== null) rows.push({ ...base, role: 'teacher', orgSourcedIds: g.teacherAt });
    }
  }
  return {
    'manifest.csv': csv(['propertyName', 'value'], [{ propertyName: 'manifest.version', value: '1.0' }, { propertyName: 'oneroster.version', value: '1.1' }, { propertyName: 'file.users', value: 'bulk' }, { propertyName: 'file.orgs', value: 'bulk' }]),
    'users.csv': csv(USER_COLUMNS_11, rows),
    'orgs.csv': orgsCsv(d),
  };
}

/** OneRoster 1.2: roles in roles.csv (a teacher-parent is one user with two roles). */
export function toOneRoster12(d: GenDistrict): Record<string, string> {
  const users: Row[] = [];
  const roles: Row[] = [];
  let roleId = 0;
  const role = (userSourcedId: string, name: string, org: string, roleType: 'primary' | 'secondary'): void => {
    roles.push({ sourcedId: `r-${++roleId}`, userSourcedId, role: name, orgSourcedId: org, roleType });
  };
  for (const item of userOrder(d)) {
    if (item.kind === 'student') {
      const s = item.u;
      users.push({ sourcedId: s.sourcedId, givenName: s.givenName, familyName: s.familyName, identifier: s.identifier, agentSourcedIds: s.listsGuardians.join(','), enabledUser: 'true', primaryOrgSourcedId: s.schoolId });
      role(s.sourcedId, 'student', s.schoolId, 'primary');
    } else if (item.kind === 'teacher') {
      const t = item.u;
      users.push({ sourcedId: t.sourcedId, givenName: t.givenName, familyName: t.familyName, email: t.email, enabledUser: 'true', primaryOrgSourcedId: t.schoolId });
      role(t.sourcedId, 'teacher', t.schoolId, 'primary');
    } else {
      const g = item.u;
      users.push({ sourcedId: g.sourcedId, givenName: g.givenName, familyName: g.familyName, email: g.email, sms: g.sms, phone: g.phone, agentSourcedIds: g.listsStudents.join(','), enabledUser: 'true' });
      if (g.teacherAt !== null) role(g.sourcedId, 'teacher', g.teacherAt, 'primary');
      role(g.sourcedId, g.role, d.districtId, g.teacherAt !== null ? 'secondary' : 'primary');
    }
  }
  return {
    'manifest.csv': csv(['propertyName', 'value'], [{ propertyName: 'manifest.version', value: '1.0' }, { propertyName: 'oneroster.version', value: '1.2' }, { propertyName: 'file.users', value: 'bulk' }, { propertyName: 'file.roles', value: 'bulk' }, { propertyName: 'file.orgs', value: 'bulk' }]),
    'users.csv': csv(USER_COLUMNS_12, users),
    'roles.csv': csv(ROLE_COLUMNS, roles),
    'orgs.csv': orgsCsv(d),
  };
}

/** The same guardians as a guardians.csv (one row per pair), for the switch-over test. */
export function toGuardiansCsv(d: GenDistrict): string {
  const byId = new Map(d.guardians.map((g) => [g.sourcedId, g]));
  const rows: Row[] = d.pairs.map(([gid, sid]) => {
    const g = byId.get(gid)!;
    return { studentSisId: sid, guardianSisId: gid, firstName: g.givenName, lastName: g.familyName, email: g.email, mobilePhone: g.sms, homePhone: g.phone, relationship: g.role };
  });
  return csv(['studentSisId', 'guardianSisId', 'firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'relationship'], rows);
}

/** Text files → the (name, bytes) pairs `createOneRosterFiles` takes. */
export function encodeFiles(files: Record<string, string>): [string, Uint8Array][] {
  return Object.entries(files).map(([name, text]) => [name, new TextEncoder().encode(text)]);
}

/** Small generated districts, by seed, for property tests. */
export const oneRosterDistrictArb = (students = 12): fc.Arbitrary<GenDistrict> =>
  fc.integer({ min: 1, max: 0x7fffffff }).map((seed) => generateOneRosterDistrict({ seed, students }));
