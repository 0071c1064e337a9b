// The nightly job of a host that receives guardians.csv from a district over SFTP: fetch
// with a pinned host key, run the sync (here a dry run: nothing changes), print what
// happened. Configuration comes from the environment, secrets included, as a scheduler
// (cron, Kubernetes CronJob, systemd timer) would pass them:
//
//   SFTP_HOST=sftp.district.example.org SFTP_PORT=22 SFTP_USER=district \
//   SFTP_KEY_FILE=~/.ssh/district_ed25519   (or SFTP_PASSWORD=…) \
//   SFTP_HOST_KEY='SHA256:…[,SHA256:… while the key is rotated]' \
//   SFTP_PATH=/inbox [SFTP_FILE_NAME=guardians.csv] [SFTP_ARCHIVE_DIR=/inbox/archive] \
//   [GSYNC_DB=roster.sqlite] [GSYNC_ORG=D1] [GSYNC_APPLY=1] \
//   npx tsx examples/sftp-daily-sync.ts
//
// Without GSYNC_DB the roster is an empty in-memory district (every student is unknown): the
// run then shows the file was fetched and read. Exit code 0 when the run did not fail.
import { readFileSync } from 'node:fs';
import { createSftpSource } from '../src/sftp/index.js';
import type { RosterStore } from '../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../src/errors/guardian-sync-error.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import type { Logger } from '../src/contracts/logger.js';

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function required(name: string): string {
  const value = env(name);
  if (value === undefined) throw new Error(`Set ${name} (see the comment at the top of examples/sftp-daily-sync.ts).`);
  return value;
}

// A pino-style logger on stderr; the SFTP source gives it safe fields only.
const logger: Logger = {
  debug: () => undefined,
  info: (obj, msg) => console.error(`info  ${msg ?? ''} ${JSON.stringify(obj)}`),
  warn: (obj, msg) => console.error(`warn  ${msg ?? ''} ${JSON.stringify(obj)}`),
  error: (obj, msg) => console.error(`error ${msg ?? ''} ${JSON.stringify(obj)}`),
};

async function main(): Promise<number> {
  const keyFile = env('SFTP_KEY_FILE');
  const source = createSftpSource({
    host: required('SFTP_HOST'),
    port: Number(env('SFTP_PORT') ?? 22),
    username: required('SFTP_USER'),
    password: env('SFTP_PASSWORD'),
    privateKey: keyFile === undefined ? undefined : readFileSync(keyFile, 'utf8'),
    passphrase: env('SFTP_KEY_PASSPHRASE'),
    hostKeys: required('SFTP_HOST_KEY').split(',').map((pin) => pin.trim()),
    path: env('SFTP_PATH') ?? '/',
    fileName: env('SFTP_FILE_NAME'),
    archiveDir: env('SFTP_ARCHIVE_DIR'),
    stableCheckMs: Number(env('SFTP_STABLE_CHECK_MS') ?? 5000),
    logger,
  });
  const orgId = env('GSYNC_ORG') ?? 'D1';
  let store: RosterStore & { close?: () => Promise<void> | void };
  const dbPath = env('GSYNC_DB');
  if (dbPath !== undefined) {
    const { createSqliteStore } = await import('../src/sqlite/index.js');
    store = createSqliteStore({ database: dbPath });
  } else {
    store = createMemoryStore({ initial: { orgs: [{ id: orgId, name: 'Example district', type: 'district', parentId: null }] } });
  }

  console.error(`fetching ${source.description}`);
  try {
    const report = await syncGuardians({
      scope: { level: 'district', orgId },
      source,
      store,
      dryRun: env('GSYNC_APPLY') !== '1',
      logger,
    });
    const file = report.file;
    console.log(`status: ${report.status}${report.dryRun ? ' (dry run)' : ''}`);
    if (file !== null) console.log(`file: ${file.name}, ${file.size} bytes, sha256 ${file.sha256}, ${file.encoding}, ${file.rows} rows`);
    console.log(`counts: ${JSON.stringify(report.counts)}`);
    const codes = new Map<string, number>();
    for (const issue of report.issues) codes.set(issue.code, (codes.get(issue.code) ?? 0) + 1);
    for (const [code, count] of codes) console.log(`issue ${code}: ${count}`);
    return report.status === 'failed' || report.status === 'failed-threshold' ? 1 : 0;
  } finally {
    await store.close?.();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Our errors are safe to print; anything else is reduced to its message.
    console.error(isGuardianSyncError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
