// What one measurement reports, and the helpers every measurement uses to time itself and
// to own its peak RSS.
import { readFileSync, writeFileSync } from 'node:fs';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export const MEASUREMENTS = {
  a: 'baseline: csv-parse of the next-day file to arrays',
  b: 'dry run of the next-day file against the day-1 roster (memory store)',
  c: 'the next-day file again after applying it (no-op run, memory store)',
  d: 'day-1 file applied to an empty SQLite store (syncGuardians)',
  e: 'plain better-sqlite3 insert of the same accounts and links (one transaction)',
  f: 'resolve + plan alone: buildPlan of the next-day rows (already read) against the day-1 roster',
  g: "parse stage: readGuardianInput of the next-day file (decode, parse, validate, normalize)",
  h: 'hash joins alone: the five string-keyed joins any planner of the snapshot makes, on the inputs of f',
  i: 'dry run of the next-day file, memory store holding this district alone (as b)',
  j: 'the same dry run, memory store also holding a second district of the same size (same SIS ids, own people, 1% shared parents)',
  k: 'dry run of the next-day file, SQLite roster file holding this district alone (the CLI: snapshot loaded from the file)',
  l: 'the same dry run, SQLite roster file also holding the second district',
  m: 'PostgreSQL: applyPlan of the day-1 plan into a fresh schema holding the orgs, students and staff (one transaction)',
  n: 'PostgreSQL baseline: plain COPY FROM STDIN of the same accounts, roles, role_sis_ids rows and links into a fresh schema (one transaction)',
  o: 'PostgreSQL: store.loadSnapshot of the district (next-day logins) from a schema holding it alone',
  p: 'PostgreSQL: the same loadSnapshot from a schema also holding 20 other districts of a tenth of its size (same SIS ids, 1% shared parents)',
  q: 'the CLI as a user runs it: node dist/cli.js sync --dry-run --json --timings > file, fresh process, SQLite roster file of (k) (needs npm run build)',
  r: 'OneRoster: dry run of the next-day OneRoster 1.1 export (users.csv of every student and guardian; folder source, format oneroster), SQLite roster file of (k)',
} as const;

/** The measurements that need the second district (generated beside the first). */
export const NEEDS_SECOND_DISTRICT: readonly MeasurementId[] = ['j', 'l'];
/** The measurements that run on seeded SQLite roster files. */
export const NEEDS_SQLITE_ROSTERS: readonly MeasurementId[] = ['k', 'l', 'q', 'r'];
/** The measurements that read the district's OneRoster export (generate-oneroster.ts), written beside its files. */
export const NEEDS_ONEROSTER_EXPORT: readonly MeasurementId[] = ['r'];
/** The measurements that run against the bench's PostgreSQL server (postgres-server.ts). */
export const NEEDS_POSTGRES: readonly MeasurementId[] = ['m', 'n', 'o', 'p'];
/** The measurements that read the seeded snapshot schemas (measure-postgres.ts, `seedPostgresSnapshots`). */
export const NEEDS_POSTGRES_SNAPSHOTS: readonly MeasurementId[] = ['o', 'p'];

export type MeasurementId = keyof typeof MEASUREMENTS;
export const MEASUREMENT_IDS = Object.keys(MEASUREMENTS) as MeasurementId[];

export interface MeasurementResult {
  readonly id: MeasurementId;
  /** Target row count of the dataset (its name). */
  readonly size: number;
  /** Data rows of the file this measurement read (or items it inserted, for e). */
  readonly rows: number;
  readonly seconds: number;
  /**
   * CPU time (user + system, all threads of the process) of the timed part. On a shared
   * machine it moves less than wall time when other processes compete for the cores.
   */
  readonly cpuSeconds: number;
  /** Peak RSS of the timed part, in bytes (high-water mark reset just before it when the OS allows). */
  readonly peakRssBytes: number;
  /** RSS when the timed part started (what the set-up holds: e.g. the day-1 roster). */
  readonly startRssBytes: number;
  /** True when the high-water mark was reset before the timed part (Linux /proc/self/clear_refs). */
  readonly peakIsOfTimedPart: boolean;
  /** Garbage-collection pauses of the main thread during the timed part (V8's `gc` performance entries). */
  readonly gc?: GcPauses | undefined;
  /** Counts that prove the measurement did what it says. */
  readonly details: Record<string, unknown>;
}

/**
 * Runs the timed part: collects garbage left by the set-up, resets the RSS high-water mark,
 * times `work` with performance.now(), then reads the peak.
 */
export interface Timed<T> {
  readonly value: T;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly startRssBytes: number;
  readonly peakIsOfTimedPart: boolean;
  readonly gc: GcPauses;
}

/**
 * Main-thread pauses for garbage collection, in seconds: `major` (mark-compact), `minor`
 * (scavenges of the young generation), `incremental` (marking steps between them). Work of
 * V8's helper threads (concurrent marking) is not a pause: it shows in CPU time only.
 */
export interface GcPauses {
  readonly count: number;
  readonly seconds: number;
  readonly major: number;
  readonly minor: number;
  readonly incremental: number;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const peakIsOfTimedPart = resetPeakRss();
  const startRssBytes = process.memoryUsage.rss();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // ru_maxrss (KiB on Linux) follows the reset high-water mark; VmHWM is the same number, read directly.
  const peakRssBytes = Math.max(process.resourceUsage().maxRSS * 1024, readVmHwm() ?? 0);
  // GC entries arrive on the event loop, a little after the pause: wait for the last ones.
  await new Promise((resolve) => setTimeout(resolve, 200));
  observer.disconnect();
  return { value, seconds, cpuSeconds, peakRssBytes, startRssBytes, peakIsOfTimedPart, gc: gcPauses(entries, started, ended) };
}

function gcPauses(entries: readonly PerformanceEntry[], from: number, to: number): GcPauses {
  let count = 0;
  const ms = { all: 0, major: 0, minor: 0, incremental: 0 };
  for (const entry of entries) {
    if (entry.startTime < from || entry.startTime > to) continue;
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    count++;
    ms.all += entry.duration;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) ms.major += entry.duration;
    else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) ms.minor += entry.duration;
    else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) ms.incremental += entry.duration;
  }
  const s = (n: number) => Math.round(n) / 1000;
  return { count, seconds: s(ms.all), major: s(ms.major), minor: s(ms.minor), incremental: s(ms.incremental) };
}

/** Linux: writing 5 to clear_refs resets the peak RSS to the current RSS. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The process's peak RSS (VmHWM) in bytes, or null where /proc is not there. */
export function readVmHwm(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** The common fields of a result from a timed run. */
export function resultOf<T>(id: MeasurementId, size: number, rows: number, run: Timed<T>, details: Record<string, unknown>): MeasurementResult {
  return {
    id,
    size,
    rows,
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    peakRssBytes: run.peakRssBytes,
    startRssBytes: run.startRssBytes,
    peakIsOfTimedPart: run.peakIsOfTimedPart,
    gc: run.gc,
    details,
  };
}
