// `guardian-sync sync --sftp` end to end against a real OpenSSH sshd on 127.0.0.1: password
// from --password-env, key from --key, the pinned host key, and the rule that no secret ever
// reaches stdout or stderr. Skipped only where sshd is absent and CI is not set.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdRequired, startSshd, type SshdServer } from '../support/sshd.js';
import { createWorkspace, GUARDIANS_CSV, ORGS_CSV, USERS_CSV, type CliWorkspace } from './cli-fixtures.js';
import { syncReportShape } from './json-shapes.js';
import { runCli } from '../../src/cli/run-cli.js';
import { createMemoryIo } from './memory-io.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

const run = sshdRequired();
let server: SshdServer | undefined;
let ws: CliWorkspace;
let dirOnServer = '';
const urlFor = (username: string): string => `sftp://${username}@127.0.0.1:${sshd().port}${dirOnServer}/guardians.csv`;

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  expect((await runCliProcess(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv'], { cwd: ws.dir })).code).toBe(0);
  if (!run) return;
  server = await startSshd({ passwordUser: true });
  dirOnServer = await server.makeDir(`cli-${randomBytes(6).toString('hex')}`);
  await server.writeFile(join(dirOnServer, 'guardians.csv'), GUARDIANS_CSV, new Date(Date.now() - 60_000));
  // The .done marker tells the source the upload is complete, so it skips the stability wait.
  await server.writeFile(join(dirOnServer, 'guardians.csv.done'), '');
});

afterAll(async () => {
  await server?.stop();
  await ws.cleanup();
});

function sshd(): SshdServer {
  if (server === undefined) throw new Error('sshd did not start');
  return server;
}

function expectNoSecret(result: CliResult, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(result.stdout.includes(secret), 'a secret on stdout').toBe(false);
    expect(result.stderr.includes(secret), 'a secret on stderr').toBe(false);
  }
}

const sync = (args: readonly string[], env: Record<string, string> = {}, username = sshd().username) =>
  runCliProcess(['sync', '--db', 'roster.sqlite', '--sftp', urlFor(username), ...args], { cwd: ws.dir, env });

describe.skipIf(!run)('guardian-sync sync --sftp (OpenSSH sshd)', () => {
  it('logs in with a private key (--key) and a pinned host key, and runs the sync', async () => {
    const keyFile = await ws.write('id_ed25519', sshd().privateKey);
    const result = await sync(['--key', keyFile, '--host-key', sshd().hostKeyFingerprint, '--json', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const report = syncReportShape.parse(singleJson(result));
    expect(report.file?.name).toBe('guardians.csv');
    expect(report.counts.linksAdded).toBe(10);
    expectNoSecret(result, [sshd().privateKey.split('\n')[1] ?? sshd().privateKey]);
  });

  it('logs in with the password named by --password-env, and never prints it', async (context) => {
    const user = sshd().passwordUser;
    if (user === undefined) return context.skip('sshd checks passwords only when the tests run as root');
    const { password } = user;
    const result = await sync(['--password-env', 'GS_TEST_SFTP_PASSWORD', '--host-key', sshd().hostKeyFingerprint], { GS_TEST_SFTP_PASSWORD: password }, user.username);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Succeeded');
    expectNoSecret(result, [password]);
  });

  it('fails (exit 1, AUTH_FAILED) on a wrong password without printing it', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const username = sshd().passwordUser?.username ?? sshd().username;
    const result = await sync(['--password-env', 'GS_TEST_SFTP_PASSWORD', '--host-key', sshd().hostKeyFingerprint, '--json'], { GS_TEST_SFTP_PASSWORD: wrong }, username);
    expect(result.code).toBe(1);
    expect(syncReportShape.parse(singleJson(result)).issues[0]?.code).toBe('AUTH_FAILED');
    expectNoSecret(result, [wrong]);
  });

  it('refuses a server whose host key is not the pinned one (exit 1, HOST_KEY_MISMATCH)', async () => {
    const keyFile = await ws.write('id_ed25519', sshd().privateKey);
    const result = await sync(['--key', keyFile, '--host-key', sshd().otherHostKeyFingerprint, '--json']);
    expect(result.code).toBe(1);
    const report = syncReportShape.parse(singleJson(result));
    expect(report.status).toBe('failed');
    expect(report.issues[0]?.code).toBe('HOST_KEY_MISMATCH');
  });
});

// In-process: the same dispatcher and command as the binary, and every byte either stream gets.
describe('guardian-sync sync --sftp: usage errors (exit 2), secrets never echoed', () => {
  const cli = async (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> => {
    const io = createMemoryIo({ cwd: ws.dir, env });
    const code = await runCli(['sync', '--db', 'roster.sqlite', ...args], io);
    return { code, ...io.output };
  };
  const target = 'sftp://district@127.0.0.1:2222/inbox/guardians.csv';

  it('requires a pinned host key', async () => {
    const result = await cli(['--sftp', target, '--password-env', 'PW'], { PW: 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--host-key');
  });

  it('requires a way to log in, and an environment variable that is set', async () => {
    expect((await cli(['--sftp', target, '--host-key', 'SHA256:abc'])).code).toBe(2);
    const unset = await cli(['--sftp', target, '--host-key', 'SHA256:abc', '--password-env', 'GS_NOT_SET_ANYWHERE']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('GS_NOT_SET_ANYWHERE');
  });

  it('does not echo a password passed in the URL or given to --password-env in place of a variable name', async () => {
    const secret = 'Tr0ub4dor&3-horse';
    const inUrl = await cli(['--sftp', `sftp://district:${encodeURIComponent(secret)}@127.0.0.1:2222/inbox/guardians.csv`, '--host-key', 'SHA256:abc', '--password-env', 'PW', '--json'], { PW: 'x' });
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toContain('must not contain a password');
    expectNoSecret(inUrl, [secret, encodeURIComponent(secret)]);
    const asName = await cli(['--sftp', target, '--host-key', 'SHA256:abc', '--password-env', secret]);
    expect(asName.code).toBe(2);
    expect(asName.stderr).toContain('NAME of an environment variable');
    expectNoSecret(asName, [secret]);
  });

  it('refuses --sftp together with --file, and SFTP flags without --sftp', async () => {
    expect((await cli(['--sftp', target, '--file', 'g.csv', '--host-key', 'SHA256:abc'])).code).toBe(2);
    expect((await cli(['--file', 'g.csv', '--key', 'id_ed25519'])).code).toBe(2);
  });
});
