// `guardian-sync/postgres`: the PostgreSQL roster store. node-postgres (`pg`) is an optional
// peer dependency, loaded only when the store connects itself (from a connection string).
export { createPostgresStore } from './postgres-store.js';
export type { PostgresLockConnection, PostgresStore, PostgresStoreCommonOptions, PostgresStoreOptions } from './postgres-store.js';
export {
  DEFAULT_POSTGRES_SCHEMA,
  migratePostgresSchema,
  POSTGRES_SCHEMA_VERSION,
  readPostgresSchemaVersion,
  validateSchemaName,
} from './postgres-schema.js';
export type { PostgresMigration } from './postgres-schema.js';
export type { PgClient, PgConnectionConfig, PgEvents, PgPool, PgPoolClient, PgQueryable, PgQueryConfig, PgQueryResult } from './pg-types.js';
