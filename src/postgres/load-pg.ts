// Loads node-postgres (`pg`) only when the store is asked to connect itself (from a
// connection string, or a dedicated lock connection). It is an optional peer dependency:
// hosts that pass their own pool, or never use PostgreSQL, must not need it installed.
// `createRequire` works in both builds (tsup shims `import.meta.url` in the CJS one).
import { createRequire } from 'node:module';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { PgModule } from './pg-types.js';

/** How a module is required; injectable so the missing-package error can be tested. */
export type RequireFunction = (id: string) => unknown;

const INSTALL_HINT = 'The PostgreSQL roster store needs the optional package pg: install it with "npm install pg@8", or pass your own pool (the "pool" option).';

/** Returns the `pg` module (its Pool and Client classes); a clear INVALID_CONFIGURATION error when it is not installed. */
export function loadPg(requireModule: RequireFunction = createRequire(import.meta.url)): PgModule {
  let loaded: unknown;
  try {
    loaded = requireModule('pg');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new GuardianSyncError('INVALID_CONFIGURATION', INSTALL_HINT);
    throw new GuardianSyncError('INVALID_CONFIGURATION', `pg is installed but could not be loaded${typeof code === 'string' ? ` (${code})` : ''}: reinstall it ("npm install pg@8").`);
  }
  // CJS `pg` exports { Pool, Client, … }; an ESM wrapper may put them under `default`.
  const candidates = [loaded, (loaded as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    const module = candidate as Partial<PgModule> | null | undefined;
    if (typeof module?.Pool === 'function' && typeof module.Client === 'function') return module as PgModule;
  }
  throw new GuardianSyncError('INVALID_CONFIGURATION', INSTALL_HINT);
}
