// The PostgreSQL store's measurements, on the bench's own server (postgres-server.ts):
//
//   (m) day-1 apply: `applyPlan(store, plan)` of a district's day-1 plan into a fresh schema
//       holding its orgs, students and staff (the library's apply: reads, then set-based
//       writes of `writeBatchSize` rows, everything in one transaction);
//   (n) its baseline: a plain `COPY … FROM STDIN` of exactly the same accounts, roles,
//       role_sis_ids rows and links into the same kind of fresh schema, in one transaction;
//   (o) `store.loadSnapshot` of a district in a schema holding it alone;
//   (p) the same, in a schema also holding OTHER_DISTRICTS other districts of a tenth of its
//       size each (the same SIS ids, their own people, 1% of their guardians shared with it).
//
// The schemas of (o) and (p) are seeded with bulk SQL (COPY, INSERT … SELECT), never through
// the sync, by `seedPostgresSnapshots` in a child of its own, and kept in the server's cluster
// (.bench/postgres/) while their key (schema source, versions, datasets) matches.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { RosterStore, RosterWriter, StoredAccount, StoredRole } from '../src/contracts/roster-store.js';
import { applyPlan } from '../src/apply/apply-plan.js';
import { planWrites, type TouchedRows } from '../src/apply/plan-writes.js';
import type { SyncPlan } from '../src/model/plan.js';
import type { GuardianLink, ResolvedScope, RosterSnapshot, SnapshotLogins } from '../src/model/roster.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createPostgresStore, type PostgresStore } from '../src/postgres/index.js';
import { POSTGRES_SCHEMA_VERSION } from '../src/postgres/postgres-schema.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { BENCH_DIR, readRoster, type DatasetPaths, type RosterFile } from './dataset.js';
import { resultOf, timed, type MeasurementId, type MeasurementResult } from './measurement.js';
import { copyFrom, textArrayLiteral, type CopyTarget } from './pg-copy.js';

/** Other districts in the schema of (p), each of a tenth of the district's size. */
export const OTHER_DISTRICTS = 20;
/** The size of each other district of (p): a tenth of the district's. */
export function otherDistrictSize(size: number): number {
  return Math.max(1000, Math.round(size / 10));
}
/** Bump when what seedPostgresSnapshots writes changes (SEED_VERSION: both schemas; CLONE_VERSION: the other districts). */
const SEED_VERSION = 1;
const CLONE_VERSION = 3;

let clockTicks: number | undefined;

/**
 * CPU seconds (user + system) used so far by the bench's PostgreSQL server (the postmaster
 * named in .bench/postgres/data/postmaster.pid and its children: backends, parallel workers,
 * the WAL writer, the checkpointer, autovacuum…, and those that ended meanwhile, through the
 * postmaster's reaped children), from /proc: the server's side of a measurement, which the
 * child's own CPU time does not include. Other PostgreSQL servers on the machine (a test
 * run's) are not counted. Null where /proc or the pid file is not there.
 */
export function serverCpuSeconds(): number | null {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    const postmaster = readFileSync(join(BENCH_DIR, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]?.trim();
    if (postmaster === undefined || !/^\d+$/.test(postmaster)) return null;
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      // After the name: state, ppid, … utime, stime, cutime, cstime (fields 3, 4, 14–17).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (entry !== postmaster && fields[1] !== postmaster) continue;
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    }
    return ticks / clockTicks;
  } catch {
    return null;
  }
}

/** `work`, with the server's CPU seconds it took. */
async function withServerCpu<T>(work: () => Promise<T>): Promise<{ value: T; serverCpuSeconds: number | null }> {
  const before = serverCpuSeconds();
  const value = await work();
  const after = serverCpuSeconds();
  return { value, serverCpuSeconds: before === null || after === null ? null : Math.round((after - before) * 100) / 100 };
}

function pool(url: string): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 4, application_name: 'guardian-sync bench' });
  p.on('error', () => undefined);
  return p;
}

async function count(db: pg.Pool, table: string): Promise<number> {
  return Number(((await db.query(`SELECT count(*)::bigint AS n FROM ${table}`)).rows[0] as { n: string }).n);
}

async function tableCounts(db: pg.Pool, schema: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['students', 'accounts', 'account_roles', 'role_sis_ids', 'links']) out[table] = await count(db, `"${schema}".${table}`);
  return out;
}

async function dropSchema(db: pg.Pool, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Drops the fresh schemas of (m) and (n) a killed run left behind. */
async function dropLeftovers(db: pg.Pool, prefix: string): Promise<void> {
  const found = await db.query({ text: 'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', values: [`${prefix}%`] });
  for (const row of found.rows as { nspname: string }[]) await dropSchema(db, row.nspname);
}

async function analyze(db: pg.Pool, schema: string): Promise<void> {
  for (const table of ['orgs', 'students', 'accounts', 'account_roles', 'role_sis_ids', 'links']) await db.query(`VACUUM (ANALYZE) "${schema}".${table}`);
}

/** A district's day-1 plan against the store, as a sync makes it: the file read, the keyed snapshot loaded, `buildPlan`. */
export async function day1Plan(store: RosterStore, roster: RosterFile, day1: Uint8Array): Promise<{ plan: SyncPlan; snapshot: RosterSnapshot; fileRows: number }> {
  const input = await readGuardianInput(day1, { format: 'guardians', fileName: 'guardians.csv' });
  const scope = await store.resolveScope({ level: 'district', orgId: roster.districtId });
  if (scope === null) throw new Error(`district ${roster.districtId} is not in the store`);
  const snapshot = await store.loadSnapshot(scope, { logins: snapshotLogins(input.rows) });
  const plan = buildPlan({ rows: input.rows, snapshot, settings: { source: 'guardian-file', mode: input.mode } });
  return { plan, snapshot, fileRows: input.rows.length };
}

/** The rows applying a day-1 plan writes (planWrites, the library's one definition), with the touched rows taken from the snapshot. */
export interface Day1Rows {
  /** Stored accounts the plan changes (staff members who are parents, with the file's phones or language). */
  readonly updates: StoredAccount[];
  readonly accounts: StoredAccount[];
  readonly roles: StoredRole[];
  readonly links: GuardianLink[];
}

export function day1Rows(plan: SyncPlan, snapshot: RosterSnapshot): Day1Rows {
  const { districtId } = plan.scope;
  const accounts = new Map<string, StoredAccount>();
  const guardianRoles = new Map<string, StoredRole>();
  for (const account of snapshot.accounts) {
    const { roles, ...stored } = account;
    accounts.set(account.id, stored);
    for (const role of roles) {
      if (role.role === 'guardian' && role.districtId === districtId) guardianRoles.set(account.id, { accountId: account.id, districtId, role: 'guardian', status: role.status, sisIds: role.sisIds });
    }
  }
  const touched: TouchedRows = { accounts, guardianRoles, students: new Set(snapshot.students.map((s) => s.sisId)) };
  const writes = planWrites(plan, touched);
  if (!writes.ok) throw new Error(`the day-1 plan does not fit the store: ${writes.problem.reason}`);
  const out: Day1Rows = { updates: [], accounts: [], roles: [], links: [] };
  for (const phase of writes.phases) {
    if (phase.kind === 'update-accounts') {
      for (const w of phase.writes) out.updates.push(w.row);
    } else if (phase.kind === 'insert-accounts') {
      for (const w of phase.writes) {
        out.accounts.push(w.row.account);
        out.roles.push(...w.row.roles);
      }
    } else if (phase.kind === 'put-roles') {
      // Day 1: guardian roles added to staff accounts (none stored yet: inserts, all of them).
      for (const w of phase.writes) {
        if (guardianRoles.has(w.row.accountId)) throw new Error('a day-1 plan changes no stored role');
        out.roles.push(w.row);
      }
    } else if (phase.kind === 'insert-links') {
      for (const w of phase.writes) out.links.push(w.row);
    } else {
      throw new Error(`a day-1 plan has no ${phase.kind} writes`);
    }
  }
  return out;
}

/**
 * Writes the rows inside the caller's transaction: the few account updates in one
 * `UPDATE … FROM unnest(…)` of whole arrays, then COPY of the accounts, the roles,
 * role_sis_ids (unless the triggers make them) and the links.
 */
async function copyDay1Rows(
  client: pg.PoolClient,
  schema: string,
  rows: Day1Rows,
  withRoleSisIds: boolean,
): Promise<{ copied: Record<string, number>; seconds: Record<string, number> }> {
  const s = `"${schema}"`;
  const target = client as unknown as CopyTarget;
  const copied: Record<string, number> = {};
  let lap = performance.now();
  const seconds: Record<string, number> = {};
  const took = (what: string): void => {
    const now = performance.now();
    seconds[what] = Math.round(now - lap) / 1000;
    lap = now;
  };
  if (rows.updates.length > 0) {
    const u = rows.updates;
    const updated = await client.query({
      text:
        `UPDATE ${s}.accounts a SET first_name = u.first_name, last_name = u.last_name, email = u.email, mobile_phone = u.mobile_phone, home_phone = u.home_phone, language = u.language ` +
        'FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u (id, first_name, last_name, email, mobile_phone, home_phone, language) WHERE a.id = u.id',
      values: [u.map((a) => a.id), u.map((a) => a.firstName), u.map((a) => a.lastName), u.map((a) => a.email), u.map((a) => a.mobilePhone), u.map((a) => a.homePhone), u.map((a) => a.language)],
    });
    copied['updated accounts'] = updated.rowCount ?? 0;
    took('updated accounts');
  }
  copied['accounts'] = await copyFrom(
    target,
    `${s}.accounts`,
    ['id', 'first_name', 'last_name', 'email', 'mobile_phone', 'home_phone', 'language', 'claimed'],
    (function* () {
      for (const a of rows.accounts) yield [a.id, a.firstName, a.lastName, a.email, a.mobilePhone, a.homePhone, a.language, a.claimed ? 't' : 'f'];
    })(),
  );
  took('accounts');
  copied['account_roles'] = await copyFrom(
    target,
    `${s}.account_roles`,
    ['account_id', 'district_id', 'role', 'status', 'sis_ids'],
    (function* () {
      for (const r of rows.roles) yield [r.accountId, r.districtId, r.role, r.status, textArrayLiteral(r.sisIds)];
    })(),
  );
  took('account_roles');
  if (withRoleSisIds) {
    copied['role_sis_ids'] = await copyFrom(
      target,
      `${s}.role_sis_ids`,
      ['district_id', 'role', 'sis_id', 'account_id'],
      (function* () {
        for (const r of rows.roles) for (const sisId of r.sisIds) yield [r.districtId, r.role, sisId, r.accountId];
      })(),
    );
    took('role_sis_ids');
  }
  copied['links'] = await copyFrom(
    target,
    `${s}.links`,
    ['account_id', 'district_id', 'student_sis_id', 'source'],
    (function* () {
      for (const l of rows.links) yield [l.accountId, l.districtId, l.studentSisId, l.source];
    })(),
  );
  took('links');
  return { copied, seconds };
}

/** A fresh schema with the district's orgs, students and staff imported by the store, analyzed; the day-1 plan made against it. */
async function freshDistrict(url: string, schema: string, paths: DatasetPaths) {
  const roster = readRoster(paths);
  const admin = pool(url);
  await dropSchema(admin, schema);
  const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
  await store.importRoster({ orgs: roster.orgs, students: roster.students, staff: roster.staff });
  await analyze(admin, schema);
  const { plan, snapshot, fileRows } = await day1Plan(store, roster, readFileSync(paths.day1));
  return { roster, admin, store, plan, snapshot, fileRows };
}

/**
 * The store as applyPlan sees it, with each writer call timed (seconds and rows per kind of
 * call): where the apply's time goes, at no measurable cost.
 */
function timedWriters(store: PostgresStore): { store: PostgresStore; calls: Record<string, { calls: number; rows: number; seconds: number }> } {
  const calls: Record<string, { calls: number; rows: number; seconds: number }> = {};
  const wrapped = Object.create(store) as PostgresStore;
  wrapped.transaction = (body, options) =>
    store.transaction((writer) => {
      const timedWriter = {} as Record<string, unknown>;
      for (const name of Object.keys(writer) as (keyof RosterWriter)[]) {
        const method = writer[name] as (rows: unknown) => Promise<unknown>;
        timedWriter[name] = async (...args: unknown[]) => {
          const started = performance.now();
          const result = await (method as (...a: unknown[]) => Promise<unknown>).apply(writer, args);
          const entry = (calls[name] ??= { calls: 0, rows: 0, seconds: 0 });
          entry.calls += 1;
          entry.rows += (args.find(Array.isArray) as unknown[] | undefined)?.length ?? 0;
          entry.seconds += (performance.now() - started) / 1000;
          return result;
        };
      }
      return body(timedWriter as unknown as RosterWriter);
    }, options);
  return { store: wrapped, calls };
}

/** (m) applyPlan of the day-1 plan into a fresh schema holding the district's orgs, students and staff. */
export async function measurePostgresApply(paths: DatasetPaths, size: number, url: string): Promise<MeasurementResult> {
  const schema = `bench_apply_${process.pid}`;
  const { admin, store, plan, fileRows } = await freshDistrict(url, schema, paths);
  const before = await tableCounts(admin, schema);
  const { store: seen, calls } = timedWriters(store);
  try {
    const run = await timed(() => withServerCpu(() => applyPlan(seen, plan)));
    const after = await tableCounts(admin, schema);
    const written = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    for (const call of Object.values(calls)) call.seconds = Math.round(call.seconds * 1000) / 1000;
    return resultOf('m', size, fileRows, run, { serverCpuSeconds: run.value.serverCpuSeconds, applied: run.value.value, written, writerCalls: calls, writeBatchSize: store.writeBatchSize });
  } finally {
    await store.close();
    await dropSchema(admin, schema);
    await dropLeftovers(admin, 'bench_apply_').catch(() => undefined);
    await admin.end();
  }
}

/**
 * (n) The plain load: the rows (m) writes (the same plan's `planWrites`), COPYed into a fresh
 * schema of the same layout (the store's migration: same keys, unique login indexes,
 * foreign keys), in one transaction. The triggers that keep role_sis_ids in step are turned
 * off in the set-up and its rows COPYed like the others: what a plain loader writes.
 */
export async function measurePostgresCopy(paths: DatasetPaths, size: number, url: string): Promise<MeasurementResult> {
  const schema = `bench_copy_${process.pid}`;
  const { admin, store, plan, snapshot, fileRows } = await freshDistrict(url, schema, paths);
  await store.close();
  const rows = day1Rows(plan, snapshot);
  await admin.query(`ALTER TABLE "${schema}".account_roles DISABLE TRIGGER USER`);
  const before = await tableCounts(admin, schema);
  const client = await admin.connect();
  try {
    const run = await timed(() =>
      withServerCpu(async () => {
        await client.query('BEGIN');
        const copied = await copyDay1Rows(client, schema, rows, true);
        await client.query('COMMIT');
        return copied;
      }),
    );
    const after = await tableCounts(admin, schema);
    const written = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    return resultOf('n', size, fileRows, run, { serverCpuSeconds: run.value.serverCpuSeconds, ...run.value.value, written, how: 'COPY FROM STDIN (text format) through pg Submittable' });
  } finally {
    client.release();
    await dropSchema(admin, schema);
    await dropLeftovers(admin, 'bench_copy_').catch(() => undefined);
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------
// (o), (p): the snapshot of a district alone, and among OTHER_DISTRICTS others.

export function snapshotSchemas(size: number): { alone: string; many: string; small: string } {
  return { alone: `bench_snap_${size}_alone`, many: `bench_snap_${size}_many`, small: `bench_snap_${size}_small` };
}

/** What the seeded schemas are made from: when it changes, they are made anew. */
function seedKey(paths: DatasetPaths, small: DatasetPaths, which: 'alone' | 'many'): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(new URL('../src/postgres/postgres-schema.ts', import.meta.url)));
  hash.update(JSON.stringify({ SEED_VERSION, POSTGRES_SCHEMA_VERSION, OTHER_DISTRICTS, which, paths: paths.dir, ...(which === 'many' ? { small: small.dir, CLONE_VERSION } : {}) }));
  return hash.digest('hex').slice(0, 16);
}

async function seededKey(db: pg.Pool, schema: string): Promise<string | null> {
  await db.query('CREATE SCHEMA IF NOT EXISTS bench_meta; CREATE TABLE IF NOT EXISTS bench_meta.seeded (schema_name text PRIMARY KEY, key text NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now(), details jsonb)');
  const found = await db.query({ text: 'SELECT s.key FROM bench_meta.seeded s WHERE s.schema_name = $1 AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)', values: [schema] });
  return (found.rows[0] as { key: string } | undefined)?.key ?? null;
}

async function markSeeded(db: pg.Pool, schema: string, key: string, details: unknown): Promise<void> {
  await db.query({
    text: 'INSERT INTO bench_meta.seeded (schema_name, key, details) VALUES ($1, $2, $3) ON CONFLICT (schema_name) DO UPDATE SET key = excluded.key, seeded_at = now(), details = excluded.details',
    values: [schema, key, JSON.stringify(details)],
  });
}

/** True when both schemas of (o) and (p) are seeded for these datasets and this schema version. */
export async function snapshotSchemasReady(url: string, size: number, paths: DatasetPaths, small: DatasetPaths): Promise<boolean> {
  const db = pool(url);
  try {
    const names = snapshotSchemas(size);
    return (await seededKey(db, names.alone)) === seedKey(paths, small, 'alone') && (await seededKey(db, names.many)) === seedKey(paths, small, 'many');
  } finally {
    await db.end();
  }
}

/** A district's day-1 state with bulk SQL: the store's migration and roster import, then the day-1 rows COPYed (role_sis_ids by the triggers). */
async function seedOneDistrict(url: string, schema: string, paths: DatasetPaths, db: pg.Pool): Promise<Record<string, unknown>> {
  const started = performance.now();
  await dropSchema(db, schema);
  const roster = readRoster(paths);
  const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
  await store.importRoster({ orgs: roster.orgs, students: roster.students, staff: roster.staff });
  await analyze(db, schema);
  const { plan, snapshot } = await day1Plan(store, roster, readFileSync(paths.day1));
  await store.close();
  const rows = day1Rows(plan, snapshot);
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const copied = await copyDay1Rows(client, schema, rows, false);
    await client.query('COMMIT');
    await analyze(db, schema);
    return { districtId: roster.districtId, copied, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

/**
 * The tables the clones are numbered from, made once: the big district's guardians who are
 * no staff (`big_guardians`, numbered from 0), and the small district's accounts with
 * whether they are plain guardians (`small_accounts`). Returns how many big guardians.
 */
async function prepareClones(client: pg.PoolClient, many: string, small: string, bigDistrict: string): Promise<number> {
  const m = `"${many}"`;
  const sm = `"${small}"`;
  await client.query('CREATE TEMP TABLE big_guardians (n bigint PRIMARY KEY, account_id text COLLATE "C" NOT NULL) ON COMMIT DROP');
  await client.query(
    `INSERT INTO big_guardians SELECT row_number() OVER (ORDER BY r.account_id) - 1, r.account_id FROM ${m}.account_roles r ` +
      `WHERE r.district_id = '${bigDistrict}' AND r.role = 'guardian' AND NOT EXISTS (SELECT 1 FROM ${m}.account_roles x WHERE x.account_id = r.account_id AND x.role = 'staff')`,
  );
  await client.query(
    `CREATE TEMP TABLE small_accounts ON COMMIT DROP AS SELECT a.id, ` +
      `EXISTS (SELECT 1 FROM ${sm}.account_roles r WHERE r.account_id = a.id AND r.role = 'guardian') ` +
      `AND NOT EXISTS (SELECT 1 FROM ${sm}.account_roles r WHERE r.account_id = a.id AND r.role = 'staff') AS guardian_only FROM ${sm}.accounts a`,
  );
  await client.query('ANALYZE big_guardians; ANALYZE small_accounts');
  return Number(((await client.query('SELECT count(*)::bigint AS n FROM big_guardians')).rows[0] as { n: string }).n);
}

/**
 * One other district, `K<k>-<district>`, from the small district's schema: its orgs,
 * students (the same SIS ids), accounts under new ids (UUIDs made from the old id and k, so
 * that they fall among the district's own in every index on account ids, as on a real
 * platform where every account id is a random UUID) with their own emails (`k<k>.` before
 * the address) and mobiles (`+<20 + k>` instead of `+1`), their roles and links. 1% of its
 * guardians (by a hash of the account id) are instead guardians of the big district: the
 * account is the big district's (same person, same logins), given a guardian role in this
 * district and the links. Runs after `prepareClones`, in its transaction.
 */
function cloneStatements(many: string, small: string, k: number, bigGuardians: number): string[] {
  const d = `'K${k}-'`;
  const m = `"${many}"`;
  const sm = `"${small}"`;
  return [
    'DROP TABLE IF EXISTS pg_temp.idmap',
    `CREATE TEMP TABLE idmap AS
     WITH shared AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n FROM small_accounts WHERE guardian_only AND abs(hashtext(id || ':${k}')) % 100 = 0
     )
     SELECT s.id AS old_id, COALESCE(b.account_id, md5('k${k}:' || s.id)::uuid::text) AS new_id, b.account_id IS NOT NULL AS shared
     FROM small_accounts s
     LEFT JOIN shared sh ON sh.id = s.id
     LEFT JOIN big_guardians b ON b.n = (sh.n + ${(k - 1) * 5000}) % ${Math.max(1, bigGuardians)}`,
    'CREATE INDEX ON idmap (old_id)',
    'ANALYZE idmap',
    `INSERT INTO ${m}.orgs (id, name, type, parent_id) SELECT ${d} || id, name, type, CASE WHEN parent_id IS NULL THEN NULL ELSE ${d} || parent_id END FROM ${sm}.orgs`,
    `INSERT INTO ${m}.students (district_id, sis_id, school_id, first_name, last_name) SELECT ${d} || district_id, sis_id, ${d} || school_id, first_name, last_name FROM ${sm}.students`,
    `INSERT INTO ${m}.accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed)
     SELECT i.new_id, a.first_name, a.last_name, 'k${k}.' || a.email, '+${20 + k}' || substr(a.mobile_phone, 3), a.home_phone, a.language, a.claimed
     FROM ${sm}.accounts a JOIN idmap i ON i.old_id = a.id WHERE NOT i.shared`,
    `INSERT INTO ${m}.account_roles (account_id, district_id, role, status, sis_ids)
     SELECT i.new_id, ${d} || r.district_id, r.role, r.status, r.sis_ids FROM ${sm}.account_roles r JOIN idmap i ON i.old_id = r.account_id`,
    `INSERT INTO ${m}.links (account_id, district_id, student_sis_id, source)
     SELECT i.new_id, ${d} || l.district_id, l.student_sis_id, l.source FROM ${sm}.links l JOIN idmap i ON i.old_id = l.account_id`,
  ];
}

/**
 * Seeds the schemas of (o) and (p) that are missing or stale: the district alone (day-1
 * state), and the district with OTHER_DISTRICTS others, each cloned from `small` (a district
 * of a tenth of the size).
 */
export async function seedPostgresSnapshots(url: string, size: number, paths: DatasetPaths, small: DatasetPaths): Promise<Record<string, unknown>> {
  const db = pool(url);
  const names = snapshotSchemas(size);
  const done: Record<string, unknown> = {};
  try {
    const aloneKey = seedKey(paths, small, 'alone');
    if ((await seededKey(db, names.alone)) !== aloneKey) {
      done['alone'] = await seedOneDistrict(url, names.alone, paths, db);
      await markSeeded(db, names.alone, aloneKey, done['alone']);
    }
    const manyKey = seedKey(paths, small, 'many');
    if ((await seededKey(db, names.many)) !== manyKey) {
      const started = performance.now();
      const smallSeed = await seedOneDistrict(url, names.small, small, db);
      await dropSchema(db, names.many);
      // The schema made by the store (its migration), then the district copied from `alone`.
      const store = await createPostgresStore({ connectionString: url, schema: names.many, maxConnections: 1 });
      await store.close();
      const bigDistrict = readRoster(paths).districtId;
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        for (const table of ['orgs', 'students', 'accounts', 'account_roles', 'links']) {
          await client.query(`INSERT INTO "${names.many}".${table} SELECT * FROM "${names.alone}".${table}`);
        }
        const bigGuardians = await prepareClones(client, names.many, names.small, bigDistrict);
        for (let k = 1; k <= OTHER_DISTRICTS; k++) {
          for (const sql of cloneStatements(names.many, names.small, k, bigGuardians)) await client.query(sql);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      await dropSchema(db, names.small);
      await analyze(db, names.many);
      const shared = await db.query(
        `SELECT count(DISTINCT account_id)::int AS n FROM "${names.many}".account_roles r WHERE r.district_id LIKE 'K%' AND EXISTS (SELECT 1 FROM "${names.many}".account_roles x WHERE x.account_id = r.account_id AND x.district_id = '${bigDistrict}')`,
      );
      done['many'] = { small: smallSeed, sharedAccounts: (shared.rows[0] as { n: number }).n, counts: await tableCounts(db, names.many), seconds: (performance.now() - started) / 1000 };
      await markSeeded(db, names.many, manyKey, done['many']);
    }
    return done;
  } finally {
    await db.end();
  }
}

/**
 * (o) or (p): `loadSnapshot` of the district (with the logins of its next-day file, as the
 * sync asks) from the schema holding it alone (o) or among the others (p). Set-up: the store
 * opened, the logins read from the file, the schema's relations read into the OS cache
 * (pg_prewarm 'read'), so that neither measurement starts from a cold disk.
 */
export async function measurePostgresSnapshot(id: MeasurementId, paths: DatasetPaths, size: number, url: string, many: boolean): Promise<MeasurementResult> {
  const names = snapshotSchemas(size);
  const schema = many ? names.many : names.alone;
  const roster = readRoster(paths);
  const admin = pool(url);
  const store = await createPostgresStore({ connectionString: url, schema, migrate: false, maxConnections: 2 });
  try {
    const held = await tableCounts(admin, schema);
    const districts = Number(((await admin.query(`SELECT count(DISTINCT district_id)::int AS n FROM "${schema}".students`)).rows[0] as { n: number }).n);
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    await admin.query({
      text: "SELECT pg_prewarm(c.oid, 'read') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'i')",
      values: [schema],
    });
    const logins: SnapshotLogins = await (async () => {
      const input = await readGuardianInput(readFileSync(paths.day2), { format: 'guardians', fileName: 'guardians.csv' });
      return snapshotLogins(input.rows);
    })();
    const scope: ResolvedScope | null = await store.resolveScope({ level: 'district', orgId: roster.districtId });
    if (scope === null) throw new Error(`district ${roster.districtId} is not in ${schema}`);
    const run = await timed(() => withServerCpu(() => store.loadSnapshot(scope, { logins })));
    const snapshot = run.value.value;
    const foreignRoles = snapshot.accounts.reduce((n, a) => n + a.roles.filter((r) => r.districtId !== roster.districtId).length, 0);
    return resultOf(id, size, snapshot.links.length, run, {
      serverCpuSeconds: run.value.serverCpuSeconds,
      schema,
      storeHolds: { ...held, districts },
      snapshot: { students: snapshot.students.length, accounts: snapshot.accounts.length, links: snapshot.links.length, rolesInOtherDistricts: foreignRoles },
      loginsAsked: logins.emails.length + logins.mobiles.length,
    });
  } finally {
    await store.close();
    await admin.end();
  }
}
