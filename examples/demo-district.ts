// The demo's small district, generated deterministically (seeded PRNG: same seed, same
// bytes): two schools, a few hundred students and their families, staff, a OneRoster
// users.csv + orgs.csv for `roster import`, a day-1 guardians.csv (UTF-8 with a BOM, as
// Excel saves it) and a day-2 file, saved as Windows-1252 by an older SIS, that changes
// one thing of each kind a daily sync meets. Pure: returns file contents, writes nothing.
import iconv from 'iconv-lite';

export interface DemoChange {
  /** What the demo says happened. */
  readonly description: string;
  /** SIS ids (guardian or staff) of the accounts the change touches, to show them in the export. */
  readonly sisIds: readonly string[];
}

/** A guardian of the day-1 file, as the second district's generator needs to reuse one. */
export interface DemoGuardian {
  readonly id: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  /** Phones as the file writes them (not normalized): the second district's file copies them as they are. */
  readonly mobile: string | null;
  readonly home: string | null;
  readonly language: string | null;
}

export interface DemoDistrict {
  readonly districtId: string;
  readonly schools: readonly { readonly id: string; readonly name: string }[];
  readonly studentCount: number;
  readonly staffCount: number;
  readonly files: {
    readonly 'orgs.csv': Uint8Array;
    readonly 'users.csv': Uint8Array;
    readonly 'guardians-day1.csv': Uint8Array;
    readonly 'guardians-day2.csv': Uint8Array;
  };
  readonly day1Rows: number;
  readonly day2Rows: number;
  readonly changes: readonly DemoChange[];
  /** SIS ids of the students, staff and day-1 guardians: a second district reuses some of them. */
  readonly studentIds: readonly string[];
  readonly staffIds: readonly string[];
  readonly guardians: readonly DemoGuardian[];
}

/** mulberry32: a tiny, well-known seeded PRNG; enough for demo data, and stable forever. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every name must be encodable in Windows-1252: the day-2 file is written in it.
const LAST_NAMES = [
  'García', 'Nguyen', 'Smith', 'Johnson', 'Müller', 'Okafor', 'Patel', 'Kim', 'O’Brien', 'Hernández',
  'Rossi', 'Dubois', 'Silva', 'Cohen', 'Haddad', 'Jensen', 'Novak', 'Brown', 'Lopez', 'Wójcik',
  'Tanaka', 'Fischer', 'Santos', 'Moreau', 'Ibrahim', 'Walker', 'Peña', 'Larsen', 'Costa', 'Schäfer',
];
const ADULT_FIRST = [
  'Ana', 'José', 'María', 'Luis', 'Sofía', 'Wei', 'Linh', 'James', 'Fatima', 'Olu', 'Priya', 'David',
  'Chloé', 'Marco', 'Hana', 'Sara', 'Omar', 'Ingrid', 'Tomás', 'Emily', 'Jürgen', 'Aisha', 'Noah', 'Léa',
];
const CHILD_FIRST = [
  'Mia', 'Leo', 'Zoë', 'Liam', 'Emma', 'Mateo', 'Aria', 'Kai', 'Nora', 'Elías', 'Ava', 'Finn',
  'Lucía', 'Omar', 'Yuki', 'Maya', 'Theo', 'Inès', 'Sam', 'Ivy', 'Noé', 'Ella', 'Ravi', 'Lina',
];
const LANGUAGES = ['Spanish', 'es', 'vi', 'Vietnamese', 'zh-Hant', 'ar', 'Português', 'fr'];
const AREA_CODES = ['202', '312', '415', '617', '718', '503'];

interface Guardian {
  readonly id: string | null;
  readonly firstName: string;
  readonly lastName: string;
  email: string | null;
  readonly mobile: string | null;
  readonly home: string | null;
  readonly language: string | null;
  readonly relationship: string;
  readonly children: string[];
}

interface Staff {
  readonly id: string;
  readonly role: 'teacher' | 'administrator' | 'aide';
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly sms: string;
  readonly schoolId: string;
}

const FIXED_DATE = '2026-08-15T00:00:00.000Z';

/** Fields are quoted when they must be (RFC 4180); the bad row of day 2 is built by hand. */
function csvLine(fields: readonly (string | null)[]): string {
  return fields.map((f) => (f === null ? '' : /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, '')
    .toLowerCase();
}

export function generateDemoDistrict(options: { readonly seed?: number; readonly students?: number } = {}): DemoDistrict {
  const random = createRandom(options.seed ?? 2026);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const studentTotal = options.students ?? 300;
  const districtId = 'D100';
  const schools = [
    { id: 'SCH-ELM', name: 'Lakeside Elementary' },
    { id: 'SCH-MID', name: 'Lakeside Middle School' },
  ];

  let phoneSerial = 0;
  const nextPhone = (style: number): string => {
    const n = phoneSerial++;
    const area = AREA_CODES[Math.floor(n / 100) % AREA_CODES.length] as string;
    const line = `01${String(n % 100).padStart(2, '0')}`;
    // The formats SIS exports really contain; normalization makes them all E.164.
    return style === 0 ? `(${area}) 555-${line}` : style === 1 ? `${area}.555.${line}` : style === 2 ? `+1 ${area} 555 ${line}` : `${area}-555-${line}`;
  };

  // Families: 1–3 siblings at the same school, 1–2 guardians each.
  const students: { sisId: string; schoolId: string; firstName: string; lastName: string }[] = [];
  const guardians: Guardian[] = [];
  let guardianSerial = 1000;
  let family = 0;
  while (students.length < studentTotal) {
    const lastName = pick(LAST_NAMES);
    const schoolId = (family % 2 === 0 ? schools[0] : schools[1])?.id as string;
    const siblings = Math.min(studentTotal - students.length, 1 + Math.floor(random() * 3));
    const children: string[] = [];
    for (let i = 0; i < siblings; i++) {
      const sisId = String(100001 + students.length);
      students.push({ sisId, schoolId, firstName: pick(CHILD_FIRST), lastName });
      children.push(sisId);
    }
    const count = random() < 0.6 ? 2 : 1;
    const used = new Set<string>();
    for (let g = 0; g < count; g++) {
      let firstName = pick(ADULT_FIRST);
      while (used.has(firstName)) firstName = pick(ADULT_FIRST);
      used.add(firstName);
      const hasEmail = random() < 0.85;
      const hasMobile = !hasEmail || random() < 0.7;
      guardians.push({
        // About one guardian in 25 comes without an id: the self-check warns about them.
        id: random() < 0.04 ? null : `G${guardianSerial++}`,
        firstName,
        lastName,
        email: hasEmail ? `${ascii(firstName)}.${ascii(lastName)}${family}@mail.example` : null,
        mobile: hasMobile ? nextPhone(Math.floor(random() * 4)) : null,
        home: random() < 0.2 ? nextPhone(0) : null,
        language: random() < 0.3 ? pick(LANGUAGES) : null,
        relationship: g === 0 ? pick(['Mother', 'Father', 'Guardian']) : pick(['Father', 'Mother', 'Grandparent']),
        children: [...children],
      });
    }
    family++;
  }

  const staff: Staff[] = [];
  for (let i = 0; i < 18; i++) {
    const firstName = pick(ADULT_FIRST);
    const lastName = pick(LAST_NAMES);
    staff.push({
      id: `T${String(i + 1).padStart(3, '0')}`,
      role: i < 14 ? 'teacher' : i < 16 ? 'administrator' : 'aide',
      firstName,
      lastName,
      email: `${ascii(firstName)}.${ascii(lastName)}.${i + 1}@lakeside.example`,
      sms: nextPhone(3),
      schoolId: schools[i % 2]?.id as string,
    });
  }

  const orgsCsv = [
    'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
    csvLine([districtId, 'active', FIXED_DATE, 'Lakeside Unified School District', 'district', 'LUSD', '']),
    ...schools.map((s) => csvLine([s.id, 'active', FIXED_DATE, s.name, 'school', s.id, districtId])),
  ];
  const usersCsv = [
    'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
    ...students.map((s) => csvLine([s.sisId, 'active', FIXED_DATE, 'true', s.schoolId, 'student', `s${s.sisId}`, '', s.firstName, s.lastName, '', s.sisId, '', '', '', '', '', ''])),
    ...staff.map((t) => csvLine([t.id, 'active', FIXED_DATE, 'true', t.schoolId, t.role, t.email, '', t.firstName, t.lastName, '', t.id, t.email, t.sms, '', '', '', ''])),
  ];

  const header = 'Student ID,Guardian ID,Guardian First Name,Guardian Last Name,Email Address,Cell Phone,Home Phone,Preferred Language,Relationship';
  const rowsOf = (list: readonly Guardian[]): string[] =>
    list.flatMap((g) => g.children.map((child) => csvLine([child, g.id, g.firstName, g.lastName, g.email, g.mobile, g.home, g.language, g.relationship])));
  const day1 = [header, ...rowsOf(guardians)];

  // Day 2: one change of each kind, on guardians picked by rule so the story is stable.
  const withId = guardians.filter((g) => g.id !== null && g.email !== null);
  const changes: DemoChange[] = [];
  const day2Guardians = guardians.map((g) => ({ ...g, children: [...g.children] }));

  const mover = day2Guardians.find((g) => g.id === withId[3]?.id) as Guardian;
  const oldEmail = mover.email;
  mover.email = `${ascii(mover.firstName)}.${ascii(mover.lastName)}@newmail.example`;
  changes.push({ description: `${mover.firstName} ${mover.lastName} (${mover.id}) changed email from ${oldEmail} to ${mover.email}: the same account is updated`, sisIds: [mover.id as string] });

  const parentOfTwo = day2Guardians.find((g) => g.id !== null && g.children.length >= 2 && g !== mover) as Guardian;
  const unlinked = parentOfTwo.children.pop() as string;
  changes.push({ description: `${parentOfTwo.firstName} ${parentOfTwo.lastName} (${parentOfTwo.id}) is no longer listed for student ${unlinked}: that link is removed`, sisIds: [parentOfTwo.id as string] });

  const newcomer: Guardian = {
    id: 'G9001',
    // ’ (0x92 in Windows-1252) and á: the bytes of day 2 are not UTF-8, and the names must still come out right.
    firstName: 'Siobhán',
    lastName: 'O’Neill',
    email: 'siobhan.oneill@mail.example',
    mobile: '(617) 555-0199',
    home: null,
    language: 'English',
    relationship: 'Grandparent',
    children: [students[5]?.sisId as string],
  };
  day2Guardians.push(newcomer);
  changes.push({ description: `New guardian ${newcomer.firstName} ${newcomer.lastName} (G9001), a grandparent of student ${newcomer.children[0]}, with a Windows-1252 name`, sisIds: ['G9001'] });

  const teacher = staff[4] as Staff;
  const teachersChild = students[40]?.sisId as string;
  day2Guardians.push({
    id: 'G9002',
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email,
    mobile: teacher.sms.replace(/-/g, ' '),
    home: null,
    language: null,
    relationship: 'Mother',
    children: [teachersChild],
  });
  changes.push({
    description: `Teacher ${teacher.firstName} ${teacher.lastName} (${teacher.id}) is also the parent of student ${teachersChild} (G9002): one account, staff and guardian roles`,
    sisIds: [teacher.id],
  });

  const day2 = [header, ...rowsOf(day2Guardians)];
  // An unknown student: the row is skipped with a warning, nothing else changes.
  day2.push(csvLine(['999999', 'G9003', 'Pat', 'Unknown', 'pat.unknown@mail.example', '(202) 555-0188', null, null, 'Father']));
  changes.push({ description: 'A row for student 999999, who is not in the roster: skipped with UNKNOWN_STUDENT', sisIds: [] });
  // A bad row: an unquoted comma in a name gives it one field too many.
  day2.push(`${students[7]?.sisId},G9004,Robert,Smith, Jr.,bob.smith@mail.example,(202) 555-0187,,,Father`);
  changes.push({ description: 'A bad row ("Smith, Jr." without quotes has one field too many): skipped with WRONG_FIELD_COUNT', sisIds: [] });

  const encoder = new TextEncoder();
  return {
    districtId,
    schools,
    studentCount: students.length,
    staffCount: staff.length,
    files: {
      'orgs.csv': encoder.encode(`${orgsCsv.join('\r\n')}\r\n`),
      'users.csv': encoder.encode(`${usersCsv.join('\r\n')}\r\n`),
      // Excel's "CSV UTF-8" starts with a byte order mark.
      'guardians-day1.csv': encoder.encode(`\uFEFF${day1.join('\r\n')}\r\n`),
      'guardians-day2.csv': iconv.encode(`${day2.join('\r\n')}\r\n`, 'win1252'),
    },
    day1Rows: day1.length - 1,
    day2Rows: day2.length - 1,
    changes,
    studentIds: students.map((s) => s.sisId),
    staffIds: staff.map((t) => t.id),
    guardians: guardians.map(({ id, firstName, lastName, email, mobile, home, language }) => ({ id, firstName, lastName, email, mobile, home, language })),
  };
}
