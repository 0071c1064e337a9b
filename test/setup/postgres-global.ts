// Vitest global setup: one throwaway PostgreSQL server per test run, shared by every
// PostgreSQL test file through `inject('postgres')`. Each test makes its own schema or
// database in it, so files running at once never see each other's data. Without the
// binaries the tests skip with the reason, except in CI, where they fail.
import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binaries = findPostgresBinaries();
  let server: PostgresServer | undefined;
  if (binaries === null) {
    project.provide('postgres', {
      url: null,
      failed: false,
      reason: 'PostgreSQL binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin, /usr/local/bin or /usr/bin: install them with "apt-get install -y postgresql".',
    });
  } else {
    try {
      server = await startPostgres(binaries);
      project.provide('postgres', { url: server.url, failed: false, reason: null });
    } catch (error) {
      project.provide('postgres', { url: null, failed: true, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return async () => {
    await server?.stop();
  };
}
