// Where the PostgreSQL store's day-1 apply (measurement m) spends the server's time: the
// same apply (fresh schema, orgs, students and staff imported, the day-1 plan, applyPlan),
// with every write statement of the writer run as `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`
// (which executes it, triggers included) and the read statements timed, then the totals
// per kind of statement: execution and planning time, and the time of each trigger
// (the role_sis_ids triggers, and the foreign keys' checks, which PostgreSQL runs as
// triggers). EXPLAIN ANALYZE's per-node timing adds some cost of its own; the shares are
// what count. The first batch of each kind is printed whole.
//
//   node --import tsx bench/postgres-apply-explain.ts 100k
//   BENCH_PG_URL=postgresql://postgres@127.0.0.1:<port>/postgres node --import tsx bench/postgres-apply-explain.ts 1M
//
// Without BENCH_PG_URL it starts the bench's server (postgres-server.ts) and stops it after.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { applyPlan } from '../src/apply/apply-plan.js';
import { createPostgresStore } from '../src/postgres/index.js';
import type { PgPool, PgPoolClient, PgQueryConfig, PgQueryResult } from '../src/postgres/pg-types.js';
import { datasetExists, datasetPaths, parseSize, readRoster, writeDataset } from './dataset.js';
import { day1Plan } from './measure-postgres.js';
import { startBenchPostgres } from './postgres-server.js';

interface Totals {
  calls: number;
  executionMs: number;
  planningMs: number;
  wallMs: number;
  triggers: Map<string, { ms: number; calls: number }>;
}

function kindOf(text: string): string | null {
  if (text.startsWith('WITH new_accounts AS (INSERT')) return 'insertAccounts';
  if (/^INSERT INTO \S+\.links/.test(text)) return 'insertLinks';
  if (/^INSERT INTO \S+\.account_roles/.test(text)) return 'putRoles';
  if (/^UPDATE \S+\.accounts/.test(text)) return 'updateAccounts (timed only)';
  if (/^SELECT .* FROM \S+\.accounts WHERE id = ANY/.test(text)) return 'readAccounts (timed only)';
  if (/^SELECT .* FROM \S+\.account_roles WHERE district_id/.test(text)) return 'readRoles (timed only)';
  if (/^SELECT sis_id FROM \S+\.students/.test(text)) return 'readStudentIds (timed only)';
  return null;
}

async function main(): Promise<void> {
  const size = parseSize(process.argv[2] ?? '100k');
  const paths = datasetPaths(size, 7);
  if (!datasetExists(paths)) writeDataset(size, 7);
  const server = process.env['BENCH_PG_URL'] === undefined ? await startBenchPostgres() : undefined;
  const url = process.env['BENCH_PG_URL'] ?? server!.url;
  const real = new pg.Pool({ connectionString: url, max: 3 });
  real.on('error', () => undefined);
  const schema = `bench_explain_${process.pid}`;
  const totals = new Map<string, Totals>();
  const printed = new Set<string>();
  let explaining = false;

  const wrapClient = (client: pg.PoolClient): PgPoolClient => ({
    async query(config: PgQueryConfig): Promise<PgQueryResult> {
      const kind = explaining ? kindOf(config.text) : null;
      if (kind === null) return client.query(config as pg.QueryConfig) as unknown as PgQueryResult;
      const entry = totals.get(kind) ?? { calls: 0, executionMs: 0, planningMs: 0, wallMs: 0, triggers: new Map() };
      totals.set(kind, entry);
      entry.calls += 1;
      const started = performance.now();
      if (kind.endsWith('(timed only)')) {
        const result = (await client.query(config as pg.QueryConfig)) as unknown as PgQueryResult;
        entry.wallMs += performance.now() - started;
        return result;
      }
      const result = await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${config.text}`, values: config.values as unknown[] });
      entry.wallMs += performance.now() - started;
      const explained = (result.rows[0] as { 'QUERY PLAN': [{ 'Execution Time': number; 'Planning Time': number; Triggers?: { 'Trigger Name': string; Time: number; Calls: number }[] }] })['QUERY PLAN'][0];
      entry.executionMs += explained['Execution Time'];
      entry.planningMs += explained['Planning Time'];
      for (const trigger of explained.Triggers ?? []) {
        const t = entry.triggers.get(trigger['Trigger Name']) ?? { ms: 0, calls: 0 };
        t.ms += trigger.Time;
        t.calls += trigger.Calls;
        entry.triggers.set(trigger['Trigger Name'], t);
      }
      if (!printed.has(kind)) {
        printed.add(kind);
        const text = await client.query({ text: 'SELECT 1' }).then(() => JSON.stringify(explained, null, 1));
        console.log(`--- first ${kind} statement, EXPLAIN ANALYZE:\n${text.slice(0, 6000)}\n`);
      }
      // The writer reads rowCount of insertLinks only for its counts.
      return { rows: [], rowCount: 0 };
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
    await real.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const roster = readRoster(paths);
    const store = await createPostgresStore({ pool, schema });
    await store.importRoster({ orgs: roster.orgs, students: roster.students, staff: roster.staff });
    for (const table of ['orgs', 'students', 'accounts', 'account_roles', 'role_sis_ids', 'links']) await real.query(`VACUUM (ANALYZE) "${schema}".${table}`);
    const { plan } = await day1Plan(store, roster, readFileSync(paths.day1));
    explaining = true;
    const started = performance.now();
    await applyPlan(store, plan);
    const seconds = (performance.now() - started) / 1000;
    explaining = false;
    console.log(`apply of ${size} rows with EXPLAIN ANALYZE on every write: ${seconds.toFixed(1)} s (batch ${store.writeBatchSize})\n`);
    console.log('| statement | calls | wall s (client) | execution s | planning s | of which triggers |');
    console.log('|---|--:|--:|--:|--:|---|');
    for (const [kind, t] of totals) {
      const triggers = [...t.triggers].map(([name, x]) => `${name}: ${(x.ms / 1000).toFixed(2)} s (${x.calls} calls)`).join('; ');
      console.log(`| ${kind} | ${t.calls} | ${(t.wallMs / 1000).toFixed(2)} | ${(t.executionMs / 1000).toFixed(2)} | ${(t.planningMs / 1000).toFixed(2)} | ${triggers} |`);
    }
    await store.close();
  } finally {
    await real.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await real.end();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
