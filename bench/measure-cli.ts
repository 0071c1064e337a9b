// (q): the CLI as a user runs it. `node dist/cli.js sync --dry-run --json --timings` in a
// fresh process under GNU time, against the SQLite roster file of (k) (the district alone),
// its JSON written to a file as `> report.json` would. Wall time is the whole process (Node's
// start, module loading, snapshot load, read, plan, report, JSON output, exit); peak RSS is
// the process's own (GNU time's %M); the phases are the CLI's own `--timings` lines.
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTimingLines } from '../src/cli/phase-timings.js';
import { readRoster, type DatasetPaths, type SqliteRosterFiles } from './dataset.js';
import type { MeasurementId, MeasurementResult } from './measurement.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_DIST = join(ROOT, 'dist', 'cli.js');
const GNU_TIME = '/usr/bin/time';

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** (q): the built CLI's dry run of the next-day file against the SQLite roster holding the district alone. */
export async function measureCliProcess(id: MeasurementId, paths: DatasetPaths, files: SqliteRosterFiles, size: number): Promise<MeasurementResult> {
  if (!existsSync(CLI_DIST)) throw new Error(`measurement ${id} runs the built CLI, and ${CLI_DIST} is missing: run \`npm run build\` first`);
  if (!existsSync(GNU_TIME)) throw new Error(`measurement ${id} needs GNU time at ${GNU_TIME} (for the process's peak RSS)`);
  if (!existsSync(files.alone)) throw new Error(`no seeded roster file ${files.alone} (the runner makes it first)`);
  const districtId = readRoster(paths).districtId;
  // A dry run still saves the run in the roster's history: work on a copy, as (k) does.
  const db = join(files.dir, `work-${id}.sqlite`);
  const output = join(files.dir, `work-${id}.json`);
  removeDatabase(db);
  copyFileSync(files.alone, db);
  const args = ['sync', '--dry-run', '--json', '--timings', '--db', db, '--file', paths.day2, '--org', districtId];
  try {
    const out = openSync(output, 'w');
    let run: { code: number | null; stderr: string; seconds: number };
    try {
      run = await new Promise((resolve, reject) => {
        const started = performance.now();
        // %U %S: user and system CPU seconds; %M: peak RSS in KiB. GNU time prints its line last on stderr.
        const child = spawn(GNU_TIME, ['-f', 'gnu-time %U %S %M', process.execPath, CLI_DIST, ...args], { cwd: ROOT, stdio: ['ignore', out, 'pipe'] });
        let stderr = '';
        child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr, seconds: (performance.now() - started) / 1000 }));
      });
    } finally {
      closeSync(out);
    }
    const time = /^gnu-time ([\d.]+) ([\d.]+) (\d+)\s*$/m.exec(run.stderr);
    if (run.code !== 0 || time === null) {
      throw new Error(`node dist/cli.js ${args.join(' ')} exited with ${run.code}:\n${run.stderr.slice(-2000)}`);
    }
    const phases = parseTimingLines(run.stderr);
    if (phases['total'] === undefined) throw new Error(`no --timings lines on the CLI's stderr:\n${run.stderr.slice(-2000)}`);
    // The JSON was produced and written as a user gets it: check it is one report of the whole file.
    const outputBytes = statSync(output).size;
    const report = JSON.parse(readFileSync(output, 'utf8')) as { status: string; dryRun?: boolean; counts: Record<string, number> };
    const rows = report.counts['rows'] ?? 0;
    if (rows === 0) throw new Error(`the CLI's report counts no rows (status ${report.status})`);
    return {
      id,
      size,
      rows,
      seconds: run.seconds,
      cpuSeconds: Number(time[1]) + Number(time[2]),
      peakRssBytes: Number(time[3]) * 1024,
      startRssBytes: 0,
      peakIsOfTimedPart: true,
      details: {
        command: `node dist/cli.js ${args.join(' ')} > ${output}`,
        status: report.status,
        outputBytes,
        // Milliseconds per phase, as the CLI printed them (`total`: its uptime at the end).
        phases,
        counts: report.counts,
      },
    };
  } finally {
    removeDatabase(db);
    rmSync(output, { force: true });
  }
}
