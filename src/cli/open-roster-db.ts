// Opens the roster a CLI command works on (`--db`): a SQLite file, or a PostgreSQL database
// given as a `postgres://` URL. The drivers (better-sqlite3, pg) are optional peer
// dependencies, loaded only by the commands that need them (validate never does); a missing
// one is a configuration error that says how to install it.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RosterStore } from '../contracts/roster-store.js';
import { UsageError } from './usage-error.js';

export interface OpenRosterDbOptions {
  /** Directory a relative path is resolved against. */
  readonly cwd: string;
  /** Create the file when missing (roster import); otherwise a missing file is a usage error. */
  readonly create: boolean;
}

export async function openRosterDb(command: string, dbPath: string | undefined, options: OpenRosterDbOptions): Promise<RosterStore> {
  if (dbPath === undefined || dbPath === '') throw new UsageError('--db is required: the roster database file, or a postgres:// URL.', command);
  if (/^postgres(ql)?:\/\//i.test(dbPath)) return openPostgres(command, dbPath);
  const path = resolve(options.cwd, dbPath);
  if (!options.create && !existsSync(path)) {
    // Opening would create an empty roster and every sync would fail with SCOPE_NOT_FOUND;
    // a clear word now is kinder.
    throw new UsageError(`no roster database at ${dbPath}: create it first with "guardian-sync roster import --db ${dbPath} users.csv [orgs.csv]".`, command);
  }
  if (options.create) await mkdir(dirname(path), { recursive: true });
  let sqlite: typeof import('../sqlite/index.js');
  try {
    sqlite = await import('../sqlite/index.js');
  } catch (error) {
    throw missingDriver(command, error);
  }
  try {
    return sqlite.createSqliteStore({ database: path });
  } catch (error) {
    if (isModuleNotFound(error)) throw missingDriver(command, error);
    throw error;
  }
}

/**
 * A PostgreSQL roster from `postgres://user@host:port/database?schema=name`. The password
 * comes from the environment (PGPASSWORD, which the driver reads itself) and never from the
 * URL: a URL is seen in shell history and process lists, and the CLI prints its `--db` in
 * errors. `schema` (default `guardian_sync`) is the schema the tables live in.
 */
async function openPostgres(command: string, url: string): Promise<RosterStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('--db: not a valid postgres:// URL. Use postgres://user@host:port/database?schema=name.', command);
  }
  if (parsed.password !== '') {
    throw new UsageError('--db: put the PostgreSQL password in the PGPASSWORD environment variable, not in the URL (a URL ends up in shell history and process lists).', command);
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  let postgres: typeof import('../postgres/index.js');
  try {
    postgres = await import('../postgres/index.js');
  } catch (error) {
    throw missingPg(command, error);
  }
  try {
    return await postgres.createPostgresStore({ connectionString: parsed.toString(), schema, maxConnections: 4 });
  } catch (error) {
    throw missingPg(command, error);
  }
}

function missingPg(command: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (isModuleNotFound(error) || (code === 'INVALID_CONFIGURATION' && /\bpg\b.*install/i.test(message))) {
    return new UsageError('a postgres:// roster needs the optional package pg: install it with "npm install pg@8".', command);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function missingDriver(command: string, error: unknown): Error {
  if (!isModuleNotFound(error)) return error instanceof Error ? error : new Error(String(error));
  return new UsageError('the SQLite roster needs the optional package better-sqlite3: install it with "npm install better-sqlite3@12".', command);
}

/** Runs `body` with the store and closes it afterwards, whatever happens. */
export async function withStore<T>(store: RosterStore, body: (store: RosterStore) => Promise<T>): Promise<T> {
  try {
    return await body(store);
  } finally {
    await store.close?.();
  }
}
