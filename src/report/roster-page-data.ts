// The family roster page's data (`export --html`): one district's roster export regrouped
// the way a district looks at families (schools → students → guardians), with the counts the
// page prints, and the compact document its script reads. Pure: the export in, values out.
//
// The document is column by column (one array per field, guardians by position) because a
// 600,000-student district must parse fast in a browser: a few long arrays of strings and
// numbers instead of a million small objects, so the browser builds far fewer objects and
// each key is written once.
import type { ExportedAccount, ExportedStudent, RosterExport } from '../contracts/roster-store.js';

/** A school of the district as the page names it. */
export interface RosterPageSchool {
  readonly id: string;
  readonly name: string;
}

/** Counts of one school's students and the guardians linked to them. */
export interface RosterPageCounts {
  readonly students: number;
  /** Students no account is linked to as an active guardian: nobody gets their messages. */
  readonly studentsWithoutGuardian: number;
  /** Distinct guardians linked to these students (a parent of two children counts once). */
  readonly guardians: number;
  /** Of those guardians, the ones with no email and no mobile: no login, so no way to reach them. */
  readonly guardiansWithoutLogin: number;
}

/** The district's counts: per-school ones over all its students, plus its unlinked and archived guardians. */
export interface RosterPageTotals extends RosterPageCounts {
  /** Accounts with an active guardian role in the district, linked to a student or not. */
  readonly activeGuardians: number;
  /** Active guardians with no email and no mobile, linked to a student or not. */
  readonly activeGuardiansWithoutLogin: number;
  /** Active guardians whose owner has not logged in yet. */
  readonly activeGuardiansNotClaimed: number;
  /** Accounts whose guardian role in the district is archived (they keep no student links). */
  readonly archivedGuardians: number;
}

/**
 * A role as the script reads it: indexes into `roleNames` and `statusNames`, then the SIS ids.
 * One small array instead of an object keeps a 700,000-guardian page about 40 bytes lighter per guardian.
 */
export type RosterPageRole = [role: number, status: number, ...sisIds: string[]];

/** The JSON document the page embeds for its script. */
export interface RosterPageDocument {
  readonly schools: { readonly id: string[]; readonly name: string[] };
  /** Students in page order: by school, then last and first name, then SIS id. */
  readonly students: {
    readonly sisId: string[];
    readonly firstName: string[];
    readonly lastName: string[];
    /** Position of the student's school in `schools`. */
    readonly school: number[];
    /** How many entries of `guardians` are this student's (students' entries follow each other in order). */
    readonly guardianCount: number[];
    /** Positions in `guardians`, `guardianCount[i]` per student, each student's in name order. */
    readonly guardians: number[];
  };
  /** Every account holding a guardian role in the district (active or archived), by last and first name. */
  readonly guardians: {
    readonly firstName: string[];
    readonly lastName: string[];
    readonly email: (string | null)[];
    readonly mobilePhone: (string | null)[];
    readonly language: (string | null)[];
    /** 1 when the owner has logged in and manages the account. */
    readonly claimed: (0 | 1)[];
    readonly roles: RosterPageRole[][];
  };
  readonly roleNames: string[];
  readonly statusNames: string[];
}

export interface RosterPageData {
  readonly districtId: string;
  /** Schools in page order (by name, then id), each with its counts. */
  readonly schools: readonly (RosterPageSchool & { readonly counts: RosterPageCounts })[];
  readonly totals: RosterPageTotals;
  readonly document: RosterPageDocument;
}

/**
 * Regroups `roster` for the page. `schools` names the district's schools (a host's org list):
 * a school without students still gets its row; a student's school missing from it is named
 * by its id. Accounts without a guardian role in the district (staff only) are left out: the
 * page is about families.
 */
export function buildRosterPageData(roster: RosterExport, schools: readonly RosterPageSchool[] = []): RosterPageData {
  const fold = createFold();
  const nameKey = (person: { readonly firstName: string; readonly lastName: string }, tiebreak: string): string =>
    // \u0001 sorts a shorter name before its longer namesakes ("Lee" before "Leeds").
    `${fold(person.lastName)}\u0001${fold(person.firstName)}\u0001${tiebreak}`;

  const guardianAccounts = roster.accounts.filter((a) => guardianStatus(a) !== null);
  const guardians = inOrder(guardianAccounts, sortedOrder(guardianAccounts.map((a) => nameKey(a, a.id))));

  const schoolList = listSchools(roster, schools, fold);
  const schoolIndex = new Map(schoolList.map((s, i) => [s.id, i]));
  const schoolOf = Int32Array.from(roster.students, (s) => schoolIndex.get(s.schoolId) ?? 0);
  const studentOrder = sortedOrderInGroups(
    roster.students.map((s) => nameKey(s, s.sisId)),
    schoolOf,
    schoolList.length,
  );
  const students = inOrder(roster.students, studentOrder);
  const { guardianCount, links } = linkStudents(students, guardians);

  const roleNames: string[] = [];
  const statusNames: string[] = [];
  const intern = (list: string[], value: string): number => {
    const at = list.indexOf(value);
    return at >= 0 ? at : list.push(value) - 1;
  };
  const document: RosterPageDocument = {
    schools: { id: schoolList.map((s) => s.id), name: schoolList.map((s) => s.name) },
    students: {
      sisId: students.map((s) => s.sisId),
      firstName: students.map((s) => s.firstName),
      lastName: students.map((s) => s.lastName),
      school: studentOrder.map((i) => schoolOf[i] ?? 0),
      guardianCount,
      guardians: links,
    },
    guardians: {
      firstName: guardians.map((a) => a.firstName),
      lastName: guardians.map((a) => a.lastName),
      email: guardians.map((a) => a.email),
      mobilePhone: guardians.map((a) => a.mobilePhone),
      language: guardians.map((a) => a.language),
      claimed: guardians.map((a) => (a.claimed ? 1 : 0)),
      roles: guardians.map((a) => a.roles.map((r): RosterPageRole => [intern(roleNames, r.role), intern(statusNames, r.status), ...r.sisIds])),
    },
    roleNames,
    statusNames,
  };
  const { perSchool, district } = countStudents(document, schoolList.length, guardians);
  const active = guardians.filter((a) => guardianStatus(a) === 'active');
  return {
    districtId: roster.districtId,
    schools: schoolList.map((s, i) => ({ ...s, counts: perSchool[i] as RosterPageCounts })),
    totals: {
      ...district,
      activeGuardians: active.length,
      activeGuardiansWithoutLogin: active.filter(hasNoLogin).length,
      activeGuardiansNotClaimed: active.filter((a) => !a.claimed).length,
      archivedGuardians: guardians.length - active.length,
    },
    document,
  };
}

/**
 * The document of the page's first `count` students and their guardians only (guardians
 * renumbered in order): what the page shows while the browser still reads the whole one.
 * Rendered by the same code, it shows exactly the first page of the whole document.
 */
export function firstStudentsDocument(document: RosterPageDocument, count: number): RosterPageDocument {
  const { students, guardians } = document;
  const n = Math.min(count, students.sisId.length);
  const links = students.guardians.slice(0, students.guardianCount.slice(0, n).reduce((sum, c) => sum + c, 0));
  // Kept guardians in their order in the whole document, so each student's run stays sorted.
  const kept = [...new Set(links)].sort((a, b) => a - b);
  const renumber = new Map(kept.map((g, i) => [g, i]));
  const pick = <T>(column: readonly T[]): T[] => kept.map((g) => column[g] as T);
  return {
    schools: document.schools,
    students: {
      sisId: students.sisId.slice(0, n),
      firstName: students.firstName.slice(0, n),
      lastName: students.lastName.slice(0, n),
      school: students.school.slice(0, n),
      guardianCount: students.guardianCount.slice(0, n),
      guardians: links.map((g) => renumber.get(g) ?? 0),
    },
    guardians: {
      firstName: pick(guardians.firstName),
      lastName: pick(guardians.lastName),
      email: pick(guardians.email),
      mobilePhone: pick(guardians.mobilePhone),
      language: pick(guardians.language),
      claimed: pick(guardians.claimed),
      roles: pick(guardians.roles),
    },
    roleNames: document.roleNames,
    statusNames: document.statusNames,
  };
}

/** The status of the account's guardian role in the exported district, null without one. */
function guardianStatus(account: ExportedAccount): string | null {
  return account.roles.find((r) => r.role === 'guardian')?.status ?? null;
}

/** Email and mobile are the platform's logins: without both, the guardian cannot log in or be messaged. */
function hasNoLogin(account: Pick<ExportedAccount, 'email' | 'mobilePhone'>): boolean {
  return account.email === null && account.mobilePhone === null;
}

/**
 * Lowercase, accents removed: "García" sorts beside "Garcia", as a reader expects. Cached per
 * page because names repeat (a district has far fewer distinct first names than students),
 * and plain ASCII skips the Unicode normalization, which is most of the cost.
 */
function createFold(): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let folded = cache.get(text);
    if (folded === undefined) {
      folded = (/^[\u0000-\u007f]*$/.test(text) ? text : text.normalize('NFD').replace(/\p{M}/gu, '')).toLowerCase();
      cache.set(text, folded);
    }
    return folded;
  };
}

/** Positions of `keys` in code-unit order of the keys: stable and locale-free, with no locale work per comparison. */
function sortedOrder(keys: readonly string[]): number[] {
  return Array.from(keys, (_, i) => i).sort((a, b) => compareKeys(keys[a], keys[b]));
}

/**
 * Positions of `keys` by group (0…groupCount-1), then key: a counting sort by group, then one
 * small sort per group (a school's students), instead of one large sort comparing two levels.
 */
function sortedOrderInGroups(keys: readonly string[], groups: Int32Array, groupCount: number): number[] {
  // A counting sort by group: where each group starts, then every position into its group.
  const bounds = new Int32Array(groupCount + 1);
  for (const g of groups) bounds[g + 1] = (bounds[g + 1] ?? 0) + 1;
  for (let g = 0; g < groupCount; g++) bounds[g + 1] = (bounds[g + 1] ?? 0) + (bounds[g] ?? 0);
  const next = bounds.slice();
  const order = new Array<number>(keys.length);
  groups.forEach((g, i) => {
    const at = next[g] ?? 0;
    order[at] = i;
    next[g] = at + 1;
  });
  for (let g = 0; g < groupCount; g++) {
    const from = bounds[g] as number;
    const to = bounds[g + 1] as number;
    if (to - from < 2) continue;
    const part = order.slice(from, to).sort((a, b) => compareKeys(keys[a], keys[b]));
    for (let k = 0; k < part.length; k++) order[from + k] = part[k] as number;
  }
  return order;
}

function compareKeys(a: string | undefined, b: string | undefined): number {
  const ka = a ?? '';
  const kb = b ?? '';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function inOrder<T>(items: readonly T[], order: readonly number[]): T[] {
  return order.map((i) => items[i] as T);
}

/** The named schools, plus any school a student is in that the list does not name; by name, then id. */
function listSchools(roster: RosterExport, named: readonly RosterPageSchool[], fold: (text: string) => string): RosterPageSchool[] {
  const byId = new Map<string, RosterPageSchool>();
  for (const school of named) if (!byId.has(school.id)) byId.set(school.id, { id: school.id, name: school.name });
  for (const student of roster.students) if (!byId.has(student.schoolId)) byId.set(student.schoolId, { id: student.schoolId, name: student.schoolId });
  const list = [...byId.values()];
  return inOrder(list, sortedOrder(list.map((s) => `${fold(s.name)}\u0001${s.id}`)));
}

/**
 * Each student's guardians as runs of one flat list (`guardianCount[i]` entries per student,
 * in student order), each run in guardian order. Two passes over the links instead of an
 * array per student: 600,000 small arrays would be garbage for the collector to trace.
 */
function linkStudents(students: readonly ExportedStudent[], guardians: readonly ExportedAccount[]): { guardianCount: number[]; links: number[] } {
  const position = new Map<string, number>();
  students.forEach((s, i) => position.set(s.sisId, i));
  const guardianCount = new Array<number>(students.length).fill(0);
  let total = 0;
  for (const account of guardians) {
    for (const sisId of account.students) {
      const at = position.get(sisId);
      if (at === undefined) continue;
      guardianCount[at] = (guardianCount[at] ?? 0) + 1;
      total++;
    }
  }
  const next = new Int32Array(students.length);
  for (let i = 1; i < students.length; i++) next[i] = (next[i - 1] as number) + (guardianCount[i - 1] ?? 0);
  const links = new Array<number>(total);
  guardians.forEach((account, g) => {
    for (const sisId of account.students) {
      const at = position.get(sisId);
      if (at !== undefined) links[(next[at] as number)++] = g;
    }
  });
  return { guardianCount, links };
}

interface MutableCounts {
  students: number;
  studentsWithoutGuardian: number;
  guardians: number;
  guardiansWithoutLogin: number;
}

/**
 * Per-school and district counts in one pass over the students in page order. A guardian is
 * counted once per school through a stamp of the last school that counted them, which works
 * because a school's students follow each other in page order.
 */
function countStudents(document: RosterPageDocument, schoolCount: number, guardians: readonly ExportedAccount[]): { perSchool: MutableCounts[]; district: MutableCounts } {
  const zero = (): MutableCounts => ({ students: 0, studentsWithoutGuardian: 0, guardians: 0, guardiansWithoutLogin: 0 });
  const perSchool = Array.from({ length: schoolCount }, zero);
  const district = zero();
  const stamp = new Int32Array(guardians.length).fill(-1);
  const seenInDistrict = new Uint8Array(guardians.length);
  const { school, guardianCount, guardians: links } = document.students;
  let link = 0;
  for (let i = 0; i < school.length; i++) {
    const s = school[i] as number;
    const counts = perSchool[s] as MutableCounts;
    const n = guardianCount[i] as number;
    counts.students++;
    district.students++;
    if (n === 0) {
      counts.studentsWithoutGuardian++;
      district.studentsWithoutGuardian++;
    }
    for (const end = link + n; link < end; link++) {
      const g = links[link] as number;
      const noLogin = hasNoLogin(guardians[g] as ExportedAccount);
      if (stamp[g] !== s) {
        stamp[g] = s;
        counts.guardians++;
        if (noLogin) counts.guardiansWithoutLogin++;
      }
      if (seenInDistrict[g] === 0) {
        seenInDistrict[g] = 1;
        district.guardians++;
        if (noLogin) district.guardiansWithoutLogin++;
      }
    }
  }
  return { perSchool, district };
}
