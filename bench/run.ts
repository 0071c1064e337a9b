// `npm run bench`: the district-scale benchmark of issue #7.
//
//   npm run bench                         # 100k, 300k and 1M rows
//   npm run bench -- 100k 300k            # chosen sizes (or BENCH_SIZES=100000,300000)
//   BENCH_ONLY=a,b npm run bench          # chosen measurements
//   BENCH_ONLY=a,i,j,k,l npm run bench -- 1M   # a district alone vs with a second one (memory, SQLite)
//   BENCH_REPEAT=3 npm run bench          # best of 3 for each measurement (the measurements take turns)
//   BENCH_CPU_PROF=1 npm run bench -- 300k  # also write .cpuprofile files to .bench/profiles/
//   BENCH_NODE_FLAGS="--max-semi-space-size=64" npm run bench -- 300k  # V8 flags for the children
//   BENCH_ONLY=m,n,o,p npm run bench -- 100k 1M   # the PostgreSQL store: day-1 apply vs plain COPY; snapshot alone vs among 20 districts
//   npm run build && BENCH_ONLY=a,q npm run bench -- 1M   # the built CLI in a fresh process vs csv-parse, with its --timings phases
//
// Each measurement runs in a fresh child process (its peak RSS is its own); the generated
// districts and the seeded SQLite roster files of (k) and (l) are cached in .bench/. Prints a table and the targets, writes .bench/results.json.
// With any of (m)–(p), one PostgreSQL server (bench/postgres-server.ts: its cluster, and the
// seeded schemas of (o) and (p), kept in .bench/postgres/) runs for the whole bench.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  BENCH_DIR,
  datasetExists,
  datasetPaths,
  parseSize,
  readSecondStats,
  readStats,
  secondDatasetExists,
  secondDatasetPaths,
  sqliteRosterFiles,
  type SqliteRosterFiles,
} from './dataset.js';
import { MEASUREMENT_IDS, MEASUREMENTS, NEEDS_POSTGRES, NEEDS_POSTGRES_SNAPSHOTS, NEEDS_SECOND_DISTRICT, NEEDS_SQLITE_ROSTERS, type MeasurementId, type MeasurementResult } from './measurement.js';
import { startBenchPostgres, type BenchPostgres } from './postgres-server.js';

const DEFAULT_SIZES = [100_000, 300_000, 1_000_000];
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const TARGETS = {
  dryRunOverParse: 2.0,
  noOpOverParse: 2.0,
  sqliteOverPlain: 2.5,
  dryRunPeakRssBytes: GiB,
  perRowGrowth: 1.3,
  /**
   * Issue #3: resolving + planning takes "a small fraction" of parsing; read here as a quarter
   * at most, against both csv-parse alone (a) and the product's parse stage (g).
   */
  planOverParse: 0.25,
  /**
   * Issue "One roster, many districts": a district's dry run in a store that also holds a
   * second district of the same size costs at most this much more, in time and in peak RSS,
   * than in a store holding the district alone ((j)/(i) memory store, (l)/(k) SQLite file).
   */
  secondDistrict: 1.15,
  /** PostgreSQL store: the day-1 apply (m) at most this many times the plain COPY of the same rows (n). */
  postgresApplyOverCopy: 2.0,
  /** PostgreSQL store: loadSnapshot among 20 other districts (p) within this of the district alone (o), in time and in peak RSS. */
  postgresOtherDistricts: 1.2,
  /**
   * Issue "District scale, second round": `guardian-sync sync --dry-run --json` in a fresh
   * process against the SQLite roster (q), at most this many times csv-parse of the same bytes (a).
   */
  cliOverParse: 4.0,
  /** …and at most this peak RSS (the whole process's, GNU time's %M). */
  cliPeakRssBytes: GiB,
} as const;

/** (q)'s phases, as the CLI's `--timings` names them, with what each holds. */
const CLI_PHASES: readonly (readonly [string, string])[] = [
  ['startup', 'process start (Node, module loading)'],
  ['setup', 'setup (flags, input check, roster opened)'],
  ['lock', 'lock'],
  ['fetch', 'read: fetch (the file\'s bytes)'],
  ['decode', 'read: decode (+ first 5,000 rows parsed)'],
  ['parse', 'read: parse (decode, parse, validate, normalize)'],
  ['resolve', 'snapshot load (resolve)'],
  ['plan', 'plan'],
  ['apply', 'apply'],
  ['report', 'report (run saved in the history)'],
  ['close', 'roster closed'],
  ['report-files', 'report files'],
  ['output', 'JSON output (rendered, written)'],
];

function options() {
  const argSizes = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const envSizes = process.env['BENCH_SIZES']?.split(',').filter((s) => s.trim() !== '');
  const sizes = (argSizes.length > 0 ? argSizes : (envSizes ?? [])).map(parseSize);
  const only = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim()) as MeasurementId[] | undefined;
  for (const id of only ?? []) if (!MEASUREMENT_IDS.includes(id)) throw new Error(`BENCH_ONLY: unknown measurement ${id} (${MEASUREMENT_IDS.join(', ')})`);
  return {
    sizes: (sizes.length > 0 ? sizes : DEFAULT_SIZES).sort((x, y) => x - y),
    only: only ?? MEASUREMENT_IDS,
    seed: Number(process.env['BENCH_SEED'] ?? 7),
    repeat: Math.max(1, Number(process.env['BENCH_REPEAT'] ?? 1)),
    cpuProf: process.env['BENCH_CPU_PROF'] === '1',
  };
}

type Opts = ReturnType<typeof options>;

function runChild(args: string[], execArgv: string[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, 'child.ts'), args, {
      // A roomy heap limit: at 1M rows the memory store alone holds gigabytes (the peak is
      // measured and reported; the limit only keeps V8 from stopping the run first).
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        `--max-old-space-size=${process.env['BENCH_MAX_OLD_SPACE_MB'] ?? 16384}`,
        ...(process.env['BENCH_NODE_FLAGS']?.split(' ').filter((f) => f !== '') ?? []),
        ...execArgv,
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message: { ok: boolean; value?: unknown; error?: string } | undefined;
    child.on('message', (m) => {
      message = m as typeof message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message?.ok === true) resolve(message.value);
      else reject(new Error(message?.error ?? `child ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

async function ensureDataset(size: number, seed: number, second: boolean): Promise<void> {
  const paths = datasetPaths(size, seed);
  const secondPaths = secondDatasetPaths(size, seed);
  if (datasetExists(paths) && (!second || secondDatasetExists(secondPaths))) return;
  process.stderr.write(`generating a district of ${fmtInt(size)} rows into ${paths.dir}${second ? ` (and the second district into ${secondPaths.dir})` : ''} … `);
  const done = (await runChild(['generate', String(size), String(seed), ...(second ? ['second'] : [])])) as { seconds: number };
  process.stderr.write(`${done.seconds.toFixed(1)} s\n`);
}

/** The seeded SQLite roster files of (k) and (l), made in a child when missing. */
async function ensureSqliteRosters(size: number, seed: number, two: boolean): Promise<SqliteRosterFiles> {
  const files = sqliteRosterFiles(datasetPaths(size, seed));
  if (existsSync(files.alone) && (!two || existsSync(files.two))) return files;
  process.stderr.write(`seeding SQLite roster files (day 1 synced${two ? '; then the second district' : ''}) into ${files.dir} … `);
  const done = (await runChild(['seed-sqlite', String(size), String(seed), files.dir, ...(two ? ['second'] : [])])) as { seconds: number };
  process.stderr.write(`${done.seconds.toFixed(1)} s\n`);
  return files;
}

/** The seeded schemas of (o) and (p) on the bench's server, made in a child when missing or stale. */
async function ensurePostgresSnapshots(size: number, seed: number, url: string): Promise<void> {
  const { otherDistrictSize, snapshotSchemasReady } = await import('./measure-postgres.js');
  const small = otherDistrictSize(size);
  await ensureDataset(small, seed, false);
  if (await snapshotSchemasReady(url, size, datasetPaths(size, seed), datasetPaths(small, seed))) return;
  process.stderr.write(`seeding PostgreSQL snapshot schemas (the district alone; with 20 districts of ${fmtInt(small)} rows) … `);
  const done = (await runChild(['seed-postgres', String(size), String(seed), url])) as { seconds: number };
  process.stderr.write(`${done.seconds.toFixed(1)} s\n`);
}

/** One run of a measurement (round `round` of BENCH_REPEAT), in its own child; `extra`: the SQLite roster files' directory (k, l) or the PostgreSQL URL (m–p). */
async function measure(id: MeasurementId, size: number, opts: Opts, extra: string | undefined, round: number): Promise<MeasurementResult> {
  const execArgv = opts.cpuProf
    ? ['--cpu-prof', `--cpu-prof-dir=${join(BENCH_DIR, 'profiles')}`, `--cpu-prof-name=${id}-${size}-${round}.cpuprofile`]
    : [];
  return (await runChild(['measure', id, String(size), String(opts.seed), ...(extra === undefined ? [] : [extra])], execArgv)) as MeasurementResult;
}

// ---------------------------------------------------------------------------------------
// Report.

const fmtInt = (n: number): string => n.toLocaleString('en-US');
const fmtSize = (n: number): string => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
const fmtMiB = (bytes: number): string => `${Math.round(bytes / MiB)} MiB`;
const ratio = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined || y === undefined || y === 0 ? undefined : x / y);
const fmtRatio = (r: number | undefined): string => (r === undefined ? '–' : `${r.toFixed(2)}×`);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

interface SizeResults {
  size: number;
  /** The best run (least wall time) of each measurement. */
  results: Partial<Record<MeasurementId, MeasurementResult>>;
  /** Every run, in the order they ran. */
  runs: Partial<Record<MeasurementId, MeasurementResult[]>>;
}

function perRow(r: MeasurementResult | undefined): number | undefined {
  return r === undefined || r.rows === 0 ? undefined : r.seconds / r.rows;
}

function render(all: SizeResults[], opts: Opts) {
  const smallest = all[0];
  const measurementRows: string[][] = [];
  for (const { size, results } of all) {
    for (const id of opts.only) {
      const r = results[id];
      if (r === undefined) continue;
      const growth = ratio(perRow(r), perRow(smallest?.results[id]));
      measurementRows.push([
        `${fmtSize(size)} ${id}`,
        fmtInt(r.rows),
        r.seconds.toFixed(2),
        r.cpuSeconds.toFixed(2),
        fmtInt(Math.round(r.rows / r.seconds)),
        size === smallest?.size ? '1.00×' : fmtRatio(growth),
        fmtMiB(r.peakRssBytes),
        fmtMiB(r.startRssBytes),
        fmtMiB(Math.max(0, r.peakRssBytes - r.startRssBytes)),
        r.gc === undefined ? '–' : r.gc.seconds.toFixed(2),
      ]);
    }
  }
  const ratioRows = all.map(({ size, results }) => [
    fmtSize(size),
    fmtRatio(ratio(results.b?.seconds, results.a?.seconds)),
    fmtRatio(ratio(results.c?.seconds, results.a?.seconds)),
    fmtRatio(ratio(results.d?.seconds, results.e?.seconds)),
    fmtRatio(ratio(results.b?.cpuSeconds, results.a?.cpuSeconds)),
    fmtRatio(ratio(results.c?.cpuSeconds, results.a?.cpuSeconds)),
    fmtRatio(ratio(results.d?.cpuSeconds, results.e?.cpuSeconds)),
    fmtRatio(ratio(results.f?.seconds, results.a?.seconds)),
    fmtRatio(ratio(results.f?.cpuSeconds, results.a?.cpuSeconds)),
    fmtRatio(ratio(results.f?.seconds, results.g?.seconds)),
    fmtRatio(ratio(results.h?.seconds, results.a?.seconds)),
    fmtRatio(ratio(results.f?.seconds, results.h?.seconds)),
    results.b === undefined ? '–' : fmtMiB(results.b.peakRssBytes),
  ]);

  // Two districts in one store: each pair (alone, with a second district) as its own row.
  const pairs = [
    { name: 'memory store', alone: 'i', two: 'j' },
    { name: 'SQLite file', alone: 'k', two: 'l' },
  ] as const;
  const added = (r: MeasurementResult | undefined): number | undefined => (r === undefined ? undefined : Math.max(0, r.peakRssBytes - r.startRssBytes));
  const mib = (bytes: number | undefined): string => (bytes === undefined ? '–' : fmtMiB(bytes));
  const secs = (n: number | undefined): string => (n === undefined ? '–' : n.toFixed(2));
  const districtRows: string[][] = [];
  for (const { size, results } of all) {
    for (const pair of pairs) {
      const a = results[pair.alone];
      const b = results[pair.two];
      if (a === undefined && b === undefined) continue;
      districtRows.push([
        `${fmtSize(size)} ${pair.name} (${pair.two})/(${pair.alone})`,
        secs(a?.seconds),
        secs(b?.seconds),
        fmtRatio(ratio(b?.seconds, a?.seconds)),
        fmtRatio(ratio(b?.cpuSeconds, a?.cpuSeconds)),
        a?.gc === undefined || b?.gc === undefined ? '–' : `${a.gc.seconds.toFixed(1)} → ${b.gc.seconds.toFixed(1)}`,
        mib(a?.peakRssBytes),
        mib(b?.peakRssBytes),
        fmtRatio(ratio(b?.peakRssBytes, a?.peakRssBytes)),
        mib(added(a)),
        mib(added(b)),
        fmtRatio(ratio(added(b), added(a))),
      ]);
    }
  }

  // The PostgreSQL store: (m)/(n) and (p)/(o); the server's CPU time as the children measured it.
  const serverCpu = (r: MeasurementResult | undefined): number | undefined => {
    const v = r?.details['serverCpuSeconds'];
    return typeof v === 'number' ? v : undefined;
  };
  const postgresRows: string[][] = [];
  for (const { size, results } of all) {
    const { m, n, o, p } = results;
    if (m !== undefined || n !== undefined) {
      postgresRows.push([
        `${fmtSize(size)} apply (m) / COPY (n)`,
        secs(m?.seconds),
        secs(n?.seconds),
        fmtRatio(ratio(m?.seconds, n?.seconds)),
        `${secs(m?.cpuSeconds)} / ${secs(n?.cpuSeconds)}`,
        `${secs(serverCpu(m))} / ${secs(serverCpu(n))}`,
        fmtRatio(ratio(m === undefined || serverCpu(m) === undefined ? undefined : m.cpuSeconds + serverCpu(m)!, n === undefined || serverCpu(n) === undefined ? undefined : n.cpuSeconds + serverCpu(n)!)),
        mib(m?.peakRssBytes),
        mib(n?.peakRssBytes),
        '–',
      ]);
    }
    if (o !== undefined || p !== undefined) {
      postgresRows.push([
        `${fmtSize(size)} snapshot among 20 (p) / alone (o)`,
        secs(p?.seconds),
        secs(o?.seconds),
        fmtRatio(ratio(p?.seconds, o?.seconds)),
        `${secs(p?.cpuSeconds)} / ${secs(o?.cpuSeconds)}`,
        `${secs(serverCpu(p))} / ${secs(serverCpu(o))}`,
        fmtRatio(ratio(p === undefined || serverCpu(p) === undefined ? undefined : p.cpuSeconds + serverCpu(p)!, o === undefined || serverCpu(o) === undefined ? undefined : o.cpuSeconds + serverCpu(o)!)),
        mib(p?.peakRssBytes),
        mib(o?.peakRssBytes),
        fmtRatio(ratio(p?.peakRssBytes, o?.peakRssBytes)),
      ]);
    }
  }

  // The CLI in a fresh process (q): its total against csv-parse (a), its peak RSS, its phases.
  const cliRows: string[][] = [];
  const share = (ms: number, total: number): string => (total > 0 ? `${((100 * ms) / total).toFixed(1)}%` : '–');
  for (const { size, results } of all) {
    const { a, q } = results;
    if (q === undefined) continue;
    const wallMs = q.seconds * 1000;
    const verdictOf = (value: number | undefined, limit: number): string => (value === undefined ? 'NOT RUN' : value <= limit ? 'PASS' : 'MISS');
    const r = ratio(q.seconds, a?.seconds);
    cliRows.push([`${fmtSize(size)} (q) total / (a) csv-parse`, `${secs(q.seconds)} s / ${secs(a?.seconds)} s`, fmtRatio(r), `≤ ${TARGETS.cliOverParse.toFixed(2)}×`, verdictOf(r, TARGETS.cliOverParse)]);
    cliRows.push([`${fmtSize(size)} (q) peak RSS`, fmtMiB(q.peakRssBytes), '', `≤ ${fmtMiB(TARGETS.cliPeakRssBytes)}`, verdictOf(q.peakRssBytes, TARGETS.cliPeakRssBytes)]);
    const phases = (q.details['phases'] ?? {}) as Record<string, number>;
    const known = new Set(CLI_PHASES.map(([name]) => name));
    for (const [name, label] of [...CLI_PHASES, ...Object.keys(phases).filter((p) => !known.has(p) && p !== 'total').map((p) => [p, p] as const)]) {
      const ms = phases[name];
      if (ms !== undefined) cliRows.push([`${fmtSize(size)} (q)   ${label}`, `${fmtInt(ms)} ms`, share(ms, wallMs), '', '']);
    }
    const cliTotal = phases['total'];
    if (cliTotal !== undefined) cliRows.push([`${fmtSize(size)} (q)   exit (process wall − the CLI's own total)`, `${fmtInt(Math.round(wallMs - cliTotal))} ms`, share(wallMs - cliTotal, wallMs), '', '']);
    cliRows.push([`${fmtSize(size)} (q)   process wall time`, `${fmtInt(Math.round(wallMs))} ms`, '100.0%', '', '']);
  }

  const largest = all[all.length - 1] as SizeResults;
  const at = largest.size === 1_000_000 ? '' : ` (measured at ${fmtSize(largest.size)}; the target is for 1M)`;
  const L = largest.results;
  const verdict = (value: number | undefined, limit: number, fmt: (n: number) => string) =>
    value === undefined ? { status: 'NOT RUN', value: '–', limit: fmt(limit) } : { status: value <= limit ? 'PASS' : 'MISS', value: fmt(value), limit: fmt(limit) };
  const growthB = smallest !== undefined && smallest !== largest ? ratio(perRow(L.b), perRow(smallest.results.b)) : undefined;
  const targets = [
    { name: '(b) dry run / (a) parse', ...verdict(ratio(L.b?.seconds, L.a?.seconds), TARGETS.dryRunOverParse, (n) => `${n.toFixed(2)}×`) },
    { name: '(c) no-op run / (a) parse', ...verdict(ratio(L.c?.seconds, L.a?.seconds), TARGETS.noOpOverParse, (n) => `${n.toFixed(2)}×`) },
    { name: '(d) SQLite apply / (e) plain insert', ...verdict(ratio(L.d?.seconds, L.e?.seconds), TARGETS.sqliteOverPlain, (n) => `${n.toFixed(2)}×`) },
    { name: '(f) resolve + plan / (a) csv-parse', ...verdict(ratio(L.f?.seconds, L.a?.seconds), TARGETS.planOverParse, (n) => `${n.toFixed(2)}×`) },
    { name: '(f) resolve + plan / (g) parse stage', ...verdict(ratio(L.f?.seconds, L.g?.seconds), TARGETS.planOverParse, (n) => `${n.toFixed(2)}×`) },
    { name: '(b) peak RSS', ...verdict(L.b?.peakRssBytes, TARGETS.dryRunPeakRssBytes, fmtMiB) },
    { name: '(q) CLI dry run --json, fresh process / (a) csv-parse', ...verdict(ratio(L.q?.seconds, L.a?.seconds), TARGETS.cliOverParse, (n) => `${n.toFixed(2)}×`) },
    { name: '(q) CLI dry run --json, fresh process: peak RSS', ...verdict(L.q?.peakRssBytes, TARGETS.cliPeakRssBytes, fmtMiB) },
    {
      name: `(b) time per row, ${fmtSize(largest.size)} vs ${fmtSize(smallest?.size ?? 0)}`,
      ...verdict(growthB, TARGETS.perRowGrowth, (n) => `${n.toFixed(2)}×`),
    },
    { name: '(m)/(n) PostgreSQL day-1 apply / plain COPY', ...verdict(ratio(L.m?.seconds, L.n?.seconds), TARGETS.postgresApplyOverCopy, (n) => `${n.toFixed(2)}×`) },
    { name: '(p)/(o) PostgreSQL snapshot among 20 districts / alone: time', ...verdict(ratio(L.p?.seconds, L.o?.seconds), TARGETS.postgresOtherDistricts, (n) => `${n.toFixed(2)}×`) },
    { name: '(p)/(o) PostgreSQL snapshot among 20 districts / alone: peak RSS', ...verdict(ratio(L.p?.peakRssBytes, L.o?.peakRssBytes), TARGETS.postgresOtherDistricts, (n) => `${n.toFixed(2)}×`) },
    ...pairs.flatMap((pair) => {
      const a = L[pair.alone];
      const b = L[pair.two];
      const x = (n: number) => `${n.toFixed(2)}×`;
      return [
        { name: `(${pair.two})/(${pair.alone}) ${pair.name}: time with a second district`, ...verdict(ratio(b?.seconds, a?.seconds), TARGETS.secondDistrict, x) },
        { name: `(${pair.two})/(${pair.alone}) ${pair.name}: peak RSS with a second district`, ...verdict(ratio(b?.peakRssBytes, a?.peakRssBytes), TARGETS.secondDistrict, x) },
      ];
    }),
  ];

  const text = [
    '',
    `Measurements (${MEASUREMENT_IDS[0]}–${MEASUREMENT_IDS[MEASUREMENT_IDS.length - 1]}): ` + opts.only.map((id) => `\n  ${id}  ${MEASUREMENTS[id]}`).join(''),
    '',
    table(['size / measurement', 'rows', 'seconds', 'CPU s', 'rows/s', `per row vs ${fmtSize(smallest?.size ?? 0)}`, 'peak RSS', 'RSS at start', 'peak − start', 'GC pauses s'], measurementRows),
    '',
    table(['size', '(b)/(a)', '(c)/(a)', '(d)/(e)', 'CPU (b)/(a)', 'CPU (c)/(a)', 'CPU (d)/(e)', '(f)/(a)', 'CPU (f)/(a)', '(f)/(g)', '(h)/(a)', '(f)/(h)', 'peak RSS (b)'], ratioRows),
    '',
    ...(districtRows.length === 0
      ? []
      : [
          'A district alone, and with a second district of the same size in the same store (dry run of its next-day file):',
          table(
            ['size / store', 'alone s', 'two s', 'ratio', 'CPU ratio', 'GC pauses s', 'peak RSS alone', 'peak RSS two', 'ratio', 'peak − start alone', 'peak − start two', 'ratio'],
            districtRows,
          ),
          '',
        ]),
    ...(postgresRows.length === 0
      ? []
      : [
          'The PostgreSQL store (first figure / second figure):',
          table(['size / pair', 'first s', 'second s', 'ratio', 'client CPU s', 'server CPU s', 'CPU ratio (both)', 'peak RSS first', 'peak RSS second', 'RSS ratio'], postgresRows),
          '',
        ]),
    ...(cliRows.length === 0
      ? []
      : [
          'The CLI as a user runs it (q): `node dist/cli.js sync --dry-run --json --timings --db <roster of (k)> --file day2.csv --org <district> > file`, fresh process; phases from its --timings, shares of the process wall time:',
          table(['size / (q)', 'measured', 'ratio / share', 'target', 'verdict'], cliRows),
          '',
        ]),
    `Targets${at}:`,
    table(['target', 'measured', 'limit', 'verdict'], targets.map((t) => [t.name, t.value, `≤ ${t.limit}`, t.status])),
    '',
  ].join('\n');
  return { text, targets };
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1] !== undefined) cpu = m[1].trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return { cpu, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / GiB), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

async function main(): Promise<void> {
  const opts = options();
  mkdirSync(BENCH_DIR, { recursive: true });
  const m = machine();
  const loadAtStart = os.loadavg().map((n) => Number(n.toFixed(2)));
  process.stderr.write(
    `guardian-sync bench: sizes ${opts.sizes.map(fmtSize).join(', ')}; measurements ${opts.only.join(',')}; ${m.cpu}, ${m.cores} cores, Node ${m.node}; load average ${loadAtStart.join(' ')}\n`,
  );
  const all: SizeResults[] = [];
  const needsSecond = opts.only.some((id) => NEEDS_SECOND_DISTRICT.includes(id));
  let postgres: BenchPostgres | undefined;
  let postgresFailure: string | undefined;
  if (opts.only.some((id) => NEEDS_POSTGRES.includes(id))) {
    try {
      postgres = await startBenchPostgres();
      process.stderr.write(`PostgreSQL: ${postgres.version}; ${Object.entries(postgres.settings).map(([k, v]) => `${k}=${v}`).join(', ')}\n`);
    } catch (error) {
      postgresFailure = error instanceof Error ? error.message : String(error);
      process.stderr.write(`PostgreSQL FAILED to start\n${postgresFailure}\n`);
    }
  }
  try {
    for (const size of opts.sizes) {
      await ensureDataset(size, opts.seed, needsSecond);
      const entry: SizeResults = { size, results: {}, runs: {} };
      all.push(entry);
      let sqliteDir: string | undefined;
      let snapshotsFailure: string | undefined;
      if (postgres !== undefined && opts.only.some((id) => NEEDS_POSTGRES_SNAPSHOTS.includes(id))) {
        try {
          await ensurePostgresSnapshots(size, opts.seed, postgres.url);
        } catch (error) {
          snapshotsFailure = error instanceof Error ? error.message : String(error);
          process.stderr.write(`FAILED\n${snapshotsFailure}\n`);
        }
      }
      if (opts.only.some((id) => NEEDS_SQLITE_ROSTERS.includes(id))) {
        try {
          sqliteDir = (await ensureSqliteRosters(size, opts.seed, opts.only.includes('l'))).dir;
        } catch (error) {
          process.stderr.write(`FAILED\n${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
      // With BENCH_REPEAT, the measurements take turns (a b … a b …), so that a change in the
      // machine's load falls on all of them, not on one; each keeps its best run.
      for (let round = 0; round < opts.repeat; round++) {
        for (const id of opts.only) {
          process.stderr.write(`  ${fmtSize(size)} (${id})${opts.repeat > 1 ? ` [${round + 1}/${opts.repeat}]` : ''} ${MEASUREMENTS[id]} … `);
          try {
            if (NEEDS_SQLITE_ROSTERS.includes(id) && sqliteDir === undefined) throw new Error('no seeded SQLite roster files (see above)');
            if (NEEDS_POSTGRES.includes(id) && postgres === undefined) throw new Error(`no PostgreSQL server: ${postgresFailure ?? '?'}`);
            if (NEEDS_POSTGRES_SNAPSHOTS.includes(id) && snapshotsFailure !== undefined) throw new Error('no seeded PostgreSQL snapshot schemas (see above)');
            const extra = NEEDS_SQLITE_ROSTERS.includes(id) ? sqliteDir : NEEDS_POSTGRES.includes(id) ? postgres?.url : undefined;
            const r = await measure(id, size, opts, extra, round);
            (entry.runs[id] ??= []).push(r);
            const best = entry.results[id];
            if (best === undefined || r.seconds < best.seconds) entry.results[id] = r;
            process.stderr.write(`${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), peak RSS ${fmtMiB(r.peakRssBytes)}\n`);
          } catch (error) {
            process.stderr.write(`FAILED\n${error instanceof Error ? error.message : String(error)}\n`);
          }
        }
      }
    }
  } finally {
    await postgres?.stop();
  }
  const { text, targets } = render(all, opts);
  const loadAtEnd = os.loadavg().map((n) => Number(n.toFixed(2)));
  console.log(text);
  console.log(`Load average (1, 5, 15 min) at the start ${loadAtStart.join(' ')}, at the end ${loadAtEnd.join(' ')} (${m.cores} cores).`);
  const results = {
    date: new Date().toISOString(),
    command: `${process.env['BENCH_NODE_FLAGS'] !== undefined ? `BENCH_NODE_FLAGS="${process.env['BENCH_NODE_FLAGS']}" ` : ''}${opts.repeat > 1 ? `BENCH_REPEAT=${opts.repeat} ` : ''}${opts.only.length < MEASUREMENT_IDS.length ? `BENCH_ONLY=${opts.only.join(',')} ` : ''}npm run bench -- ${opts.sizes.map(fmtSize).join(' ')}`,
    machine: m,
    ...(postgres === undefined ? {} : { postgres: { version: postgres.version, settings: postgres.settings } }),
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    seed: opts.seed,
    repeat: opts.repeat,
    datasets: Object.fromEntries(
      opts.sizes.map((s) => [s, { ...readStats(datasetPaths(s, opts.seed)), ...(needsSecond ? { second: readSecondStats(secondDatasetPaths(s, opts.seed)) } : {}) }]),
    ),
    sizes: all,
    targets,
    table: text,
  };
  writeFileSync(join(BENCH_DIR, 'results.json'), JSON.stringify(results, null, 2));
  writeFileSync(join(BENCH_DIR, `results-${results.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  process.stderr.write(`results written to ${join(BENCH_DIR, 'results.json')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
