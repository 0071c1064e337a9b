// The demo's second district, in the same roster as the first: one roster serves many
// districts, and SIS ids are unique only inside one. Its SIS numbers the same way as the
// first district's, so its student ids, guardian ids and staff ids collide with the first
// district's on purpose, each naming a different person; and one parent of the first
// district has a child here too, with the same name, email and mobile in both files (one
// person: one account, a guardian role in each district). Pure: returns file contents.
import type { DemoDistrict, DemoGuardian } from './demo-district.js';

export interface SecondDemoDistrict {
  readonly districtId: string;
  readonly schoolName: string;
  readonly studentCount: number;
  readonly files: {
    readonly 'district2-orgs.csv': Uint8Array;
    readonly 'district2-users.csv': Uint8Array;
    readonly 'district2-guardians.csv': Uint8Array;
  };
  /** Ids both districts use for different people, to show them side by side. */
  readonly reused: { readonly studentId: string; readonly guardianId: string; readonly staffId: string };
  /** The parent with children in both districts: their guardian id in each. */
  readonly sharedParent: { readonly firstName: string; readonly lastName: string; readonly firstDistrictId: string; readonly secondDistrictId: string };
}

const FIXED_DATE = '2026-08-15T00:00:00.000Z';
const FAMILIES = [
  { lastName: 'Achebe', guardian: 'Ngozi', children: ['Chidi', 'Ada'] },
  { lastName: 'Lindqvist', guardian: 'Karin', children: ['Elsa'] },
  { lastName: 'Moreno', guardian: 'Diego', children: ['Lola', 'Pablo'] },
  { lastName: 'Yamamoto', guardian: 'Kenji', children: ['Aiko'] },
  { lastName: 'Dubois', guardian: 'Camille', children: ['Jules', 'Manon'] },
  { lastName: 'Haddad', guardian: 'Rania', children: ['Sami'] },
  { lastName: 'Kowalski', guardian: 'Piotr', children: ['Zofia', 'Jan'] },
] as const;

function csvLine(fields: readonly (string | null)[]): string {
  return fields.map((f) => (f === null ? '' : /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

/**
 * Riverside (district D200, one school): families numbered from the same SIS ranges as the
 * first district (students from 100001, guardians from G1000, staff from T001), plus one
 * parent taken from the first district. `first` is the first district, for the ids to reuse
 * and the parent to share (one its day 2 leaves alone, so the story stays simple).
 */
export function generateSecondDemoDistrict(first: DemoDistrict): SecondDemoDistrict {
  const districtId = 'D200';
  const school = { id: 'SCH-RIV', name: 'Riverside Academy' };
  const touched = new Set(first.changes.flatMap((c) => c.sisIds));
  const shared = [...first.guardians].reverse().find((g): g is DemoGuardian & { id: string } => g.id !== null && g.email !== null && g.mobile !== null && !touched.has(g.id));
  if (shared === undefined) throw new Error('the first demo district has no guardian with an id, an email and a mobile to share');

  const students: { sisId: string; firstName: string; lastName: string }[] = [];
  const rows: (string | null)[][] = [];
  FAMILIES.forEach((family, f) => {
    const guardianId = `G${1000 + f}`;
    for (const child of family.children) {
      const sisId = String(100001 + students.length);
      students.push({ sisId, firstName: child, lastName: family.lastName });
      const email = `${family.guardian.toLowerCase()}.${family.lastName.toLowerCase()}@riverside-mail.example`;
      rows.push([sisId, guardianId, family.guardian, family.lastName, email, `(202) 555-02${String(10 + f).padStart(2, '0')}`, null, null]);
    }
  });
  // The shared parent's child here; their own id in this district's SIS.
  const sharedChild = String(100001 + students.length);
  students.push({ sisId: sharedChild, firstName: 'Robin', lastName: shared.lastName });
  const sharedId = `G${1000 + FAMILIES.length}`;
  // Every field as the first district's file has it: the same person, nothing to update.
  rows.push([sharedChild, sharedId, shared.firstName, shared.lastName, shared.email, shared.mobile, shared.home, shared.language]);

  const staffId = first.staffIds[0] ?? 'T001';
  // A guardian id both files use (the first district skips an id now and then).
  const firstIds = new Set(first.guardians.map((g) => g.id));
  const reusedGuardianId = FAMILIES.map((_, f) => `G${1000 + f}`).find((id) => firstIds.has(id) && id !== shared.id) ?? 'G1000';
  const orgs = [
    'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
    csvLine([districtId, 'active', FIXED_DATE, 'Riverside School District', 'district', 'RSD', '']),
    csvLine([school.id, 'active', FIXED_DATE, school.name, 'school', school.id, districtId]),
  ];
  const users = [
    'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
    ...students.map((s) => csvLine([s.sisId, 'active', FIXED_DATE, 'true', school.id, 'student', `r${s.sisId}`, '', s.firstName, s.lastName, '', s.sisId, '', '', '', '', '', ''])),
    // The first district's first staff id, here a different teacher.
    csvLine([staffId, 'active', FIXED_DATE, 'true', school.id, 'teacher', 'obi.nwosu', '', 'Obi', 'Nwosu', '', staffId, 'obi.nwosu@riverside.example', '(202) 555-0299', '', '', '', '']),
  ];
  const guardians = ['studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,homePhone,language', ...rows.map(csvLine)];

  const encoder = new TextEncoder();
  return {
    districtId,
    schoolName: school.name,
    studentCount: students.length,
    files: {
      'district2-orgs.csv': encoder.encode(`${orgs.join('\n')}\n`),
      'district2-users.csv': encoder.encode(`${users.join('\n')}\n`),
      'district2-guardians.csv': encoder.encode(`${guardians.join('\n')}\n`),
    },
    reused: { studentId: '100001', guardianId: reusedGuardianId, staffId },
    sharedParent: { firstName: shared.firstName, lastName: shared.lastName, firstDistrictId: shared.id, secondDistrictId: sharedId },
  };
}
