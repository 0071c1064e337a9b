// Opens the CLI's embedded roster: a SQLite file (`--db`). better-sqlite3 is an optional
// peer dependency, so it is loaded only by the commands that need it (validate never does),
// and its absence is a configuration error that says how to install it.
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
  if (dbPath === undefined || dbPath === '') throw new UsageError('--db <sqlite> is required: the roster database file.', command);
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
