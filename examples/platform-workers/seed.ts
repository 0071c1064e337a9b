// A platform roster to try the workers on: N districts that all number their students S1..Sn
// and their guardians G1..Gm (SIS ids are unique only inside a district), a few parents who
// have children in two districts (the same person, the same email and mobile, written with
// other capitals in the second district's file), and one guardians.csv per district in an
// inbox folder laid out the way schedule.ts reads it: `<inbox>/<districtId>/guardians.csv`.
//
//   DATABASE_URL=postgresql://… INBOX_DIR=./.platform-inbox npx tsx examples/platform-workers/seed.ts
//
// Optional: ROSTER_SCHEMA (default guardian_sync), DISTRICTS (12), STUDENTS (30 per district),
// LARGE_STUDENTS (students of D01; its file has two rows per student), SHARED_PARENTS (4).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RosterImport, RosterImportResult, RosterStore } from '../../src/contracts/roster-store.js';
import type { Org, Student } from '../../src/model/roster.js';
import { createPostgresStore } from '../../src/postgres/index.js';
import { envInteger, isEntryPoint, requiredEnv } from './queue.js';

export interface PlatformFixtureOptions {
  /** Where the district folders are written. */
  readonly inboxDir: string;
  /** Districts D01, D02, …  @default 12 */
  readonly districts?: number | undefined;
  /** Students per district (two guardians each, siblings share them). @default 30 */
  readonly studentsPerDistrict?: number | undefined;
  /** Districts with more students than the others, e.g. `{ D01: 10_000 }` (a 20,000-row file). */
  readonly largeDistricts?: Readonly<Record<string, number>> | undefined;
  /** Parents with children in two districts (D01 and D02, D03 and D04, …). @default 4 */
  readonly sharedParents?: number | undefined;
}

export interface FixtureDistrict {
  readonly districtId: string;
  /** Absolute path of its guardians.csv. */
  readonly path: string;
  /** Data rows in the file. */
  readonly rows: number;
  readonly students: number;
}

export interface PlatformFixture {
  readonly districts: readonly FixtureDistrict[];
  /** Orgs and students for `RosterStore.importRoster` (no staff). */
  readonly roster: RosterImport;
  /** Every email the files hold, lower-cased (to check logs and logins). */
  readonly emails: ReadonlySet<string>;
  /** Every last name the files hold (to check that logs never print one). */
  readonly lastNames: ReadonlySet<string>;
  /** The emails of the parents present in two districts. */
  readonly sharedEmails: readonly string[];
}

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,homePhone,language,relationship';
const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Gus', 'Hana', 'Iker', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya'];
const LAST = ['Ruiz', 'Okafor', 'Nguyen', 'Schmidt', 'Kowalski', 'Haddad', 'Tanaka', 'Silva', 'Byrne', 'Novak', 'Ferreira', 'Lindqvist'];
// One US area code per district keeps every guardian's mobile unique on the platform.
const AREA = ['202', '203', '205', '206', '207', '208', '209', '210', '212', '213', '214', '215', '216', '217', '218', '219'];

export function districtId(index: number): string {
  return `D${String(index).padStart(2, '0')}`;
}

/** Writes one guardians.csv per district and returns the roster to import. Deterministic. */
export async function writePlatformFixture(options: PlatformFixtureOptions): Promise<PlatformFixture> {
  const count = options.districts ?? 12;
  const perDistrict = options.studentsPerDistrict ?? 30;
  const sharedCount = options.sharedParents ?? 4;
  if (count < 1 || count > AREA.length) throw new Error(`districts must be 1..${AREA.length}`);
  if (sharedCount * 2 > count) throw new Error('each shared parent needs two districts of their own');
  if (perDistrict < 3) throw new Error('a district needs at least 3 students (S1..S3 hold the shared parents)');
  const inbox = resolve(options.inboxDir);
  const orgs: Org[] = [];
  const students: Student[] = [];
  const districts: FixtureDistrict[] = [];
  const emails = new Set<string>();
  const lastNames = new Set<string>();
  const sharedEmails: string[] = [];

  for (let k = 1; k <= count; k++) {
    const id = districtId(k);
    const school = `${id}-SCH1`;
    orgs.push({ id, name: `District ${id}`, type: 'district', parentId: null }, { id: school, name: `School of ${id}`, type: 'school', parentId: id });
    const n = options.largeDistricts?.[id] ?? perDistrict;
    // A parent with children in this district and its neighbour: district 2s+1 (students S1
    // and S2) and district 2s+2 (student S3), under each district's next guardian id (SIS
    // ids overlap on purpose), with the email in other capitals in the second file.
    const s = Math.floor((k - 1) / 2);
    const shared = s < sharedCount ? { email: `parent${s}@shared.example`, guardianId: `G${2 * Math.ceil(n / 2) + 1}`, students: k % 2 === 1 ? ['S1', 'S2'] : ['S3'] } : null;
    if (shared !== null && k % 2 === 1) {
      sharedEmails.push(shared.email);
      emails.add(shared.email);
      lastNames.add(`Shared${s}`);
    }
    const lines = [HEADER];
    for (let i = 1; i <= n; i++) {
      students.push({ districtId: id, sisId: `S${i}`, schoolId: school, firstName: FIRST[i % FIRST.length]!, lastName: `Student${i}` });
      if (shared?.students.includes(`S${i}`) === true) {
        const email = k % 2 === 1 ? shared.email : shared.email.toUpperCase();
        lines.push(`S${i},${shared.guardianId},Alex,Shared${s},${email},+1 303 300 ${String(1000 + s)},,en,Parent`);
      }
      // Siblings S(2f-1) and S(2f) share their two guardians G(2f-1) and G(2f).
      const family = Math.ceil(i / 2);
      for (const g of [2 * family - 1, 2 * family]) {
        const first = FIRST[(g + k) % FIRST.length]!;
        const last = `${LAST[(g * 7 + k) % LAST.length]!}${g}`;
        const email = `g${g}.${id.toLowerCase()}@families.example`;
        emails.add(email);
        lastNames.add(last);
        // Some emails come with capitals and phones in national format: the sync normalizes both.
        const shownEmail = g % 5 === 0 ? email.toUpperCase() : email;
        const digits = String(2_000_000 + g);
        const mobile = `(${AREA[k - 1]!}) ${digits.slice(0, 3)}-${digits.slice(3)}`;
        const language = g % 3 === 0 ? 'es' : 'en';
        lines.push(`S${i},G${g},${first},${last},${shownEmail},${mobile},,${language},${g % 2 === 1 ? 'Mother' : 'Father'}`);
      }
    }
    const dir = join(inbox, id);
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'guardians.csv');
    await writeFile(path, `${lines.join('\n')}\n`);
    districts.push({ districtId: id, path, rows: lines.length - 1, students: n });
  }
  return { districts, roster: { orgs, students, staff: [] }, emails, lastNames, sharedEmails };
}

/** Loads the fixture's orgs and students into a store (what the platform's roster sync delivers). */
export async function seedPlatformRoster(store: RosterStore, fixture: PlatformFixture): Promise<RosterImportResult> {
  if (store.importRoster === undefined) throw new Error('this store cannot import a roster');
  return store.importRoster(fixture.roster);
}

async function main(): Promise<void> {
  const store = await createPostgresStore({ connectionString: requiredEnv('DATABASE_URL'), schema: process.env['ROSTER_SCHEMA'] ?? 'guardian_sync' });
  try {
    const large = envInteger('LARGE_STUDENTS', 0);
    const fixture = await writePlatformFixture({
      inboxDir: requiredEnv('INBOX_DIR'),
      districts: envInteger('DISTRICTS', 12),
      studentsPerDistrict: envInteger('STUDENTS', 30),
      largeDistricts: large > 0 ? { D01: large } : undefined,
      sharedParents: envInteger('SHARED_PARENTS', 4),
    });
    const imported = await seedPlatformRoster(store, fixture);
    process.stdout.write(`${JSON.stringify({ event: 'seeded', districts: fixture.districts.map((d) => ({ districtId: d.districtId, rows: d.rows })), imported })}\n`);
  } finally {
    await store.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  await main();
}
