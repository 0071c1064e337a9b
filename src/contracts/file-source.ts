// The file source contract: where the guardian file's bytes come from (local file,
// in-memory upload, SFTP). A source finds the file, says what it is, and streams its bytes.

export interface SourceOpenOptions {
  readonly signal?: AbortSignal | undefined;
  /** Files larger than this must be refused with FILE_TOO_LARGE before any byte is read. */
  readonly maxBytes?: number | undefined;
}

export interface SourceFile {
  /** The file's own name (e.g. `guardians.csv`), never a URL with credentials. */
  readonly name: string;
  /** Size in bytes as the source reported it before reading. */
  readonly size: number;
  readonly modifiedAt: Date | null;
  /**
   * Must yield the file's bytes in order, exactly `size` of them, and must throw
   * SOURCE_UNAVAILABLE when fewer or more arrive (FILE_UNSTABLE when the source can tell
   * the file itself changed: it is still being written). May be called once. Must honour `signal`
   * (throw GuardianSyncError ABORTED when it is aborted).
   */
  stream(options?: { readonly signal?: AbortSignal | undefined }): AsyncIterable<Uint8Array>;
  /** Optional: called after a successful, non-dry run (e.g. move the file to an archive folder). */
  markProcessed?(): Promise<void>;
  /** Must release every resource (connections, handles, timers). Idempotent; never throws. */
  close(): Promise<void>;
}

export interface GuardianFileSource {
  /** Safe to log: e.g. `sftp://district@sftp.example.org:22/inbox/guardians.csv` (no password). */
  readonly description: string;
  /**
   * Must locate the file and return it ready to stream. Must throw GuardianSyncError with
   * FILE_NOT_FOUND when it does not exist (never an empty file), FILE_TOO_LARGE when over
   * `maxBytes`, FILE_UNSTABLE when the file is still being written (its upload or export is
   * not finished), SOURCE_UNAVAILABLE / AUTH_FAILED / HOST_KEY_MISMATCH for the failures of
   * reaching it, and ABORTED when `signal` is aborted. Never throws a
   * foreign error. Each call stands alone: two opens give two independent files.
   */
  open(options?: SourceOpenOptions): Promise<SourceFile>;
}
