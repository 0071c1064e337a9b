// The in-memory source: a guardian file a host already holds (an admin's upload through a
// web form, a test fixture). No I/O; the bytes are copied once so later changes by the
// caller cannot alter a run in progress.
import type { GuardianFileSource, SourceFile, SourceOpenOptions } from '../contracts/file-source.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { fileTooLargeError } from './file-too-large.js';
import { createMemorySourceFile } from './memory-source-file.js';
import { throwIfAborted } from './source-abort.js';

export interface BytesSourceOptions {
  /** The file name shown in reports, e.g. the uploaded file's name. @example 'guardians.csv' */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** @default null */
  readonly modifiedAt?: Date | null | undefined;
}

export function createBytesSource(options: BytesSourceOptions): GuardianFileSource {
  const name = options.name;
  if (typeof name !== 'string' || name.trim() === '' || /[\\/]/.test(name)) {
    throw new GuardianSyncError('INVALID_CONFIGURATION', 'createBytesSource: `name` must be a plain file name such as "guardians.csv".');
  }
  if (!(options.bytes instanceof Uint8Array)) {
    throw new GuardianSyncError('INVALID_CONFIGURATION', 'createBytesSource: `bytes` must be a Uint8Array (a Buffer is one).');
  }
  const bytes = Uint8Array.from(options.bytes);
  const modifiedAt = options.modifiedAt ?? null;
  return {
    description: `upload:${name}`,
    async open(openOptions: SourceOpenOptions = {}): Promise<SourceFile> {
      throwIfAborted(openOptions.signal, name);
      const { maxBytes } = openOptions;
      if (maxBytes !== undefined && bytes.byteLength > maxBytes) throw fileTooLargeError(name, bytes.byteLength, maxBytes);
      return createMemorySourceFile({ name, chunks: [bytes], modifiedAt });
    },
  };
}
