// (r): the district's next-day OneRoster export (generate-oneroster.ts: the same people as
// day2.csv, as a 1.1 users.csv of every student and guardian) synced as a dry run through
// the OneRoster path, against the SQLite roster file of (k). Issue 16 ("District scale,
// second round"): within the memory bound of the SQLite dry run (1 GiB), and per byte of
// input no slower than the guardians.csv dry run (k).
//
// The input goes in as a user's does: `createOneRosterFolderSource` on the export's folder,
// the source `guardian-sync sync --format oneroster --file <folder>` uses (the folder's CSVs
// packed into one stored ZIP, read by the ZIP reader, users.csv parsed and its guardians
// validated), with `format: 'oneroster'`. The set-up is (k)'s: a fresh copy of the seeded
// roster file holding the district alone (its day 1 synced from guardians.csv), opened by path.
//
// One setting differs from a plain `--format oneroster` run: `linkSource` is the
// guardians.csv one. The roster's links were made by day 1's guardians.csv, so they belong
// to that source; a OneRoster run managing its own source would add every pair again under
// it (what a district's first run after switching formats does, once), and (r) would time a
// one-off switch, not the daily run (k) times. Managing the same links, it plans the
// next-day changes as (k) does.
import { copyFileSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LINK_SOURCES } from '../src/model/roster.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import { createOneRosterFolderSource } from '../src/sources/oneroster-folder-source.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { readRoster, type DatasetPaths, type SqliteRosterFiles } from './dataset.js';
import { readOneRosterExportStats, type OneRosterExportPaths } from './generate-oneroster.js';
import { resultOf, timed, type MeasurementId, type MeasurementResult } from './measurement.js';
import { phaseClock } from './measure-districts.js';
import { assertRan, countsOf } from './measure-pipeline.js';

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}


/** (r): the OneRoster export's dry run against a copy of (k)'s roster file. */
export async function measureOneRosterDryRun(id: MeasurementId, paths: DatasetPaths, exported: OneRosterExportPaths, files: SqliteRosterFiles, size: number): Promise<MeasurementResult> {
  if (!existsSync(exported.stats)) throw new Error(`no OneRoster export ${exported.dir} (the runner makes it first)`);
  if (!existsSync(files.alone)) throw new Error(`no seeded roster file ${files.alone} (the runner makes it first)`);
  const roster = readRoster(paths);
  const stats = readOneRosterExportStats(exported);
  // What the folder source reads: the folder's CSVs (checked against the stats, so the bytes per byte are the bytes read).
  const inputFiles = Object.fromEntries(
    readdirSync(exported.dir)
      .filter((name) => name.toLowerCase().endsWith('.csv'))
      .map((name) => [name, statSync(join(exported.dir, name)).size]),
  );
  const inputBytes = Object.values(inputFiles).reduce((x, y) => x + y, 0);
  if (inputBytes !== stats.bytes.total) throw new Error(`${exported.dir} holds ${inputBytes} bytes of CSV, its stats say ${stats.bytes.total}: regenerate it`);

  const work = join(files.dir, `work-${id}.sqlite`);
  removeDatabase(work);
  copyFileSync(files.alone, work);
  const store = createSqliteStore({ database: work });
  const clock = phaseClock();
  try {
    const run = await timed(() =>
      syncGuardians({
        scope: { level: 'district', orgId: roster.districtId },
        source: createOneRosterFolderSource({ path: exported.dir }),
        format: 'oneroster',
        linkSource: LINK_SOURCES.guardianFile,
        store,
        dryRun: true,
        onProgress: clock.onProgress,
      }),
    );
    assertRan(run.value, 'OneRoster dry run of day 2 (SQLite)');
    const file = run.value.file;
    return resultOf(id, size, file?.rows ?? 0, run, {
      input: { files: inputFiles, bytes: inputBytes, deliveredAs: file === null ? null : { name: file.name, bytes: file.size } },
      export: { users: stats.users, students: stats.students, guardians: stats.guardians, pairs: stats.pairs },
      usersRead: file?.rows ?? 0,
      linkSource: LINK_SOURCES.guardianFile,
      phases: clock.phases(),
      ...countsOf(run.value),
    });
  } finally {
    await store.close();
    removeDatabase(work);
  }
}
