// One benchmark task in its own process, so that its peak RSS is its own:
//   child.ts generate <rows> <seed>
//   child.ts measure <a–h> <rows> <seed>
// Sends its result to the parent over IPC (or prints it when run by hand).
import { datasetPaths, writeDataset } from './dataset.js';
import type { MeasurementId, MeasurementResult } from './measurement.js';

async function measure(id: MeasurementId, rows: number, seed: number): Promise<MeasurementResult> {
  const paths = datasetPaths(rows, seed);
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
  }
}

async function main(): Promise<unknown> {
  const [task, ...args] = process.argv.slice(2);
  if (task === 'generate') {
    const started = performance.now();
    const paths = writeDataset(Number(args[0]), Number(args[1]));
    return { generated: paths.dir, seconds: (performance.now() - started) / 1000 };
  }
  if (task === 'measure') {
    return measure(args[0] as MeasurementId, Number(args[1]), Number(args[2]));
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
