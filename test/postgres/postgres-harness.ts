// The PostgreSQL store as a conformance harness, and what the PostgreSQL tests share: the
// server of the run (from the global setup), a pool per test file, and a fresh schema per
// store, so tests and files running at once never share data. Seeding and inspection are
// plain SQL on the tables, never the store's methods.
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import type { Account, AccountRole, GuardianLink, RoleName, RoleStatus, Student } from '../../src/model/roster.js';
import { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../../src/postgres/index.js';
import type { RosterStoreHarness, RosterStoreSeed } from '../../src/testing/roster-store-harness.js';
import { inCi } from '../support/postgres-server.js';

/** The run's server URL; null when the PostgreSQL tests cannot run. */
export function postgresUrl(): string | null {
  return inject('postgres').url;
}

/**
 * Declares a describe block of PostgreSQL tests: run when the server is up; shown as
 * skipped, with the reason, when the binaries are missing; failed when the server did not
 * start, or in CI (where a missing PostgreSQL is a broken machine, not a reason to skip).
 */
export function describePostgres(name: string, body: (url: string) => void): void {
  const target = inject('postgres');
  if (target.url !== null) {
    const url = target.url;
    describe(name, () => body(url));
  } else if (target.failed || inCi()) {
    describe(name, () => {
      it('needs a PostgreSQL server', () => {
        throw new Error(`No PostgreSQL server for the tests${inCi() ? ' (CI: never skipped)' : ''}: ${target.reason ?? 'unknown reason'}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${target.reason ?? 'no PostgreSQL'})`, () => body(''));
  }
}

/** A pool on the test server, with the error listener node-postgres asks every pool to have. */
export function createTestPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'guardian-sync tests' });
  pool.on('error', () => undefined);
  return pool;
}

let schemas = 0;

/** A schema name no other test of this run uses (the process id keeps parallel files apart). */
export function freshSchemaName(prefix = 'gs_test'): string {
  schemas += 1;
  return `${prefix}_${process.pid}_${schemas}`;
}

export interface PostgresHarness extends RosterStoreHarness {
  readonly store: PostgresStore;
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly cleanup: () => Promise<void>;
}

/**
 * Makes harnesses over one pool: each a store in a fresh schema (dropped at cleanup). Call
 * `close()` after the file's tests (afterAll) to end the pool.
 */
export function postgresHarnesses(url: string, storeOptions: Omit<PostgresStoreOptions, 'pool' | 'connectionString' | 'schema'> = {}) {
  let pool: pg.Pool | undefined;
  const getPool = (): pg.Pool => (pool ??= createTestPool(url));
  return {
    async create(): Promise<PostgresHarness> {
      const db = getPool();
      const schema = freshSchemaName();
      const store = await createPostgresStore({ ...storeOptions, pool: db, schema });
      return {
        store,
        schema,
        pool: db,
        seed: (data) => seedSql(db, schema, data),
        inspect: {
          accounts: () => readAccountsSql(db, schema),
          links: () => readLinksSql(db, schema),
          students: () => readStudentsSql(db, schema),
        },
        async endLockSession(key) {
          await terminateLockHolder(db, schema, key);
        },
        async cleanup() {
          await store.close();
          await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        },
      };
    },
    async close(): Promise<void> {
      await pool?.end();
    },
  };
}

/**
 * Ends the backend holding the session lock on `key` as a crash would (`pg_terminate_backend`,
 * waiting until it is gone), found in pg_locks by the advisory key the store documents:
 * `hashtextextended('guardian-sync:<schema>:<key>', 0)`. Returns how many backends it ended.
 */
export async function terminateLockHolder(pool: pg.Pool, schema: string, key: string): Promise<number> {
  const result = await pool.query<{ ended: boolean }>(
    'SELECT pg_terminate_backend(l.pid, 5000) AS ended FROM pg_locks l ' +
      "WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
      'AND l.classid = ((hashtextextended($1, 0) >> 32) & 4294967295)::oid AND l.objid = (hashtextextended($1, 0) & 4294967295)::oid AND l.objsubid = 1',
    [`guardian-sync:${schema}:${key}`],
  );
  return result.rows.filter((row) => row.ended).length;
}

/** Writes the seed straight into the tables, in one transaction (orgs, students, accounts, roles, links). */
export async function seedSql(pool: pg.Pool, schema: string, data: RosterStoreSeed): Promise<void> {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const o of data.orgs ?? []) {
      await client.query(
        `INSERT INTO ${s}.orgs (id, name, type, parent_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, parent_id = excluded.parent_id`,
        [o.id, o.name, o.type, o.parentId],
      );
    }
    for (const st of data.students ?? []) {
      await client.query(
        `INSERT INTO ${s}.students (district_id, sis_id, school_id, first_name, last_name) VALUES ($1, $2, $3, $4, $5) ` +
          'ON CONFLICT (district_id, sis_id) DO UPDATE SET school_id = excluded.school_id, first_name = excluded.first_name, last_name = excluded.last_name',
        [st.districtId, st.sisId, st.schoolId, st.firstName, st.lastName],
      );
    }
    for (const a of data.accounts ?? []) {
      await client.query(
        `INSERT INTO ${s}.accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ` +
          'ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, mobile_phone = excluded.mobile_phone, ' +
          'home_phone = excluded.home_phone, language = excluded.language, claimed = excluded.claimed',
        [a.id, a.firstName, a.lastName, a.email, a.mobilePhone, a.homePhone, a.language, a.claimed],
      );
      for (const r of a.roles) {
        await client.query(
          `INSERT INTO ${s}.account_roles (account_id, district_id, role, status, sis_ids) VALUES ($1, $2, $3, $4, $5) ` +
            'ON CONFLICT (account_id, district_id, role) DO UPDATE SET status = excluded.status, sis_ids = excluded.sis_ids',
          [a.id, r.districtId, r.role, r.status, [...new Set(r.sisIds)].sort()],
        );
      }
    }
    for (const l of data.links ?? []) {
      await client.query(`INSERT INTO ${s}.links (account_id, district_id, student_sis_id, source) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
        l.accountId,
        l.districtId,
        l.studentSisId,
        l.source,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Every account with all its roles, read with plain SQL. */
export async function readAccountsSql(pool: pg.Pool, schema: string): Promise<Account[]> {
  const s = `"${schema}"`;
  const roles = new Map<string, AccountRole[]>();
  const roleRows = await pool.query<{ account_id: string; district_id: string; role: RoleName; status: RoleStatus; sis_ids: string[] }>(`SELECT * FROM ${s}.account_roles`);
  for (const row of roleRows.rows) {
    const list = roles.get(row.account_id) ?? [];
    list.push({ role: row.role, districtId: row.district_id, sisIds: row.sis_ids, status: row.status });
    roles.set(row.account_id, list);
  }
  const accounts = await pool.query<{
    id: string;
    first_name: string;
    last_name: string;
    email: string | null;
    mobile_phone: string | null;
    home_phone: string | null;
    language: string | null;
    claimed: boolean;
  }>(`SELECT * FROM ${s}.accounts`);
  return accounts.rows.map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    mobilePhone: row.mobile_phone,
    homePhone: row.home_phone,
    language: row.language,
    claimed: row.claimed,
    roles: roles.get(row.id) ?? [],
  }));
}

export async function readLinksSql(pool: pg.Pool, schema: string): Promise<GuardianLink[]> {
  const result = await pool.query<GuardianLink>(
    `SELECT account_id AS "accountId", district_id AS "districtId", student_sis_id AS "studentSisId", source FROM "${schema}".links`,
  );
  return result.rows;
}

export async function readStudentsSql(pool: pg.Pool, schema: string): Promise<Student[]> {
  const result = await pool.query<Student>(
    `SELECT district_id AS "districtId", sis_id AS "sisId", school_id AS "schoolId", first_name AS "firstName", last_name AS "lastName" FROM "${schema}".students`,
  );
  return result.rows;
}
