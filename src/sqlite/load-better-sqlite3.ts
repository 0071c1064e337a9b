// Loads better-sqlite3 only when the store is asked to open a file by path. It is an
// optional peer dependency: hosts that pass their own connection (or never use SQLite)
// must not need it installed. `createRequire` works in both builds (tsup shims
// `import.meta.url` in the CJS one) and keeps the factory synchronous.
import { createRequire } from 'node:module';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { SqliteDatabaseConstructor } from './sqlite-database.js';

export type RequireFunction = (id: string) => unknown;

const INSTALL_HINT = 'The SQLite roster store needs the optional package better-sqlite3: install it with "npm install better-sqlite3@12", or pass your own database connection.';

/** Returns better-sqlite3's Database class; a clear INVALID_CONFIGURATION error when it is not installed. */
export function loadBetterSqlite3(requireModule: RequireFunction = createRequire(import.meta.url)): SqliteDatabaseConstructor {
  let loaded: unknown;
  try {
    loaded = requireModule('better-sqlite3');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new GuardianSyncError('INVALID_CONFIGURATION', INSTALL_HINT);
    // Installed but broken (e.g. a native build for another Node version): say so, with the cause's code only.
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      `better-sqlite3 is installed but could not be loaded${typeof code === 'string' ? ` (${code})` : ''}: reinstall it for this Node version ("npm rebuild better-sqlite3").`,
    );
  }
  const constructor = typeof loaded === 'function' ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (typeof constructor !== 'function') throw new GuardianSyncError('INVALID_CONFIGURATION', INSTALL_HINT);
  return constructor as SqliteDatabaseConstructor;
}
