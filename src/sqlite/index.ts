// `guardian-sync/sqlite`: the SQLite roster store. better-sqlite3 is an optional peer
// dependency, loaded only when the store opens a file by path.
export { createSqliteStore } from './sqlite-store.js';
export type { SqliteStore, SqliteStoreOptions } from './sqlite-store.js';
export type { SqliteDatabase, SqliteDatabaseConstructor, SqliteRunResult, SqliteStatement } from './sqlite-database.js';
export type { SqliteLinkNotPlaced, SqliteMigration, SqliteMigrationNote, SqliteRoleNotPlaced, SqliteStudentNotPlaced } from './migration-notes.js';
export { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';
