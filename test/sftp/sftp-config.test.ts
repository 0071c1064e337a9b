// The SFTP source's boundary: URL parsing (the CLI's --sftp), option validation (fails
// closed without host keys, never echoes a secret), and fingerprint normalization.
import { randomBytes } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError, type GuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createSftpSource, fingerprintOf, normalizeFingerprint, parseSftpUrl, type SftpSourceOptions } from '../../src/sftp/index.js';
import { errorTexts, expectNoSecrets } from './secret-checks.js';

const PIN = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const PASSWORD = 'correct-horse-battery-staple';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';

function configError(build: () => unknown): GuardianSyncError {
  let thrown: unknown;
  try {
    build();
  } catch (error) {
    thrown = error;
  }
  expect(isGuardianSyncError(thrown), String(thrown)).toBe(true);
  const error = thrown as GuardianSyncError;
  expect(error.code).toBe('INVALID_CONFIGURATION');
  expectNoSecrets(errorTexts(error), [PASSWORD, KEY]);
  return error;
}

const valid: SftpSourceOptions = { host: 'sftp.example.org', username: 'district', password: PASSWORD, hostKeys: [PIN] };

describe('parseSftpUrl', () => {
  it('splits user, host, port, folder and file name', () => {
    expect(parseSftpUrl('sftp://district@sftp.example.org:2222/inbox/guardians.csv')).toEqual({
      host: 'sftp.example.org',
      port: 2222,
      username: 'district',
      path: '/inbox',
      fileName: 'guardians.csv',
    });
  });

  it('defaults the port to 22 and leaves the file name to the default when the URL names a folder', () => {
    expect(parseSftpUrl('sftp://u@h/inbox/')).toEqual({ host: 'h', port: 22, username: 'u', path: '/inbox', fileName: undefined });
    expect(parseSftpUrl('sftp://u@h')).toEqual({ host: 'h', port: 22, username: 'u', path: '/', fileName: undefined });
  });

  it('decodes %-escapes and IPv6 hosts', () => {
    expect(parseSftpUrl('sftp://d%40s@[::1]:2200/my%20inbox/Guardians%20Export.csv')).toEqual({
      host: '::1',
      port: 2200,
      username: 'd@s',
      path: '/my inbox',
      fileName: 'Guardians Export.csv',
    });
  });

  it('refuses a password in the URL without echoing it', () => {
    const error = configError(() => parseSftpUrl(`sftp://district:${PASSWORD}@h/guardians.csv`));
    expect(error.message).toContain('--password-env');
  });

  it('refuses other schemes, a missing user and garbage', () => {
    configError(() => parseSftpUrl('https://u@h/guardians.csv'));
    configError(() => parseSftpUrl('sftp://h/guardians.csv'));
    configError(() => parseSftpUrl('not a url'));
  });

  test.prop([
    fc.stringMatching(/^[a-z][a-z0-9_.-]{0,15}$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z]{2,5})?$/),
    fc.integer({ min: 1, max: 65535 }),
    fc.array(fc.stringMatching(/^[A-Za-z0-9 _.-]{1,12}$/).filter((s) => s !== '.' && s !== '..'), { maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z0-9 _-]{1,20}\.csv$/),
  ])('round-trips the parts of any well-formed URL', (user, host, port, folders, file) => {
    const path = `/${folders.map(encodeURIComponent).join('/')}`.replace(/\/$/, '');
    const url = `sftp://${encodeURIComponent(user)}@${host}:${port}${path}/${encodeURIComponent(file)}`;
    const parts = parseSftpUrl(url);
    expect(parts.username).toBe(user);
    expect(parts.host).toBe(host);
    expect(parts.port).toBe(port);
    expect(parts.fileName).toBe(file);
    expect(parts.path).toBe(folders.length === 0 ? '/' : `/${folders.join('/')}`);
  });
});

describe('createSftpSource options', () => {
  it('requires pinned host keys (fails closed)', () => {
    expect(configError(() => createSftpSource({ ...valid, hostKeys: undefined })).message).toContain('hostKeys');
    configError(() => createSftpSource({ ...valid, hostKeys: [] }));
  });

  it('turns verification off only with dangerouslyDisableHostKeyVerification: true, and not together with pins', () => {
    expect(() => createSftpSource({ ...valid, hostKeys: undefined, dangerouslyDisableHostKeyVerification: true })).not.toThrow();
    configError(() => createSftpSource({ ...valid, dangerouslyDisableHostKeyVerification: true }));
    configError(() => createSftpSource({ ...valid, hostKeys: undefined, dangerouslyDisableHostKeyVerification: false as unknown as true }));
  });

  it('refuses a pin that is not a SHA256 fingerprint', () => {
    configError(() => createSftpSource({ ...valid, hostKeys: ['MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48'] }));
    configError(() => createSftpSource({ ...valid, hostKeys: ['SHA256:short'] }));
  });

  it('needs a password or a key, and names bad options without echoing secrets', () => {
    configError(() => createSftpSource({ ...valid, password: undefined }));
    configError(() => createSftpSource({ ...valid, privateKey: KEY, port: 70_000 }));
    configError(() => createSftpSource({ ...valid, privateKey: KEY, fileName: '../etc/passwd' }));
    configError(() => createSftpSource({ ...valid, passphrase: PASSWORD }));
    const unknown = configError(() => createSftpSource({ ...valid, pasword: PASSWORD } as SftpSourceOptions));
    expect(unknown.message).toContain('"pasword"');
  });

  it('reports a private key it cannot parse as INVALID_CONFIGURATION without its text', async () => {
    const source = createSftpSource({ ...valid, password: undefined, privateKey: KEY, host: '127.0.0.1', port: 1, attempts: 1 });
    const error = await source.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGuardianSyncError(error)).toBe(true);
    expect((error as GuardianSyncError).code).toBe('INVALID_CONFIGURATION');
    expectNoSecrets(errorTexts(error), [KEY]);
  });

  it('describes itself as a URL without credentials', () => {
    const source = createSftpSource({ ...valid, port: 2222, path: '/inbox/', fileName: 'Guardians Export.csv' });
    expect(source.description).toBe('sftp://district@sftp.example.org:2222/inbox/Guardians%20Export.csv');
    expect(source.description).not.toContain(PASSWORD);
  });
});

describe('host key fingerprints', () => {
  it('matches ssh-keygen -l output: base64 SHA-256 without padding', () => {
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
    expect(fingerprintOf(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 128 })])('normalizes a fingerprint with or without "=" to the same pin', (blob) => {
    const fp = fingerprintOf(blob);
    expect(normalizeFingerprint(fp)).toBe(fp);
    expect(normalizeFingerprint(`${fp}=`)).toBe(fp);
    expect(normalizeFingerprint(` ${fp}\n`)).toBe(fp);
  });

  it('rejects what is not a SHA-256 fingerprint', () => {
    for (const value of ['', 'SHA256:', `sha1:${randomBytes(20).toString('base64')}`, 'SHA256:abc', `SHA256:${'A'.repeat(44)}`]) {
      expect(normalizeFingerprint(value), value).toBeNull();
    }
  });
});
