// What the scheduler and the workers share: the queue, the job's data, the job options, the
// job lease, and reading settings from the environment. See README.md in this folder.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import PgBoss from 'pg-boss';
import type { IssueCode, SyncReport } from '../../src/index.js';

/** The pg-boss queue of the daily guardian syncs: one job per district. */
export const QUEUE = 'guardian-sync';

/** What a job carries: which district, and where its guardians.csv is. Nothing personal. */
export interface GuardianSyncJob {
  readonly districtId: string;
  /** Absolute path of the district's guardians.csv, on storage every worker sees. */
  readonly path: string;
}

const DISTRICT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isDistrictId(value: string): boolean {
  return DISTRICT_ID.test(value);
}

/** The job's data, checked: a job written by hand or by an older scheduler fails loudly. */
export function parseJobData(data: unknown): GuardianSyncJob {
  const { districtId, path } = (data ?? {}) as { districtId?: unknown; path?: unknown };
  if (typeof districtId !== 'string' || !isDistrictId(districtId)) throw new Error('job data: "districtId" must be a district id');
  if (typeof path !== 'string' || path === '') throw new Error('job data: "path" must name the district\'s guardians.csv');
  return { districtId, path };
}

/**
 * Creates the queue (idempotent; every process may call it at start). Policy `stately`: at
 * most one job per district waits (created or retry) and at most one runs (active), keyed by
 * the job's singletonKey, the district id. A scheduler that runs twice queues nothing twice,
 * and two workers never get the same district at once (the scope lock would refuse the
 * second anyway: SYNC_IN_PROGRESS).
 */
export async function ensureQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'stately' });
  const queue = await boss.getQueue(QUEUE);
  if (queue?.policy !== 'stately') {
    throw new Error(`the pg-boss queue "${QUEUE}" exists with policy "${queue?.policy ?? 'none'}", not "stately": delete it (deleteQueue) or recreate it`);
  }
}

/** Per-job retry and expiry (they override the queue's, so a change takes effect on the next schedule). */
export interface JobPolicy {
  /**
   * pg-boss's expiry of one attempt (`expireInSeconds`), the hard cap: pg-boss fails the
   * attempt (in the worker, and in the database if no worker is left) when it takes longer.
   * Must exceed the longest district's run with a margin: the worker cancels a run that
   * reaches it (ABORTED, between two writes), so a run never outlives its job. A killed
   * worker's job is found much sooner, through its lease (JOB_LEASE_SECONDS, startJobLease).
   */
  readonly expireInSeconds: number;
  /** Attempts after the first. */
  readonly retryLimit: number;
  /** Seconds before the first retry; with backoff, attempt n waits about delay × 2^(n-1) × (1 + random). */
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
}

export const DEFAULT_JOB_POLICY: JobPolicy = {
  expireInSeconds: 2 * 60 * 60,
  retryLimit: 6,
  retryDelaySeconds: 30,
  retryBackoff: true,
};

/** pg-boss send options of a district's job. */
export function jobOptions(job: GuardianSyncJob, policy: JobPolicy): PgBoss.SendOptions {
  return {
    singletonKey: job.districtId,
    expireInSeconds: policy.expireInSeconds,
    retryLimit: policy.retryLimit,
    retryDelay: policy.retryDelaySeconds,
    retryBackoff: policy.retryBackoff,
  };
}

/**
 * Issue codes of a failed run that are worth another attempt: another run holds the
 * district (or a previous attempt of this job still runs), the run lost its lock, the roster
 * database or the file server failed (a unique login taken by a concurrent run of another
 * district is a STORE_FAILED too: the next attempt sees that account), or the worker was
 * stopping. Any other failure (no such district, a broken file, the removal threshold) ends
 * the job: its report is in the run history and a retry would fail the same way.
 */
export const RETRYABLE_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>(['SYNC_IN_PROGRESS', 'LOCK_LOST', 'STORE_FAILED', 'SOURCE_UNAVAILABLE', 'ABORTED']);

/** The codes of the run-level errors of a report (never messages: codes carry no data). */
export function runErrorCodes(report: SyncReport): IssueCode[] {
  return [...new Set(report.issues.filter((issue) => issue.severity === 'error' && issue.line === null).map((issue) => issue.code))];
}

/** The retryable code a failed report carries, if any. */
export function retryableCode(report: SyncReport): IssueCode | undefined {
  if (report.status !== 'failed') return undefined;
  return runErrorCodes(report).find((code) => RETRYABLE_CODES.has(code));
}

// ── the job lease ─────────────────────────────────────────────────────────────────────────
//
// pg-boss 10 has no heartbeat: an active job whose worker was killed stays active until its
// expiry (`started_on + expire_in`), which must be the hard cap (longer than the longest
// district's run). A district would wait that long for its retry. So a running worker keeps
// a lease on its job in the job's `output` column (pg-boss writes `output` only when the job
// completes or fails): `{ leaseUntil, workerId }`, renewed every third of the lease. Every
// worker looks for active jobs whose lease has lapsed and fails them with pg-boss's own
// `fail`, which retries them (retryDelay, backoff). A killed worker's district thus waits at
// most the lease, one check interval and the retry delay. A live run stalled longer than the
// lease (a blocked event loop) loses only its job, not the district: the next attempt finds
// the scope lock held (SYNC_IN_PROGRESS) and retries later; the scope lock, not the job,
// is what keeps two runs of a district apart.
//
// This reads and writes pg-boss's job table (version 10's schema), which is not its API; a
// renewal or check that fails is reported, and jobs then fall back to the hard cap.

/** A job's lease lapses this long after the renewal before; checked every quarter of it (≥ 1 s). */
export function leaseCheckSeconds(leaseSeconds: number): number {
  return Math.max(1, leaseSeconds / 4);
}

export interface JobLeaseOptions {
  readonly boss: PgBoss;
  readonly bossSchema: string;
  readonly jobId: string;
  readonly workerId: string;
  readonly leaseSeconds: number;
  readonly onError: (error: unknown) => void;
}

/** Takes the lease on a job this worker just fetched, and renews it until `stop()`. */
export function startJobLease(options: JobLeaseOptions): { readonly ready: Promise<void>; stop(): void } {
  const { boss, jobId, leaseSeconds } = options;
  const sql =
    `UPDATE ${bossSchemaSql(options.bossSchema)}.job SET output = jsonb_build_object('leaseUntil', now() + $3::float8 * interval '1 second', 'workerId', $4::text) ` +
    `WHERE name = $1 AND id = $2::uuid AND state = 'active' AND output->>'reapedBy' IS NULL`;
  let stopped = false;
  const renew = async (): Promise<void> => {
    if (stopped) return;
    try {
      await boss.getDb().executeSql(sql, [QUEUE, jobId, leaseSeconds, options.workerId]);
    } catch (error) {
      options.onError(error);
    }
  };
  const timer = setInterval(() => void renew(), Math.max(200, Math.floor((leaseSeconds * 1000) / 3)));
  timer.unref();
  return {
    ready: renew(),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

export interface LapsedJob {
  readonly jobId: string;
  readonly districtId: string | null;
  /** The worker that held it, when it had renewed at least once. */
  readonly workerId: string | null;
}

/**
 * Fails (for pg-boss to retry) every active job of the queue whose lease has lapsed, or that
 * was never leased and started more than a lease ago. One statement claims them (so two
 * workers never fail one attempt twice, and a job completed meanwhile is left alone), then
 * pg-boss's `fail` moves each to retry, or to failed after its last attempt.
 */
export async function failLapsedJobs(boss: PgBoss, bossSchema: string, leaseSeconds: number, reaper: string): Promise<LapsedJob[]> {
  const s = bossSchemaSql(bossSchema);
  const claim =
    `WITH lapsed AS (SELECT id FROM ${s}.job WHERE name = $1 AND state = 'active' AND output->>'reapedBy' IS NULL ` +
    `AND coalesce((output->>'leaseUntil')::timestamptz, started_on + $2::float8 * interval '1 second') < now() FOR UPDATE SKIP LOCKED) ` +
    `UPDATE ${s}.job j SET output = jsonb_build_object('reapedBy', $3::text, 'lapsedLease', j.output) FROM lapsed ` +
    `WHERE j.name = $1 AND j.id = lapsed.id AND j.state = 'active' ` +
    `RETURNING j.id::text AS "jobId", j.data->>'districtId' AS "districtId", j.output->'lapsedLease'->>'workerId' AS "workerId"`;
  const { rows } = await boss.getDb().executeSql(claim, [QUEUE, leaseSeconds, reaper]);
  const lapsed = rows as LapsedJob[];
  for (const job of lapsed) {
    await boss.fail(QUEUE, job.jobId, { message: `the lease of this job lapsed (its worker ${job.workerId ?? 'unknown'} was killed or stalled); failed by ${reaper} for a retry` });
  }
  return lapsed;
}

/** pg-boss writes its schema name into SQL unquoted (it allows only letters, digits and _), so do we. */
function bossSchemaSql(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,49}$/.test(name)) throw new Error(`not a pg-boss schema name: ${name}`);
  return name;
}

// ── settings from the environment ────────────────────────────────────────────────────────

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set (see examples/platform-workers/README.md)`);
  return value;
}

export function envString(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function envInteger(name: string, fallback: number): number {
  const value = envNumber(name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, not ${value}`);
  return value;
}

export function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not "${text}"`);
  return value;
}

export function envBoolean(name: string, fallback: boolean): boolean {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (/^(1|true|yes)$/i.test(text)) return true;
  if (/^(0|false|no)$/i.test(text)) return false;
  throw new Error(`${name} must be true or false, not "${text}"`);
}

/** The job policy from JOB_EXPIRE_SECONDS, RETRY_LIMIT, RETRY_DELAY_SECONDS and RETRY_BACKOFF. */
export function jobPolicyFromEnv(): JobPolicy {
  return {
    expireInSeconds: envInteger('JOB_EXPIRE_SECONDS', DEFAULT_JOB_POLICY.expireInSeconds),
    retryLimit: envInteger('RETRY_LIMIT', DEFAULT_JOB_POLICY.retryLimit),
    retryDelaySeconds: envInteger('RETRY_DELAY_SECONDS', DEFAULT_JOB_POLICY.retryDelaySeconds),
    retryBackoff: envBoolean('RETRY_BACKOFF', DEFAULT_JOB_POLICY.retryBackoff),
  };
}

/** True when `moduleUrl` is the file node was started with (`npx tsx <file>`). */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === pathToFileURL(resolve(entry)).href;
}
