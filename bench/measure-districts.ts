// Two districts in one store (issue "One roster, many districts"): the dry run of a district's
// next-day file in a store holding that district alone, and in a store that also holds a
// second district of the same size (generate-district.ts, `generateSecondDistrict`: the same
// student and guardian SIS ids, its own people, 1% of its parents shared with the first).
// The run must cost about the same in both (issue: within 1.15× in time and peak RSS): a
// sync reads its district and the people its file names, not the platform.
//
//   (i) memory store, this district alone        (j) memory store, with the second district
//   (k) SQLite file, this district alone         (l) SQLite file, with the second district
//
// The SQLite measurements are what the CLI runs: a roster file on disk, opened by
// `createSqliteStore({ database: path })`, the snapshot loaded from the file. The files are
// made once (`seedSqliteRosters`, in its own process) and kept in .bench/, keyed by the
// datasets and by a hash of src/ (a store or planner change makes new ones); each
// measurement runs on a fresh copy, so every run starts from the same file.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FullRosterStore, RosterStore, SnapshotRequest } from '../src/contracts/roster-store.js';
import type { ResolvedScope, RosterSnapshot } from '../src/model/roster.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { BENCH_DIR, readRoster, type DatasetPaths, type RosterFile, type SecondDatasetPaths, type SqliteRosterFiles } from './dataset.js';
import { resultOf, timed, type MeasurementId, type MeasurementResult } from './measurement.js';
import { assertRan, countsOf, syncDistrict } from './measure-pipeline.js';


/** Seeds a store with a district: its orgs, students and staff imported, its day-1 file synced. */
async function seedDistrict(store: FullRosterStore, roster: RosterFile, day1: Uint8Array, what: string) {
  await store.importRoster({ orgs: roster.orgs, students: roster.students, staff: roster.staff });
  const report = await syncDistrict(store, roster.districtId, day1, false);
  assertRan(report, what);
  return countsOf(report);
}

/**
 * The store as the run sees it, with its snapshot reads counted and timed (what the keyed
 * snapshot returned, and how long the store took to read it). Everything else is the store's own.
 */
function observed<S extends RosterStore>(store: S): { store: S; snapshots: Record<string, number>[] } {
  const snapshots: Record<string, number>[] = [];
  const wrapped = Object.create(store) as S;
  wrapped.loadSnapshot = async (scope: ResolvedScope, request: SnapshotRequest): Promise<RosterSnapshot> => {
    const started = performance.now();
    const snapshot = await store.loadSnapshot(scope, request);
    snapshots.push({
      seconds: (performance.now() - started) / 1000,
      students: snapshot.students.length,
      accounts: snapshot.accounts.length,
      links: snapshot.links.length,
      loginsAsked: request.logins.emails.length + request.logins.mobiles.length,
    });
    return snapshot;
  };
  return { store: wrapped, snapshots };
}

/** Seconds spent in each phase of a sync (from its progress events: read, snapshot, plan, saved report). */
export function phaseClock(): { onProgress: (event: { phase: string }) => void; phases: () => Record<string, number> } {
  const marks: [string, number][] = [];
  return {
    onProgress: (event) => {
      if (marks[marks.length - 1]?.[0] !== event.phase) marks.push([event.phase, performance.now()]);
    },
    phases: () => {
      const out: Record<string, number> = {};
      for (let i = 0; i + 1 < marks.length; i++) {
        const [phase, at] = marks[i]!;
        out[phase] = (out[phase] ?? 0) + Math.round(marks[i + 1]![1] - at) / 1000;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------
// (i), (j): the memory store.

/** (i) or (j): the dry run of the district's next-day file, in a memory store holding it alone (i) or with the second district (j). */
export async function measureMemoryDistricts(id: MeasurementId, paths: DatasetPaths, second: SecondDatasetPaths | null, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const store = createMemoryStore();
  const seeded: Record<string, unknown> = {};
  seeded['first'] = await seedDistrict(store, roster, readFileSync(paths.day1), 'seeding the memory store with day 1');
  if (second !== null) seeded['second'] = await seedDistrict(store, readRoster(second), readFileSync(second.day1), 'seeding the memory store with the second district');
  // The run history holds each report as JSON: not part of the roster being measured against.
  store.data.runs.clear();
  const held = { accounts: store.data.accounts.size, links: store.data.links.size, students: store.data.students.size };
  const day2 = readFileSync(paths.day2);
  const { store: seen, snapshots } = observed(store);
  const clock = phaseClock();
  const run = await timed(() => syncDistrict(seen, roster.districtId, day2, true, clock.onProgress));
  assertRan(run.value, 'dry run of day 2');
  return resultOf(id, size, run.value.file?.rows ?? 0, run, { storeBefore: held, seeded, snapshot: snapshots[0], phases: clock.phases(), ...countsOf(run.value) });
}

// ---------------------------------------------------------------------------------------
// (k), (l): SQLite roster files, as the CLI opens them.

/**
 * Makes the roster files that are missing (`two` only when asked): a new SQLite file opened
 * by the store, the district imported and its day 1 synced; for `two`, a copy of that with
 * the second district imported and synced. Older files of the same datasets are removed.
 */
export async function seedSqliteRosters(files: SqliteRosterFiles, paths: DatasetPaths, second: SecondDatasetPaths | null): Promise<Record<string, unknown>> {
  const prefix = basename(files.dir).slice(0, -13);
  for (const entry of existsSync(BENCH_DIR) ? readdirSync(BENCH_DIR) : []) {
    if (entry !== basename(files.dir) && entry.startsWith(`${prefix}-`) && entry.length === prefix.length + 13) rmSync(join(BENCH_DIR, entry), { recursive: true, force: true });
  }
  mkdirSync(files.dir, { recursive: true });
  const done: Record<string, unknown> = {};
  if (!existsSync(files.alone)) {
    const started = performance.now();
    const work = `${files.alone}.tmp`;
    removeDatabase(work);
    const store = createSqliteStore({ database: work });
    const counts = await seedDistrict(store, readRoster(paths), readFileSync(paths.day1), 'seeding SQLite with day 1');
    await store.close();
    renameSync(work, files.alone);
    done['alone'] = { seconds: (performance.now() - started) / 1000, ...counts };
  }
  if (second !== null && !existsSync(files.two)) {
    const started = performance.now();
    const work = `${files.two}.tmp`;
    removeDatabase(work);
    copyFileSync(files.alone, work);
    const store = createSqliteStore({ database: work });
    const counts = await seedDistrict(store, readRoster(second), readFileSync(second.day1), 'seeding SQLite with the second district');
    await store.close();
    renameSync(work, files.two);
    done['two'] = { seconds: (performance.now() - started) / 1000, ...counts };
  }
  return done;
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * (k) or (l): the dry run of the district's next-day file against a SQLite roster file
 * holding the district alone (k) or with the second district (l), opened by path as the CLI
 * opens it. The copy and the open are set-up; the run reads the snapshot from the file.
 */
export async function measureSqliteDistricts(id: MeasurementId, paths: DatasetPaths, files: SqliteRosterFiles, withSecond: boolean, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const source = withSecond ? files.two : files.alone;
  if (!existsSync(source)) throw new Error(`no seeded roster file ${source} (the runner makes it first)`);
  const work = join(files.dir, `work-${id}.sqlite`);
  removeDatabase(work);
  copyFileSync(source, work);
  const store = createSqliteStore({ database: work });
  const count = (sql: string): number => (store.database.prepare(sql).get() as { n: number }).n;
  const held = { accounts: count('SELECT count(*) AS n FROM accounts'), links: count('SELECT count(*) AS n FROM links'), students: count('SELECT count(*) AS n FROM students'), fileBytes: statSync(source).size };
  const day2 = readFileSync(paths.day2);
  const { store: seen, snapshots } = observed(store);
  const clock = phaseClock();
  try {
    const run = await timed(() => syncDistrict(seen, roster.districtId, day2, true, clock.onProgress));
    assertRan(run.value, 'dry run of day 2 (SQLite)');
    return resultOf(id, size, run.value.file?.rows ?? 0, run, { storeBefore: held, snapshot: snapshots[0], phases: clock.phases(), ...countsOf(run.value) });
  } finally {
    await store.close();
    removeDatabase(work);
  }
}
