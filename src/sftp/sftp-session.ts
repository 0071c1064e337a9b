// One SFTP connection, used for one purpose and then closed: every call runs under a
// deadline that destroys the connection when it passes, every failure comes out as a
// GuardianSyncError, and close() always leaves no socket or timer behind.
import { Writable } from 'node:stream';
import type { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { withDeadline } from './deadline.js';
import { createHostKeyCheck } from './host-key.js';
import { defaultSftpClientFactory, type SftpClient } from './sftp-client.js';
import type { ResolvedSftpSourceOptions } from './sftp-source-options.js';
import { toSftpError } from './sftp-errors.js';

export interface DownloadResult {
  readonly chunks: Buffer[];
  readonly received: number;
  /** True when the server sent more than `limit` bytes (the transfer was cut there). */
  readonly overflow: boolean;
}

export class SftpSession {
  private closed = false;

  private constructor(
    private readonly client: SftpClient,
    private readonly config: ResolvedSftpSourceOptions,
    private readonly where: string,
    private readonly file: string,
  ) {}

  /** Connects and authenticates under `connectTimeoutMs`; on failure nothing stays open. */
  static async open(config: ResolvedSftpSourceOptions, where: string, file: string, signal: AbortSignal | undefined): Promise<SftpSession> {
    let client: SftpClient;
    try {
      client = await (config.clientFactory ?? defaultSftpClientFactory)();
    } catch (error) {
      throw toSftpError(error, { doing: 'loading the SFTP client', where, file });
    }
    const session = new SftpSession(client, config, where, file);
    const hostKey = createHostKeyCheck(config.hostKeys);
    try {
      await withDeadline({ what: 'connecting', ms: config.connectTimeoutMs, signal, onExpire: () => session.destroy() }, () =>
        client.connect({
          host: config.host,
          port: config.port,
          username: config.username,
          password: config.password,
          privateKey: config.privateKey,
          passphrase: config.passphrase,
          hostVerifier: hostKey.verify,
          // ssh2's own handshake timer stays as a second line; our deadline covers the rest.
          readyTimeout: config.connectTimeoutMs,
          keepaliveInterval: config.keepaliveIntervalMs,
          keepaliveCountMax: 3,
        }),
      );
    } catch (error) {
      // A failed connect leaves ssh2-sftp-client without an sftp channel, so its end() would
      // return at once and leave the socket open: destroy instead.
      session.destroy();
      throw toSftpError(error, { doing: 'connecting', where, file, refusedHostKey: hostKey.rejected() });
    }
    return session;
  }

  /** Runs one short SFTP request (list, stat, rename…) under `operationTimeoutMs`. */
  async run<T>(doing: string, signal: AbortSignal | undefined, call: (client: SftpClient) => Promise<T>): Promise<T> {
    try {
      return await withDeadline({ what: doing, ms: this.config.operationTimeoutMs, signal, onExpire: () => this.destroy() }, () => call(this.client));
    } catch (error) {
      throw this.fail(error, doing);
    }
  }

  /**
   * Downloads with `get` (not `fastGet`, which has truncated files) into memory chunks,
   * under `downloadTimeoutMs` overall and `operationTimeoutMs` between two chunks. Stops
   * taking bytes past `limit`.
   */
  async download(remotePath: string, limit: number, signal: AbortSignal | undefined, onChunk?: (received: number) => void): Promise<DownloadResult> {
    const chunks: Buffer[] = [];
    let received = 0;
    let overflow = false;
    const doing = 'downloading the file';
    try {
      await withDeadline(
        { what: doing, ms: this.config.downloadTimeoutMs, idleMs: this.config.operationTimeoutMs, signal, onExpire: () => this.destroy() },
        (progress) => {
          const sink = new Writable({
            write(chunk: Buffer, _encoding, callback) {
              progress();
              if (received + chunk.length > limit) {
                overflow = true;
                received += chunk.length;
                callback(new Error('more bytes than announced'));
                return;
              }
              chunks.push(chunk);
              received += chunk.length;
              onChunk?.(received);
              callback();
            },
          });
          return this.client.get(remotePath, sink);
        },
      );
    } catch (error) {
      if (!overflow) throw this.fail(error, doing);
    }
    return { chunks, received, overflow };
  }

  /** Polite disconnect under `endTimeoutMs`, then destroy whatever is left. Never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await withDeadline({ what: 'disconnecting', ms: this.config.endTimeoutMs, onExpire: () => this.destroy() }, () => this.client.end());
    } catch {
      // A reset or silent server during end() changes nothing for the run: the data is in.
    }
    this.destroy();
  }

  /** Tears the TCP connection down without waiting for the server. */
  destroy(): void {
    const ssh = this.client.client;
    try {
      ssh?.destroy();
      // ssh2 skips destroy() once the socket is half-closed (after end()), and a server that
      // never answers the FIN would keep it open: destroy the socket itself too.
      ssh?._sock?.destroy();
    } catch {
      // Destroying twice, or a socket already gone: nothing left to release.
    }
  }

  private fail(error: unknown, doing: string): GuardianSyncError {
    return toSftpError(error, { doing, where: this.where, file: this.file });
  }
}
