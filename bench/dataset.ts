// The generated district on disk: `.bench/district-<rows>-s<seed>/`, written once per size and
// seed, read by every measurement (each in its own process, so none pays for generating).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StaffRecord } from '../src/contracts/roster-store.js';
import type { Org, Student } from '../src/model/roster.js';
import { generateDistrict, type DistrictStats, type TruthGuardian } from './generate-district.js';

export const BENCH_DIR = '.bench';

/** Bump when the generator's output changes, so stale caches are not reused. */
const GENERATOR_VERSION = 2;

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

/** Generates and writes the dataset (stats last, so a half-written cache is regenerated). */
export function writeDataset(rows: number, seed: number): DatasetPaths {
  const paths = datasetPaths(rows, seed);
  mkdirSync(paths.dir, { recursive: true });
  const district = generateDistrict({ rows, seed });
  const roster: RosterFile = { districtId: district.districtId, orgs: district.orgs, students: district.students, staff: district.staff };
  const truth: TruthFile = { guardians: district.truth.guardians, links: district.truth.links.map((l) => [l.key, l.studentSisId]) };
  writeAtomic(paths.day1, district.day1Csv);
  writeAtomic(paths.day2, district.day2Csv);
  writeAtomic(paths.roster, JSON.stringify(roster));
  writeAtomic(paths.truth, JSON.stringify(truth));
  writeAtomic(paths.stats, JSON.stringify({ rows, seed, bytesDay1: district.day1Csv.byteLength, bytesDay2: district.day2Csv.byteLength, ...district.stats }, null, 2));
  return paths;
}

export function readStats(paths: DatasetPaths): DistrictStats & { rows: number; seed: number; bytesDay1: number; bytesDay2: number } {
  return JSON.parse(readFileSync(paths.stats, 'utf8'));
}

export function readRoster(paths: DatasetPaths): RosterFile {
  return JSON.parse(readFileSync(paths.roster, 'utf8')) as RosterFile;
}

export function readTruth(paths: DatasetPaths): TruthFile {
  return JSON.parse(readFileSync(paths.truth, 'utf8')) as TruthFile;
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** A size argument: 100000, 300k or 1M. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim().replace(/_/g, ''));
  if (match === null) throw new Error(`not a size: ${text} (use e.g. 100000, 300k or 1M)`);
  const unit = match[2]?.toLowerCase();
  return Math.round(Number(match[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
}
