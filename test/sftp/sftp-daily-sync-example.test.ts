// Runs examples/sftp-daily-sync.ts as a child process against the test sshd, as a host's
// scheduler would: it must fetch the file with a pinned key, dry-run the sync, print the
// file summary, and never print the key.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdRequired, startSshd, type SshdServer } from '../support/sshd.js';
import { expectNoSecrets } from './secret-checks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = sshdRequired();
let server: SshdServer | undefined;
let keyDir: string | undefined;

beforeAll(async () => {
  if (run) server = await startSshd();
});

afterAll(async () => {
  await server?.stop();
  if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
});

function runExample(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'examples/sftp-daily-sync.ts')],
      { cwd: root, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.runIf(run)('examples/sftp-daily-sync.ts', () => {
  it('fetches guardians.csv over SFTP with a pinned host key and dry-runs the sync', async () => {
    const s = server;
    if (s === undefined) throw new Error('sshd did not start');
    const dir = await s.makeDir(`example-${randomBytes(4).toString('hex')}`);
    const csv = 'studentSisId,guardianSisId,guardianFirstName,guardianLastName,guardianEmail\nS1,G1,Ana,Ruiz,ana@mail.example\n';
    await s.writeFile(join(dir, 'guardians.csv'), csv, new Date(Date.now() - 60_000));
    await s.writeFile(join(dir, 'guardians.csv.done'), '');
    keyDir = await mkdtemp(join(tmpdir(), 'gsync-example-key-'));
    const keyFile = join(keyDir, 'id_ed25519');
    await writeFile(keyFile, s.privateKey, { mode: 0o600 });

    const result = await runExample({
      SFTP_HOST: s.host,
      SFTP_PORT: String(s.port),
      SFTP_USER: s.username,
      SFTP_KEY_FILE: keyFile,
      SFTP_HOST_KEY: s.hostKeyFingerprint,
      SFTP_PATH: dir,
      SFTP_STABLE_CHECK_MS: '10',
    });
    expect(result.stdout, result.stderr).toContain(`file: guardians.csv, ${Buffer.byteLength(csv)} bytes`);
    expect(result.stdout).toContain('(dry run)');
    expect(result.stderr).toContain(`sftp://${s.username}@127.0.0.1:${s.port}${dir}/guardians.csv`);
    expectNoSecrets([result.stdout, result.stderr], [s.privateKey]);
  });

  it('fails with HOST_KEY_MISMATCH and exit code 1 when the pinned key is not the server key', async () => {
    const s = server;
    if (s === undefined || keyDir === undefined) throw new Error('the first test did not set up');
    const result = await runExample({
      SFTP_HOST: s.host,
      SFTP_PORT: String(s.port),
      SFTP_USER: s.username,
      SFTP_KEY_FILE: join(keyDir, 'id_ed25519'),
      SFTP_HOST_KEY: s.otherHostKeyFingerprint,
      SFTP_PATH: s.dataDir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('status: failed');
    expect(`${result.stdout}${result.stderr}`).toContain('HOST_KEY_MISMATCH');
    expectNoSecrets([result.stdout, result.stderr], [s.privateKey]);
  });
});
