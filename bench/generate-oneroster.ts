// The bench's district as a OneRoster 1.1 bulk export (measurement (r), issue 16 "District
// scale, second round": "a 1.6M-user users.csv (600k students, 1M guardians) synced through
// the OneRoster path within the same memory bound, and per byte no slower than guardians.csv").
//
// The same people as the next-day guardians.csv (day2.csv), so that a dry run of this export
// against the day-1 roster plans what the guardians.csv dry run (k) plans:
// - every student of the roster (roster.json: the day-1 families and the day-2 newcomers),
//   one users.csv row each, `role` student, their school in `orgSourcedIds`, their SIS id as
//   `sourcedId` (what `roster import` stores);
// - every guardian the next-day file names, one row per person with that file's cells for
//   the person (names, email, phones, language as written there: the same messy values, so
//   the same normalization work), `sourcedId` = the guardianSisId (a guardian the SIS gave
//   no id to in guardians.csv gets its generator key `noid-<n>`: OneRoster has no id-less
//   users), `role` parent / guardian / relative by the relationship cell (which is kept in
//   the extension column `metadata.relationship`, the language in `metadata.preferredLanguage`);
// - the links in both directions, as a complete export has them: a student's
//   `agentSourcedIds` lists its guardians, a guardian's lists its students; exactly the
//   (student, guardian) pairs of the next-day file's rows;
// - orgs.csv (the district and its schools) and manifest.csv (1.1, users and orgs bulk).
// No teachers (the roster's staff came from its own import; the issue counts students and
// guardians) and none of the next-day file's bad rows (a OneRoster export is machine-written).
//
// Which model guardian each next-day row belongs to is found by walking the file in step
// with the generator's model (generateDistrict is deterministic: the same families in the
// same order); the walk must consume every good row, or the export would not be the file's.
// 1.1 rather than 1.2: users.csv alone carries the roles (no roles.csv to read and join),
// the form the library reads with the least work; both versions take the same path after.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DatasetPaths } from './dataset.js';
import { generateDistrict, type Family, type Guardian } from './generate-district.js';

/** Bump when this file's output changes, so stale exports are not reused. */
const ONEROSTER_EXPORT_VERSION = 1;

export interface OneRosterExportPaths {
  /** The export's folder (users.csv, orgs.csv, manifest.csv): what `--file <folder> --format oneroster` reads. */
  readonly dir: string;
  /** Its stats, beside the folder (the folder holds only the export), written last. */
  readonly stats: string;
}

export function oneRosterExportPaths(paths: Pick<DatasetPaths, 'dir'>): OneRosterExportPaths {
  const dir = join(paths.dir, `oneroster-v${ONEROSTER_EXPORT_VERSION}`);
  return { dir, stats: `${dir}.json` };
}

export function oneRosterExportExists(paths: OneRosterExportPaths): boolean {
  return existsSync(paths.stats);
}

export interface OneRosterExportStats {
  readonly version: '1.1';
  /** users.csv data rows: students + guardians. */
  readonly users: number;
  readonly students: number;
  readonly guardians: number;
  /** Guardians whose sourcedId is their generator key: no guardianSisId in the guardians.csv. */
  readonly guardiansWithoutGuardiansCsvId: number;
  /** Distinct (guardian, student) pairs: the guardian rows the reader makes. */
  readonly pairs: number;
  readonly studentsWithoutGuardian: number;
  /** The next-day file's rows: good ones (each a pair here) and the bad ones left out. */
  readonly day2GoodRows: number;
  readonly day2BadRowsLeftOut: number;
  /** Links of day 1 the next-day file no longer has, besides removed guardians' (found by the walk). */
  readonly day2LinksRemoved: number;
  /** Bytes per file, and all files together (what the folder source reads). */
  readonly bytes: Readonly<Record<string, number>> & { readonly total: number };
}

/** 1.1 users.csv columns (all of them, as SIS exports write them) plus two extension columns. */
const USER_COLUMNS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'orgSourcedIds',
  'role',
  'username',
  'userIds',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
  'metadata.preferredLanguage',
  'metadata.relationship',
] as const;
type UserColumn = (typeof USER_COLUMNS)[number];

const ORG_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'] as const;

/** The bad rows of a generated file: one after every 1,000 good ones (generate-district.ts, `withBadRows`). */
const BAD_ROW_EVERY = 1000;
/** generate-district.ts: a (guardian, student) row leaves the guardianSisId blank when this FNV-1a fraction of the pair is under 1.5%. */
const DROP_ID_RATE = 0.015;

/** generate-district.ts's `stableFraction` (FNV-1a): which rows of a guardian with an id leave it blank. */
function stableFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

/** guardians.csv relationship cell → 1.1 role (parent, guardian or relative: the guardian roles the reader knows). */
function roleOf(relationship: string): 'parent' | 'guardian' | 'relative' {
  const r = relationship.trim().toLowerCase();
  if (r === 'guardian') return 'guardian';
  if (r.startsWith('grandparent') || r === 'other') return 'relative';
  return 'parent';
}

/** A guardian of the next-day file: the cells of its rows (all equal but the id) and its students, in file order. */
interface Day2Guardian {
  readonly guardian: Guardian;
  readonly cells: readonly string[];
  readonly students: string[];
}

/**
 * Walks the next-day file's good rows in step with the model: for each family, student and
 * guardian (not removed on day 2), in the order the generator wrote them, the next row is
 * that pair's when its student, id cell (blank when the pair drops it) and first name (never
 * changed on day 2) match; otherwise the link was removed on day 2.
 */
function day2Guardians(families: readonly Family[], rows: readonly (readonly string[])[]): { guardians: Day2Guardian[]; linksRemoved: number } {
  const byGuardian = new Map<Guardian, Day2Guardian>();
  const guardians: Day2Guardian[] = [];
  let next = 0;
  let linksRemoved = 0;
  for (const family of families) {
    for (const student of family.students) {
      for (const g of family.guardians) {
        if (g.removedDay2) continue;
        const row = rows[next];
        const idCell = g.guardianSisId === null || stableFraction(`${g.key}/${student}`) < DROP_ID_RATE ? '' : g.guardianSisId;
        if (row === undefined || row[0] !== student || row[1] !== idCell || row[2] !== g.firstNameCell) {
          linksRemoved++;
          continue;
        }
        next++;
        let entry = byGuardian.get(g);
        if (entry === undefined) {
          entry = { guardian: g, cells: row, students: [] };
          byGuardian.set(g, entry);
          guardians.push(entry);
        } else if (row.some((cell, i) => i !== 0 && i !== 1 && cell !== entry?.cells[i])) {
          throw new Error(`next-day row ${next}: guardian ${g.key} has other cells than on its first row: the walk lost step with the file`);
        }
        entry.students.push(student);
      }
    }
  }
  if (next !== rows.length) {
    throw new Error(`the next-day file has ${rows.length} good rows; the walk through the generator's model matched ${next}: generate-district.ts changed (update this walk)`);
  }
  return { guardians, linksRemoved };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes CSV lines (CRLF) to a file in chunks of about 4 MiB; returns the bytes written. */
class CsvFile {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.line(header);
  }

  line(cells: readonly string[]): void {
    const text = `${cells.map(csvCell).join(',')}\r\n`;
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending > 4 * 1024 * 1024) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.bytes += writeSync(this.fd, Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.pending = 0;
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

function userCells(values: Partial<Record<UserColumn, string>>): string[] {
  return USER_COLUMNS.map((c) => values[c] ?? '');
}

/**
 * Writes the export of the dataset (`rows`, `seed`) into `out` (a temporary folder renamed
 * into place, the stats last), and returns its stats. Checks that the regenerated next-day
 * file is the dataset's day2.csv, byte for byte.
 */
export function writeOneRosterExport(paths: DatasetPaths, out: OneRosterExportPaths, rows: number, seed: number): OneRosterExportStats {
  const district = generateDistrict({ rows, seed });
  if (!district.day2Csv.equals(readFileSync(paths.day2))) throw new Error(`${paths.day2} is not what generate-district.ts makes for ${rows} rows, seed ${seed}: regenerate the dataset`);

  const records = parse(district.day2Csv, { bom: true, relax_column_count: true }) as string[][];
  const lines = records.slice(1);
  const good = lines.filter((_, i) => (i + 1) % (BAD_ROW_EVERY + 1) !== 0);
  const { guardians, linksRemoved } = day2Guardians(district.internals.families, good);

  const guardianIdsByStudent = new Map<string, string[]>();
  const sourcedIdOf = (g: Guardian): string => g.guardianSisId ?? g.key;
  for (const { guardian, students } of guardians) {
    for (const student of students) {
      const list = guardianIdsByStudent.get(student);
      if (list === undefined) guardianIdsByStudent.set(student, [sourcedIdOf(guardian)]);
      else list.push(sourcedIdOf(guardian));
    }
  }

  const work = `${out.dir}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const bytes: Record<string, number> = {};

  const users = new CsvFile(join(work, 'users.csv'), USER_COLUMNS);
  // Students first, then guardians (exports sort by role, or by id: G… before S…; either way a block each).
  let studentsWithoutGuardian = 0;
  for (const s of district.students) {
    const agents = guardianIdsByStudent.get(s.sisId) ?? [];
    if (agents.length === 0) studentsWithoutGuardian++;
    users.line(
      userCells({
        sourcedId: s.sisId,
        enabledUser: 'true',
        orgSourcedIds: s.schoolId,
        role: 'student',
        givenName: s.firstName,
        familyName: s.lastName,
        identifier: s.sisId,
        agentSourcedIds: agents.join(','),
        grades: String(1 + (Number(s.sisId.slice(1)) % 12)).padStart(2, '0'),
      }),
    );
  }
  let guardiansWithoutGuardiansCsvId = 0;
  let pairs = 0;
  for (const { guardian, cells, students } of guardians) {
    if (guardian.guardianSisId === null) guardiansWithoutGuardiansCsvId++;
    pairs += students.length;
    // guardians.csv columns: studentSisId, guardianSisId, firstName, lastName, email, mobilePhone, homePhone, language, relationship.
    const [, , firstName = '', lastName = '', email = '', mobile = '', home = '', language = '', relationship = ''] = cells;
    users.line(
      userCells({
        sourcedId: sourcedIdOf(guardian),
        enabledUser: 'true',
        orgSourcedIds: district.districtId,
        role: roleOf(relationship),
        givenName: firstName,
        familyName: lastName,
        email,
        sms: mobile,
        phone: home,
        agentSourcedIds: students.join(','),
        'metadata.preferredLanguage': language,
        'metadata.relationship': relationship,
      }),
    );
  }
  bytes['users.csv'] = users.close();

  const orgs = new CsvFile(join(work, 'orgs.csv'), ORG_COLUMNS);
  for (const org of district.orgs) orgs.line([org.id, '', '', org.name, org.type, org.id, org.parentId ?? '']);
  bytes['orgs.csv'] = orgs.close();

  const manifest = new CsvFile(join(work, 'manifest.csv'), ['propertyName', 'value']);
  const absent = ['academicSessions', 'categories', 'classes', 'classResources', 'courses', 'courseResources', 'demographics', 'enrollments', 'lineItems', 'resources', 'results'];
  const properties: [string, string][] = [
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.1'],
    ...absent.map((f): [string, string] => [`file.${f}`, 'absent']),
    ['file.orgs', 'bulk'],
    ['file.users', 'bulk'],
    ['source.systemName', 'guardian-sync bench'],
    ['source.systemCode', `district-${rows}-s${seed}`],
  ];
  for (const property of properties) manifest.line(property);
  bytes['manifest.csv'] = manifest.close();

  rmSync(out.dir, { recursive: true, force: true });
  renameSync(work, out.dir);
  const stats: OneRosterExportStats = {
    version: '1.1',
    users: district.students.length + guardians.length,
    students: district.students.length,
    guardians: guardians.length,
    guardiansWithoutGuardiansCsvId,
    pairs,
    studentsWithoutGuardian,
    day2GoodRows: good.length,
    day2BadRowsLeftOut: lines.length - good.length,
    day2LinksRemoved: linksRemoved,
    bytes: { ...bytes, total: Object.values(bytes).reduce((x, y) => x + y, 0) },
  };
  writeFileSync(`${out.stats}.tmp`, JSON.stringify(stats, null, 2));
  renameSync(`${out.stats}.tmp`, out.stats);
  return stats;
}

export function readOneRosterExportStats(paths: OneRosterExportPaths): OneRosterExportStats {
  return JSON.parse(readFileSync(paths.stats, 'utf8')) as OneRosterExportStats;
}
