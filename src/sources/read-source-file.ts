// Reads an opened SourceFile into one buffer, the way the orchestrator needs it: size limit
// enforced before and while reading, byte count checked against the size the source
// announced, SHA-256 computed on the way. Every failure is a GuardianSyncError.
import { createHash } from 'node:crypto';
import type { SourceFile } from '../contracts/file-source.js';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { fileTooLargeError } from './file-too-large.js';
import { abortedError, throwIfAborted } from './source-abort.js';

export interface ReadSourceFileOptions {
  /** Refuse (FILE_TOO_LARGE) when the file announces or delivers more bytes than this. */
  readonly maxBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called after each chunk with the bytes received so far and the announced size. */
  readonly onBytes?: ((done: number, total: number) => void) | undefined;
}

export interface SourceFileContents {
  readonly bytes: Uint8Array;
  /** Lower-case hex SHA-256 of `bytes`. */
  readonly sha256: string;
}

/**
 * Streams `file` into memory.
 * @throws GuardianSyncError FILE_TOO_LARGE when `file.size` (or the bytes that arrive) exceed
 * `maxBytes`; SOURCE_UNAVAILABLE (transient) when more or fewer bytes arrive than `file.size`
 * or the stream fails; the stream's own error when it throws one (e.g. FILE_UNSTABLE from a
 * local file that changed while read); ABORTED when `signal` is aborted. Does not close `file`.
 */
export async function readSourceFile(file: SourceFile, options: ReadSourceFileOptions = {}): Promise<SourceFileContents> {
  const { maxBytes, signal, onBytes } = options;
  const name = file.name;
  throwIfAborted(signal, name);
  if (maxBytes !== undefined && file.size > maxBytes) throw fileTooLargeError(name, file.size, maxBytes);

  // One allocation of the announced size: the limit above bounds it, and a source that
  // sends more than it announced is refused rather than grown into.
  const buffer = new Uint8Array(file.size);
  const hash = createHash('sha256');
  let received = 0;
  try {
    for await (const chunk of file.stream({ signal })) {
      throwIfAborted(signal, name);
      if (received + chunk.byteLength > file.size) {
        if (maxBytes !== undefined && received + chunk.byteLength > maxBytes) throw fileTooLargeError(name, received + chunk.byteLength, maxBytes);
        throw countMismatch(name, file.size, 'more');
      }
      buffer.set(chunk, received);
      hash.update(chunk);
      received += chunk.byteLength;
      onBytes?.(received, file.size);
    }
  } catch (error) {
    if (isGuardianSyncError(error)) throw error;
    if (signal?.aborted === true) throw abortedError(name);
    // A foreign stream error: its message may name paths or hosts we did not choose to show.
    throw new GuardianSyncError('SOURCE_UNAVAILABLE', `Reading ${name} failed before the end of the file; the run can be retried.`, {
      file: name,
      transient: true,
    });
  }
  if (received !== file.size) throw countMismatch(name, file.size, 'fewer', received);
  return { bytes: buffer, sha256: hash.digest('hex') };
}

function countMismatch(name: string, size: number, kind: 'more' | 'fewer', received?: number): GuardianSyncError {
  const what = kind === 'more' ? `more than the ${size} bytes announced` : `${received ?? 0} of the ${size} bytes announced`;
  return new GuardianSyncError('SOURCE_UNAVAILABLE', `Reading ${name} delivered ${what} (the file changed or the transfer broke); the run can be retried.`, {
    file: name,
    transient: true,
  });
}
