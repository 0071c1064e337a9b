// The part of a better-sqlite3 `Database` the SQLite store calls, typed structurally (as
// kysely's `SqliteDatabase` does) so the package does not depend on better-sqlite3's types:
// it is an optional peer dependency, and any object with these methods will do.

export interface SqliteRunResult {
  readonly changes: number;
}

export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows as arrays of column values instead of objects (faster for big reads). */
  raw(toggle?: boolean): SqliteStatement;
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { readonly simple?: boolean }): unknown;
  close(): unknown;
  /** True while a transaction is open (better-sqlite3 has it; used to roll back safely). */
  readonly inTransaction?: boolean | undefined;
}

/** How better-sqlite3's default export is called when the store opens a file itself. */
export type SqliteDatabaseConstructor = new (filename: string, options?: { readonly timeout?: number }) => SqliteDatabase;
