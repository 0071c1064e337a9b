// The PostgreSQL server of the benchmark's PostgreSQL measurements (m)–(p): Debian's
// PostgreSQL binaries (found as the tests find them, test/support/postgres-server.ts), but a
// cluster that is kept in `.bench/postgres/` between runs (the seeded schemas of (o) and (p)
// live in it) and settings of a real server rather than of a throwaway one:
//
//   shared_buffers 1GB, effective_cache_size 8GB, work_mem 64MB, maintenance_work_mem 512MB,
//   max_wal_size 8GB, checkpoint_timeout 15min, random_page_cost 1.1 (SSD);
//   durability at PostgreSQL's defaults (synchronous_commit on, full_page_writes on,
//   wal_level replica) except fsync off, as the test server has it.
//
// The test server's synchronous_commit=off and full_page_writes=off are NOT used here. The
// cluster is made once (initdb, C.UTF-8 as the tests') and reused while `cluster.json`
// matches (binaries' version and the initdb options); the settings are given on every start,
// so a change of settings needs no new cluster. Listens on 127.0.0.1 only, on a free port,
// trust authentication. As root, initdb and the server run as the `postgres` user.
// Started once per `npm run bench` by run.ts, stopped (`pg_ctl stop -m fast`) at its end; a
// detached watchdog stops it if the bench is killed.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBinaries } from '../test/support/postgres-server.js';
import { BENCH_DIR } from './dataset.js';

const run = promisify(execFile);

/** The server settings of the benchmark (see the header); recorded with the results. */
export const BENCH_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '1GB',
  effective_cache_size: '8GB',
  work_mem: '64MB',
  maintenance_work_mem: '512MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
  random_page_cost: '1.1',
  max_connections: '50',
  // The one departure from durable defaults, as on the test server: the data is the bench's own.
  fsync: 'off',
};

/** Bump when the cluster must be made anew (initdb options). */
const CLUSTER_VERSION = 1;

export interface BenchPostgres {
  readonly url: string;
  /** PostgreSQL's version string (SELECT version()). */
  readonly version: string;
  readonly settings: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

function runAs(binary: string, args: readonly string[]): Promise<{ stdout: string }> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
  return run(command, commandArgs, { timeout: 120_000, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Starts the bench's server (making the cluster when there is none that matches). */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const binaries = findPostgresBinaries();
  if (binaries === null) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install -y postgresql');
  const root = resolve(BENCH_DIR, 'postgres');
  const data = join(root, 'data');
  const logFile = join(root, 'server.log');
  const markerFile = join(root, 'cluster.json');
  const binaryVersion = (await run(binaries.pgCtl, ['--version'])).stdout.trim();
  const marker = JSON.stringify({ clusterVersion: CLUSTER_VERSION, binaryVersion });
  mkdirSync(root, { recursive: true });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
  }
  // One server per cluster: a bench (or tool) running already has it; its watchdog stops it
  // when that process ends. A stale postmaster.pid without a server is pg_ctl's to handle.
  if (existsSync(join(data, 'postmaster.pid'))) {
    const running = await runAs(binaries.pgCtl, ['status', '-D', data]).then(
      () => true,
      () => false,
    );
    if (running) throw new Error(`a PostgreSQL server is already running on ${data} (another bench or tool): wait for it, or stop it with pg_ctl stop -D ${data}`);
  }
  if (!existsSync(markerFile) || readFileSync(markerFile, 'utf8') !== marker || !existsSync(join(data, 'PG_VERSION'))) {
    rmSync(data, { recursive: true, force: true });
    rmSync(markerFile, { force: true });
    await runAs(binaries.initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    writeFileSync(markerFile, marker);
  }
  let port = 0;
  const options = (p: number): string =>
    ['-c listen_addresses=127.0.0.1', `-p ${p}`, `-k ${root}`, ...Object.entries(BENCH_POSTGRES_SETTINGS).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await runAs(binaries.pgCtl, ['start', '-D', data, '-l', logFile, '-w', '-t', '120', '-o', options(port)]);
      break;
    } catch (error) {
      if (attempt >= 3) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
        throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`);
      }
    }
  }
  const watchdog = startWatchdog(binaries.pgCtl, data);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const version = ((await client.query('SELECT version() AS v')).rows[0] as { v: string }).v;
  const shown: Record<string, string> = {};
  for (const name of [...Object.keys(BENCH_POSTGRES_SETTINGS), 'synchronous_commit', 'full_page_writes', 'wal_level']) {
    shown[name] = ((await client.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name] ?? '?';
  }
  await client.end();
  return {
    url,
    version,
    settings: shown,
    async stop() {
      watchdog.kill();
      await runAs(binaries.pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '120']).catch(() => undefined);
    },
  };
}

/** Stops the server once this process is gone, however it went (the cluster itself is kept). */
function startWatchdog(pgCtl: string, data: string): ChildProcess {
  const stop = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', pgCtl] : [pgCtl];
  const script = 'parent=$1; shift; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(process.pid), ...stop, 'stop', '-D', data, '-m', 'fast'], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}
