// Starts a throwaway PostgreSQL server for the tests from the distribution's binaries
// (Debian: /usr/lib/postgresql/<version>/bin): a new cluster in a temp folder, trust
// authentication, listening on 127.0.0.1 only on a free port, its socket in the temp folder,
// fsync off (the data is thrown away). initdb and the server refuse to run as root, so as
// root they run as the `postgres` user (made by Debian's package), which owns the folder.
// Stopped with `pg_ctl stop -m immediate` and the folder removed afterwards, also when the
// test run is killed (a watchdog process waits for it to end).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the global setup hands the test files (through vitest's provide / inject). */
export interface PostgresTarget {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`, or null when no server runs. */
  readonly url: string | null;
  /** Why there is no server: binaries missing (a skip outside CI) or a failed start (always a failure). */
  readonly reason: string | null;
  /** True when the binaries were found but the server did not start: the tests fail rather than skip. */
  readonly failed: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresTarget;
  }
}

export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

export interface PostgresServer {
  readonly url: string;
  readonly port: number;
  /** The server's log so far (for a failed test's message). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** initdb and pg_ctl of the newest PostgreSQL under /usr/lib/postgresql, else from /usr/local/bin or /usr/bin; null when absent. */
export function findPostgresBinaries(): PostgresBinaries | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dirs = [...versions.map((v) => join(root, v, 'bin')), '/usr/local/bin', '/usr/bin'];
  for (const dir of dirs) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return null;
}

/** True when running under CI, where a missing PostgreSQL must fail the tests, never skip them. */
export function inCi(): boolean {
  return process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root), as ourselves otherwise. */
async function runAs(binary: string, args: readonly string[], cwd: string): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
  await run(command, commandArgs, { cwd, timeout: 60_000, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a server; throws (with initdb's or the server's output) when it cannot. */
export async function startPostgres(binaries: PostgresBinaries): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'gsync-postgres-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(dir, uid, gid);
  }
  const cleanup = async (): Promise<void> => {
    await runAs(binaries.pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30'], dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await initCluster(binaries, data, dir);
    let port = 0;
    // A port found free may be taken before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        '-c listen_addresses=127.0.0.1',
        `-p ${port}`,
        `-k ${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await runAs(binaries.pgCtl, ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-o', options], dir);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const watchdog = startWatchdog(binaries, data, dir);
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      port,
      log: () => readFile(logFile, 'utf8').catch(() => ''),
      async stop() {
        watchdog.kill();
        await cleanup();
      },
    };
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await cleanup();
    const detail = (error as { stderr?: unknown }).stderr;
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${typeof detail === 'string' ? detail : ''}${log}`);
  }
}

/**
 * A detached shell that stops the server and removes its folder once this process is gone,
 * however it went (a test run killed with SIGTERM or SIGKILL runs no teardown and no exit
 * handler). `stop()` kills it first: then the teardown cleans up itself.
 */
function startWatchdog(binaries: PostgresBinaries, data: string, dir: string): ChildProcess {
  const stop = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', binaries.pgCtl] : [binaries.pgCtl];
  const script = 'parent=$1; dir=$2; shift 2; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1; rm -rf "$dir"';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(process.pid), dir, ...stop, 'stop', '-D', data, '-m', 'immediate'], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

async function initCluster(binaries: PostgresBinaries, data: string, cwd: string): Promise<void> {
  const common = ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'];
  try {
    // C.UTF-8: lower() folds non-ASCII letters as a production database's locale would.
    await runAs(binaries.initdb, [...common, '--locale=C.UTF-8'], cwd);
  } catch {
    await rm(data, { recursive: true, force: true });
    await runAs(binaries.initdb, [...common, '--no-locale'], cwd);
  }
}
