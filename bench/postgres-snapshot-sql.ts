// Where the PostgreSQL store's `loadSnapshot` spends its time, statement by statement: the
// snapshot of measurements (o) and (p), read from their seeded schemas, with each statement
// the store ran recorded, timed as the store ran it (wall, including the transfer of the rows
// to node and pg's parsing of them), then run again as EXPLAIN (ANALYZE, BUFFERS) for the
// server's side and its plan. Run `BENCH_ONLY=o,p npm run bench -- <size>` first (it seeds
// the schemas).
//
//   node --import tsx bench/postgres-snapshot-sql.ts 1M [alone|many] [--plans]
//   BENCH_PG_URL=postgresql://postgres@127.0.0.1:<port>/postgres node --import tsx bench/postgres-snapshot-sql.ts 1M many
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createPostgresStore } from '../src/postgres/index.js';
import type { PgPool, PgPoolClient, PgQueryConfig, PgQueryResult } from '../src/postgres/pg-types.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { datasetPaths, parseSize, readRoster } from './dataset.js';
import { snapshotSchemas } from './measure-postgres.js';
import { startBenchPostgres } from './postgres-server.js';

async function main(): Promise<void> {
  const size = parseSize(process.argv[2] ?? '1M');
  const which = process.argv[3] === 'many' ? 'many' : 'alone';
  const showPlans = process.argv.includes('--plans');
  const paths = datasetPaths(size, 7);
  const schema = snapshotSchemas(size)[which];
  const server = process.env['BENCH_PG_URL'] === undefined ? await startBenchPostgres() : undefined;
  const url = process.env['BENCH_PG_URL'] ?? server!.url;
  const real = new pg.Pool({ connectionString: url, max: 3 });
  real.on('error', () => undefined);
  const statements: { text: string; values: unknown[]; ms: number; rows: number }[] = [];
  const wrapClient = (client: pg.PoolClient): PgPoolClient => ({
    async query(config: PgQueryConfig): Promise<PgQueryResult> {
      const started = performance.now();
      const result = (await client.query(config as pg.QueryConfig)) as unknown as PgQueryResult;
      if (config.values !== undefined && config.values.length > 0) statements.push({ text: config.text, values: [...config.values], ms: performance.now() - started, rows: result.rows.length });
      return result;
    },
    on: (event, listener) => client.on(event, listener),
    removeListener: (event, listener) => client.removeListener(event, listener),
    release: (destroy) => client.release(destroy as boolean | Error | undefined),
  });
  const pool: PgPool = {
    query: (config) => real.query(config as pg.QueryConfig) as unknown as Promise<PgQueryResult>,
    connect: async () => wrapClient(await real.connect()),
    end: () => real.end(),
    on: (event, listener) => real.on(event, listener as () => void),
  };
  try {
    const roster = readRoster(paths);
    const input = await readGuardianInput(readFileSync(paths.day2), { format: 'guardians', fileName: 'guardians.csv' });
    const logins = snapshotLogins(input.rows);
    const store = await createPostgresStore({ pool, schema, migrate: false });
    const scope = await store.resolveScope({ level: 'district', orgId: roster.districtId });
    if (scope === null) throw new Error(`no district ${roster.districtId} in ${schema}`);
    // Once to warm the caches, once measured.
    await store.loadSnapshot(scope, { logins });
    statements.length = 0;
    const started = performance.now();
    const snapshot = await store.loadSnapshot(scope, { logins });
    const total = performance.now() - started;
    await store.close();
    console.log(`${schema}: loadSnapshot ${(total / 1000).toFixed(2)} s (${snapshot.students.length} students, ${snapshot.accounts.length} accounts, ${snapshot.links.length} links)\n`);
    console.log('| statement | calls | rows | wall s (store) | server execution s (EXPLAIN ANALYZE) |');
    console.log('|---|--:|--:|--:|--:|');
    const byText = new Map<string, { calls: number; rows: number; ms: number; serverMs: number; plan: string }>();
    for (const statement of statements) {
      const explained = await real.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, values: statement.values });
      const lines = (explained.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
      const execution = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join('\n'))?.[1] ?? 0);
      const entry = byText.get(statement.text) ?? { calls: 0, rows: 0, ms: 0, serverMs: 0, plan: lines.map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join('\n') };
      entry.calls += 1;
      entry.rows += statement.rows;
      entry.ms += statement.ms;
      entry.serverMs += execution;
      byText.set(statement.text, entry);
    }
    for (const [text, e] of byText) {
      console.log(`| ${text.replace(/"[a-z0-9_]+"\./g, '').slice(0, 140)}… | ${e.calls} | ${e.rows} | ${(e.ms / 1000).toFixed(2)} | ${(e.serverMs / 1000).toFixed(2)} |`);
    }
    if (showPlans) for (const [text, e] of byText) console.log(`\n--- ${text.slice(0, 200)}\n${e.plan}`);
  } finally {
    await real.end();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
