// The part of node-postgres (`pg`) the PostgreSQL store calls, typed structurally (as the
// SQLite store types better-sqlite3) so the package does not depend on pg's types: `pg` is an
// optional peer dependency, and a `pg.Pool`, `pg.PoolClient` or `pg.Client` fits these as is.

/** A statement and its parameters; `rowMode: 'array'` returns each row as an array of column values. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values?: readonly unknown[] | undefined;
  readonly rowMode?: 'array' | undefined;
}

export interface PgQueryResult {
  /** Objects by column name, or arrays of column values with `rowMode: 'array'`. */
  readonly rows: unknown[];
  /** Rows a statement inserted, updated or deleted (null for statements that report none). */
  readonly rowCount: number | null;
}

/** Anything that runs a statement: a pool, a pooled client or a client. */
export interface PgQueryable {
  query(config: PgQueryConfig): Promise<PgQueryResult>;
}

/** Connection-level failures (the server ended the session, the network dropped) are emitted as `error`. */
export interface PgEvents {
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A client checked out of a pool. `release(true)` (or an Error) destroys it instead of returning it. */
export interface PgPoolClient extends PgQueryable, PgEvents {
  release(destroy?: Error | boolean): void;
}

/** A `pg.Pool`. */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error, client: never) => void): unknown;
}

/** A single connection (`pg.Client`), e.g. the dedicated connection of a session lock. */
export interface PgClient extends PgQueryable, PgEvents {
  connect(): Promise<unknown>;
  end(): Promise<void>;
}

/** What the store needs to make connections itself (from a connection string). */
export interface PgModule {
  readonly Pool: new (config: PgConnectionConfig & { readonly max?: number | undefined }) => PgPool;
  readonly Client: new (config: PgConnectionConfig) => PgClient;
}

/** The connection settings the store passes to `pg` when it connects itself. */
export interface PgConnectionConfig {
  readonly connectionString: string;
  readonly application_name?: string | undefined;
}
