// The generated district on disk: `.bench/district-<rows>-s<seed>-v<n>/`, written once per
// size and seed, read by every measurement (each in its own process, so none pays for
// generating); and the second district of the same platform (generate-district.ts,
// `generateSecondDistrict`) beside it, in `.bench/district-<rows>-s<seed>-v<n>-second-v<m>/`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { StaffRecord } from '../src/contracts/roster-store.js';
import type { Org, Student } from '../src/model/roster.js';
import { generateDistrict, generateSecondDistrict, type DistrictStats, type SecondDistrictStats, type TruthGuardian } from './generate-district.js';

export const BENCH_DIR = '.bench';

/**
 * Bump when the generator's output changes, so stale caches are not reused.
 * 3: students and staff carry their district (the files are the same bytes as in 2).
 */
const GENERATOR_VERSION = 3;
/** Bump when `generateSecondDistrict`'s output changes. */
const SECOND_DISTRICT_VERSION = 1;

export interface DatasetPaths {
  readonly dir: string;
  readonly day1: string;
  readonly day2: string;
  readonly roster: string;
  readonly truth: string;
  readonly stats: string;
}

export interface RosterFile {
  readonly districtId: string;
  readonly orgs: Org[];
  readonly students: Student[];
  readonly staff: StaffRecord[];
}

export interface TruthFile {
  readonly guardians: TruthGuardian[];
  /** [guardian key, student SIS id] */
  readonly links: [string, string][];
}

export function datasetPaths(rows: number, seed: number): DatasetPaths {
  const dir = join(BENCH_DIR, `district-${rows}-s${seed}-v${GENERATOR_VERSION}`);
  return {
    dir,
    day1: join(dir, 'day1.csv'),
    day2: join(dir, 'day2.csv'),
    roster: join(dir, 'roster.json'),
    truth: join(dir, 'truth.json'),
    stats: join(dir, 'stats.json'),
  };
}

export function datasetExists(paths: DatasetPaths): boolean {
  return existsSync(paths.stats);
}

/** The second district's files: its day-1 guardians.csv, its orgs, students and staff, its stats. */
export interface SecondDatasetPaths {
  readonly dir: string;
  readonly day1: string;
  readonly roster: string;
  readonly stats: string;
}

export function secondDatasetPaths(rows: number, seed: number): SecondDatasetPaths {
  const dir = `${datasetPaths(rows, seed).dir}-second-v${SECOND_DISTRICT_VERSION}`;
  return { dir, day1: join(dir, 'day1.csv'), roster: join(dir, 'roster.json'), stats: join(dir, 'stats.json') };
}

export function secondDatasetExists(paths: SecondDatasetPaths): boolean {
  return existsSync(paths.stats);
}

/** Generates and writes the dataset (stats last, so a half-written cache is regenerated). */
export function writeDataset(rows: number, seed: number): DatasetPaths {
  return writeDatasets(rows, seed, false).first;
}

/**
 * Generates the district and, when `second` is set, the second district built on it; writes
 * what is not cached yet (each with its stats last).
 */
export function writeDatasets(rows: number, seed: number, second: boolean): { first: DatasetPaths; second: SecondDatasetPaths | null } {
  const paths = datasetPaths(rows, seed);
  const district = generateDistrict({ rows, seed });
  if (!datasetExists(paths)) writeFirst(paths, district, rows, seed);
  if (!second) return { first: paths, second: null };
  const secondPaths = secondDatasetPaths(rows, seed);
  if (!secondDatasetExists(secondPaths)) {
    const other = generateSecondDistrict(district, { seed });
    mkdirSync(secondPaths.dir, { recursive: true });
    const roster: RosterFile = { districtId: other.districtId, orgs: other.orgs, students: other.students, staff: other.staff };
    writeAtomic(secondPaths.day1, other.day1Csv);
    writeAtomic(secondPaths.roster, JSON.stringify(roster));
    writeAtomic(secondPaths.stats, JSON.stringify({ rows, seed, bytesDay1: other.day1Csv.byteLength, ...other.stats }, null, 2));
  }
  return { first: paths, second: secondPaths };
}

export function readSecondStats(paths: SecondDatasetPaths): SecondDistrictStats & { rows: number; seed: number; bytesDay1: number } {
  return JSON.parse(readFileSync(paths.stats, 'utf8'));
}

function writeFirst(paths: DatasetPaths, district: ReturnType<typeof generateDistrict>, rows: number, seed: number): void {
  mkdirSync(paths.dir, { recursive: true });
  const roster: RosterFile = { districtId: district.districtId, orgs: district.orgs, students: district.students, staff: district.staff };
  const truth: TruthFile = { guardians: district.truth.guardians, links: district.truth.links.map((l) => [l.key, l.studentSisId]) };
  writeAtomic(paths.day1, district.day1Csv);
  writeAtomic(paths.day2, district.day2Csv);
  writeAtomic(paths.roster, JSON.stringify(roster));
  writeAtomic(paths.truth, JSON.stringify(truth));
  writeAtomic(paths.stats, JSON.stringify({ rows, seed, bytesDay1: district.day1Csv.byteLength, bytesDay2: district.day2Csv.byteLength, ...district.stats }, null, 2));
}

export function readStats(paths: DatasetPaths): DistrictStats & { rows: number; seed: number; bytesDay1: number; bytesDay2: number } {
  return JSON.parse(readFileSync(paths.stats, 'utf8'));
}

export function readRoster(paths: Pick<DatasetPaths, 'roster'>): RosterFile {
  return JSON.parse(readFileSync(paths.roster, 'utf8')) as RosterFile;
}

export function readTruth(paths: DatasetPaths): TruthFile {
  return JSON.parse(readFileSync(paths.truth, 'utf8')) as TruthFile;
}

/** The seeded SQLite roster files of measurements (k) and (l) (measure-districts.ts). */
export interface SqliteRosterFiles {
  readonly dir: string;
  /** The district alone: orgs, students and staff imported, day 1 synced. */
  readonly alone: string;
  /** The same, then the second district imported and its day 1 synced. */
  readonly two: string;
}

/**
 * Where the seeded roster files of these datasets live, for the code of src/ as it is now
 * (a hash of every file under src/: a changed store, schema or planner gets new files).
 */
export function sqliteRosterFiles(paths: DatasetPaths): SqliteRosterFiles {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(path).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk('src');
  return sqliteRosterFilesIn(join(BENCH_DIR, `sqlite-${basename(paths.dir)}-${hash.digest('hex').slice(0, 12)}`));
}

export function sqliteRosterFilesIn(dir: string): SqliteRosterFiles {
  return { dir, alone: join(dir, 'alone.sqlite'), two: join(dir, 'two.sqlite') };
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** A size argument: 100000, 300k or 1M. */
/**
 * The newest seeded `alone.sqlite` of the dataset (the roster file of measurement (k)), for
 * the memory tools; seeded by `BENCH_ONLY=k npm run bench -- <size>`.
 */
export function newestSeededRoster(paths: Pick<DatasetPaths, 'dir'>, sizeArg: string): string {
  const prefix = `sqlite-${basename(paths.dir)}-`;
  const candidates = readdirSync(BENCH_DIR)
    .filter((name) => name.startsWith(prefix) && existsSync(join(BENCH_DIR, name, 'alone.sqlite')))
    .map((name) => join(BENCH_DIR, name, 'alone.sqlite'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (candidates[0] === undefined) throw new Error(`no seeded roster for ${basename(paths.dir)}: run BENCH_ONLY=k npm run bench -- ${sizeArg}`);
  return candidates[0];
}

export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim().replace(/_/g, ''));
  if (match === null) throw new Error(`not a size: ${text} (use e.g. 100000, 300k or 1M)`);
  const unit = match[2]?.toLowerCase();
  return Math.round(Number(match[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
}
