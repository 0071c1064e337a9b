// A worker process: takes `guardian-sync` jobs from pg-boss one at a time and runs each
// district's sync against the platform's PostgreSQL roster, with one store (one pool) for the
// whole process. Run as many as the database and the file server take; see README.md.
//
//   DATABASE_URL=postgresql://… WORKER_ID=worker-1 npx tsx examples/platform-workers/worker.ts
//
// Settings (environment), defaults in brackets:
//   DATABASE_URL               the roster's database (required)
//   PGBOSS_DATABASE_URL        pg-boss's database [DATABASE_URL]
//   WORKER_ID                  shown in logs and as the connections' application_name [<host>-<pid>]
//   ROSTER_SCHEMA              the roster store's schema [guardian_sync]
//   PGBOSS_SCHEMA              pg-boss's schema [pgboss]
//   ROSTER_POOL_SIZE           connections of the roster pool: the run's lock session + its queries [3]
//   POLL_INTERVAL_SECONDS      how often an idle worker asks for a job (≥ 0.5) [2]
//   JOB_LEASE_SECONDS          a killed worker's job is failed (and retried) this long after its last renewal,
//                              checked every quarter of it; 0 = no lease, only the hard cap (JOB_EXPIRE_SECONDS) [60]
//   MAINTENANCE_INTERVAL_SECONDS  how often some worker runs pg-boss maintenance (expiry at the hard cap, archiving) [60]
//   SHUTDOWN_TIMEOUT_SECONDS   on SIGTERM, how long a running sync may finish before it is cancelled [120]
//
// stdout: one JSON line per job (run id, district, status, error codes, counts; never a
// name, email or phone), plus `ready`, `stopping` and `stopped`. stderr: warnings as JSON.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { createLocalFileSource, isGuardianSyncError, syncGuardians, type Logger, type SyncCounts, type SyncStatus } from '../../src/index.js';
import { createPostgresStore, type PostgresStore } from '../../src/postgres/index.js';
import {
  ensureQueue,
  envInteger,
  failLapsedJobs,
  leaseCheckSeconds,
  envNumber,
  envString,
  isEntryPoint,
  parseJobData,
  QUEUE,
  requiredEnv,
  retryableCode,
  runErrorCodes,
  startJobLease,
} from './queue.js';

export interface WorkerConfig {
  readonly databaseUrl: string;
  readonly bossDatabaseUrl: string;
  readonly workerId: string;
  readonly rosterSchema: string;
  readonly bossSchema: string;
  readonly rosterPoolSize: number;
  readonly pollingIntervalSeconds: number;
  readonly jobLeaseSeconds: number;
  readonly maintenanceIntervalSeconds: number;
  readonly shutdownTimeoutSeconds: number;
}

export function readWorkerConfig(): WorkerConfig {
  const databaseUrl = requiredEnv('DATABASE_URL');
  return {
    databaseUrl,
    bossDatabaseUrl: envString('PGBOSS_DATABASE_URL', databaseUrl),
    workerId: envString('WORKER_ID', `${hostname()}-${process.pid}`),
    rosterSchema: envString('ROSTER_SCHEMA', 'guardian_sync'),
    bossSchema: envString('PGBOSS_SCHEMA', 'pgboss'),
    rosterPoolSize: Math.max(2, envInteger('ROSTER_POOL_SIZE', 3)),
    pollingIntervalSeconds: Math.max(0.5, envNumber('POLL_INTERVAL_SECONDS', 2)),
    jobLeaseSeconds: envInteger('JOB_LEASE_SECONDS', 60),
    maintenanceIntervalSeconds: Math.max(1, envInteger('MAINTENANCE_INTERVAL_SECONDS', 60)),
    shutdownTimeoutSeconds: envNumber('SHUTDOWN_TIMEOUT_SECONDS', 120),
  };
}

/** What a completed job keeps as its pg-boss output (no personal data). */
export interface JobOutput {
  readonly runId: string;
  readonly status: SyncStatus;
  readonly counts: SyncCounts;
}

/** A failed run worth another attempt: thrown so that pg-boss fails the job and retries it. */
class RetryableSyncFailure extends Error {
  override readonly name = 'RetryableSyncFailure';
}

export interface RunningWorker {
  /** Stops taking jobs, lets the running sync finish (cancelled after the timeout), closes everything. */
  stop(reason: string): Promise<void>;
}

export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  const { workerId } = config;
  const out = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>): void => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, workerId, ...fields });
    (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
  };
  const jobLine = (level: 'info' | 'warn', fields: Record<string, unknown>): void => {
    // Job lines go to stdout whatever their level: one line per job, in one stream.
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, workerId, event: 'job', ...fields })}\n`);
  };

  // One pool and one store for the process. application_name names the worker in
  // pg_stat_activity, next to the backend that holds a district's lock.
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.rosterPoolSize, application_name: `guardian-sync-worker:${workerId}` });
  pool.on('error', (error) => out('warn', { event: 'roster-pool-error', error: error.message }));
  let store: PostgresStore;
  try {
    store = await createPostgresStore({ pool, schema: config.rosterSchema });
  } catch (error) {
    await pool.end();
    throw error;
  }

  const boss = new PgBoss({
    connectionString: config.bossDatabaseUrl,
    schema: config.bossSchema,
    application_name: `guardian-sync-worker:${workerId}:pg-boss`,
    max: 3,
    // Every worker supervises; pg-boss lets one of them run maintenance per interval: jobs
    // past their hard cap are failed there (a killed worker's, when there is no lease).
    supervise: true,
    maintenanceIntervalSeconds: config.maintenanceIntervalSeconds,
    schedule: false,
  });
  boss.on('error', (error) => out('warn', { event: 'pg-boss-error', error: error.message }));
  await boss.start();
  await ensureQueue(boss);

  // The library's own warnings (a lock renewal that failed, a history entry not saved). Its
  // messages carry ids and error codes, never row values.
  const libraryLogger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (fields, msg) => out('warn', { event: 'sync-warning', msg, ...fields }),
    error: (fields, msg) => {
      if (msg !== 'guardian sync finished') out('error', { event: 'sync-error', msg, ...fields });
    },
  };

  const running = new Set<AbortController>();

  async function runJob(job: PgBoss.JobWithMetadata<unknown>): Promise<JobOutput> {
    const started = Date.now();
    const attempt = job.retryCount + 1;
    let data: ReturnType<typeof parseJobData>;
    try {
      data = parseJobData(job.data);
    } catch (error) {
      // Written by hand or by another scheduler: fails (retries cannot fix it, the limit ends it).
      jobLine('warn', { jobId: job.id, attempt, status: 'error', errors: ['INVALID_JOB_DATA'], outcome: 'retry' });
      throw error;
    }
    const runId = randomUUID();
    const controller = new AbortController();
    running.add(controller);
    // pg-boss gives up on the attempt at its hard cap (expireInSeconds) without telling the
    // handler: cancel the run a little before, so that it never outlives its job.
    const hardCap = setTimeout(() => controller.abort(), Math.max(1_000, Number(job.expireInSeconds) * 1000 - 2_000));
    hardCap.unref();
    const lease =
      config.jobLeaseSeconds > 0
        ? startJobLease({
            boss,
            bossSchema: config.bossSchema,
            jobId: job.id,
            workerId,
            leaseSeconds: config.jobLeaseSeconds,
            onError: (error) => out('warn', { event: 'job-lease-error', jobId: job.id, error: error instanceof Error ? error.message : String(error) }),
          })
        : undefined;
    try {
      await lease?.ready;
      const report = await syncGuardians({
        scope: { level: 'district', orgId: data.districtId },
        store,
        source: createLocalFileSource({ path: data.path }),
        runId,
        signal: controller.signal,
        logger: libraryLogger,
      });
      const retry = retryableCode(report);
      jobLine(report.status === 'failed' || report.status === 'failed-threshold' ? 'warn' : 'info', {
        jobId: job.id,
        attempt,
        runId: report.runId,
        districtId: data.districtId,
        status: report.status,
        errors: runErrorCodes(report),
        counts: report.counts,
        durationMs: Date.now() - started,
        outcome: retry === undefined ? 'completed' : 'retry',
      });
      // Thrown, the job fails and pg-boss retries it (retryLimit, retryDelay with backoff).
      if (retry !== undefined) throw new RetryableSyncFailure(`guardian sync of district ${data.districtId} failed with ${retry} (run ${runId}); the job is retried`);
      return { runId: report.runId, status: report.status, counts: report.counts };
    } catch (error) {
      // Only invalid options throw out of syncGuardians (INVALID_CONFIGURATION): log the code.
      if (!(error instanceof RetryableSyncFailure)) {
        jobLine('warn', {
          jobId: job.id,
          attempt,
          runId,
          districtId: data.districtId,
          status: 'error',
          errors: [isGuardianSyncError(error) ? error.code : 'EXCEPTION'],
          durationMs: Date.now() - started,
          outcome: 'retry',
        });
      }
      throw error;
    } finally {
      clearTimeout(hardCap);
      lease?.stop();
      running.delete(controller);
    }
  }

  // Jobs of killed (or stalled) workers: failed for a retry once their lease has lapsed.
  let checking = false;
  const leaseCheck =
    config.jobLeaseSeconds > 0
      ? setInterval(() => {
          if (checking) return;
          checking = true;
          failLapsedJobs(boss, config.bossSchema, config.jobLeaseSeconds, workerId)
            .then((lapsed) => {
              for (const job of lapsed) out('info', { event: 'job-lease-lapsed', jobId: job.jobId, districtId: job.districtId, heldBy: job.workerId });
            })
            .catch((error: unknown) => out('warn', { event: 'job-lease-check-error', error: error instanceof Error ? error.message : String(error) }))
            .finally(() => (checking = false));
        }, leaseCheckSeconds(config.jobLeaseSeconds) * 1000)
      : undefined;

  await boss.work<unknown>(QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: config.pollingIntervalSeconds }, async (jobs) => {
    // batchSize 1: one job, one district, one run at a time per worker.
    const [job] = jobs;
    if (job === undefined) return undefined;
    return runJob(job);
  });
  out('info', { event: 'ready', pid: process.pid, queue: QUEUE });

  let stopping: Promise<void> | undefined;
  return {
    stop(reason) {
      stopping ??= (async () => {
        out('info', { event: 'stopping', reason, running: running.size });
        clearInterval(leaseCheck);
        // A sync still running when the grace period ends is cancelled between two writes
        // (ABORTED, nothing half-applied): its job fails and another worker retries it.
        const cancel = setTimeout(() => {
          for (const controller of running) controller.abort();
        }, config.shutdownTimeoutSeconds * 1000);
        cancel.unref();
        try {
          // graceful: stop fetching, wait for the running job and let it complete or fail.
          await boss.stop({ graceful: true, timeout: (config.shutdownTimeoutSeconds + 15) * 1000 });
        } catch (error) {
          out('warn', { event: 'pg-boss-stop-error', error: error instanceof Error ? error.message : String(error) });
        } finally {
          clearTimeout(cancel);
        }
        await store.close();
        await pool.end();
        out('info', { event: 'stopped', reason });
      })();
      return stopping;
    },
  };
}

async function main(): Promise<void> {
  const worker = await startWorker(readWorkerConfig());
  const onSignal = (signal: NodeJS.Signals): void => {
    void worker.stop(signal).then(
      () => {
        // Everything is closed: the process ends on its own; the timer only guards against a
        // handle someone left open.
        setTimeout(() => process.exit(0), 2_000).unref();
      },
      (error: unknown) => {
        process.stderr.write(`${JSON.stringify({ level: 'error', event: 'stop-failed', error: error instanceof Error ? error.message : String(error) })}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

if (isEntryPoint(import.meta.url)) {
  await main();
}
