// The SFTP source against a real OpenSSH sshd on 127.0.0.1: conformance, key and password
// login, host key pinning and rotation, letter case, the .done marker, the archive move.
// Skipped only where sshd is absent and CI is not set; in CI a missing sshd fails loudly.
import { randomBytes } from 'node:crypto';
import { chmod, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import SftpClientClass from 'ssh2-sftp-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { rejectionOf } from '../support/rejection.js';
import { createSftpSource, type SftpClient, type SftpSourceOptions } from '../../src/sftp/index.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { describeFileSourceConformance } from '../../src/testing/file-source-conformance.js';
import { sshdRequired, startSshd, type SshdServer } from '../support/sshd.js';
import { generateTestKeyPair } from '../support/ssh2-fault-server.js';
import { captureLogger, errorTexts, expectNoLeaks, expectNoSecrets, leakableResources, type CapturedLogger } from './secret-checks.js';

const run = sshdRequired();
let server: SshdServer | undefined;

beforeAll(async () => {
  if (run) server = await startSshd({ passwordUser: true });
});

afterAll(async () => {
  await server?.stop();
});

function sshd(): SshdServer {
  if (server === undefined) throw new Error('sshd did not start');
  return server;
}

function secrets(): string[] {
  const s = sshd();
  return [s.privateKey, ...(s.passwordUser === undefined ? [] : [s.passwordUser.password])];
}

function baseOptions(dir: string, overrides: Partial<SftpSourceOptions> = {}): SftpSourceOptions {
  const s = sshd();
  return {
    host: s.host,
    port: s.port,
    username: s.username,
    privateKey: s.privateKey,
    path: dir,
    hostKeys: [s.hostKeyFingerprint],
    stableCheckMs: 20,
    attempts: 1,
    ...overrides,
  };
}

describeFileSourceConformance({
  name: 'SFTP source (OpenSSH sshd)',
  skip: !run,
  create: async (files) => {
    const s = sshd();
    const dir = await s.makeDir(`conformance-${randomBytes(6).toString('hex')}`);
    for (const [name, bytes] of Object.entries(files)) await s.writeFile(join(dir, name), bytes);
    return {
      source: (fileName) => createSftpSource(baseOptions(dir, { fileName })),
      secrets: secrets(),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe.runIf(run)('SFTP source against OpenSSH sshd', () => {
  let dir: string;
  let captured: CapturedLogger;
  let baseline: ReturnType<typeof leakableResources>;
  let clients: SftpClient[];
  let sleeps: number[];

  beforeEach(async () => {
    dir = await sshd().makeDir(`case-${randomBytes(6).toString('hex')}`);
    captured = captureLogger();
    clients = [];
    sleeps = [];
    baseline = leakableResources();
  });

  afterEach(async () => {
    for (const client of clients) expect(client.client?._sock?.destroyed ?? true, 'a client socket was left open').toBe(true);
    await expectNoLeaks(baseline);
    expectNoSecrets(captured.lines, secrets());
    await rm(dir, { recursive: true, force: true });
  });

  function source(overrides: Partial<SftpSourceOptions> = {}) {
    return createSftpSource(
      baseOptions(dir, {
        logger: captured.logger,
        clientFactory: () => {
          const ignore = (): void => undefined;
          const client = new SftpClientClass('test', { error: ignore, end: ignore, close: ignore }) as unknown as SftpClient;
          clients.push(client);
          return client;
        },
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...overrides,
      }),
    );
  }

  async function failure(promise: Promise<unknown>): Promise<GuardianSyncError> {
    const error = await rejectionOf(promise);
    expectNoSecrets(errorTexts(error), secrets());
    return error;
  }

  async function fetch(overrides: Partial<SftpSourceOptions> = {}) {
    const file = await source(overrides).open();
    try {
      return { file, ...(await readSourceFile(file)) };
    } finally {
      await file.close();
    }
  }

  it('downloads a multi-megabyte file byte-exact with key authentication', async () => {
    const bytes = randomBytes(6 * 1024 * 1024 + 321);
    await sshd().writeFile(join(dir, 'guardians.csv'), bytes);
    const { bytes: got, file } = await fetch();
    expect(Buffer.from(got).equals(bytes)).toBe(true);
    expect(file.size).toBe(bytes.length);
    expect(clients).toHaveLength(1);
  });

  it('logs in with a password', async () => {
    const user = sshd().passwordUser;
    // Password login needs root to run sshd; CI runs as root, so there it must be available.
    if (process.env['CI'] !== undefined) expect(user, 'CI must run the password test (run as root)').toBeDefined();
    if (user === undefined) return;
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n');
    const { bytes } = await fetch({ username: user.username, privateKey: undefined, password: user.password });
    expect(new TextDecoder().decode(bytes)).toBe('a,b\n');
  });

  it('fails a wrong password with AUTH_FAILED after one attempt', async () => {
    const user = sshd().passwordUser;
    if (user === undefined) return;
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n');
    const error = await failure(source({ username: user.username, privateKey: undefined, password: 'not-the-password', attempts: 3 }).open());
    expect(error.code).toBe('AUTH_FAILED');
    expect(clients).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails a key the server does not know with AUTH_FAILED', async () => {
    const stranger = generateTestKeyPair().privateKey;
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n');
    const error = await failure(source({ privateKey: stranger, attempts: 3 }).open());
    expect(error.code).toBe('AUTH_FAILED');
    expectNoSecrets(errorTexts(error), [stranger]);
    expect(clients).toHaveLength(1);
  });

  it('refuses a server whose host key is not pinned (HOST_KEY_MISMATCH, no retry)', async () => {
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n');
    const error = await failure(source({ hostKeys: [sshd().otherHostKeyFingerprint], attempts: 3 }).open());
    expect(error.code).toBe('HOST_KEY_MISMATCH');
    expect(error.message).toContain(sshd().hostKeyFingerprint);
    expect(clients).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('accepts the server during a key rotation (two pins, padded or not)', async () => {
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n');
    const { bytes } = await fetch({ hostKeys: [sshd().otherHostKeyFingerprint, `${sshd().hostKeyFingerprint}=`] });
    expect(new TextDecoder().decode(bytes)).toBe('a,b\n');
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    await sshd().writeFile(join(dir, 'students.csv'), 'a,b\n');
    const error = await failure(source({ attempts: 3 }).open());
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(clients).toHaveLength(1);
  });

  it('reports a folder the user may not read as SOURCE_UNAVAILABLE (not transient, no retry)', async () => {
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n');
    await chmod(dir, 0o000);
    try {
      const error = await failure(source({ attempts: 3 }).open());
      expect(error.code).toBe('SOURCE_UNAVAILABLE');
      expect(error.transient).toBe(false);
      expect(error.message).toContain('denied');
      expect(clients).toHaveLength(1);
    } finally {
      await chmod(dir, 0o755);
    }
  });

  it('finds the file under another letter case, and reports its real name', async () => {
    await sshd().writeFile(join(dir, 'Guardians.CSV'), 'x,y\n');
    const { bytes, file } = await fetch({ fileName: 'guardians.csv' });
    expect(file.name).toBe('Guardians.CSV');
    expect(new TextDecoder().decode(bytes)).toBe('x,y\n');
  });

  it('accepts the file at once when a .done marker exists, without the stability wait', async () => {
    const when = new Date(Date.now() - 60_000);
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n', when);
    await sshd().writeFile(join(dir, 'guardians.csv.done'), '', new Date());
    const { bytes } = await fetch({ stableCheckMs: 600_000 });
    expect(new TextDecoder().decode(bytes)).toBe('a,b\n');
    expect(sleeps).toEqual([]);
  });

  it('moves the file to the archive folder under a timestamped name and removes the marker', async () => {
    const archive = join(dir, 'archive');
    await sshd().writeFile(join(dir, 'guardians.csv'), 'a,b\n1,2\n', new Date(Date.now() - 60_000));
    await sshd().writeFile(join(dir, 'guardians.csv.done'), '');
    const file = await source({ archiveDir: archive, now: () => new Date('2026-11-28T02:30:00.000Z') }).open();
    await readSourceFile(file);
    await file.close();
    expect(file.markProcessed).toBeTypeOf('function');
    await file.markProcessed?.();
    expect((await readdir(dir)).sort()).toEqual(['archive']);
    expect(await readdir(archive)).toEqual(['20261128T023000Z-guardians.csv']);
    expect(await readFile(join(archive, '20261128T023000Z-guardians.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(clients).toHaveLength(2);
  });
});
