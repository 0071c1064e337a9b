// Starts a real OpenSSH sshd on 127.0.0.1 for the SFTP tests: throwaway ed25519 host keys
// (a second one, never served, for rotation and mismatch tests), a test user with a key, a
// data folder it owns, `internal-sftp`; on request a second user with a random password.
// Works as root on a fresh Debian machine: the key user `gsync-test` is created once (with
// no usable password) and the password user is created per server and deleted at stop(),
// so test files running at the same time never change each other's passwords. As another
// user it serves only that user, with key authentication (sshd cannot check passwords
// without root).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD_PATHS = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/opt/homebrew/sbin/sshd'];
const TEST_USER = 'gsync-test';

export interface SshdServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The user that logs in with `privateKey`. */
  readonly username: string;
  /** A user that logs in with a password; undefined unless asked for, or when not root. */
  readonly passwordUser: { readonly username: string; readonly password: string } | undefined;
  /** OpenSSH private key text authorized for `username`. */
  readonly privateKey: string;
  /** Fingerprint (`SHA256:…`, no padding) of the key the server presents. */
  readonly hostKeyFingerprint: string;
  /** Fingerprint of a second, valid key the server does not present (rotation, mismatch). */
  readonly otherHostKeyFingerprint: string;
  /** A folder on the server owned by `username`: tests put their files here. */
  readonly dataDir: string;
  /** Creates a fresh folder under dataDir, owned by the test user. */
  makeDir(name: string): Promise<string>;
  /** Writes a file the test user can read and rename. */
  writeFile(path: string, bytes: Uint8Array | string, mtime?: Date): Promise<void>;
  /** sshd's log so far (for debugging failed tests). */
  log(): string;
  stop(): Promise<void>;
}

export function findSshd(): string | null {
  return SSHD_PATHS.find((path) => existsSync(path)) ?? null;
}

/** True when the sshd tests must run: sshd is present, or CI demands it (then a missing sshd fails). */
export function sshdRequired(): boolean {
  return findSshd() !== null || (process.env['CI'] !== undefined && process.env['CI'] !== '');
}

export interface StartSshdOptions {
  /** Also create a user that logs in with a password (needs root). @default false */
  readonly passwordUser?: boolean | undefined;
}

export async function startSshd(options: StartSshdOptions = {}): Promise<SshdServer> {
  const sshd = findSshd();
  if (sshd === null) throw new Error(`sshd not found (looked in ${SSHD_PATHS.join(', ')}): install openssh-server (apt-get install -y openssh-server).`);
  const isRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'gsync-sshd-'));
  await chmod(dir, 0o755);
  const keygen = (file: string, comment: string): void => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
  };
  const hostKey = join(dir, 'host_ed25519');
  const otherHostKey = join(dir, 'other_host_ed25519');
  const userKey = join(dir, 'user_ed25519');
  keygen(hostKey, 'gsync-test-host');
  keygen(otherHostKey, 'gsync-test-host-2');
  keygen(userKey, 'gsync-test-user');

  let username: string;
  let passwordUser: { username: string; password: string } | undefined;
  let uid: number;
  let gid: number;
  if (isRoot) {
    username = TEST_USER;
    // '*' rather than useradd's locking '!': sshd without PAM refuses even key logins to a
    // locked account, and '*' matches no password.
    ensureUser(username, '*');
    if (options.passwordUser === true) {
      const name = `gsync-pw-${randomBytes(3).toString('hex')}`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      ensureUser(name, '*');
      execFileSync('chpasswd', [], { input: `${name}:${password}\n` });
      passwordUser = { username: name, password };
    }
    uid = Number(execFileSync('id', ['-u', username]).toString().trim());
    gid = Number(execFileSync('id', ['-g', username]).toString().trim());
    // Privilege separation directory, which the Debian package makes only at service start.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  } else {
    const me = userInfo();
    username = me.username;
    passwordUser = undefined;
    uid = me.uid;
    gid = me.gid;
  }
  const authorized = join(dir, 'authorized_keys');
  await mkdir(authorized, { mode: 0o755 });
  await writeFile(join(authorized, username), await readFile(`${userKey}.pub`), { mode: 0o644 });
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { mode: 0o755 });
  await chown(dataDir, uid, gid);

  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorized}/%u`,
    'StrictModes no',
    'UsePAM no',
    `PasswordAuthentication ${isRoot ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin no',
    `AllowUsers ${username}${passwordUser === undefined ? '' : ` ${passwordUser.username}`}`,
    'Subsystem sftp internal-sftp',
    'MaxStartups 100:30:200',
    'MaxAuthTries 6',
    'LoginGraceTime 30',
    'LogLevel VERBOSE',
  ].join('\n');
  const configFile = join(dir, 'sshd_config');
  await writeFile(configFile, `${config}\n`);

  let log = '';
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    log += text;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitForBanner(port, () => exited, () => log);
  } catch (error) {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
    if (passwordUser !== undefined) removeUser(passwordUser.username);
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    username,
    passwordUser,
    privateKey: await readFile(userKey, 'utf8'),
    hostKeyFingerprint: fingerprint(`${hostKey}.pub`),
    otherHostKeyFingerprint: fingerprint(`${otherHostKey}.pub`),
    dataDir,
    async makeDir(name) {
      const path = join(dataDir, name);
      await mkdir(path, { recursive: true, mode: 0o755 });
      await chown(path, uid, gid);
      return path;
    },
    async writeFile(path, bytes, mtime) {
      await writeFile(path, bytes, { mode: 0o644 });
      await chown(path, uid, gid);
      if (mtime !== undefined) await utimes(path, mtime, mtime);
    },
    log: () => log,
    async stop() {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        if (!exited) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
      if (passwordUser !== undefined) removeUser(passwordUser.username);
    },
  };
}

/** Creates the user unless it exists; tolerates another test file creating it at the same moment. */
function ensureUser(name: string, passwordHash: string): void {
  for (let attempt = 1; ; attempt++) {
    if (userExists(name)) return;
    try {
      execFileSync('useradd', ['-M', '-d', '/', '-s', '/bin/sh', '-p', passwordHash, name], { stdio: 'ignore' });
      return;
    } catch (error) {
      // useradd fails while another one holds the lock on /etc/passwd: try again shortly.
      if (attempt >= 10) throw error;
      execFileSync('sleep', ['0.2']);
    }
  }
}

function removeUser(name: string): void {
  try {
    execFileSync('userdel', ['-f', name], { stdio: 'ignore' });
  } catch {
    // Already gone, or still logged in for a moment: a leftover user has no usable password.
  }
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function fingerprint(pubFile: string): string {
  // `256 SHA256:abc… comment (ED25519)`: the same format hosts copy into --host-key.
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile]).toString();
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(out);
  if (match === null) throw new Error(`ssh-keygen printed no fingerprint for ${pubFile}`);
  return match[0];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForBanner(port: number, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`sshd exited at start:\n${log()}`);
    if (await readsBanner(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within 15 s:\n${log()}`);
}

function readsBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (data) => done(data.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
}
