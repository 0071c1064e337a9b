// examples/platform-workers against a real PostgreSQL server (the run's, from the global
// setup): the scheduler queues 12 districts, three worker processes take them, one worker is
// killed with SIGKILL in the middle of the largest district's run. Every district must end
// as a sequential run of the same 12 files leaves it, no login shared, the killed district
// taken over within the job lease, and the killed run left in the history as `interrupted`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { leaseCheckSeconds } from '../../examples/platform-workers/queue.js';
import { seedPlatformRoster, writePlatformFixture, type PlatformFixture } from '../../examples/platform-workers/seed.js';
import type { RosterExport } from '../../src/contracts/roster-store.js';
import { createLocalFileSource, syncGuardians } from '../../src/index.js';
import { createPostgresStore, type PostgresStore } from '../../src/postgres/index.js';
import { ROOT, runNode, TSX_LOADER } from '../cli/run-cli-process.js';
import { describePostgres } from '../postgres/postgres-harness.js';

const SCHEDULER = 'examples/platform-workers/schedule.ts';
const WORKER = 'examples/platform-workers/worker.ts';
const ROSTER_SCHEMA = 'platform_roster';
const REFERENCE_SCHEMA = 'sequential_reference';
const BOSS_SCHEMA = 'pgboss_test';
const LARGE = 'D01';
/** A district the test keeps locked at first (as a manual run would): its job must fail with SYNC_IN_PROGRESS and be retried. */
const BLOCKED = 'D12';

/**
 * The knobs of this test (README.md explains each). Small, so that a killed worker's job comes
 * back within seconds; the hard cap stays far above any run here.
 */
const KNOBS = {
  JOB_LEASE_SECONDS: 4,
  RETRY_DELAY_SECONDS: 1,
  RETRY_LIMIT: 10,
  RETRY_BACKOFF: true,
  POLL_INTERVAL_SECONDS: 0.5,
  JOB_EXPIRE_SECONDS: 300,
  SHUTDOWN_TIMEOUT_SECONDS: 10,
} as const;

interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  /** Everything it printed on both streams (to check that no personal data is logged). */
  output: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface JobLine {
  readonly workerId: string;
  readonly event: 'job';
  readonly jobId: string;
  readonly attempt: number;
  readonly runId: string;
  readonly districtId: string;
  readonly status: string;
  readonly errors: string[];
  readonly counts?: Record<string, number>;
  readonly outcome: 'completed' | 'retry';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** An export with account ids replaced by the account's email (every fixture account has one), sorted by it. */
function normalized(roster: RosterExport) {
  const accounts = roster.accounts.map(({ id, ...account }) => ({ key: account.email ?? account.mobilePhone ?? `id:${id}`, ...account }));
  accounts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { districtId: roster.districtId, students: roster.students, accounts };
}

describePostgres('examples/platform-workers: pg-boss workers over one PostgreSQL roster', (serverUrl) => {
  const database = `gs_platform_${process.pid}_${Date.now()}`;
  const url = (() => {
    if (serverUrl === '') return '';
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${database}`;
    return parsed.toString();
  })();
  const admin = serverUrl === '' ? undefined : new pg.Pool({ connectionString: serverUrl, max: 2, application_name: 'platform-workers test admin' });
  admin?.on('error', () => undefined);
  let pool: pg.Pool | undefined;
  let dir: string | undefined;
  const stores: PostgresStore[] = [];
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    for (const store of stores) await store.close();
    await pool?.end();
    await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin?.end();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  function spawnWorker(id: string): WorkerProcess {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, WORKER], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: url,
        WORKER_ID: id,
        ROSTER_SCHEMA,
        PGBOSS_SCHEMA: BOSS_SCHEMA,
        POLL_INTERVAL_SECONDS: String(KNOBS.POLL_INTERVAL_SECONDS),
        JOB_LEASE_SECONDS: String(KNOBS.JOB_LEASE_SECONDS),
        SHUTDOWN_TIMEOUT_SECONDS: String(KNOBS.SHUTDOWN_TIMEOUT_SECONDS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker: WorkerProcess = {
      id,
      child,
      lines: [],
      output: '',
      exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    };
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      worker.output += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          worker.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          worker.lines.push({ event: 'not-json', line });
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (worker.output += chunk));
    workers.push(worker);
    return worker;
  }

  async function schedule(inbox: string): Promise<{ queued: { districtId: string }[]; skipped: string[] }> {
    const result = await runNode(['--import', TSX_LOADER, SCHEDULER], {
      env: {
        DATABASE_URL: url,
        INBOX_DIR: inbox,
        PGBOSS_SCHEMA: BOSS_SCHEMA,
        JOB_EXPIRE_SECONDS: String(KNOBS.JOB_EXPIRE_SECONDS),
        RETRY_LIMIT: String(KNOBS.RETRY_LIMIT),
        RETRY_DELAY_SECONDS: String(KNOBS.RETRY_DELAY_SECONDS),
        RETRY_BACKOFF: String(KNOBS.RETRY_BACKOFF),
      },
    });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { queued: { districtId: string }[]; skipped: string[] };
  }

  it('runs 12 districts on 3 workers, survives a SIGKILL mid-run, and converges to the sequential result', async () => {
    const t0 = Date.now();
    const timings: Record<string, number> = {};
    const mark = (name: string): void => {
      timings[name] = Date.now() - t0;
    };
    await admin!.query(`CREATE DATABASE "${database}"`);
    pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'platform-workers test' });
    pool.on('error', () => undefined);
    const db = pool;

    // 12 districts, S1..Sn and G1..Gm in each, 4 parents in two districts; D01 has 20,002 rows.
    dir = await mkdtemp(join(tmpdir(), 'guardian-sync-platform-'));
    const fixture: PlatformFixture = await writePlatformFixture({ inboxDir: join(dir, 'inbox'), districts: 12, studentsPerDistrict: 30, largeDistricts: { [LARGE]: 10_000 }, sharedParents: 4 });
    expect(fixture.districts.find((d) => d.districtId === LARGE)?.rows).toBe(20_002);
    const platform = await createPostgresStore({ pool: db, schema: ROSTER_SCHEMA });
    const reference = await createPostgresStore({ pool: db, schema: REFERENCE_SCHEMA });
    stores.push(platform, reference);
    await seedPlatformRoster(platform, fixture);
    await seedPlatformRoster(reference, fixture);
    mark('seeded');

    // The scheduler queues each district once, the largest file first; run again, it queues nothing twice.
    const first = await schedule(join(dir, 'inbox'));
    expect(first.queued.map((q) => q.districtId).sort()).toEqual(fixture.districts.map((d) => d.districtId));
    expect(first.queued[0]?.districtId).toBe(LARGE);
    const second = await schedule(join(dir, 'inbox'));
    expect(second.queued).toEqual([]);
    expect(second.skipped.sort()).toEqual(fixture.districts.map((d) => d.districtId));
    mark('scheduled');

    // D12 is busy at first (another run holds its scope lock): its first attempt fails with
    // SYNC_IN_PROGRESS, pg-boss retries it, and once the lock is free it goes through.
    expect(await platform.acquireLock(`district:${BLOCKED}`, { owner: 'test-manual-run', ttlMs: 60_000 })).toEqual({ acquired: true });
    for (const id of ['w1', 'w2', 'w3']) spawnWorker(id);
    const unblocked = (async () => {
      await waitFor(`a retried ${BLOCKED} job`, 60_000, () =>
        workers.some((w) => w.lines.some((line) => line['event'] === 'job' && line['districtId'] === BLOCKED && line['outcome'] === 'retry')) ? true : undefined,
      );
      await platform.releaseLock(`district:${BLOCKED}`, 'test-manual-run');
      mark(`${BLOCKED} unblocked`);
    })();

    // The victim: the worker whose connection holds D01's scope lock while D01's run is saved
    // as `running` (the run is past taking the lock, before its outcome).
    const held = await waitFor(
      `a running ${LARGE} run`,
      45_000,
      async () => {
        const result = await db.query<{ run_id: string; pid: number; application_name: string }>(
          `SELECT r.run_id, h.pid, a.application_name FROM "${ROSTER_SCHEMA}".runs r ` +
            `JOIN "${ROSTER_SCHEMA}".lock_holders h ON h.key = $1 JOIN pg_stat_activity a ON a.pid = h.pid ` +
            `WHERE r.scope_level = 'district' AND r.scope_org_id = $2 AND r.status = 'running'`,
          [`district:${LARGE}`, LARGE],
        );
        return result.rows[0];
      },
      15,
    );
    const victim = workers.find((w) => held.application_name === `guardian-sync-worker:${w.id}`);
    expect(victim, `lock held by ${held.application_name}`).toBeDefined();
    victim!.child.kill('SIGKILL');
    const killedAt = Date.now();
    mark('killed');
    expect(await victim!.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // The session lock ends with the killed process's connection: the server frees it at once.
    await waitFor('the killed worker to lose its advisory lock', 10_000, async () => {
      const result = await db.query<{ held: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND granted) AS held", [held.pid]);
      return result.rows[0]?.held === false ? true : undefined;
    });
    const lockReleaseMs = Date.now() - killedAt;

    // Meanwhile, the reference: the same 12 files synced one after another by one process.
    const referenceRuns = (async () => {
      const statuses: string[] = [];
      for (const district of fixture.districts) {
        const report = await syncGuardians({ scope: { level: 'district', orgId: district.districtId }, store: reference, source: createLocalFileSource({ path: district.path }) });
        statuses.push(`${district.districtId}:${report.status}`);
      }
      return statuses;
    })();

    await unblocked;
    // Every district's job completes (the victim's after its lease lapses and pg-boss retries it).
    const jobs = await waitFor(
      'every district job to complete',
      75_000,
      async () => {
        const result = await db.query<{ singleton_key: string; state: string; retry_count: number }>(
          `SELECT singleton_key, state, retry_count FROM ${BOSS_SCHEMA}.job WHERE name = 'guardian-sync' ORDER BY singleton_key`,
        );
        const failed = result.rows.filter((row) => row.state === 'failed');
        if (failed.length > 0) throw new Error(`jobs failed for good: ${failed.map((row) => row.singleton_key).join(', ')}`);
        return result.rows.length === 12 && result.rows.every((row) => row.state === 'completed') ? result.rows : undefined;
      },
      250,
    );
    mark('all completed');
    expect(jobs.map((job) => job.singleton_key)).toEqual(fixture.districts.map((d) => d.districtId));

    // The survivors stop gracefully on SIGTERM: exit code 0 after `stopped`.
    const survivors = workers.filter((w) => w !== victim);
    for (const worker of survivors) worker.child.kill('SIGTERM');
    for (const worker of survivors) {
      const exit = await Promise.race([worker.exited, sleep(20_000).then(() => ({ code: -1, signal: null }))]);
      expect(exit, worker.output.slice(-2000)).toEqual({ code: 0, signal: null });
      expect(worker.lines.at(-1)).toMatchObject({ event: 'stopped', reason: 'SIGTERM' });
    }
    mark('workers stopped');
    const statuses = await referenceRuns;
    for (const status of statuses) expect(status).toMatch(/:succeeded(-with-warnings)?$/);
    mark('reference done');

    // 1. Every district ends as the sequential runs left it (account ids aside).
    for (const district of fixture.districts) {
      const got = normalized(await platform.exportRoster(district.districtId));
      const want = normalized(await reference.exportRoster(district.districtId));
      expect(got.accounts.length, district.districtId).toBe(want.accounts.length);
      expect(got, district.districtId).toEqual(want);
    }
    const accounts = async (schema: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".accounts`)).rows[0]!.n;
    expect(await accounts(ROSTER_SCHEMA)).toBe(await accounts(REFERENCE_SCHEMA));
    // Each shared parent is one account with a guardian role in both of their districts.
    for (const email of fixture.sharedEmails) {
      const roles = await db.query<{ district_id: string }>(
        `SELECT r.district_id FROM "${ROSTER_SCHEMA}".accounts a JOIN "${ROSTER_SCHEMA}".account_roles r ON r.account_id = a.id WHERE lower(a.email) = $1 AND r.role = 'guardian' AND r.status = 'active' ORDER BY 1`,
        [email],
      );
      expect(roles.rows.length, email).toBe(2);
    }

    // 2. No login is shared: one account per email (any case) and per mobile, platform-wide.
    const sharedEmail = await db.query(`SELECT lower(email) FROM "${ROSTER_SCHEMA}".accounts WHERE email IS NOT NULL GROUP BY lower(email) HAVING count(*) > 1`);
    const sharedMobile = await db.query(`SELECT mobile_phone FROM "${ROSTER_SCHEMA}".accounts WHERE mobile_phone IS NOT NULL GROUP BY mobile_phone HAVING count(*) > 1`);
    expect(sharedEmail.rows).toEqual([]);
    expect(sharedMobile.rows).toEqual([]);

    // 3. The killed district waited no longer than its job lease (plus the retry delay):
    //   - the session lock went with the killed connection (measured above: lockReleaseMs, ms);
    //   - pg-boss 10 itself would notice the dead worker only at the job's hard cap
    //     (JOB_EXPIRE_SECONDS, 300 s here), so the workers lease their jobs: the killed
    //     worker's lease lapses at most JOB_LEASE_SECONDS after the kill (its last renewal
    //     came before it);
    //   - a surviving worker checks for lapsed leases every leaseCheckSeconds (1 s here) and
    //     fails the job through pg-boss;
    //   - pg-boss retries it after RETRY_DELAY_SECONDS × (1 + random) < 2 × the delay
    //     (backoff, first retry: the job's first attempt was the killed one);
    //   - an idle worker polls every POLL_INTERVAL_SECONDS; the run records its start at once;
    //   - plus 5 s for two loaded CPUs (three workers, the reference sync, the server and
    //     other test files on one machine).
    const boundMs =
      Math.max(lockReleaseMs, KNOBS.JOB_LEASE_SECONDS * 1000) +
      leaseCheckSeconds(KNOBS.JOB_LEASE_SECONDS) * 1000 +
      2 * KNOBS.RETRY_DELAY_SECONDS * 1000 +
      KNOBS.POLL_INTERVAL_SECONDS * 1000 +
      5_000;
    const largeRuns = [...(await platform.listRuns({ scope: { level: 'district', orgId: LARGE } }))].reverse();
    const killedIndex = largeRuns.findIndex((run) => run.runId === held.run_id);
    expect(killedIndex).toBeGreaterThanOrEqual(0);
    const takeover = largeRuns[killedIndex + 1];
    expect(takeover, 'a run of the killed district after the kill').toBeDefined();
    const waitedMs = Date.parse(takeover!.startedAt) - killedAt;
    expect(waitedMs).toBeGreaterThan(0);
    expect(waitedMs, `took over ${waitedMs} ms after the kill; bound ${boundMs} ms`).toBeLessThanOrEqual(boundMs);
    expect(largeRuns.at(-1)?.status).toBe('succeeded');

    // 4. The killed run left a trace: `running` when killed, `interrupted` once the district ran again.
    expect(largeRuns[killedIndex]?.status).toBe('interrupted');
    expect((await platform.getRun(held.run_id))?.status).toBe('interrupted');

    // The job lines: one per job attempt, with run id, district, status and counts; the
    // takeover ran on a survivor; nothing personal in any worker's output.
    const jobLines = workers.flatMap((w) => w.lines.filter((line): line is Record<string, unknown> & JobLine => line['event'] === 'job'));
    for (const line of jobLines) {
      expect(Object.keys(line).sort()).toEqual(['attempt', 'counts', 'districtId', 'durationMs', 'errors', 'event', 'jobId', 'level', 'outcome', 'runId', 'status', 'time', 'workerId'].sort());
    }
    const completed = jobLines.filter((line) => line.outcome === 'completed').map((line) => line.districtId);
    expect([...new Set(completed)].sort()).toEqual(fixture.districts.map((d) => d.districtId));
    const takeoverLine = jobLines.find((line) => line.runId === takeover!.runId);
    expect(takeoverLine?.workerId).not.toBe(victim!.id);
    expect(takeoverLine).toMatchObject({ districtId: LARGE, attempt: 2, status: 'succeeded', outcome: 'completed' });
    // It came back through its lapsed lease (not the hard cap): a survivor failed it for a retry.
    const lapsed = workers.flatMap((w) => w.lines.filter((line) => line['event'] === 'job-lease-lapsed'));
    expect(lapsed).toEqual(expect.arrayContaining([expect.objectContaining({ districtId: LARGE, heldBy: victim!.id })]));
    const retried = jobLines.filter((line) => line.outcome === 'retry');
    for (const line of retried) expect(line.errors.some((code) => ['STORE_FAILED', 'SYNC_IN_PROGRESS', 'LOCK_LOST'].includes(code)), JSON.stringify(line)).toBe(true);
    expect(retried.find((line) => line.districtId === BLOCKED)).toMatchObject({ status: 'failed', errors: ['SYNC_IN_PROGRESS'], attempt: 1 });
    const blockedRuns = await platform.listRuns({ scope: { level: 'district', orgId: BLOCKED } });
    expect(blockedRuns.map((run) => run.status)).toContain('failed');
    expect(blockedRuns[0]?.status).toBe('succeeded');
    const everything = workers.map((w) => w.output).join('\n');
    for (const email of fixture.emails) expect(everything.toLowerCase().includes(email), email).toBe(false);
    for (const name of fixture.lastNames) expect(everything.includes(name), name).toBe(false);
    expect(everything).not.toMatch(/\+1\d{10}|\(\d{3}\) \d{3}-\d{4}/);

    mark('asserted');
    console.info(
      `[platform-workers] victim ${victim!.id}; lock released ${lockReleaseMs} ms after the kill; takeover after ${waitedMs} ms (bound ${boundMs} ms); ` +
        `${retried.length} retried attempts (${retried.map((l) => `${l.districtId}:${l.errors.join('+')}`).join(', ')}); timings ${JSON.stringify(timings)}`,
    );
  }, 150_000);
});
