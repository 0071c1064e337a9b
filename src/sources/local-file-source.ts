// The local file source: a guardians.csv on this machine's disk (CLI `--file`, a host's
// drop folder). open() holds a file handle, so the file streamed is the one that was
// measured even if it is renamed or replaced meanwhile; reads use explicit positions, so
// the count check against the measured size is exact.
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GuardianFileSource, SourceFile, SourceOpenOptions } from '../contracts/file-source.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { throwIfAborted } from './source-abort.js';

export interface LocalFileSourceOptions {
  /** Path of the file. @example './inbox/guardians.csv' */
  readonly path: string;
  /** Name used in reports. @default the path's last segment */
  readonly name?: string | undefined;
}

const CHUNK = 256 * 1024;

export function createLocalFileSource(options: LocalFileSourceOptions): GuardianFileSource {
  if (typeof options.path !== 'string' || options.path === '') {
    throw new GuardianSyncError('INVALID_CONFIGURATION', 'createLocalFileSource: `path` must name the guardian file, e.g. "./guardians.csv".');
  }
  const path = resolve(options.path);
  const name = options.name ?? basename(path);
  return {
    description: pathToFileURL(path).href,
    async open(openOptions: SourceOpenOptions = {}): Promise<SourceFile> {
      throwIfAborted(openOptions.signal, name);
      let handle: FileHandle;
      try {
        handle = await openFile(path, 'r');
      } catch (error) {
        throw openFailure(error, name);
      }
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) {
          throw new GuardianSyncError('FILE_NOT_FOUND', `${name} is not a regular file (a folder or device was found at its path): check the path.`, { file: name });
        }
        const { maxBytes } = openOptions;
        if (maxBytes !== undefined && stats.size > maxBytes) {
          throw new GuardianSyncError(
            'FILE_TOO_LARGE',
            `${name} is ${stats.size} bytes, over the limit of ${maxBytes} bytes: check the export, or raise the size limit.`,
            { file: name },
          );
        }
        return handleFile(handle, name, stats.size, stats.mtime);
      } catch (error) {
        await handle.close().catch(() => undefined);
        if (error instanceof GuardianSyncError) throw error;
        throw unreadable(name);
      }
    },
  };
}

function handleFile(handle: FileHandle, name: string, size: number, modifiedAt: Date): SourceFile {
  let closed = false;
  return {
    name,
    size,
    modifiedAt,
    async *stream(options) {
      const signal = options?.signal;
      let position = 0;
      for (;;) {
        throwIfAborted(signal, name);
        if (closed) throw new GuardianSyncError('SOURCE_UNAVAILABLE', `${name} was closed before it was read to the end.`, { file: name });
        // One byte past the announced size, so a file that grew is noticed.
        const want = Math.min(CHUNK, size - position + 1);
        const buffer = new Uint8Array(want);
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, 0, want, position));
        } catch {
          throw unreadable(name);
        }
        if (bytesRead === 0) break;
        position += bytesRead;
        if (position > size) {
          throw new GuardianSyncError('SOURCE_UNAVAILABLE', `${name} grew while it was being read: wait for the export to finish, then run again.`, {
            file: name,
            transient: true,
          });
        }
        yield buffer.subarray(0, bytesRead);
      }
      if (position < size) {
        throw new GuardianSyncError('SOURCE_UNAVAILABLE', `${name} shrank while it was being read (${position} of ${size} bytes): run again.`, {
          file: name,
          transient: true,
        });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    },
  };
}

function openFailure(error: unknown, name: string): GuardianSyncError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new GuardianSyncError('FILE_NOT_FOUND', `${name} was not found: upload it, or check the path and file name.`, { file: name });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new GuardianSyncError('SOURCE_UNAVAILABLE', `${name} cannot be read: permission denied. Give the sync's user read access to it.`, { file: name });
  }
  if (code === 'EISDIR') {
    return new GuardianSyncError('FILE_NOT_FOUND', `${name} is a folder, not a file: check the path.`, { file: name });
  }
  return unreadable(name);
}

function unreadable(name: string): GuardianSyncError {
  return new GuardianSyncError('SOURCE_UNAVAILABLE', `${name} could not be read from disk; check the disk and run again.`, { file: name, transient: true });
}
