// Source → validated rows, with the file summary of the report: open, read into one buffer
// (size limit, byte count, SHA-256), close the source before decoding (a remote connection is
// never held open while we parse), then read the rows. Shared by the sync and the self-check.
import type { GuardianFileSource } from '../contracts/file-source.js';
import type { FileSummary } from '../model/report.js';
import { readSourceFile } from '../sources/read-source-file.js';
import type { GuardianInput } from '../input/guardian-input.js';
import type { InputOptions } from '../input/input-options.js';
import { readGuardianInput } from '../input/read-guardian-input.js';

export interface FetchInputOptions extends Omit<InputOptions, 'fileName'> {
  readonly maxBytes: number;
  readonly onBytes?: ((done: number, total: number) => void) | undefined;
  /** Called once the bytes are in (encoding not yet known), so a failure report can still name the file. */
  readonly onFile?: ((file: FileSummary) => void) | undefined;
}

export interface FetchedInput {
  readonly file: FileSummary;
  readonly input: GuardianInput;
  /** The source file's `markProcessed`, still callable after the source is closed. */
  readonly markProcessed: (() => Promise<void>) | undefined;
}

/** @throws GuardianSyncError for every whole-file and source failure. */
export async function fetchGuardianInput(source: GuardianFileSource, options: FetchInputOptions): Promise<FetchedInput> {
  const { maxBytes, onBytes, onFile, signal, ...readOptions } = options;
  const opened = await source.open({ signal, maxBytes });
  let bytes: Uint8Array;
  let sha256: string;
  try {
    ({ bytes, sha256 } = await readSourceFile(opened, { maxBytes, signal, onBytes }));
  } finally {
    await opened.close();
  }
  const read: FileSummary = { name: opened.name, size: bytes.byteLength, sha256, encoding: 'unknown', delimiter: ',', rows: 0 };
  onFile?.(read);
  const input = await readGuardianInput(bytes, { ...readOptions, signal, fileName: opened.name });
  return {
    file: { ...read, encoding: input.encoding, delimiter: input.delimiter, rows: input.records },
    input,
    markProcessed: opened.markProcessed?.bind(opened),
  };
}
