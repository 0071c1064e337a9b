// The SFTP file source: the district uploads guardians.csv to an SFTP folder, the nightly
// sync fetches it from here. open() connects, finds the file (case-insensitively), makes
// sure it is complete (a `.done` marker or a stable size and time), downloads it into
// memory, checks the byte count and disconnects, retrying network trouble with backoff.
// The returned file is in memory, so no connection stays open while the sync parses.
import { setTimeout as delay } from 'node:timers/promises';
import type { GuardianFileSource, SourceFile, SourceOpenOptions } from '../contracts/file-source.js';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { fileTooLargeError } from '../sources/file-too-large.js';
import { createMemorySourceFile } from '../sources/memory-source-file.js';
import { abortedError, throwIfAborted } from '../sources/source-abort.js';
import type { SftpFileStats, SftpListEntry } from './sftp-client.js';
import { isRetryable, toSftpError } from './sftp-errors.js';
import { SftpSession } from './sftp-session.js';
import { resolveSftpSourceOptions, type ResolvedSftpSourceOptions, type SftpSourceOptions } from './sftp-source-options.js';

interface Located {
  readonly remotePath: string;
  readonly name: string;
  readonly markerPath: string | null;
  /** The marker's modification time (ms), when there is one. */
  readonly markerTime: number | null;
}

export function createSftpSource(options: SftpSourceOptions): GuardianFileSource {
  const config = resolveSftpSourceOptions(options);
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const where = `${config.username}@${hostForUrl}:${config.port}`;
  const description = `sftp://${encodeURIComponent(config.username)}@${hostForUrl}:${config.port}${encodeURI(joinPath(config.path, config.fileName))}`;
  if (config.hostKeys === null) {
    config.logger?.warn({ source: 'sftp', host: config.host, port: config.port }, 'sftp: host key verification is DISABLED; anyone in the middle can read the file');
  }
  const fetcher = new SftpFetcher(config, where);
  return {
    description,
    open: (openOptions: SourceOpenOptions = {}) => fetcher.open(openOptions),
  };
}

class SftpFetcher {
  constructor(
    private readonly config: ResolvedSftpSourceOptions,
    private readonly where: string,
  ) {}

  async open({ signal, maxBytes }: SourceOpenOptions): Promise<SourceFile> {
    const { config } = this;
    throwIfAborted(signal, config.fileName);
    return this.withRetries('fetch', signal, async () => {
      const session = await SftpSession.open(config, this.where, config.fileName, signal);
      try {
        return await this.fetch(session, signal, maxBytes);
      } finally {
        await session.close();
      }
    });
  }

  private async fetch(session: SftpSession, signal: AbortSignal | undefined, maxBytes: number | undefined): Promise<SourceFile> {
    const { config } = this;
    const started = Date.now();
    const located = await this.locate(session, signal);
    const name = located.name;
    const first = await session.run(`reading the size of ${name}`, signal, (client) => client.stat(located.remotePath));
    if (!first.isFile) throw new GuardianSyncError('FILE_NOT_FOUND', `${name} on ${this.where} is not a regular file: check the folder and file name.`, { file: name });
    if (maxBytes !== undefined && first.size > maxBytes) throw fileTooLargeError(name, first.size, maxBytes);
    const stats = await this.waitUntilComplete(session, located, first, signal);

    const download = await session.download(located.remotePath, stats.size, signal);
    if (download.overflow || download.received !== stats.size) {
      const got = download.overflow ? `more than the ${stats.size} bytes` : `${download.received} of the ${stats.size} bytes`;
      throw new GuardianSyncError('SOURCE_UNAVAILABLE', `The download of ${name} from ${this.where} delivered ${got} its size announced (the file changed or the transfer broke); the run can be retried.`, {
        file: name,
        transient: true,
      });
    }
    this.config.logger?.info({ source: 'sftp', host: config.host, port: config.port, file: name, bytes: download.received, durationMs: Date.now() - started }, 'sftp: file downloaded');
    const needsMark = config.archiveDir !== undefined || located.markerPath !== null;
    return createMemorySourceFile({
      name,
      chunks: download.chunks,
      modifiedAt: Number.isFinite(stats.modifyTime) ? new Date(stats.modifyTime) : null,
      markProcessed: needsMark ? () => this.markProcessed(located) : undefined,
    });
  }

  /** Lists the folder and picks the file: an exact name match first, else one differing only in case. */
  private async locate(session: SftpSession, signal: AbortSignal | undefined): Promise<Located> {
    const { config } = this;
    const entries = await session.run(`listing ${config.path}`, signal, (client) => client.list(config.path));
    const wanted = config.fileName.toLowerCase();
    const exact = entries.find((entry) => entry.name === config.fileName);
    const folded = entries.filter((entry) => entry.name.toLowerCase() === wanted);
    const entry = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (entry === undefined) {
      if (folded.length > 1) {
        throw new GuardianSyncError(
          'FILE_NOT_FOUND',
          `${config.path} on ${this.where} holds ${folded.length} files named ${config.fileName} in different letter case: remove all but one.`,
          { file: config.fileName },
        );
      }
      throw new GuardianSyncError('FILE_NOT_FOUND', `${config.fileName} was not found in ${config.path} on ${this.where}: upload it there, or check the folder and file name.`, {
        file: config.fileName,
      });
    }
    if (entry.type === 'd') {
      throw new GuardianSyncError('FILE_NOT_FOUND', `${entry.name} in ${config.path} on ${this.where} is a folder, not a file.`, { file: entry.name });
    }
    const marker = config.doneMarker === 'ignore' ? undefined : findMarker(entries, entry.name);
    return {
      remotePath: joinPath(config.path, entry.name),
      name: entry.name,
      markerPath: marker === undefined ? null : joinPath(config.path, marker.name),
      markerTime: marker === undefined ? null : marker.modifyTime,
    };
  }

  /**
   * A file still being uploaded must not be synced (a half file looks like mass removals).
   * A `.done` marker at least as new as the file says the upload finished; otherwise the
   * size and modification time must hold still for `stableCheckMs`.
   */
  private async waitUntilComplete(session: SftpSession, located: Located, first: SftpFileStats, signal: AbortSignal | undefined): Promise<SftpFileStats> {
    const { config } = this;
    const markerTrusted = located.markerTime !== null && located.markerTime >= first.modifyTime;
    if (markerTrusted) return first;
    if (config.doneMarker === 'require') {
      throw new GuardianSyncError(
        'FILE_UNSTABLE',
        `${located.name} has no ${config.fileName}.done marker newer than the file yet: the upload is not finished. The next run will pick it up.`,
        { file: located.name, transient: true },
      );
    }
    if (config.stableCheckMs > 0) await this.sleep(config.stableCheckMs, signal);
    const second = await session.run(`reading the size of ${located.name}`, signal, (client) => client.stat(located.remotePath));
    if (second.size !== first.size || second.modifyTime !== first.modifyTime) {
      throw new GuardianSyncError(
        'FILE_UNSTABLE',
        `${located.name} changed while it was checked (${first.size} → ${second.size} bytes): it is still being uploaded. The next run will pick it up.`,
        { file: located.name, transient: true },
      );
    }
    return second;
  }

  /** Moves the file to `archiveDir` under a timestamped name, and removes the `.done` marker. */
  private async markProcessed(located: Located): Promise<void> {
    const { config } = this;
    await this.withRetries('archive', undefined, async () => {
      const session = await SftpSession.open(config, this.where, located.name, undefined);
      try {
        if (config.archiveDir !== undefined) {
          const archiveDir = config.archiveDir;
          const target = joinPath(archiveDir, `${timestamp(config.now())}-${located.name}`);
          await session.run(`creating the archive folder ${archiveDir}`, undefined, (client) => client.mkdir(archiveDir, true));
          await session.run(`moving ${located.name} to ${archiveDir}`, undefined, (client) => client.rename(located.remotePath, target));
          config.logger?.info({ source: 'sftp', host: config.host, port: config.port, file: located.name, archivedTo: target }, 'sftp: file archived');
        }
        // A marker left behind would vouch for tomorrow's upload before it is finished.
        const markerPath = located.markerPath;
        if (markerPath !== null) await session.run('removing the .done marker', undefined, (client) => client.delete(markerPath, true));
      } finally {
        await session.close();
      }
    });
  }

  private async withRetries<T>(what: string, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    const { config } = this;
    for (let n = 1; ; n++) {
      let failure: GuardianSyncError;
      try {
        return await attempt();
      } catch (error) {
        failure = isGuardianSyncError(error) ? error : toSftpError(error, { doing: what, where: this.where, file: config.fileName });
      }
      if (signal?.aborted === true) throw abortedError(config.fileName);
      const safe = { source: 'sftp', host: config.host, port: config.port, attempt: n, attempts: config.attempts, code: failure.code };
      if (!isRetryable(failure) || n >= config.attempts) {
        config.logger?.error(safe, `sftp: ${what} failed: ${failure.message}`);
        throw failure;
      }
      // Exponential backoff with full jitter, so many schools' syncs do not retry in step.
      const ceiling = Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** (n - 1));
      const waitMs = Math.round(config.random() * ceiling);
      config.logger?.warn({ ...safe, retryInMs: waitMs }, `sftp: ${what} failed, retrying: ${failure.message}`);
      await this.sleep(waitMs, signal);
    }
  }

  private async sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      if (this.config.sleep !== undefined) await this.config.sleep(ms, signal);
      else await delay(ms, undefined, signal === undefined ? undefined : { signal });
    } catch (error) {
      if (signal?.aborted === true) throw abortedError(this.config.fileName);
      throw error;
    }
    throwIfAborted(signal, this.config.fileName);
  }
}

function findMarker(entries: readonly SftpListEntry[], fileName: string): SftpListEntry | undefined {
  const wanted = `${fileName}.done`.toLowerCase();
  return entries.find((entry) => entry.type !== 'd' && entry.name.toLowerCase() === wanted);
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** `2026-11-28T02:30:00.123Z` → `20261128T023000Z`: sorts by time, safe in any file system. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
