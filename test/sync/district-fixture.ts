// A small district for orchestrator tests: one district, two schools, a handful of students,
// a teacher who is also a parent, and guardians.csv texts for day 1 and later days.
import type { Account, Org, Student } from '../../src/model/roster.js';

export const ORGS: Org[] = [
  { id: 'D1', name: 'Riverside Unified', type: 'district', parentId: null },
  { id: 'SCH-A', name: 'Alder Elementary', type: 'school', parentId: 'D1' },
  { id: 'SCH-B', name: 'Birch Middle', type: 'school', parentId: 'D1' },
];

export const STUDENTS: Student[] = Array.from({ length: 12 }, (_, i) => ({
  districtId: 'D1',
  sisId: `S${String(i + 1).padStart(3, '0')}`,
  schoolId: i < 6 ? 'SCH-A' : 'SCH-B',
  firstName: `Student${i + 1}`,
  lastName: 'Pupil',
}));

export const TEACHER: Account = {
  id: 'staff-1',
  firstName: 'Maria',
  lastName: 'García',
  email: 'maria.garcia@riverside.example.org',
  mobilePhone: '+12025550100',
  homePhone: null,
  language: null,
  claimed: true,
  roles: [{ role: 'staff', districtId: 'D1', sisIds: ['T1'], status: 'active' }],
};

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,language,relationship';

/** Ten guardian–student rows: two siblings share a parent, the teacher is a parent too. */
export const DAY1_ROWS = [
  'S001,G1,Ana,López,ana.lopez@example.com,(202) 555-0101,es,mother',
  'S002,G1,Ana,López,ana.lopez@example.com,(202) 555-0101,es,mother',
  'S001,G2,Luis,López,,202.555.0102,Spanish,father',
  'S003,G3,Grace,Kim,grace.kim@example.com,,ko,mother',
  'S004,G4,Tom,Baker,tom.baker@example.com,+1 202 555 0104,,father',
  'S005,G5,Maria,García,maria.garcia@riverside.example.org,(202) 555-0100,,mother',
  'S007,G6,Olu,Adeyemi,olu@example.com,,yo,father',
  'S008,G7,Chen,Wei,chen.wei@example.com,(202) 555-0107,zh-Hant,mother',
  'S009,G8,Sam,Taylor,sam.taylor@example.com,,en,guardian',
  'S010,G9,Priya,Shah,priya.shah@example.com,(202) 555-0109,hi,mother',
] as const;

export function csv(rows: readonly string[]): string {
  return `${HEADER}\n${rows.join('\n')}\n`;
}

export const DAY1 = csv(DAY1_ROWS);
