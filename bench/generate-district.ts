// A deterministic synthetic district for the benchmark (issue #7): orgs, students, staff, a
// day-1 guardians.csv and a "next day" file with about 2% changes. Same seed and size, same
// bytes. Values look like real SIS exports: diacritics and apostrophes in names, phones in
// several formats, blanks, rows without guardianSisId, a few bad rows.
import type { StaffRecord } from '../src/contracts/roster-store.js';
import type { Org, Student } from '../src/model/roster.js';

export interface DistrictOptions {
  /** Target number of data rows in the day-1 file (the file has this many, give or take a family). */
  readonly rows: number;
  /** @default 7 */
  readonly seed?: number | undefined;
}

/** A guardian as the generator knows it: canonical values (what normalization must produce). */
export interface TruthGuardian {
  /** Stable key inside the generator; equals guardianSisId when the guardian has one. */
  readonly key: string;
  readonly guardianSisId: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  /** E.164. */
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly language: string | null;
  /** Staff SIS id when this guardian is a staff member (the account exists already). */
  readonly staffSisId: string | null;
}

export interface DistrictTruth {
  /** Day-1 guardians that the sync must add (a usable credential, at least one valid row). */
  readonly guardians: TruthGuardian[];
  /** Day-1 links: guardian key → student SIS id, one per distinct pair. */
  readonly links: { readonly key: string; readonly studentSisId: string }[];
}

export interface DistrictStats {
  readonly families: number;
  readonly guardians: number;
  readonly day1Rows: number;
  readonly day2Rows: number;
  readonly badRows: number;
  readonly rowsWithoutGuardianId: number;
  readonly staffParents: number;
  readonly day2: {
    readonly emailChanged: number;
    readonly phoneChanged: number;
    readonly nameChanged: number;
    readonly languageChanged: number;
    readonly rowsRemoved: number;
    readonly guardiansRemoved: number;
    readonly rowsAdded: number;
  };
}

export interface GeneratedDistrict {
  readonly districtId: string;
  readonly orgs: Org[];
  readonly students: Student[];
  readonly staff: StaffRecord[];
  readonly day1Csv: Buffer;
  readonly day2Csv: Buffer;
  readonly truth: DistrictTruth;
  readonly stats: DistrictStats;
  /** The model the files were written from: what `generateSecondDistrict` builds on. */
  readonly internals: DistrictInternals;
}

/** The generator's own model of a district, kept for `generateSecondDistrict`. */
export interface DistrictInternals {
  readonly families: readonly Family[];
  /** Families [0, day1Families) are in the day-1 file; the rest arrive on day 2. */
  readonly day1Families: number;
  /** Every phone number (10 NANP digits) given to anyone, staff and both days included. */
  readonly usedPhones: ReadonlySet<string>;
  /** The last email number given (emails end in a number unique in the district). */
  readonly lastEmailSeq: number;
}

export const HEADER = ['studentSisId', 'guardianSisId', 'firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language', 'relationship'] as const;

// ---------------------------------------------------------------------------------------
// PRNG: sfc32, seeded through splitmix32 so small seeds spread well.

export type Random = () => number;

export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const int = (rand: Random, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(rand: Random, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const chance = (rand: Random, p: number): boolean => rand() < p;
/** Picks from [value, weight] pairs. */
function weighted<T>(rand: Random, table: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of table) total += w;
  let r = rand() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return (table[table.length - 1] as readonly [T, number])[0];
}

// ---------------------------------------------------------------------------------------
// Value pools.

const FIRST_NAMES = [
  'María', 'José', 'Zoë', 'Jürgen', 'Françoise', 'Siobhán', 'Renée', 'Chloé', 'Nuñez', 'Añaya',
  'Björn', 'Mary Ann', 'Jean-Luc', 'Anne-Marie', 'Dương', 'Thảo', 'Ngọc', 'Łukasz', 'Zoltán', 'Ève',
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Luis', 'Ashley',
  'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Aisha', 'Mohammed', 'Fatima', 'Omar', 'Priya', 'Raj',
  'Guadalupe', 'Jesús', 'Ana', 'Sofía', 'Andrés', 'Iñaki', 'Hernán', 'Raúl', 'Inés', 'Mónica',
  'Kwame', 'Ama', 'Olga', 'Dmitri', 'Svetlana', 'Ngozi', 'Chinedu', 'Abdi', 'Hodan', 'Tatiana',
] as const;

const LAST_NAMES = [
  "O'Brien", "O'Connor", "D'Angelo", "O'Neil", "N'Diaye", 'García', 'Martínez', 'Rodríguez', 'Hernández', 'López',
  'González', 'Pérez', 'Sánchez', 'Ramírez', 'Núñez', 'Peña', 'Muñoz', 'Ibáñez', 'Müller', 'Schäfer',
  'Köhler', 'Brontë', 'Lefèvre', 'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Wałęsa', 'Dvořák', 'Søren',
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams',
  'Van der Berg', 'De la Cruz', 'St. John', 'MacDonald', 'Chen', 'Wang', 'Li', 'Zhang', 'Kim', 'Park',
  'Patel', 'Shah', 'Singh', 'Khan', 'Ali', 'Hassan', 'Mohamed', 'Okafor', 'Mensah', 'Ivanova',
] as const;

const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'comcast.net', 'example.org'] as const;

// Real NANP area codes (libphonenumber considers numbers under them valid).
const AREA_CODES = [
  '202', '212', '213', '214', '305', '312', '404', '415', '512', '602',
  '617', '646', '702', '713', '718', '773', '786', '801', '808', '818',
  '832', '857', '901', '917', '919', '206', '303', '480', '503', '612',
] as const;

/** Raw language cell → canonical tag (what the normalizer should store). */
const LANGUAGES: readonly (readonly [raw: string, canonical: string | null, weight: number])[] = [
  ['', null, 40],
  ['en', 'en', 12],
  ['English', 'en', 10],
  ['es', 'es', 8],
  ['Spanish', 'es', 8],
  ['Español', 'es', 3],
  ['spa', 'es', 1],
  ['es-MX', 'es-MX', 1],
  ['zh-Hant', 'zh-Hant', 1],
  ['Chinese', 'zh', 1],
  ['vi', 'vi', 2],
  ['Vietnamese', 'vi', 1],
  ['ar', 'ar', 1],
  ['Arabic', 'ar', 1],
  ['pt-BR', 'pt-BR', 1],
  ['so', 'so', 1],
  ['Somali', 'so', 1],
  ['ht', 'ht', 1],
  ['fr', 'fr', 1],
  ['French', 'fr', 1],
  ['ru', 'ru', 1],
  ['ko', 'ko', 1],
];

const RELATIONSHIPS: readonly (readonly [string, number])[] = [
  ['mother', 40],
  ['father', 35],
  ['guardian', 8],
  ['grandparent', 6],
  ['Grandparent, maternal', 1],
  ['stepmother', 2],
  ['stepfather', 2],
  ['other', 2],
  ['', 4],
];

type PhoneFormat = (d: string) => string;
/** d = 10 NANP digits. */
const PHONE_FORMATS: readonly (readonly [PhoneFormat, number])[] = [
  [(d) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`, 40],
  [(d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, 20],
  [(d) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`, 10],
  [(d) => d, 12],
  [(d) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`, 8],
  [(d) => `+1${d}`, 4],
  [(d) => `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, 4],
  [(d) => `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`, 2],
];

/** ASCII slug of a name for email local parts: accents dropped, apostrophes and spaces removed. */
function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------
// The model the files are written from.

export interface Guardian {
  key: string;
  guardianSisId: string | null;
  firstName: string;
  lastName: string;
  /** Canonical (lower-case) email; the cell may differ in case or surrounding spaces. */
  email: string | null;
  emailCell: string;
  mobileDigits: string | null;
  mobileCell: string;
  homeDigits: string | null;
  homeCell: string;
  languageCell: string;
  language: string | null;
  relationship: string;
  /** Name cells as written (may be NFD, have double spaces or NBSP); canonical values above. */
  firstNameCell: string;
  lastNameCell: string;
  staffSisId: string | null;
  /** Removed in the day-2 file. */
  removedDay2: boolean;
}

export interface Family {
  students: string[];
  guardians: Guardian[];
  /** Appears only in the day-2 file (a new enrollee whose guardians arrive later). */
  day2Only: boolean;
}

interface Row {
  readonly student: string;
  readonly guardian: Guardian;
  /** The guardianSisId cell is left blank on this row (a sibling row missing the id). */
  readonly dropId: boolean;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Generates the district. Roughly `rows` day-1 rows; ~0.5% of rows are reserved for day-2 newcomers. */
export function generateDistrict(options: DistrictOptions): GeneratedDistrict {
  const rand = createRandom(options.seed ?? 7);
  const targetRows = options.rows;
  const districtId = 'D1';

  // Students ≈ rows / 1.67 (600k students for 1M rows); schools of ~800 students.
  const approxStudents = Math.ceil(targetRows / 1.67);
  const schoolCount = Math.max(5, Math.ceil(approxStudents / 800));
  const orgs: Org[] = [{ id: districtId, name: 'Synthetic Unified School District', type: 'district', parentId: null }];
  for (let i = 1; i <= schoolCount; i++) {
    orgs.push({ id: `SCH${pad(i, 4)}`, name: `School ${i}`, type: 'school', parentId: districtId });
  }
  const schoolIds = orgs.filter((o) => o.type === 'school').map((o) => o.id);

  const usedMobiles = new Set<string>();
  const newNanp = (): string => {
    for (;;) {
      const d = `${pick(rand, AREA_CODES)}${int(rand, 2, 9)}${pad(int(rand, 0, 99), 2)}${pad(int(rand, 0, 9999), 4)}`;
      // N11 exchanges are service codes, never subscriber numbers.
      if (d[4] === '1' && d[5] === '1') continue;
      if (!usedMobiles.has(d)) {
        usedMobiles.add(d);
        return d;
      }
    }
  };

  // Staff: one per 15 students; they get their own email and mobile.
  const staffCount = Math.max(20, Math.round(approxStudents / 15));
  const staff: StaffRecord[] = [];
  for (let i = 1; i <= staffCount; i++) {
    const firstName = pick(rand, FIRST_NAMES);
    const lastName = pick(rand, LAST_NAMES);
    staff.push({
      districtId,
      sisId: `T${pad(i, 6)}`,
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${i}@district.k12.example.us`,
      mobilePhone: `+1${newNanp()}`,
      homePhone: null,
      schoolIds: [pick(rand, schoolIds)],
    });
  }

  let studentSeq = 0;
  let guardianSeq = 0;
  let emailSeq = 0;
  const students: Student[] = [];
  const families: Family[] = [];
  let staffParents = 0;
  const unusedStaff = [...staff.keys()];

  const newGuardian = (familyName: string): Guardian => {
    guardianSeq++;
    const staffIndex = unusedStaff.length > 0 && chance(rand, 0.02) ? unusedStaff.splice(int(rand, 0, unusedStaff.length - 1), 1)[0] : undefined;
    const asStaff = staffIndex !== undefined ? staff[staffIndex] : undefined;
    if (asStaff !== undefined) staffParents++;
    const firstName = asStaff?.firstName ?? pick(rand, FIRST_NAMES);
    const lastName = asStaff?.lastName ?? (chance(rand, 0.7) ? familyName : pick(rand, LAST_NAMES));
    // ~1.5% of guardians have no SIS id at all (the district never gave them one).
    const guardianSisId = chance(rand, 0.015) ? null : `G${pad(guardianSeq, 7)}`;

    let email: string | null;
    let mobileDigits: string | null;
    if (asStaff !== undefined) {
      email = asStaff.email;
      mobileDigits = asStaff.mobilePhone === null ? null : asStaff.mobilePhone.slice(2);
    } else {
      const contact = weighted(rand, [
        ['both', 72],
        ['email', 12],
        ['mobile', 15],
        ['none', 0.3],
      ] as const);
      email = contact === 'both' || contact === 'email' ? `${slug(firstName)}.${slug(lastName)}${++emailSeq}@${pick(rand, EMAIL_DOMAINS)}` : null;
      mobileDigits = contact === 'both' || contact === 'mobile' ? newNanp() : null;
    }
    const emailCell = email === null ? '' : cellCase(rand, email);
    const mobileCell = mobileDigits === null ? '' : weighted(rand, PHONE_FORMATS)(mobileDigits);
    const homeDigits = chance(rand, 0.3) ? newNanp() : null;
    const homeCell = homeDigits === null ? '' : weighted(rand, PHONE_FORMATS)(homeDigits);
    const [languageCell, language] = weightedLanguage(rand);
    return {
      key: guardianSisId ?? `noid-${guardianSeq}`,
      guardianSisId,
      firstName,
      lastName,
      email,
      emailCell,
      mobileDigits,
      mobileCell,
      homeDigits,
      homeCell,
      languageCell,
      language,
      relationship: weighted(rand, RELATIONSHIPS),
      firstNameCell: messyName(rand, firstName),
      lastNameCell: messyName(rand, lastName),
      staffSisId: asStaff?.sisId ?? null,
      removedDay2: false,
    };
  };

  // Families until the day-1 rows reach the target; then ~0.5% more rows of day-2-only families.
  let day1Rows = 0;
  const newFamily = (day2Only: boolean): Family => {
    const familyName = pick(rand, LAST_NAMES);
    const childCount = weighted(rand, [
      [1, 55],
      [2, 30],
      [3, 12],
      [4, 3],
    ] as const);
    const guardianCount = weighted(rand, [
      [1, 40],
      [2, 53],
      [3, 7],
    ] as const);
    const family: Family = { students: [], guardians: [], day2Only };
    for (let c = 0; c < childCount; c++) {
      const sisId = `S${pad(++studentSeq, 7)}`;
      students.push({ districtId, sisId, schoolId: pick(rand, schoolIds), firstName: pick(rand, FIRST_NAMES), lastName: familyName });
      family.students.push(sisId);
    }
    for (let g = 0; g < guardianCount; g++) family.guardians.push(newGuardian(familyName));
    // Two parents sharing one email (it happens): the second one's is not assigned (CREDENTIAL_IN_USE).
    const [first, second] = family.guardians;
    if (first !== undefined && second !== undefined && first.email !== null && second.staffSisId === null && chance(rand, 0.005)) {
      second.email = first.email;
      second.emailCell = first.emailCell;
    }
    families.push(family);
    return family;
  };
  while (day1Rows < targetRows) {
    const family = newFamily(false);
    day1Rows += family.students.length * family.guardians.length;
  }
  const day1Families = families.length;
  const day2NewRowsTarget = Math.round(targetRows * 0.005);
  let day2NewRows = 0;
  while (day2NewRows < day2NewRowsTarget) {
    const family = newFamily(true);
    day2NewRows += family.students.length * family.guardians.length;
  }

  // Day-1 rows: by family (SIS exports come sorted by student); ~1.5% of rows drop the guardian id.
  const dropIdRate = 0.015;
  const rowsOf = (family: Family, keep: (g: Guardian, student: string) => boolean): Row[] => {
    const out: Row[] = [];
    for (const student of family.students) {
      for (const guardian of family.guardians) {
        if (!keep(guardian, student)) continue;
        // Decided by the pair, not drawn: a row missing its id in the SIS misses it every day.
        out.push({ student, guardian, dropId: guardian.guardianSisId !== null && stableFraction(`${guardian.key}/${student}`) < dropIdRate });
      }
    }
    return out;
  };

  const day1: Row[] = [];
  for (let f = 0; f < day1Families; f++) day1.push(...rowsOf(families[f] as Family, () => true));

  // Truth for the plain-insert baseline: guardians with a usable credential, their distinct links.
  // A guardian with a blank id whose rows are all dropped-id rows is still the same guardian
  // (same contact key), so the truth keys by the generator's guardian key.
  const truthGuardians = new Map<string, TruthGuardian>();
  const truthLinks = new Set<string>();
  const claimedEmail = new Set<string>();
  for (const row of day1) {
    const g = row.guardian;
    if (!truthGuardians.has(g.key)) {
      const email = g.email !== null && !claimedEmail.has(g.email) ? g.email : null;
      if (email === null && g.mobileDigits === null) continue;
      if (email !== null) claimedEmail.add(email);
      truthGuardians.set(g.key, {
        key: g.key,
        guardianSisId: g.guardianSisId,
        firstName: g.firstName,
        lastName: g.lastName,
        email,
        mobilePhone: g.mobileDigits === null ? null : `+1${g.mobileDigits}`,
        homePhone: g.homeDigits === null ? null : `+1${g.homeDigits}`,
        language: g.language,
        staffSisId: g.staffSisId,
      });
    }
    truthLinks.add(`${g.key}\u0000${row.student}`);
  }

  // Day 2: ~2% of rows change. Edits are applied to a copy of each changed guardian so the
  // day-1 file stays as written.
  const day2Stats = { emailChanged: 0, phoneChanged: 0, nameChanged: 0, languageChanged: 0, rowsRemoved: 0, guardiansRemoved: 0, rowsAdded: 0 };
  const changed = new Map<Guardian, Guardian>();
  const day2Version = (g: Guardian): Guardian => {
    let copy = changed.get(g);
    if (copy === undefined) {
      copy = { ...g };
      changed.set(g, copy);
    }
    return copy;
  };
  const removedLinks = new Set<string>();
  for (let f = 0; f < day1Families; f++) {
    const family = families[f] as Family;
    for (const g of family.guardians) {
      const r = rand();
      if (r < 0.004 && g.email !== null && g.staffSisId === null) {
        const copy = day2Version(g);
        copy.email = `${slug(g.firstName)}.${slug(g.lastName)}${++emailSeq}@${pick(rand, EMAIL_DOMAINS)}`;
        copy.emailCell = copy.email;
        day2Stats.emailChanged++;
      } else if (r < 0.007 && g.mobileDigits !== null && g.staffSisId === null) {
        const copy = day2Version(g);
        copy.mobileDigits = newNanp();
        copy.mobileCell = weighted(rand, PHONE_FORMATS)(copy.mobileDigits);
        day2Stats.phoneChanged++;
      } else if (r < 0.009 && g.staffSisId === null && g.guardianSisId !== null) {
        const copy = day2Version(g);
        copy.lastName = pick(rand, LAST_NAMES);
        copy.lastNameCell = copy.lastName;
        day2Stats.nameChanged++;
      } else if (r < 0.012) {
        const copy = day2Version(g);
        [copy.languageCell, copy.language] = weightedLanguage(rand);
        day2Stats.languageChanged++;
      } else if (r < 0.0135) {
        g.removedDay2 = true;
        day2Stats.guardiansRemoved++;
      }
    }
    // A guardian no longer linked to one of several children (custody change), ~0.3% of families.
    if (family.students.length > 1 && chance(rand, 0.006)) {
      const g = pick(rand, family.guardians);
      removedLinks.add(`${g.key}\u0000${pick(rand, family.students)}`);
    }
  }

  const day2: Row[] = [];
  for (const family of families) {
    const rows = rowsOf(family, (g, student) => !g.removedDay2 && !removedLinks.has(`${g.key}\u0000${student}`));
    for (const row of rows) day2.push(changed.has(row.guardian) ? { ...row, guardian: changed.get(row.guardian) as Guardian } : row);
  }
  // Count against day-1 (rows of day-2-only families are additions).
  day2Stats.rowsAdded = day2NewRows;
  day2Stats.rowsRemoved = day1.length - (day2.length - day2NewRows);

  // Bad rows, ~0.1%, the same kinds on both days (inserted at fixed positions).
  const badEvery = 1000;
  const day1Lines = withBadRows(rand, day1, badEvery);
  const day2Lines = withBadRows(createRandom((options.seed ?? 7) + 1), day2, badEvery);

  return {
    districtId,
    orgs,
    students,
    staff,
    day1Csv: toCsv(day1Lines.lines),
    day2Csv: toCsv(day2Lines.lines),
    truth: {
      guardians: [...truthGuardians.values()],
      links: [...truthLinks].map((k) => {
        const [key, studentSisId] = k.split('\u0000') as [string, string];
        return { key, studentSisId };
      }),
    },
    internals: { families, day1Families, usedPhones: usedMobiles, lastEmailSeq: emailSeq },
    stats: {
      families: families.length,
      guardians: guardianSeq,
      day1Rows: day1Lines.lines.length,
      day2Rows: day2Lines.lines.length,
      badRows: day1Lines.bad,
      rowsWithoutGuardianId: day1Lines.noId,
      staffParents,
      day2: day2Stats,
    },
  };
}

/** A fraction in [0, 1) fixed by the text (FNV-1a). */
function stableFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

function weightedLanguage(rand: Random): [string, string | null] {
  let total = 0;
  for (const [, , w] of LANGUAGES) total += w;
  let r = rand() * total;
  for (const [raw, canonical, w] of LANGUAGES) {
    r -= w;
    if (r < 0) return [raw, canonical];
  }
  return ['', null];
}

/** Most email cells are lower case; some are as typed (capitalised), a few padded. */
function cellCase(rand: Random, email: string): string {
  const r = rand();
  if (r < 0.1) {
    const at = email.indexOf('@');
    const local = email.slice(0, at).replace(/^[a-z]|\.[a-z]/g, (m) => m.toUpperCase());
    return `${local}${email.slice(at)}`;
  }
  if (r < 0.11) return ` ${email} `;
  return email;
}

/** Most name cells are already canonical; a few need normalizing (NFD, double spaces, NBSP, padding). */
function messyName(rand: Random, name: string): string {
  const r = rand();
  if (r < 0.003) return name.normalize('NFD');
  if (r < 0.006) return `${name} `;
  if (r < 0.008) return ` ${name}`;
  if (r < 0.009 && name.includes(' ')) return name.replace(' ', '  ');
  if (r < 0.010 && name.includes(' ')) return name.replace(' ', '\u00a0');
  return name;
}

type Cells = readonly string[];

function cellsOf(row: Row): Cells {
  const g = row.guardian;
  return [row.student, row.dropId || g.guardianSisId === null ? '' : g.guardianSisId, g.firstNameCell, g.lastNameCell, g.emailCell, g.mobileCell, g.homeCell, g.languageCell, g.relationship];
}

/** Interleaves a bad row after every `every` good ones, cycling through the kinds. */
function withBadRows(rand: Random, rows: readonly Row[], every: number): { lines: Cells[]; bad: number; noId: number } {
  const lines: Cells[] = [];
  let bad = 0;
  let noId = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    const cells = cellsOf(row);
    if (cells[1] === '') noId++;
    lines.push(cells);
    if ((i + 1) % every === 0) {
      const base = [...cellsOf(rows[int(rand, 0, rows.length - 1)] as Row)];
      switch (bad % 7) {
        case 0: // missing required value
          base[0] = '';
          break;
        case 1: // one field too many
          base.push('extra');
          break;
        case 2: // a student the roster does not know
          base[0] = `X${pad(int(rand, 0, 9_999_999), 7)}`;
          break;
        case 3: // not an email (row stays, email dropped)
          base[4] = 'jane.doe.example.org';
          break;
        case 4: // words in a phone: never extracted
          base[5] = '1-800-FLOWERS';
          base[1] = '';
          break;
        case 5: // missing first name
          base[2] = '';
          break;
        case 6: // one field too few
          base.pop();
          break;
      }
      lines.push(base);
      bad++;
    }
  }
  return { lines, bad, noId };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with BOM and CRLF, as Excel and most SIS exports write it. */
function toCsv(lines: readonly Cells[]): Buffer {
  const parts: string[] = ['\ufeff', HEADER.join(','), '\r\n'];
  for (const cells of lines) {
    parts.push(cells.map(csvCell).join(','), '\r\n');
  }
  return Buffer.from(parts.join(''), 'utf8');
}

// ---------------------------------------------------------------------------------------
// A second district on the same platform (issue "One roster, many districts").

export interface SecondDistrictOptions {
  /** @default 'D2' */
  readonly districtId?: string | undefined;
  /** @default 7 (the first district's seed is the usual choice) */
  readonly seed?: number | undefined;
  /**
   * Share of the second district's guardians (staff parents aside) who are also guardians in
   * the first: the same person, with the same name, email and mobile. @default 0.01
   */
  readonly sharedShare?: number | undefined;
}

export interface SecondDistrictStats {
  readonly families: number;
  readonly guardians: number;
  readonly day1Rows: number;
  readonly badRows: number;
  readonly rowsWithoutGuardianId: number;
  readonly staffParents: number;
  /** Guardians of the second district who are the same person as a guardian of the first. */
  readonly sharedParents: number;
  /** Distinct guardian SIS ids of the second district's file, all of them ids of the first's. */
  readonly guardianSisIds: number;
  readonly students: number;
}

export interface GeneratedSecondDistrict {
  readonly districtId: string;
  readonly orgs: Org[];
  readonly students: Student[];
  readonly staff: StaffRecord[];
  /** Its guardians.csv, synced once to seed the store (the benchmark never plans it again). */
  readonly day1Csv: Buffer;
  readonly stats: SecondDistrictStats;
}

/**
 * A district of the same size and shape as `first`, for the same platform: the worst case
 * for indexes by SIS id, and the realistic one (SIS ids are numbered per district, from the
 * same starting points). The same families, with the same student and guardian SIS ids (a
 * guardian without id in the first is without id here too), the same staff SIS ids; but
 * its own orgs (`D2`, `D2SCH0001`…) and its own people: names, emails and phones drawn
 * anew, emails numbered after the first district's last, phones never one the first
 * district uses. A share of its guardians (`sharedShare`) are parents of the first district
 * as well (a family with children in both): same name, email and mobile as that guardian,
 * under this district's SIS id for the slot (districts number their people independently).
 * Deterministic: the same first district, seed and options give the same bytes.
 */
export function generateSecondDistrict(first: GeneratedDistrict, options: SecondDistrictOptions = {}): GeneratedSecondDistrict {
  const districtId = options.districtId ?? 'D2';
  const sharedShare = options.sharedShare ?? 0.01;
  const rand = createRandom(((options.seed ?? 7) * 7919 + 2) >>> 0);
  const { families, day1Families } = first.internals;
  const usedPhones = new Set(first.internals.usedPhones);
  let emailSeq = first.internals.lastEmailSeq;
  const newNanp = (): string => {
    for (;;) {
      const d = `${pick(rand, AREA_CODES)}${int(rand, 2, 9)}${pad(int(rand, 0, 99), 2)}${pad(int(rand, 0, 9999), 4)}`;
      if (d[4] === '1' && d[5] === '1') continue;
      if (!usedPhones.has(d)) {
        usedPhones.add(d);
        return d;
      }
    }
  };

  const firstSchools = first.orgs.filter((o) => o.type === 'school').length;
  const orgs: Org[] = [{ id: districtId, name: 'Second Synthetic School District', type: 'district', parentId: null }];
  for (let i = 1; i <= firstSchools; i++) orgs.push({ id: `${districtId}SCH${pad(i, 4)}`, name: `${districtId} School ${i}`, type: 'school', parentId: districtId });
  const schoolIds = orgs.filter((o) => o.type === 'school').map((o) => o.id);

  // Staff: the same SIS ids (T000001…), other people.
  const staffDomain = `${districtId.toLowerCase()}.k12.example.us`;
  const staff: StaffRecord[] = first.staff.map((t, i) => {
    const firstName = pick(rand, FIRST_NAMES);
    const lastName = pick(rand, LAST_NAMES);
    return {
      districtId,
      sisId: t.sisId,
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${i + 1}@${staffDomain}`,
      mobilePhone: `+1${newNanp()}`,
      homePhone: null,
      schoolIds: [pick(rand, schoolIds)],
    };
  });
  const staffBySisId = new Map(staff.map((t) => [t.sisId, t]));

  // Donors of shared parents: the first guardian of a day-1 family of the first district
  // (never the second of two sharing an email), not staff, with an email and a mobile;
  // taken from half the district away, each at most once.
  let donorCursor = Math.floor(day1Families / 2);
  let donorsTried = 0;
  const nextDonor = (): Guardian | undefined => {
    while (donorsTried < day1Families) {
      const family = families[donorCursor % day1Families] as Family;
      donorCursor++;
      donorsTried++;
      const g = family.guardians[0];
      if (g !== undefined && g.staffSisId === null && g.email !== null && g.mobileDigits !== null) return g;
    }
    return undefined;
  };

  const students: Student[] = [];
  const rows: Row[] = [];
  let guardians = 0;
  let staffParents = 0;
  let sharedParents = 0;
  const guardianSisIds = new Set<string>();
  for (let f = 0; f < families.length; f++) {
    const family = families[f] as Family;
    const familyName = pick(rand, LAST_NAMES);
    for (const sisId of family.students) students.push({ districtId, sisId, schoolId: pick(rand, schoolIds), firstName: pick(rand, FIRST_NAMES), lastName: familyName });
    if (f >= day1Families) continue; // their guardians arrive on day 2: not in this district's file either
    const mine: Guardian[] = [];
    for (let gi = 0; gi < family.guardians.length; gi++) {
      const slot = family.guardians[gi] as Guardian;
      guardians++;
      if (slot.guardianSisId !== null) guardianSisIds.add(slot.guardianSisId);
      const asStaff = slot.staffSisId === null ? undefined : staffBySisId.get(slot.staffSisId);
      const donor = asStaff === undefined && chance(rand, sharedShare) ? nextDonor() : undefined;
      let g: Guardian;
      if (asStaff !== undefined) {
        staffParents++;
        g = person(rand, slot, asStaff.firstName, asStaff.lastName, asStaff.email, asStaff.mobilePhone === null ? null : asStaff.mobilePhone.slice(2), slot.homeDigits === null ? null : newNanp());
        g.staffSisId = asStaff.sisId;
      } else if (donor !== undefined) {
        sharedParents++;
        g = person(rand, slot, donor.firstName, donor.lastName, donor.email, donor.mobileDigits, donor.homeDigits);
        [g.languageCell, g.language] = [donor.languageCell, donor.language];
      } else {
        const firstName = pick(rand, FIRST_NAMES);
        const lastName = chance(rand, 0.7) ? familyName : pick(rand, LAST_NAMES);
        const email = slot.email === null ? null : `${slug(firstName)}.${slug(lastName)}${++emailSeq}@${pick(rand, EMAIL_DOMAINS)}`;
        g = person(rand, slot, firstName, lastName, email, slot.mobileDigits === null ? null : newNanp(), slot.homeDigits === null ? null : newNanp());
        // Two parents sharing one email, where the first district's family has them.
        const firstOfFamily = mine[0];
        const slotFirst = family.guardians[0] as Guardian;
        if (gi === 1 && slot.email !== null && slot.email === slotFirst.email && firstOfFamily !== undefined && firstOfFamily.staffSisId === null && firstOfFamily.email !== null) {
          g.email = firstOfFamily.email;
          g.emailCell = firstOfFamily.emailCell;
        }
      }
      mine.push(g);
    }
    for (const student of family.students) {
      for (const guardian of mine) {
        rows.push({ student, guardian, dropId: guardian.guardianSisId !== null && stableFraction(`${guardian.key}/${student}`) < 0.015 });
      }
    }
  }
  const lines = withBadRows(rand, rows, 1000);
  return {
    districtId,
    orgs,
    students,
    staff,
    day1Csv: toCsv(lines.lines),
    stats: {
      families: day1Families,
      guardians,
      day1Rows: lines.lines.length,
      badRows: lines.bad,
      rowsWithoutGuardianId: lines.noId,
      staffParents,
      sharedParents,
      guardianSisIds: guardianSisIds.size,
      students: students.length,
    },
  };
}

/** A guardian of the second district in `slot` (the first district's guardian whose SIS id and place it takes). */
function person(rand: Random, slot: Guardian, firstName: string, lastName: string, email: string | null, mobileDigits: string | null, homeDigits: string | null): Guardian {
  const [languageCell, language] = weightedLanguage(rand);
  return {
    key: slot.key,
    guardianSisId: slot.guardianSisId,
    firstName,
    lastName,
    email,
    emailCell: email === null ? '' : cellCase(rand, email),
    mobileDigits,
    mobileCell: mobileDigits === null ? '' : weighted(rand, PHONE_FORMATS)(mobileDigits),
    homeDigits,
    homeCell: homeDigits === null ? '' : weighted(rand, PHONE_FORMATS)(homeDigits),
    languageCell,
    language,
    relationship: weighted(rand, RELATIONSHIPS),
    firstNameCell: messyName(rand, firstName),
    lastNameCell: messyName(rand, lastName),
    staffSisId: null,
    removedDay2: false,
  };
}
