// The SFTP client as this package uses it: the minimal structural subset of
// ssh2-sftp-client (≥12.1.1) we call, and the lazy loader for that optional peer. Tests and
// hosts with their own wrapper inject a factory returning anything of this shape.
import type { Writable } from 'node:stream';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

/** The ssh2 `ConnectConfig` fields we set. */
export interface SftpConnectConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password?: string | undefined;
  readonly privateKey?: string | Buffer | undefined;
  readonly passphrase?: string | undefined;
  readonly hostVerifier: (key: Buffer) => boolean;
  readonly readyTimeout: number;
  readonly keepaliveInterval: number;
  readonly keepaliveCountMax: number;
}

export interface SftpListEntry {
  /** `-` file, `d` directory, `l` link. */
  readonly type: string;
  readonly name: string;
  readonly size: number;
  /** Milliseconds since the epoch (whole seconds on most servers). */
  readonly modifyTime: number;
}

export interface SftpFileStats {
  readonly size: number;
  readonly modifyTime: number;
  readonly isFile: boolean;
}

export interface SftpClient {
  connect(config: SftpConnectConfig): Promise<unknown>;
  list(remotePath: string): Promise<readonly SftpListEntry[]>;
  stat(remotePath: string): Promise<SftpFileStats>;
  /** Pipes the remote file into `dst`; resolves when the remote stream ends. */
  get(remotePath: string, dst: Writable): Promise<unknown>;
  rename(fromPath: string, toPath: string): Promise<unknown>;
  mkdir(remotePath: string, recursive?: boolean): Promise<unknown>;
  delete(remotePath: string, notFoundOK?: boolean): Promise<unknown>;
  end(): Promise<unknown>;
  /**
   * The ssh2 connection underneath, destroyed when a deadline passes (its own `end()`
   * waits for the server, which may never answer). Without it a deadline can only abandon
   * the client.
   */
  readonly client?: { destroy(): unknown; readonly _sock?: { destroy(): unknown; readonly destroyed?: boolean } | undefined } | undefined;
}

export type SftpClientFactory = () => SftpClient | Promise<SftpClient>;

interface SftpClientModule {
  new (name?: string, callbacks?: { error?: (error: Error) => void; end?: () => void; close?: () => void }): SftpClient;
}

/**
 * Loads ssh2-sftp-client on first use, so hosts that never sync over SFTP never install it.
 * Its global listeners are replaced: the defaults print to the console (with the raw error
 * message, which may name the host and user).
 */
export async function defaultSftpClientFactory(): Promise<SftpClient> {
  let Client: SftpClientModule;
  try {
    const loaded = (await import('ssh2-sftp-client')) as unknown as { default?: SftpClientModule };
    Client = loaded.default ?? (loaded as unknown as SftpClientModule);
  } catch {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      'The SFTP source needs the ssh2-sftp-client package: run "npm install ssh2-sftp-client" (version 12.1.1 or later).',
    );
  }
  const ignore = (): void => undefined;
  return new Client('guardian-sync', { error: ignore, end: ignore, close: ignore });
}
