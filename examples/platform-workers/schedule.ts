// The scheduler: queues one `guardian-sync` job per district whose guardians.csv is in the
// inbox (`<INBOX_DIR>/<districtId>/guardians.csv`), then exits. Run it once a day (cron, a
// Kubernetes CronJob, or anything that runs a command); running it twice queues nothing
// twice: the queue's `stately` policy keeps one waiting job per district (singletonKey).
//
//   DATABASE_URL=postgresql://… INBOX_DIR=/srv/inbox npx tsx examples/platform-workers/schedule.ts [districtId …]
//
// Settings (environment): PGBOSS_DATABASE_URL (default DATABASE_URL), PGBOSS_SCHEMA (pgboss),
// JOB_EXPIRE_SECONDS (7200), RETRY_LIMIT (6), RETRY_DELAY_SECONDS (30), RETRY_BACKOFF (true).
// Prints one JSON line: the districts queued and those skipped because a job of theirs waits.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import PgBoss from 'pg-boss';
import { ensureQueue, envString, isDistrictId, isEntryPoint, jobOptions, jobPolicyFromEnv, QUEUE, requiredEnv, type GuardianSyncJob, type JobPolicy } from './queue.js';

export interface InboxDistrict extends GuardianSyncJob {
  /** Bytes of the file. */
  readonly size: number;
}

/**
 * The districts with a guardians.csv in the inbox, largest file first: jobs are taken in the
 * order they were queued, so the longest runs start first and do not finish the day last.
 */
export async function findDistrictFiles(inboxDir: string, only: readonly string[] = []): Promise<InboxDistrict[]> {
  const inbox = resolve(inboxDir);
  const found: InboxDistrict[] = [];
  for (const entry of await readdir(inbox, { withFileTypes: true })) {
    if (!entry.isDirectory() || !isDistrictId(entry.name)) continue;
    if (only.length > 0 && !only.includes(entry.name)) continue;
    const path = join(inbox, entry.name, 'guardians.csv');
    const info = await stat(path).catch(() => null);
    if (info?.isFile() === true) found.push({ districtId: entry.name, path, size: info.size });
  }
  return found.sort((a, b) => b.size - a.size || (a.districtId < b.districtId ? -1 : 1));
}

export interface ScheduleResult {
  readonly queued: readonly { readonly districtId: string; readonly jobId: string }[];
  /** Districts that already have a job waiting (created or retry): not queued again. */
  readonly skipped: readonly string[];
}

/** Queues one job per district, in the order given. */
export async function scheduleDistrictSyncs(boss: PgBoss, districts: readonly GuardianSyncJob[], policy: JobPolicy): Promise<ScheduleResult> {
  const queued: { districtId: string; jobId: string }[] = [];
  const skipped: string[] = [];
  for (const district of districts) {
    const data: GuardianSyncJob = { districtId: district.districtId, path: district.path };
    // null: the queue's policy refused the job because one of this district's is waiting.
    const jobId = await boss.send(QUEUE, data, jobOptions(data, policy));
    if (jobId === null) skipped.push(district.districtId);
    else queued.push({ districtId: district.districtId, jobId });
  }
  return { queued, skipped };
}

async function main(): Promise<void> {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const boss = new PgBoss({
    connectionString: envString('PGBOSS_DATABASE_URL', databaseUrl),
    schema: envString('PGBOSS_SCHEMA', 'pgboss'),
    application_name: 'guardian-sync-scheduler',
    max: 2,
    // A short-lived process: no maintenance loop, no cron clock (the workers supervise).
    supervise: false,
    schedule: false,
  });
  boss.on('error', (error) => process.stderr.write(`${JSON.stringify({ level: 'warn', event: 'pg-boss-error', error: error.message })}\n`));
  await boss.start();
  try {
    await ensureQueue(boss);
    const districts = await findDistrictFiles(requiredEnv('INBOX_DIR'), process.argv.slice(2));
    const result = await scheduleDistrictSyncs(boss, districts, jobPolicyFromEnv());
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event: 'scheduled', queue: QUEUE, queued: result.queued, skipped: result.skipped })}\n`);
  } finally {
    await boss.stop({ graceful: false });
  }
}

if (isEntryPoint(import.meta.url)) {
  await main();
}
