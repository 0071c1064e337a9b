// A SourceFile over bytes already in memory (an upload, or a file a remote source has
// downloaded and disconnected from): streams them in order, honours the signal, and can be
// streamed again since nothing is consumed.
import type { SourceFile } from '../contracts/file-source.js';
import { throwIfAborted } from './source-abort.js';

export interface MemorySourceFileInit {
  readonly name: string;
  /** The file's bytes, in order; one buffer or the chunks as they arrived. */
  readonly chunks: readonly Uint8Array[];
  readonly modifiedAt: Date | null;
  readonly markProcessed?: (() => Promise<void>) | undefined;
  /** Extra release work; called at most once, its errors swallowed (close never throws). */
  readonly onClose?: (() => Promise<void> | void) | undefined;
}

/** Chunks are cut to at most this size so progress callbacks move on a large upload. */
const MAX_CHUNK = 64 * 1024;

export function createMemorySourceFile(init: MemorySourceFileInit): SourceFile {
  const size = init.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  let closed = false;
  const file: SourceFile = {
    name: init.name,
    size,
    modifiedAt: init.modifiedAt,
    async *stream(options) {
      const signal = options?.signal;
      throwIfAborted(signal, init.name);
      for (const chunk of init.chunks) {
        for (let offset = 0; offset < chunk.byteLength; offset += MAX_CHUNK) {
          throwIfAborted(signal, init.name);
          yield chunk.subarray(offset, Math.min(offset + MAX_CHUNK, chunk.byteLength));
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await init.onClose?.();
      } catch {
        // close() must never throw: there is nothing a caller could do about it.
      }
    },
  };
  const mark = init.markProcessed;
  return mark === undefined ? file : { ...file, markProcessed: () => mark() };
}
