// One benchmark task in its own process, so that its peak RSS is its own:
//   child.ts generate <rows> <seed> [second]     (with "second": the second district too)
//   child.ts seed-sqlite <rows> <seed> <dir> [second]
//   child.ts seed-postgres <rows> <seed> <server URL>   (the snapshot schemas of o and p)
//   child.ts generate-oneroster <rows> <seed>          (the OneRoster export of r, beside the district's files)
//   child.ts measure <a–r> <rows> <seed> [<dir of the SQLite roster files, for k, l, q and r | server URL, for m–p>]
// Sends its result to the parent over IPC (or prints it when run by hand).
import { datasetPaths, secondDatasetPaths, sqliteRosterFilesIn, writeDatasets } from './dataset.js';
import type { MeasurementId, MeasurementResult } from './measurement.js';

async function measure(id: MeasurementId, rows: number, seed: number, extra: string | undefined): Promise<MeasurementResult> {
  const paths = datasetPaths(rows, seed);
  const sqliteDir = extra;
  const postgresUrl = (): string => {
    if (extra === undefined || !extra.startsWith('postgresql://')) throw new Error(`measurement ${id} needs the URL of the bench's PostgreSQL server`);
    return extra;
  };
  const sqliteFiles = async () => {
    if (sqliteDir === undefined) throw new Error(`measurement ${id} needs the directory of the seeded SQLite roster files`);
    return sqliteRosterFilesIn(sqliteDir);
  };
  switch (id) {
    case 'a':
      return (await import('./measure-baselines.js')).measureParseBaseline(paths, rows);
    case 'e':
      return (await import('./measure-baselines.js')).measurePlainSqliteInsert(paths, rows);
    case 'b':
      return (await import('./measure-pipeline.js')).measureDryRun(paths, rows);
    case 'c':
      return (await import('./measure-pipeline.js')).measureNoOpRun(paths, rows);
    case 'd':
      return (await import('./measure-pipeline.js')).measureSqliteApply(paths, rows);
    case 'f':
      return (await import('./measure-pipeline.js')).measurePlanOnly(paths, rows);
    case 'g':
      return (await import('./measure-baselines.js')).measureParseStage(paths, rows);
    case 'h':
      return (await import('./measure-pipeline.js')).measureJoinFloor(paths, rows);
    case 'i':
      return (await import('./measure-districts.js')).measureMemoryDistricts(id, paths, null, rows);
    case 'j':
      return (await import('./measure-districts.js')).measureMemoryDistricts(id, paths, secondDatasetPaths(rows, seed), rows);
    case 'k':
      return (await import('./measure-districts.js')).measureSqliteDistricts(id, paths, await sqliteFiles(), false, rows);
    case 'l':
      return (await import('./measure-districts.js')).measureSqliteDistricts(id, paths, await sqliteFiles(), true, rows);
    case 'm':
      return (await import('./measure-postgres.js')).measurePostgresApply(paths, rows, postgresUrl());
    case 'n':
      return (await import('./measure-postgres.js')).measurePostgresCopy(paths, rows, postgresUrl());
    case 'o':
      return (await import('./measure-postgres.js')).measurePostgresSnapshot(id, paths, rows, postgresUrl(), false);
    case 'p':
      return (await import('./measure-postgres.js')).measurePostgresSnapshot(id, paths, rows, postgresUrl(), true);
    case 'q':
      return (await import('./measure-cli.js')).measureCliProcess(id, paths, await sqliteFiles(), rows);
    case 'r': {
      const { oneRosterExportPaths } = await import('./generate-oneroster.js');
      return (await import('./measure-oneroster.js')).measureOneRosterDryRun(id, paths, oneRosterExportPaths(paths), await sqliteFiles(), rows);
    }
  }
}

async function main(): Promise<unknown> {
  const [task, ...args] = process.argv.slice(2);
  if (task === 'generate') {
    const started = performance.now();
    const paths = writeDatasets(Number(args[0]), Number(args[1]), args[2] === 'second');
    return { generated: [paths.first.dir, paths.second?.dir], seconds: (performance.now() - started) / 1000 };
  }
  if (task === 'generate-oneroster') {
    const rows = Number(args[0]);
    const seed = Number(args[1]);
    const { oneRosterExportPaths, writeOneRosterExport } = await import('./generate-oneroster.js');
    const paths = datasetPaths(rows, seed);
    const started = performance.now();
    const stats = writeOneRosterExport(paths, oneRosterExportPaths(paths), rows, seed);
    return { ...stats, seconds: (performance.now() - started) / 1000 };
  }
  if (task === 'seed-sqlite') {
    const rows = Number(args[0]);
    const seed = Number(args[1]);
    const { seedSqliteRosters } = await import('./measure-districts.js');
    const started = performance.now();
    const done = await seedSqliteRosters(sqliteRosterFilesIn(String(args[2])), datasetPaths(rows, seed), args[3] === 'second' ? secondDatasetPaths(rows, seed) : null);
    return { ...done, seconds: (performance.now() - started) / 1000 };
  }
  if (task === 'seed-postgres') {
    const rows = Number(args[0]);
    const seed = Number(args[1]);
    const { seedPostgresSnapshots, otherDistrictSize } = await import('./measure-postgres.js');
    const started = performance.now();
    const done = await seedPostgresSnapshots(String(args[2]), rows, datasetPaths(rows, seed), datasetPaths(otherDistrictSize(rows), seed));
    return { ...done, seconds: (performance.now() - started) / 1000 };
  }
  if (task === 'measure') {
    return measure(args[0] as MeasurementId, Number(args[1]), Number(args[2]), args[3]);
  }
  throw new Error(`unknown task: ${String(task)}`);
}

main().then(
  (value) => {
    if (process.send !== undefined) process.send({ ok: true, value }, () => process.exit(0));
    else {
      console.log(JSON.stringify(value, null, 2));
      process.exit(0);
    }
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (process.send !== undefined) process.send({ ok: false, error: message }, () => process.exit(1));
    else {
      console.error(message);
      process.exit(1);
    }
  },
);
