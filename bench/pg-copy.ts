// `COPY … FROM STDIN` with node-postgres alone, without pg-copy-streams (not installed).
// node-postgres runs any object with a `submit(connection)` method as a query (its
// "Submittable" interface, the one pg-copy-streams and pg-cursor use); this one sends the
// COPY statement, answers the server's CopyInResponse with the data (CopyData messages,
// honouring the socket's back-pressure) and CopyDone, and settles when the server is ready
// for the next statement. The data is COPY's text format: tab-separated columns, `\N` for
// NULL, one row per line.

/** The part of pg's Connection a COPY needs (pg/lib/connection.js). */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  readonly stream: NodeJS.WritableStream & { readonly writableNeedDrain?: boolean };
}

/** Anything `client.query` accepts a Submittable on (a pg.Client or pg.PoolClient). */
export interface CopyTarget {
  query(submittable: unknown): unknown;
}

class CopyFromStdin {
  rowCount = 0;
  private settled = false;
  private error: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly chunks: Iterable<Buffer>,
    private readonly done: (error: Error | null, rowCount: number) => void,
  ) {}

  submit(connection: PgConnection): null {
    connection.query(this.text);
    return null;
  }

  handleCopyInResponse(connection: PgConnection): void {
    void this.send(connection);
  }

  private async send(connection: PgConnection): Promise<void> {
    try {
      for (const chunk of this.chunks) {
        connection.sendCopyFromChunk(chunk);
        if (connection.stream.writableNeedDrain === true) await new Promise((resolve) => connection.stream.once('drain', resolve));
      }
      connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '');
    if (match !== null) this.rowCount = Number(match[1]);
  }

  handleError(error: Error): void {
    this.error ??= error;
    this.settle();
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this.error, this.rowCount);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY <table> (<columns>) FROM STDIN` with these rows; resolves to the rows copied. */
export function copyFrom(client: CopyTarget, table: string, columns: readonly string[], rows: Iterable<readonly (string | null)[]>): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(
      new CopyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, copyTextChunks(rows), (error, count) => (error === null ? resolve(count) : reject(error))),
    );
  });
}

/** COPY text format in chunks of about 1 MiB. */
function* copyTextChunks(rows: Iterable<readonly (string | null)[]>): Generator<Buffer> {
  let parts: string[] = [];
  let length = 0;
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) line += '\t';
      const value = row[i];
      line += value === null || value === undefined ? '\\N' : copyEscape(value);
    }
    line += '\n';
    parts.push(line);
    length += line.length;
    if (length >= 1 << 20) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}

const SPECIAL = /[\\\t\n\r]/;

function copyEscape(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A `text[]` literal (`{"a","b"}`), each element quoted: the form COPY and casts read. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
