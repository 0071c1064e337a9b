// Small OneRoster and guardian files for the CLI tests, written into a temp folder: one
// district (D1) with two schools, ten students, two teachers; a guardians.csv for day 1 and
// variants (a truncated one that trips the removal threshold, a broken one).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORGS_CSV = [
  'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
  'D1,active,2026-08-15,Maple Unified,district,MU,',
  'SA,active,2026-08-15,Maple Elementary,school,SA,D1',
  'SB,active,2026-08-15,Maple Middle,school,SB,D1',
].join('\n');

const STUDENTS = Array.from({ length: 10 }, (_, i) => ({ id: `S${i + 1}`, school: i < 6 ? 'SA' : 'SB' }));

/** The OneRoster 1.1 users.csv header every users file of the CLI tests uses. */
export const USERS_HEADER =
  'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password';

/** A users.csv row of a student at `school`. */
export function studentUser(id: string, school: string, givenName: string, familyName: string): string {
  return `${id},active,2026-08-15,true,${school},student,${id},,${givenName},${familyName},,${id},,,,,,`;
}

/** A users.csv row of a teacher at `school`; `sms` and `phone` as the SIS writes them ('' when none). */
export function teacherUser(id: string, school: string, givenName: string, familyName: string, email: string, sms = '', phone = ''): string {
  return `${id},active,2026-08-15,true,${school},teacher,${id},,${givenName},${familyName},,${id},${email},${sms},${phone},,,`;
}

/** An orgs.csv of districts, each with its schools: `{ D1: ['SA'], D2: ['SB'] }`. */
export function orgsCsv(districts: Readonly<Record<string, readonly string[]>>): string {
  const lines = ['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId'];
  for (const [district, schools] of Object.entries(districts)) {
    lines.push(`${district},active,2026-08-15,District ${district},district,${district},`);
    for (const school of schools) lines.push(`${school},active,2026-08-15,School ${school},school,${school},${district}`);
  }
  return lines.join('\n');
}

export const USERS_CSV = [
  USERS_HEADER,
  ...STUDENTS.map((s) => `${s.id},active,2026-08-15,true,${s.school},student,${s.id},,Kid${s.id},Student,,${s.id},,,,,,`),
  'T1,active,2026-08-15,true,SA,teacher,tina,,Tina,Teacher,,T1,tina@school.example,(202) 555-0101,,,,',
  'T2,active,2026-08-15,true,SB,teacher,tom,,Tom,Lee,,T2,tom@school.example,,,,,',
].join('\n');

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone';

/** Ten guardians, one per student; G5 is teacher Tina (same name, email and mobile). */
export const GUARDIAN_ROWS = STUDENTS.map((s, i) =>
  i === 4 ? `${s.id},G5,Tina,Teacher,tina@school.example,202-555-0101` : `${s.id},G${i + 1},Parent${i + 1},Family,parent${i + 1}@mail.example,`,
);

export const GUARDIANS_CSV = [HEADER, ...GUARDIAN_ROWS].join('\n');
/** Day 1 with an unknown student and a row without a last name (a row error). */
export const GUARDIANS_WITH_ISSUES_CSV = [HEADER, ...GUARDIAN_ROWS, 'S404,G99,Ola,Nowak,ola@mail.example,', 'S1,G98,Ida,,ida@mail.example,'].join('\n');
/** Only half the rows: removing half the links is far above the 10% threshold. */
export const GUARDIANS_TRUNCATED_CSV = [HEADER, ...GUARDIAN_ROWS.slice(0, 5)].join('\n');
/** No studentSisId column: a whole-file error. */
export const GUARDIANS_MISSING_COLUMN_CSV = ['guardianSisId,firstName,lastName,email', 'G1,Ann,Lee,ann@mail.example'].join('\n');

export interface CliWorkspace {
  readonly dir: string;
  path(name: string): string;
  write(name: string, content: string | Uint8Array): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createWorkspace(): Promise<CliWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'guardian-sync-cli-'));
  return {
    dir,
    path: (name) => join(dir, name),
    async write(name, content) {
      await writeFile(join(dir, name), content);
      return join(dir, name);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
