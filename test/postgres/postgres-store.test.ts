// What the PostgreSQL store promises beyond the conformance suite: its schema (a custom
// schema, re-opening, refusing a newer version or someone else's tables), the unique login
// indexes, the writer's set-based statements and their errors (SQLSTATE, no values), the
// keyed snapshot reading one district of many, and run history as jsonb.
import type pg from 'pg';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { StoredAccount } from '../../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import type { Account, GuardianLink, Org, Student } from '../../src/model/roster.js';
import {
  createPostgresStore,
  migratePostgresSchema,
  POSTGRES_SCHEMA_VERSION,
  readPostgresSchemaVersion,
  type PgPool,
  type PgQueryConfig,
} from '../../src/postgres/index.js';
import { loadPg } from '../../src/postgres/load-pg.js';
import { POSTGRES_MIGRATIONS } from '../../src/postgres/postgres-schema.js';
import { buildTestReport, CONFORMANCE_ROSTER, testFields } from '../../src/testing/roster-store-fixtures.js';
import { createTestPool, describePostgres, freshSchemaName, postgresHarnesses, readAccountsSql, seedSql, type PostgresHarness } from './postgres-harness.js';

describePostgres('PostgreSQL store', (url) => {
  const harnesses = postgresHarnesses(url);
  const pool = url === '' ? undefined : createTestPool(url, 4);
  const open: PostgresHarness[] = [];
  const schemasToDrop: string[] = [];

  async function harness(): Promise<PostgresHarness> {
    const made = await harnesses.create();
    open.push(made);
    return made;
  }

  afterEach(async () => {
    for (const made of open.splice(0)) await made.cleanup();
    for (const schema of schemasToDrop.splice(0)) await pool!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  afterAll(async () => {
    await harnesses.close();
    await pool?.end();
  });

  async function caught(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  }

  it('migrates a new custom schema on open, qualifies every table with it, and re-opens without migrating', async () => {
    const schema = freshSchemaName('gs_custom');
    schemasToDrop.push(schema);
    const first = await createPostgresStore({ pool: pool!, schema });
    expect(first.migration).toEqual({ fromVersion: 0, toVersion: POSTGRES_SCHEMA_VERSION });
    expect(first.schema).toBe(schema);
    await first.close();
    const tables = await pool!.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
    expect(tables.rows.map((r) => r.table_name)).toEqual(['account_roles', 'accounts', 'links', 'lock_holders', 'orgs', 'role_sis_ids', 'runs', 'schema_version', 'students']);
    // Nothing leaked into public.
    const publicTables = await pool!.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
    expect(publicTables.rowCount).toBe(0);
    const again = await createPostgresStore({ pool: pool!, schema });
    expect(again.migration).toBeNull();
    await again.close();
    await expect(readPostgresSchemaVersion(pool!, schema)).resolves.toBe(POSTGRES_SCHEMA_VERSION);
    // migrate: false opens a current schema and refuses one that is not.
    const checked = await createPostgresStore({ pool: pool!, schema, migrate: false });
    expect(checked.migration).toBeNull();
    await checked.close();
    const missing = freshSchemaName('gs_missing');
    const error = await caught(createPostgresStore({ pool: pool!, schema: missing, migrate: false }));
    expect(error).toMatchObject({ code: 'INVALID_CONFIGURATION' });
    expect(error.message).toContain('migratePostgresSchema');
  });

  it('lets exactly one of several stores opening a new schema at once migrate it', async () => {
    const schema = freshSchemaName('gs_race');
    schemasToDrop.push(schema);
    const pools = [createTestPool(url, 2), createTestPool(url, 2), createTestPool(url, 2), createTestPool(url, 2)];
    try {
      const results = await Promise.all(pools.map((p) => migratePostgresSchema(p, { schema })));
      expect(results.filter((r) => r !== null)).toEqual([{ fromVersion: 0, toVersion: POSTGRES_SCHEMA_VERSION }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('refuses a schema written by a newer version, and a schema holding other tables, without changing them', async () => {
    const schema = freshSchemaName('gs_newer');
    schemasToDrop.push(schema);
    await (await createPostgresStore({ pool: pool!, schema })).close();
    await pool!.query(`UPDATE "${schema}".schema_version SET version = $1`, [POSTGRES_SCHEMA_VERSION + 1]);
    const newer = await caught(createPostgresStore({ pool: pool!, schema }));
    expect(newer).toMatchObject({ code: 'INVALID_CONFIGURATION' });
    expect(newer.message).toContain('newer than this guardian-sync understands');
    await expect(readPostgresSchemaVersion(pool!, schema)).resolves.toBe(POSTGRES_SCHEMA_VERSION + 1);

    const foreign = freshSchemaName('gs_foreign');
    schemasToDrop.push(foreign);
    await pool!.query(`CREATE SCHEMA "${foreign}"; CREATE TABLE "${foreign}".things (id int)`);
    const refused = await caught(createPostgresStore({ pool: pool!, schema: foreign }));
    expect(refused).toMatchObject({ code: 'INVALID_CONFIGURATION' });
    const tables = await pool!.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [foreign]);
    expect(tables.rows).toEqual([{ table_name: 'things' }]);
  });

  it('refuses invalid options: a schema name that would need quoting, both or neither connection, a dedicated lock without a URL', async () => {
    for (const schema of ['Roster', 'my-schema', '1st', 'pg_roster', 'x'.repeat(64), 'a"; DROP TABLE x; --']) {
      await expect(createPostgresStore({ pool: pool!, schema })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    }
    await expect(createPostgresStore({ pool: pool!, connectionString: url } as never)).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    await expect(createPostgresStore({} as never)).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    await expect(createPostgresStore({ pool: pool!, lockConnection: 'dedicated' })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
  });

  it('says to install pg when it is missing, with INVALID_CONFIGURATION', () => {
    const missing = (): never => {
      throw Object.assign(new Error("Cannot find module 'pg'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadPg(missing)).toThrow(/npm install pg@8/);
    try {
      loadPg(missing);
    } catch (error) {
      expect(isGuardianSyncError(error) && error.code).toBe('INVALID_CONFIGURATION');
    }
    expect(typeof loadPg().Pool).toBe('function');
  });

  it('opens from a connection string with a pool of its own, which close() ends (twice is fine)', async () => {
    const schema = freshSchemaName('gs_url');
    schemasToDrop.push(schema);
    const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
    await store.importRoster({ orgs: [{ id: 'D1', name: 'District', type: 'district', parentId: null }], students: [], staff: [] });
    await expect(store.listOrgs()).resolves.toEqual([{ id: 'D1', name: 'District', type: 'district', parentId: null }]);
    await store.close();
    await store.close();
    await expect(store.listOrgs()).rejects.toMatchObject({ code: 'STORE_FAILED' });
    // A store given a pool leaves it open.
    const given = await createPostgresStore({ pool: pool!, schema });
    await given.close();
    await expect(pool!.query('SELECT 1')).resolves.toBeDefined();
  });

  it('refuses, by its unique index, a second account with the same email in another letter case, or the same mobile', async () => {
    const { store, pool: db, schema } = await harness();
    await seedSql(db, schema, { accounts: [{ id: 'a1', ...testFields('Ann', 'One', { email: 'Ann@Mail.example', mobilePhone: '+12025550001' }), claimed: false, roles: [] }] });
    const insert = (account: StoredAccount) => store.transaction((writer) => writer.insertAccounts([{ account, roles: [] }]), {});
    const sameEmail = await caught(insert({ id: 'a2', ...testFields('Ann', 'Two', { email: 'ann@mail.EXAMPLE' }), claimed: false }));
    expect(sameEmail).toMatchObject({ code: 'STORE_FAILED' });
    expect(sameEmail.message).toContain('email is already the login of another account');
    expect(sameEmail.message).toContain('23505');
    expect(sameEmail.message).not.toMatch(/ann@|Ann/i);
    const sameMobile = await caught(insert({ id: 'a3', ...testFields('Ann', 'Three', { mobilePhone: '+12025550001' }), claimed: false }));
    expect(sameMobile.message).toContain('mobile phone is already the login of another account');
    expect(sameMobile.message).not.toContain('+1202');
    // Straight SQL meets the same index: it is the database's rule, not the store's.
    await expect(db.query(`INSERT INTO "${schema}".accounts (id, first_name, last_name, email) VALUES ('a4', 'X', 'Y', 'ANN@MAIL.EXAMPLE')`)).rejects.toMatchObject({ code: '23505' });
    // Nothing of the refused transactions stayed; accounts without logins are many.
    await insert({ id: 'a5', ...testFields('No', 'Login'), claimed: false });
    await insert({ id: 'a6', ...testFields('No', 'Login'), claimed: false });
    expect((await readAccountsSql(db, schema)).map((a) => a.id).sort()).toEqual(['a1', 'a5', 'a6']);
  });

  it('applies each writer call as one statement, keeps role_sis_ids equal to the roles, never changes claimed, and rolls everything back on a throw', async () => {
    const { pool: db, schema } = await harness();
    await seedSql(db, schema, CONFORMANCE_ROSTER);
    const recording = recordingPool(db);
    const store = await createPostgresStore({ pool: recording.pool, schema, migrate: false });
    open.push({ cleanup: () => store.close() } as PostgresHarness);
    recording.statements.length = 0;
    {
      await store.transaction(async (writer) => {
        await writer.insertAccounts(
          Array.from({ length: 300 }, (_, i) => ({
            account: { id: `bulk-${i}`, ...testFields('Bulk', `N${i}`, { email: `bulk${i}@mail.example` }), claimed: false },
            roles: [{ accountId: `bulk-${i}`, districtId: 'D1', role: 'guardian' as const, status: 'active' as const, sisIds: [`GA${i}`] }],
          })),
        );
        // A new id on each role, and a staff role for the first ten.
        await writer.putRoles([
          ...Array.from({ length: 300 }, (_, i) => ({ accountId: `bulk-${i}`, districtId: 'D1', role: 'guardian' as const, status: 'active' as const, sisIds: [`GB${i}`, `GA${i}`] })),
          ...Array.from({ length: 10 }, (_, i) => ({ accountId: `bulk-${i}`, districtId: 'D2', role: 'staff' as const, status: 'active' as const, sisIds: [`T${i}`] })),
        ]);
        const added = await writer.insertLinks(Array.from({ length: 300 }, (_, i) => ({ accountId: `bulk-${i}`, districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' })));
        expect(added).toBe(300);
        expect(await writer.insertLinks([{ accountId: 'bulk-0', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' }])).toBe(0);
        expect(await writer.deleteLinks([{ accountId: 'bulk-1', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' }, { accountId: 'bulk-1', districtId: 'D1', studentSisId: 'S1', source: 'manual' }])).toBe(1);
        // acct-g3 is claimed: an update sets its fields and leaves the claim alone.
        await writer.updateAccounts([{ id: 'acct-g3', ...testFields('Clara', 'Martín', { mobilePhone: '+12025550103' }), claimed: false }]);
        await writer.putRoles([{ accountId: 'bulk-2', districtId: 'D1', role: 'guardian', status: 'archived', sisIds: ['GX'] }]);
      }, {});
    }
    // BEGIN, one statement per writer call (7), COMMIT, whatever the batch size.
    expect(recording.statements).toHaveLength(9);
    const accounts = await readAccountsSql(db, schema);
    expect(accounts.find((a) => a.id === 'acct-g3')).toMatchObject({ lastName: 'Martín', claimed: true });
    expect(accounts.find((a) => a.id === 'bulk-17')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['GA17', 'GB17'], status: 'active' }]);
    expect(accounts.find((a) => a.id === 'bulk-3')?.roles).toHaveLength(2);
    const side = await db.query(`SELECT district_id, role, sis_id, account_id FROM "${schema}".role_sis_ids WHERE account_id IN ('bulk-2', 'bulk-3') ORDER BY account_id, district_id, sis_id`);
    expect(side.rows).toEqual([
      { district_id: 'D1', role: 'guardian', sis_id: 'GX', account_id: 'bulk-2' },
      { district_id: 'D2', role: 'staff', sis_id: 'T2', account_id: 'bulk-2' },
      { district_id: 'D1', role: 'guardian', sis_id: 'GA3', account_id: 'bulk-3' },
      { district_id: 'D1', role: 'guardian', sis_id: 'GB3', account_id: 'bulk-3' },
      { district_id: 'D2', role: 'staff', sis_id: 'T3', account_id: 'bulk-3' },
    ]);
    const total = await db.query(`SELECT (SELECT count(*) FROM "${schema}".role_sis_ids)::int AS side, (SELECT count(*) FROM "${schema}".account_roles r, unnest(r.sis_ids))::int AS roles`);
    expect(total.rows[0].side).toBe(total.rows[0].roles);

    const before = await readAccountsSql(db, schema);
    const failure = await caught(
      store.transaction(async (writer) => {
        await writer.insertAccounts([{ account: { id: 'doomed', ...testFields('Dee', 'Oomed'), claimed: false }, roles: [] }]);
        await writer.insertLinks([{ accountId: 'doomed', districtId: 'D2', studentSisId: 'S3', source: 'guardian-file' }]);
      }, {}),
    );
    expect(failure).toMatchObject({ code: 'STORE_FAILED' });
    expect(failure.message).toContain('a link names an account or a student that is not in the roster');
    expect(failure.message).toContain('23503');
    expect(await readAccountsSql(db, schema)).toEqual(before);
  });

  it('keeps role_sis_ids equal to account_roles whoever writes them (plain SQL too): inserts, id changes, status changes, key changes, deletes', async () => {
    const { pool: db, schema } = await harness();
    await seedSql(db, schema, CONFORMANCE_ROSTER);
    const s = `"${schema}"`;
    const same = async (): Promise<void> => {
      const result = await db.query(
        `SELECT (SELECT array_agg(x ORDER BY x) FROM (SELECT district_id || '/' || role || '/' || sis_id || '/' || account_id AS x FROM ${s}.role_sis_ids) a) AS side, ` +
          `(SELECT array_agg(x ORDER BY x) FROM (SELECT r.district_id || '/' || r.role || '/' || i || '/' || r.account_id AS x FROM ${s}.account_roles r, unnest(r.sis_ids) i) b) AS roles`,
      );
      expect(result.rows[0].side).toEqual(result.rows[0].roles);
    };
    await same();
    await db.query(`UPDATE ${s}.account_roles SET sis_ids = sis_ids || '{G77}'::text[] WHERE district_id = 'D1' AND role = 'guardian'`);
    await same();
    await db.query(`UPDATE ${s}.account_roles SET status = 'archived' WHERE district_id = 'D1'`);
    await same();
    await db.query(`UPDATE ${s}.account_roles SET sis_ids = '{}' WHERE account_id = 'acct-g3'`);
    await same();
    await db.query(`UPDATE ${s}.account_roles SET district_id = 'D9' WHERE account_id = 'acct-shared' AND district_id = 'D2'`);
    await same();
    await db.query(`DELETE FROM ${s}.account_roles WHERE account_id = 'acct-g1'`);
    await same();
    const count = await db.query(`SELECT count(*)::int AS n FROM ${s}.role_sis_ids WHERE district_id = 'D9'`);
    expect(count.rows[0].n).toBe(1);
  });

  it('reads back only what exists, stops writing once its signal fires, and reports an update of an unknown account', async () => {
    const { store, pool: db, schema } = await harness();
    await seedSql(db, schema, CONFORMANCE_ROSTER);
    await store.transaction(async (writer) => {
      expect((await writer.readAccounts(['acct-g1', 'nope'])).map((a) => a.id)).toEqual(['acct-g1']);
      expect(await writer.readRoles('D1', 'guardian', ['acct-shared', 'acct-d2', 'acct-staff'])).toEqual([
        { accountId: 'acct-shared', districtId: 'D1', role: 'guardian', status: 'active', sisIds: ['G5'] },
      ]);
      expect([...(await writer.readStudentIds('D2', ['S1', 'S2', 'S9']))].sort()).toEqual(['S1', 'S9']);
    }, {});
    const controller = new AbortController();
    const aborted = await caught(
      store.transaction(async (writer) => {
        await writer.insertAccounts([{ account: { id: 'half', ...testFields('Half', 'Way'), claimed: false }, roles: [] }]);
        controller.abort();
        await writer.insertAccounts([{ account: { id: 'never', ...testFields('Ne', 'Ver'), claimed: false }, roles: [] }]);
      }, { signal: controller.signal }),
    );
    expect(aborted).toMatchObject({ code: 'ABORTED' });
    const unknown = await caught(store.transaction((writer) => writer.updateAccounts([{ id: 'ghost', ...testFields('G', 'Host'), claimed: false }]), {}));
    expect(unknown).toMatchObject({ code: 'STORE_FAILED' });
    expect(unknown.message).toContain('"ghost"');
    const ids = (await readAccountsSql(db, schema)).map((a) => a.id);
    expect(ids).not.toContain('half');
    expect(ids).not.toContain('never');
  });

  it('loads the keyed snapshot of one district among three with equal SIS ids: none of the others’ students or links, and only login-matched foreign accounts', async () => {
    const { store, pool: db, schema } = await harness();
    await seedSql(db, schema, threeDistricts());
    const scope = { level: 'district' as const, orgId: 'D2', districtId: 'D2', schoolIds: ['SC2'] };
    const snapshot = await store.loadSnapshot(scope, { logins: { emails: ['p3@mail.example', 'nobody@mail.example'], mobiles: ['+12025559010'] } });
    expect(snapshot.students.map((s) => `${s.districtId}/${s.sisId}`).sort()).toEqual(['D2/S1', 'D2/S2']);
    expect(snapshot.links.every((l) => l.districtId === 'D2')).toBe(true);
    expect(snapshot.links).toHaveLength(3);
    // D2's role holders and linked accounts, the shared parent with its roles in all three
    // districts, and the holders of the asked logins from D1 (mobile) and D3 (email).
    expect(snapshot.accounts.map((a) => a.id).sort()).toEqual(['p1-0', 'p2-0', 'p2-1', 'p3-0', 'shared']);
    expect(snapshot.accounts.find((a) => a.id === 'shared')?.roles.map((r) => r.districtId).sort()).toEqual(['D1', 'D2', 'D3']);
    expect(snapshot.accounts.find((a) => a.id === 'p3-0')?.roles).toEqual([{ role: 'guardian', districtId: 'D3', sisIds: ['G0'], status: 'active' }]);
    // A login the district's own accounts hold adds nothing, and nothing comes twice.
    const own = await store.loadSnapshot(scope, { logins: { emails: ['p2-0@mail.example', 'shared@mail.example'], mobiles: [] } });
    expect(own.accounts.map((a) => a.id).sort()).toEqual(['p2-0', 'p2-1', 'shared']);
    // Aborted before it starts.
    const controller = new AbortController();
    controller.abort();
    await expect(store.loadSnapshot(scope, { logins: { emails: [], mobiles: [] }, signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('reads the snapshot by index: no statement of loadSnapshot scans the accounts', async () => {
    const { pool: db, schema } = await harness();
    await seedSql(db, schema, threeDistricts());
    // Enough accounts that only a statement no index serves would scan them.
    await db.query(
      `INSERT INTO "${schema}".accounts (id, first_name, last_name, email, mobile_phone) ` +
        `SELECT 'filler-' || g, 'F', 'L', 'f' || g || '@mail.example', '+1303' || lpad(g::text, 7, '0') FROM generate_series(1, 20000) g`,
    );
    await db.query(`ANALYZE "${schema}".accounts`);
    const recording = recordingPool(db);
    const store = await createPostgresStore({ pool: recording.pool, schema, migrate: false });
    try {
      const scope = { level: 'district' as const, orgId: 'D2', districtId: 'D2', schoolIds: ['SC2'] };
      recording.statements.length = 0;
      await store.loadSnapshot(scope, { logins: { emails: ['p3@mail.example', 'f77@mail.example'], mobiles: ['+12025559010', '+13030000042'] } });
    } finally {
      await store.close();
    }
    const queries = recording.statements.filter((q) => q.values !== undefined && q.values.length > 0);
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const query of queries) {
      const plan = await db.query({ text: `EXPLAIN ${query.text}`, values: [...query.values!] });
      const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      expect(text, query.text).not.toMatch(/Seq Scan on accounts/);
    }
  });

  it('migrates a version-1 schema to the current one: saved runs get their report\'s threshold, so a forced run lists as forced', async () => {
    const schema = freshSchemaName('gs_v1');
    schemasToDrop.push(schema);
    const s = `"${schema}"`;
    await pool!.query(`CREATE SCHEMA ${s}`);
    await pool!.query(POSTGRES_MIGRATIONS[0]!(s));
    await pool!.query(`CREATE TABLE ${s}.schema_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())`);
    await pool!.query(`INSERT INTO ${s}.schema_version (version) VALUES (1)`);
    const d1 = { level: 'district' as const, orgId: 'D1' };
    const base = buildTestReport('run-forced', '2026-03-01T06:00:00.000Z', d1, 'succeeded', 2);
    const forced = { ...base, threshold: { ...base.threshold, removalRatio: 0.5, exceeded: true, forced: true } };
    await pool!.query(
      `INSERT INTO ${s}.runs (run_id, scope_level, scope_org_id, status, dry_run, started_at, finished_at, counts, report) VALUES ($1, 'district', 'D1', 'succeeded', false, $2, $2, $3::jsonb, $4::jsonb)`,
      ['run-forced', forced.startedAt, JSON.stringify(forced.counts), JSON.stringify(forced)],
    );
    const store = await createPostgresStore({ pool: pool!, schema });
    try {
      expect(store.migration).toEqual({ fromVersion: 1, toVersion: POSTGRES_SCHEMA_VERSION });
      expect((await store.listRuns()).map((r) => [r.runId, r.threshold])).toEqual([['run-forced', forced.threshold]]);
      // A run saved now keeps its threshold beside its counts too.
      await store.saveRun({ ...buildTestReport('run-2', '2026-03-02T06:00:00.000Z', d1), status: 'cancelled' });
      expect((await store.listRuns({ limit: 1 }))[0]).toMatchObject({ runId: 'run-2', status: 'cancelled', threshold: buildTestReport('run-2', '2026-03-02T06:00:00.000Z', d1).threshold });
    } finally {
      await store.close();
    }
  });

  it('keeps run history: upserts by run id, lists by scope most recent first, returns reports whole (also one quoting a NUL)', async () => {
    const { store } = await harness();
    const d1 = { level: 'district' as const, orgId: 'D1' };
    await store.saveRun({ ...buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1), status: 'running' });
    await store.saveRun(buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'succeeded', 3));
    await store.saveRun(buildTestReport('run-2', '2026-03-01T06:00:00.000Z', d1, 'failed', 1));
    await store.saveRun({ ...buildTestReport('run-0', '2026-02-28T06:00:00.000Z', { level: 'school', orgId: 'SA' }), status: 'interrupted' });
    expect((await store.listRuns()).map((r) => [r.runId, r.status])).toEqual([
      ['run-2', 'failed'],
      ['run-1', 'succeeded'],
      ['run-0', 'interrupted'],
    ]);
    expect((await store.listRuns({ scope: d1, limit: 1 })).map((r) => r.runId)).toEqual(['run-2']);
    expect(await store.listRuns({ limit: 0 })).toEqual([]);
    const report = buildTestReport('run-3', '2026-03-02T06:00:00.000Z', d1);
    const withNul = { ...report, issues: [{ ...report.issues[0]!, message: 'Odd byte \u0000 in a cell.' }] };
    await store.saveRun(withNul);
    expect((await store.getRun('run-3'))?.issues[0]?.message).toBe('Odd byte \ufffd in a cell.');
    expect(await store.getRun('run-1')).toEqual(buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'succeeded', 3));
  });

  it('imports a roster in one transaction: a student of an unknown school leaves nothing, and names ids only', async () => {
    const { store, pool: db, schema } = await harness();
    const error = await caught(
      store.importRoster({
        orgs: [{ id: 'D1', name: 'District', type: 'district', parentId: null }],
        students: [{ districtId: 'D1', sisId: 'S1', schoolId: 'NOPE', firstName: 'Secret', lastName: 'Name' }],
        staff: [{ districtId: 'D1', sisId: 'T1', firstName: 'Tina', lastName: 'Teacher', email: 'tina@school.example', mobilePhone: null, homePhone: null, schoolIds: [] }],
      }),
    );
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect(error.message).toContain('"NOPE"');
    expect(error.message).not.toContain('Secret');
    const counts = await db.query(`SELECT (SELECT count(*) FROM "${schema}".orgs)::int AS orgs, (SELECT count(*) FROM "${schema}".accounts)::int AS accounts`);
    expect(counts.rows[0]).toEqual({ orgs: 0, accounts: 0 });
  });

  it('hands a login from one teacher to another in one import, through the unique index', async () => {
    const { store, pool: db, schema } = await harness();
    const orgs: Org[] = [{ id: 'D1', name: 'District', type: 'district', parentId: null }];
    const teacher = (sisId: string, first: string, mobilePhone: string | null) => ({
      districtId: 'D1',
      sisId,
      firstName: first,
      lastName: 'Teacher',
      email: null,
      mobilePhone,
      homePhone: null,
      schoolIds: [],
    });
    await store.importRoster({ orgs, students: [], staff: [teacher('T1', 'Ann', '+12025550123'), teacher('T2', 'Bo', null)] });
    // The number moves from T1 to T2; T2 comes first in the file.
    const result = await store.importRoster({ orgs, students: [], staff: [teacher('T2', 'Bo', '+12025550123'), teacher('T1', 'Ann', '+12025550199')] });
    expect(result).toMatchObject({ staffCreated: 0, staffUpdated: 2 });
    const byFirst = new Map((await readAccountsSql(db, schema)).map((a) => [a.firstName, a.mobilePhone]));
    expect(byFirst).toEqual(new Map([['Ann', '+12025550199'], ['Bo', '+12025550123']]));
    await expect(store.importRoster({ orgs, students: [], staff: [teacher('T2', 'Bo', '+12025550123'), teacher('T1', 'Ann', '+12025550199')] })).resolves.toMatchObject({ staffCreated: 0, staffUpdated: 0 });
  });
});

/**
 * Three districts with the same student and guardian SIS ids (S1, S2; G0, G1), a guardian
 * account per district and SIS id (`p<district>-<n>`, linked to its S1), and one parent
 * (`shared`) holding a guardian role and a link in each district.
 */
function threeDistricts(): { orgs: Org[]; students: Student[]; accounts: Account[]; links: GuardianLink[] } {
  const orgs: Org[] = [];
  const students: Student[] = [];
  const accounts: Account[] = [];
  const links: GuardianLink[] = [];
  for (const d of [1, 2, 3]) {
    const districtId = `D${d}`;
    orgs.push({ id: districtId, name: `District ${d}`, type: 'district', parentId: null }, { id: `SC${d}`, name: `School ${d}`, type: 'school', parentId: districtId });
    for (const sisId of ['S1', 'S2']) students.push({ districtId, sisId, schoolId: `SC${d}`, firstName: 'Kid', lastName: `${d}${sisId}` });
    for (const n of [0, 1]) {
      const id = `p${d}-${n}`;
      accounts.push({
        id,
        ...testFields('Parent', id, { email: `${id === 'p3-0' ? 'p3' : id}@mail.example`, mobilePhone: `+120255590${d}${n}` }),
        claimed: false,
        roles: [{ role: 'guardian', districtId, sisIds: [`G${n}`], status: 'active' }],
      });
      links.push({ accountId: id, districtId, studentSisId: 'S1', source: 'guardian-file' });
    }
  }
  accounts.push({
    id: 'shared',
    ...testFields('Sam', 'Shared', { email: 'shared@mail.example' }),
    claimed: false,
    roles: [1, 2, 3].map((d) => ({ role: 'guardian' as const, districtId: `D${d}`, sisIds: ['G9'], status: 'active' as const })),
  });
  for (const d of [1, 2, 3]) links.push({ accountId: 'shared', districtId: `D${d}`, studentSisId: 'S2', source: 'guardian-file' });
  return { orgs, students, accounts, links };
}

/**
 * A pool that records every statement run through it or its clients (text and values), for
 * counting statements and explaining them.
 */
function recordingPool(pool: pg.Pool): { pool: PgPool; statements: PgQueryConfig[] } {
  const statements: PgQueryConfig[] = [];
  const record = (config: PgQueryConfig): PgQueryConfig => {
    statements.push(config);
    return config;
  };
  const wrapped: PgPool = {
    query: (config) => pool.query(record(config) as pg.QueryConfig),
    async connect() {
      const client = await pool.connect();
      return {
        query: (config: PgQueryConfig) => client.query(record(config) as pg.QueryConfig),
        release: (destroy?: Error | boolean) => client.release(destroy),
        on: (event: 'error', listener: (error: Error) => void) => client.on(event, listener),
        removeListener: (event: 'error', listener: (error: Error) => void) => client.removeListener(event, listener),
      };
    },
    end: () => pool.end(),
    on: (event, listener) => pool.on(event, listener as never),
  };
  return { pool: wrapped, statements };
}
