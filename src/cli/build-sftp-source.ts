// The `--sftp <url>` source of `guardian-sync sync`: URL → SFTP source options, with the
// password taken only from the environment variable named by --password-env (never from
// the command line, where process lists and shell history would show it) and the host key
// pinned with --host-key (mandatory: an unpinned server could be anyone).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { GuardianFileSource } from '../contracts/file-source.js';
import { UsageError } from './usage-error.js';

export interface SftpFlags {
  readonly url: string;
  readonly passwordEnv: string | undefined;
  readonly passphraseEnv: string | undefined;
  readonly keyFile: string | undefined;
  readonly hostKeys: readonly string[];
  /** `--settle` in ms; undefined: the source's default. */
  readonly stableCheckMs?: number | undefined;
  /** 'require' with `--require-done-marker`. */
  readonly doneMarker?: 'require' | undefined;
}

export async function buildSftpSource(command: string, flags: SftpFlags, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<GuardianFileSource> {
  if (flags.hostKeys.length === 0) {
    throw new UsageError(
      '--sftp needs the server\'s host key pinned: --host-key SHA256:… (ask the server\'s owner, or run "ssh-keyscan host | ssh-keygen -lf -" and confirm it with them).',
      command,
    );
  }
  if (flags.passwordEnv === undefined && flags.keyFile === undefined) {
    throw new UsageError('--sftp needs a way to log in: --password-env VAR (the name of an environment variable holding the password) or --key <file>.', command);
  }
  const password = flags.passwordEnv === undefined ? undefined : secretFromEnv(command, '--password-env', flags.passwordEnv, env);
  const passphrase = flags.passphraseEnv === undefined ? undefined : secretFromEnv(command, '--passphrase-env', flags.passphraseEnv, env);
  let privateKey: Uint8Array | undefined;
  if (flags.keyFile !== undefined) {
    try {
      privateKey = await readFile(resolve(cwd, flags.keyFile));
    } catch {
      // The path is the user's own argument; the file's contents are never shown.
      throw new UsageError(`cannot read the key file ${flags.keyFile}: check the path and its permissions.`, command);
    }
  }
  let sftp: typeof import('../sftp/index.js');
  try {
    sftp = await import('../sftp/index.js');
  } catch {
    throw new UsageError('SFTP needs the optional package ssh2-sftp-client: install it with "npm install ssh2-sftp-client@12".', command);
  }
  const url = sftp.parseSftpUrl(flags.url);
  return sftp.createSftpSource({
    host: url.host,
    port: url.port,
    username: url.username,
    path: url.path,
    fileName: url.fileName,
    password,
    privateKey,
    passphrase,
    hostKeys: flags.hostKeys,
    stableCheckMs: flags.stableCheckMs,
    doneMarker: flags.doneMarker,
  });
}

function secretFromEnv(command: string, flag: string, name: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // Someone passed the secret itself instead of a variable name: do not echo it.
    throw new UsageError(`${flag} takes the NAME of an environment variable (e.g. ${flag} SFTP_PASSWORD), not the secret itself.`, command);
  }
  const value = env[name];
  if (value === undefined || value === '') throw new UsageError(`${flag} ${name}: the environment variable ${name} is not set or empty.`, command);
  return value;
}
