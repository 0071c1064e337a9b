// Without the optional peer ssh2-sftp-client, the SFTP source must say what to install
// (INVALID_CONFIGURATION), not fail with a module-resolution error.
import { describe, expect, it, vi } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';

vi.mock('ssh2-sftp-client', () => {
  throw new Error("Cannot find package 'ssh2-sftp-client'");
});

describe('SFTP source without ssh2-sftp-client installed', () => {
  it('fails open() with INVALID_CONFIGURATION naming the npm install command, and does not retry it', async () => {
    const { createSftpSource } = await import('../../src/sftp/index.js');
    const sleeps: number[] = [];
    const source = createSftpSource({
      host: '127.0.0.1',
      username: 'district',
      password: 'pw',
      hostKeys: ['SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s'],
      attempts: 3,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const error = await source.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGuardianSyncError(error)).toBe(true);
    if (!isGuardianSyncError(error)) return;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toContain('npm install ssh2-sftp-client');
    expect(sleeps).toEqual([]);
  });
});
