// The local file source: a guardians.csv on this machine's disk (CLI `--file`, a host's
// drop folder). open() holds a file handle, so the file streamed is the one that was
// measured even if it is renamed or replaced meanwhile; reads use explicit positions, so
// the count check against the measured size is exact. A file still being written is
// refused (FILE_UNSTABLE): before reading, unless it has held still long enough or a
// `.done` marker vouches for it (settle-local-file.ts), and after reading, if it changed.
import { open as openFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GuardianFileSource, SourceFile, SourceOpenOptions } from '../contracts/file-source.js';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { fileTooLargeError } from './file-too-large.js';
import { localFileUnstable, localOpenFailure, localReadFailure, notAFile } from './local-file-errors.js';
import { resolveLocalFileSourceOptions, type LocalFileSourceOptions } from './local-file-source-options.js';
import { settleLocalFile, type FileLook } from './settle-local-file.js';
import { throwIfAborted } from './source-abort.js';

export type { LocalDoneMarkerMode, LocalFileSourceOptions } from './local-file-source-options.js';

const CHUNK = 256 * 1024;

/** @throws GuardianSyncError INVALID_CONFIGURATION for a missing path or a bad option. */
export function createLocalFileSource(options: LocalFileSourceOptions): GuardianFileSource {
  const config = resolveLocalFileSourceOptions(options);
  const path = resolve(config.path);
  const name = config.name ?? basename(path);
  return {
    description: pathToFileURL(path).href,
    async open(openOptions: SourceOpenOptions = {}): Promise<SourceFile> {
      const { signal, maxBytes } = openOptions;
      throwIfAborted(signal, name);
      let handle: FileHandle;
      try {
        handle = await openFile(path, 'r');
      } catch (error) {
        throw localOpenFailure(error, path, name);
      }
      try {
        const look = async (): Promise<FileLook> => {
          const info = await handle.stat();
          return { size: info.size, mtimeMs: info.mtimeMs };
        };
        const info = await handle.stat();
        if (!info.isFile()) throw notAFile(path, name);
        // Before any wait: a file over the limit is refused however complete it is.
        if (maxBytes !== undefined && info.size > maxBytes) throw fileTooLargeError(name, info.size, maxBytes);
        const settled = await settleLocalFile(
          { size: info.size, mtimeMs: info.mtimeMs },
          { path, name, stableCheckMs: config.stableCheckMs, doneMarker: config.doneMarker, signal, look },
        );
        const marker = settled.marker;
        return handleFile(handle, { path, name, accepted: settled.look, look }, marker === null ? undefined : () => removeMarker(`${path}.done`, marker));
      } catch (error) {
        await handle.close().catch(() => undefined);
        if (isGuardianSyncError(error)) throw error;
        throw localReadFailure(path, name, errorCode(error));
      }
    },
  };
}

interface OpenedFile {
  readonly path: string;
  readonly name: string;
  /** Size and time the file was accepted with; it must still have them after the last byte. */
  readonly accepted: FileLook;
  readonly look: () => Promise<FileLook>;
}

function handleFile(handle: FileHandle, file: OpenedFile, markProcessed: (() => Promise<void>) | undefined): SourceFile {
  const { path, name, accepted } = file;
  const size = accepted.size;
  let closed = false;
  const source: SourceFile = {
    name,
    size,
    modifiedAt: new Date(accepted.mtimeMs),
    async *stream(options) {
      const signal = options?.signal;
      let position = 0;
      for (;;) {
        throwIfAborted(signal, name);
        if (closed) throw new GuardianSyncError('SOURCE_UNAVAILABLE', `${path} was closed before it was read to the end.`, { file: name });
        // One byte past the announced size, so a file that grew is noticed.
        const want = Math.min(CHUNK, size - position + 1);
        const buffer = new Uint8Array(want);
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, 0, want, position));
        } catch (error) {
          throw localReadFailure(path, name, errorCode(error));
        }
        if (bytesRead === 0) break;
        position += bytesRead;
        if (position > size) throw localFileUnstable(path, name, `it grew while it was read (from ${size} bytes)`);
        yield buffer.subarray(0, bytesRead);
      }
      if (position < size) throw localFileUnstable(path, name, `it shrank while it was read (${position} of ${size} bytes)`);
      // Same size, other bytes (a rewrite in place) shows only in the modification time.
      let after: FileLook;
      try {
        after = await file.look();
      } catch (error) {
        throw localReadFailure(path, name, errorCode(error));
      }
      if (after.size !== size || after.mtimeMs !== accepted.mtimeMs) throw localFileUnstable(path, name, 'it was modified while it was read');
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    },
  };
  return markProcessed === undefined ? source : { ...source, markProcessed };
}

/**
 * After a successful run the marker that vouched for the file is removed: left behind, it
 * would vouch for the next file written with an older modification time (a copy that keeps
 * the export's time). A marker rewritten since it was seen belongs to a newer file: kept.
 */
async function removeMarker(markerPath: string, seen: FileLook): Promise<void> {
  try {
    const now = await stat(markerPath);
    if (now.mtimeMs !== seen.mtimeMs) return;
    await unlink(markerPath);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw new GuardianSyncError(
      'SOURCE_UNAVAILABLE',
      `${markerPath} could not be removed after the sync (${errorCode(error) ?? 'unknown error'}): remove it by hand; the user running the sync needs write access to its folder.`,
      { file: basename(markerPath) },
    );
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
