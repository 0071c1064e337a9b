// The PostgreSQL store's schema as an ordered list of migrations, in a schema of its own
// (`guardian_sync` unless configured). The `schema_version` table holds the number of
// migrations applied. Append, never edit: a database written by this version must open in
// every later one, and a database written by a later one is refused (its tables may mean
// something this version does not know).
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import type { PgPool, PgQueryable } from './pg-types.js';
import { describePgError, isTransientPgError } from './postgres-errors.js';

/** The schema the store uses unless told otherwise. */
export const DEFAULT_POSTGRES_SCHEMA = 'guardian_sync';

/**
 * Version 1. Design notes (sized for millions of accounts and links over thousands of
 * districts; every read of a sync is a range of an index, never a scan of all accounts):
 * - Ids and keys are `COLLATE "C"`: compared byte by byte (fast, and the same on every
 *   server, whatever locale the database was created with).
 * - `students` is keyed by (district, SIS id): a district's students are one range of the key.
 * - `accounts` holds the person; logins are platform-wide and one login is one account, so
 *   `lower(email)` and `mobile_phone` have unique indexes (partial: an account may have
 *   neither). The email index also serves the snapshot's lookups by login.
 * - `account_roles` has one row per (account, district, role), its SIS ids a `text[]`; the
 *   key gives an account's roles as one range, `account_roles_by_district` a district's
 *   role holders. `role_sis_ids` indexes those ids by (district, role, SIS id), which the
 *   roster import matches staff by; statement-level triggers keep it equal to
 *   `account_roles` whoever writes the roles (the store, a seed, the host's own SQL).
 * - `links` is keyed by (account, district, student, source); `links_by_student` (covering)
 *   gives a district's links, or a student's, without reading the table.
 * - `runs` keeps the summary as columns (listing never parses a report) and the whole report
 *   as jsonb. `started_at` is the report's ISO-8601 text, `COLLATE "C"`: it sorts as text
 *   exactly as the other stores sort it, and `getRun` returns it unchanged.
 * - `lock_holders` names who holds a session lock (the advisory lock itself lives in the
 *   server's memory and carries no owner); a row whose backend is gone is ignored.
 */
function v1(s: string): string {
  return `
CREATE TABLE ${s}.orgs (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('district', 'school')),
  parent_id text COLLATE "C"
);
CREATE INDEX orgs_by_parent ON ${s}.orgs (parent_id);

CREATE TABLE ${s}.students (
  district_id text COLLATE "C" NOT NULL,
  sis_id text COLLATE "C" NOT NULL,
  school_id text COLLATE "C" NOT NULL REFERENCES ${s}.orgs (id),
  first_name text NOT NULL,
  last_name text NOT NULL,
  PRIMARY KEY (district_id, sis_id)
);
CREATE INDEX students_by_school ON ${s}.students (school_id);

CREATE TABLE ${s}.accounts (
  id text COLLATE "C" PRIMARY KEY,
  first_name text NOT NULL,
  last_name text NOT NULL,
  email text,
  mobile_phone text COLLATE "C",
  home_phone text,
  language text,
  claimed boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX accounts_email_login ON ${s}.accounts (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX accounts_mobile_login ON ${s}.accounts (mobile_phone) WHERE mobile_phone IS NOT NULL;

CREATE TABLE ${s}.account_roles (
  account_id text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
  district_id text COLLATE "C" NOT NULL,
  role text NOT NULL CHECK (role IN ('guardian', 'staff')),
  status text NOT NULL CHECK (status IN ('active', 'archived')),
  sis_ids text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (account_id, district_id, role)
);
CREATE INDEX account_roles_by_district ON ${s}.account_roles (district_id, account_id);

CREATE TABLE ${s}.role_sis_ids (
  district_id text COLLATE "C" NOT NULL,
  role text NOT NULL,
  sis_id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (district_id, role, sis_id, account_id)
);

CREATE FUNCTION ${s}.role_sis_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO ${s}.role_sis_ids (district_id, role, sis_id, account_id)
  SELECT n.district_id, n.role, i.sis_id, n.account_id FROM new_roles n CROSS JOIN LATERAL unnest(n.sis_ids) AS i (sis_id)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$body$;

CREATE FUNCTION ${s}.role_sis_ids_update() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  -- Only rows whose key or SIS ids changed are looked at (a status change, as an archive or
  -- restore makes, costs an anti-join and nothing more); of those, the (role, id) pairs the
  -- statement took away are deleted and the pairs it added are inserted.
  WITH before AS (
    SELECT o.district_id, o.role, i.sis_id, o.account_id FROM old_roles o CROSS JOIN LATERAL unnest(o.sis_ids) AS i (sis_id)
    WHERE NOT EXISTS (SELECT 1 FROM new_roles n WHERE n.account_id = o.account_id AND n.district_id = o.district_id AND n.role = o.role AND n.sis_ids = o.sis_ids)
  ), after AS (
    SELECT n.district_id, n.role, i.sis_id, n.account_id FROM new_roles n CROSS JOIN LATERAL unnest(n.sis_ids) AS i (sis_id)
    WHERE NOT EXISTS (SELECT 1 FROM old_roles o WHERE o.account_id = n.account_id AND o.district_id = n.district_id AND o.role = n.role AND o.sis_ids = n.sis_ids)
  ), removed AS (
    DELETE FROM ${s}.role_sis_ids x USING (SELECT * FROM before EXCEPT SELECT * FROM after) AS gone
    WHERE x.district_id = gone.district_id AND x.role = gone.role AND x.sis_id = gone.sis_id AND x.account_id = gone.account_id
  )
  INSERT INTO ${s}.role_sis_ids (district_id, role, sis_id, account_id)
  SELECT * FROM after EXCEPT SELECT * FROM before
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$body$;

CREATE FUNCTION ${s}.role_sis_ids_delete() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  DELETE FROM ${s}.role_sis_ids x
  USING old_roles o CROSS JOIN LATERAL unnest(o.sis_ids) AS i (sis_id)
  WHERE x.district_id = o.district_id AND x.role = o.role AND x.sis_id = i.sis_id AND x.account_id = o.account_id;
  RETURN NULL;
END
$body$;

CREATE TRIGGER role_sis_ids_insert AFTER INSERT ON ${s}.account_roles
  REFERENCING NEW TABLE AS new_roles FOR EACH STATEMENT EXECUTE FUNCTION ${s}.role_sis_ids_insert();
CREATE TRIGGER role_sis_ids_update AFTER UPDATE ON ${s}.account_roles
  REFERENCING OLD TABLE AS old_roles NEW TABLE AS new_roles FOR EACH STATEMENT EXECUTE FUNCTION ${s}.role_sis_ids_update();
CREATE TRIGGER role_sis_ids_delete AFTER DELETE ON ${s}.account_roles
  REFERENCING OLD TABLE AS old_roles FOR EACH STATEMENT EXECUTE FUNCTION ${s}.role_sis_ids_delete();

CREATE TABLE ${s}.links (
  account_id text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
  district_id text COLLATE "C" NOT NULL,
  student_sis_id text COLLATE "C" NOT NULL,
  source text COLLATE "C" NOT NULL,
  PRIMARY KEY (account_id, district_id, student_sis_id, source),
  FOREIGN KEY (district_id, student_sis_id) REFERENCES ${s}.students (district_id, sis_id)
);
CREATE INDEX links_by_student ON ${s}.links (district_id, student_sis_id) INCLUDE (account_id, source);

CREATE TABLE ${s}.runs (
  run_id text COLLATE "C" PRIMARY KEY,
  scope_level text NOT NULL,
  scope_org_id text COLLATE "C" NOT NULL,
  status text NOT NULL,
  dry_run boolean NOT NULL,
  started_at text COLLATE "C" NOT NULL,
  finished_at text NOT NULL,
  counts jsonb NOT NULL,
  report jsonb NOT NULL
);
CREATE INDEX runs_by_start ON ${s}.runs (started_at DESC, run_id DESC);
CREATE INDEX runs_by_scope ON ${s}.runs (scope_level, scope_org_id, started_at DESC, run_id DESC);

CREATE TABLE ${s}.lock_holders (
  key text COLLATE "C" PRIMARY KEY,
  owner text NOT NULL,
  pid integer NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now()
);
`;
}

/**
 * Version 2: a run's threshold block as a column beside its counts, so `listRuns` can say a
 * run was forced past the threshold (and by how much) without reading whole reports (a
 * large report is TOASTed: reading one field of it reads it all). Runs saved before get it
 * from their report once, here.
 */
function v2(s: string): string {
  return `
ALTER TABLE ${s}.runs ADD COLUMN threshold jsonb;
UPDATE ${s}.runs SET threshold = report->'threshold';
`;
}

/** Migration i brings a schema from version i to i + 1; each gets the quoted schema name. */
export const POSTGRES_MIGRATIONS: readonly ((quotedSchema: string) => string)[] = [v1, v2];

/** The schema version this code writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The schema name, checked: lower-case letters, digits and `_`, not starting with a digit,
 * at most 63 characters (PostgreSQL's limit), not `pg_…` (reserved by PostgreSQL). Kept that
 * plain so the quoted name and the name PostgreSQL shows are the same.
 * @throws GuardianSyncError INVALID_CONFIGURATION for any other name.
 */
export function validateSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema) || schema.startsWith('pg_')) {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      `The PostgreSQL schema name "${schema.slice(0, 80)}" is not allowed: use lower-case letters, digits and "_" (not starting with a digit or "pg_"), at most 63 characters.`,
    );
  }
  return schema;
}

/** The schema as a quoted identifier, for every table name the store writes (`"guardian_sync".accounts`). */
export function quoteSchema(schema: string): string {
  return `"${validateSchemaName(schema)}"`;
}

/**
 * The schema version of `schema` in this database: 0 when the schema or its version table
 * does not exist.
 */
export async function readPostgresSchemaVersion(db: PgQueryable, schema: string): Promise<number> {
  const s = quoteSchema(schema);
  const exists = await db.query({ text: 'SELECT to_regclass($1) IS NOT NULL AS present', values: [`${s}.schema_version`] });
  if ((exists.rows[0] as { present: boolean } | undefined)?.present !== true) return 0;
  const result = await db.query({ text: `SELECT version FROM ${s}.schema_version` });
  return (result.rows[0] as { version: number } | undefined)?.version ?? 0;
}

/** What `migratePostgresSchema` did: the versions it went from and to. */
export interface PostgresMigration {
  readonly fromVersion: number;
  readonly toVersion: number;
}

/**
 * Brings `schema` to {@link POSTGRES_SCHEMA_VERSION} in one transaction (creating the schema
 * when it does not exist) and returns the versions it went from and to; null when it was
 * already current. Safe when several processes open the database at once: the migration
 * holds an advisory lock (one per schema) around its transaction, and the version is read
 * again under it, so exactly one process migrates and the others find the schema made.
 * `createPostgresStore` calls it on open unless told not to; call it yourself from a deploy
 * step when the application's database role may not create tables.
 * @throws GuardianSyncError INVALID_CONFIGURATION when the schema was written by a newer
 *   guardian-sync, or holds tables but no guardian-sync schema; STORE_FAILED when a
 *   statement fails (nothing changed: the transaction is rolled back).
 */
export async function migratePostgresSchema(pool: PgPool, options: { readonly schema?: string | undefined } = {}): Promise<PostgresMigration | null> {
  const schema = validateSchemaName(options.schema ?? DEFAULT_POSTGRES_SCHEMA);
  // Fast path, without a lock: nearly every open finds the schema current.
  if (checkVersion(await readVersionOrFail(pool, schema), schema) === POSTGRES_SCHEMA_VERSION) return null;
  const client = await connectOrFail(pool, schema);
  let broken: Error | boolean = false;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    // The lock is taken before the transaction, not inside it: a backend refreshes its
    // catalog caches when a transaction starts, so only a transaction begun after the wait
    // is sure to see the tables a process that migrated meanwhile committed. Per schema, so
    // stores in different schemas of one database migrate independently. Released below;
    // if that fails, the connection is destroyed, which releases it too.
    await client.query({ text: 'SELECT pg_advisory_lock(hashtextextended($1, 0))', values: [migrationLockName(schema)] });
    try {
      return await migrateLocked(client, schema);
    } finally {
      await client.query({ text: 'SELECT pg_advisory_unlock(hashtextextended($1, 0))', values: [migrationLockName(schema)] }).catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    throw migrationFailure(error, schema);
  } finally {
    client.removeListener('error', onError);
    // A client whose connection failed is destroyed, not handed to the next caller.
    client.release(broken);
  }
}

function migrationLockName(schema: string): string {
  return `guardian-sync:migrate:${schema}`;
}

/** Reads the version again under the migration lock and migrates, in one transaction. */
async function migrateLocked(client: PgQueryable, schema: string): Promise<PostgresMigration | null> {
  const s = quoteSchema(schema);
  await client.query({ text: 'BEGIN' });
  try {
    const current = checkVersion(await readPostgresSchemaVersion(client, schema), schema);
    if (current === POSTGRES_SCHEMA_VERSION) {
      await client.query({ text: 'COMMIT' });
      return null;
    }
    if (current === 0) await prepareEmptySchema(client, schema);
    for (let version = current; version < POSTGRES_SCHEMA_VERSION; version += 1) {
      // One multi-statement query per migration: one round trip.
      await client.query({ text: POSTGRES_MIGRATIONS[version]!(s) });
    }
    await client.query({ text: `UPDATE ${s}.schema_version SET version = $1, migrated_at = now()`, values: [POSTGRES_SCHEMA_VERSION] });
    await client.query({ text: 'COMMIT' });
    return { fromVersion: current, toVersion: POSTGRES_SCHEMA_VERSION };
  } catch (error) {
    await client.query({ text: 'ROLLBACK' }).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates the schema when it does not exist and the version table (at version 0); refuses a
 * schema that already holds tables of something else.
 */
async function prepareEmptySchema(db: PgQueryable, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  const found = await db.query({ text: 'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS present', values: [schema] });
  if ((found.rows[0] as { present: boolean } | undefined)?.present === true) {
    const tables = await db.query({ text: "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm')", values: [schema] });
    if (((tables.rows[0] as { n: number } | undefined)?.n ?? 0) > 0) {
      throw new GuardianSyncError(
        'INVALID_CONFIGURATION',
        `The PostgreSQL schema "${schema}" already holds tables but no guardian-sync schema: give the store a schema of its own (the "schema" option).`,
      );
    }
  } else {
    await db.query({ text: `CREATE SCHEMA ${s}` });
  }
  await db.query({
    text:
      `CREATE TABLE ${s}.schema_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now()); ` +
      `INSERT INTO ${s}.schema_version (version) VALUES (0)`,
  });
}

async function readVersionOrFail(db: PgQueryable, schema: string): Promise<number> {
  try {
    return await readPostgresSchemaVersion(db, schema);
  } catch (error) {
    throw migrationFailure(error, schema);
  }
}

async function connectOrFail(pool: PgPool, schema: string) {
  try {
    return await pool.connect();
  } catch (error) {
    throw migrationFailure(error, schema);
  }
}

function checkVersion(version: number, schema: string): number {
  if (version > POSTGRES_SCHEMA_VERSION) {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      `The PostgreSQL schema "${schema}" has guardian-sync schema version ${version}, newer than this guardian-sync understands (${POSTGRES_SCHEMA_VERSION}): upgrade guardian-sync, or point this one at another schema.`,
    );
  }
  return version;
}

/** A failure while migrating, as STORE_FAILED with the SQLSTATE only (server messages can quote values). */
function migrationFailure(error: unknown, schema: string): unknown {
  if (isGuardianSyncError(error)) return error;
  return new GuardianSyncError(
    'STORE_FAILED',
    `The PostgreSQL schema "${schema}" could not be brought to guardian-sync schema version ${POSTGRES_SCHEMA_VERSION} (${describePgError(error)}); nothing was changed. ` +
      'Check that the database role may create schemas and tables there, or run migratePostgresSchema with a role that may.',
    { transient: isTransientPgError(error) },
  );
}
