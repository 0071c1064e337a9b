// The CLI against a PostgreSQL roster (`--db postgres://…`), end to end in real processes
// on the run's throwaway server: import, sync, export and run history, two districts in one
// schema; the password only from PGPASSWORD, never from the URL or in any output.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres } from '../postgres/postgres-harness.js';
import { createWorkspace, orgsCsv, studentUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { rosterExportShape, syncReportShape } from './json-shapes.js';
import { runCliProcess, singleJson } from './run-cli-process.js';

let ws: CliWorkspace;

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', orgsCsv({ D1: ['SA'], D2: ['SB'] }));
  await ws.write('users-d1.csv', [USERS_HEADER, studentUser('S1', 'SA', 'Sam', 'Adams'), studentUser('S2', 'SA', 'Sue', 'Adams')].join('\n'));
  await ws.write('users-d2.csv', [USERS_HEADER, studentUser('S1', 'SB', 'Bea', 'Brown')].join('\n'));
  await ws.write('d1.csv', ['studentSisId,guardianSisId,firstName,lastName,email', 'S1,G1,Alice,Adams,alice@a.org', 'S2,G1,Alice,Adams,alice@a.org'].join('\n'));
  await ws.write('d2.csv', ['studentSisId,guardianSisId,firstName,lastName,email', 'S1,G1,Bob,Brown,bob@b.org'].join('\n'));
});
afterAll(() => ws.cleanup());

/** The server URL with a schema of this test's own. */
function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

describePostgres('CLI with --db postgres://', (url) => {
  const cli = (args: readonly string[], env: Record<string, string> = {}) => runCliProcess(args, { cwd: ws.dir, env });

  it('imports, syncs two districts with equal SIS ids, exports each and lists the runs', async () => {
    const db = withSchema(url, `cli_${Date.now().toString(36)}`);
    for (const users of ['users-d1.csv', 'users-d2.csv']) {
      const imported = await cli(['roster', 'import', '--db', db, users, 'orgs.csv', '--json']);
      expect(imported.code, imported.stderr).toBe(0);
    }
    const d1 = await cli(['sync', '--db', db, '--org', 'D1', '--file', 'd1.csv', '--json']);
    expect(d1.code, d1.stderr).toBe(0);
    expect(syncReportShape.parse(singleJson(d1)).counts).toMatchObject({ accountsCreated: 1, linksAdded: 2 });
    const d2 = await cli(['sync', '--db', db, '--org', 'D2', '--file', 'd2.csv', '--json']);
    expect(syncReportShape.parse(singleJson(d2)).counts).toMatchObject({ accountsCreated: 1, linksAdded: 1 });
    // Again: nothing to do, counted from what the store applied.
    const again = await cli(['sync', '--db', db, '--org', 'D1', '--file', 'd1.csv', '--json']);
    expect(syncReportShape.parse(singleJson(again)).counts).toMatchObject({ accountsCreated: 0, linksAdded: 0, unchanged: 2 });

    const view = rosterExportShape.parse(singleJson(await cli(['export', '--db', db, '--org', 'D2', '--json'])));
    expect(view.accounts.map((a) => [a.email, a.students])).toEqual([['bob@b.org', ['S1']]]);
    const runs = await cli(['runs', '--db', db, '--json']);
    expect(runs.code, runs.stderr).toBe(0);
    expect(JSON.stringify(singleJson(runs))).toContain('"status":"succeeded"');
  });

  it('refuses a password in the URL without printing it, and says to use PGPASSWORD', async () => {
    const parsed = new URL(url);
    parsed.password = 'hunter2-secret';
    const result = await cli(['runs', '--db', parsed.toString()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PGPASSWORD');
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });

  it('says what is wrong, without the password, when the server refuses the connection', async () => {
    const parsed = new URL(url);
    parsed.port = '1';
    const result = await cli(['runs', '--db', parsed.toString()], { PGPASSWORD: 'hunter2-secret', PGCONNECT_TIMEOUT: '2' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.length).toBeGreaterThan(0);
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });
});
