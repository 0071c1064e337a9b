// Retries, backoff and deadlines with scripted clients (the injectable factory, typed by the
// structural SftpClient): how many connections, which waits, what gets destroyed.
import { Writable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { createSftpSource, type SftpClient, type SftpSourceOptions } from '../../src/sftp/index.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { captureLogger } from './secret-checks.js';

const PIN = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const CONTENT = Buffer.from('studentSisId,guardianSisId\nS1,G1\n');

interface Script {
  connect?: () => Promise<unknown>;
  end?: () => Promise<unknown>;
}

interface Recorder {
  readonly clients: number;
  readonly destroyed: number;
  readonly ended: number;
}

/** A client that serves CONTENT as /guardians.csv, with the steps in `script` replaced. */
function scriptedFactory(script: (n: number) => Script): { factory: () => SftpClient; record: Recorder } {
  const record = { clients: 0, destroyed: 0, ended: 0 };
  const factory = (): SftpClient => {
    record.clients += 1;
    const steps = script(record.clients);
    const stats = { size: CONTENT.length, modifyTime: 1_764_280_800_000, isFile: true };
    return {
      connect: steps.connect ?? (async () => undefined),
      list: async () => [{ type: '-', name: 'guardians.csv', size: CONTENT.length, modifyTime: stats.modifyTime }],
      stat: async () => stats,
      get: async (_path: string, dst: Writable) => {
        await new Promise<void>((resolve, reject) => dst.write(CONTENT, (error) => (error ? reject(error) : resolve())));
        return dst;
      },
      rename: async () => undefined,
      mkdir: async () => undefined,
      delete: async () => undefined,
      end: async () => {
        record.ended += 1;
        return (steps.end ?? (async () => true))();
      },
      client: {
        destroy: () => {
          record.destroyed += 1;
        },
      },
    };
  };
  return { factory, record };
}

function options(factory: () => SftpClient, overrides: Partial<SftpSourceOptions> = {}): SftpSourceOptions {
  return { host: 'sftp.example.org', username: 'district', password: 'pw', hostKeys: [PIN], clientFactory: factory, stableCheckMs: 0, ...overrides };
}


const reset = (): Promise<never> => Promise.reject(Object.assign(new Error('getConnection: read ECONNRESET'), { code: 'ECONNRESET' }));

describe('SFTP retries and deadlines (scripted clients)', () => {
  test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 60_000 }), fc.double({ min: 0, max: 0.999, noNaN: true })])(
    'tries exactly `attempts` times on transient failures, waiting a jittered exponential backoff',
    async (attempts, base, max, r) => {
      const { factory, record } = scriptedFactory(() => ({ connect: reset }));
      const sleeps: number[] = [];
      const error = await rejectionOf(
        createSftpSource(options(factory, { attempts, retryBaseDelayMs: base, retryMaxDelayMs: max, random: () => r, sleep: async (ms) => void sleeps.push(ms) })).open(),
      );
      expect(error.code).toBe('SOURCE_UNAVAILABLE');
      expect(record.clients).toBe(attempts);
      const ceiling = Math.max(max, base);
      expect(sleeps).toEqual(Array.from({ length: attempts - 1 }, (_, i) => Math.round(r * Math.min(ceiling, base * 2 ** i))));
      // Every failed connection was torn down.
      expect(record.destroyed).toBeGreaterThanOrEqual(attempts);
    },
  );

  it('destroys a connection that does not finish connecting within the deadline', async () => {
    const { factory, record } = scriptedFactory(() => ({ connect: () => new Promise(() => undefined) }));
    const error = await rejectionOf(createSftpSource(options(factory, { connectTimeoutMs: 50, attempts: 1 })).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.message).toContain('within 50 ms while connecting');
    expect(record.destroyed).toBeGreaterThanOrEqual(1);
  });

  it('treats a client that throws synchronously like any other failure', async () => {
    const { factory } = scriptedFactory(() => ({
      connect: () => {
        throw Object.assign(new Error('boom'), { code: 'ECONNREFUSED' });
      },
    }));
    const error = await rejectionOf(createSftpSource(options(factory, { attempts: 1 })).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.message).toContain('(ECONNREFUSED)');
  });

  it('keeps the file and destroys the connection when end() never returns', async () => {
    const { factory, record } = scriptedFactory(() => ({ end: () => new Promise(() => undefined) }));
    const file = await createSftpSource(options(factory, { endTimeoutMs: 30 })).open();
    expect(Buffer.from((await readSourceFile(file)).bytes).equals(CONTENT)).toBe(true);
    expect(record.ended).toBe(1);
    expect(record.destroyed).toBeGreaterThanOrEqual(1);
  });

  it('uses one new client per try and per markProcessed, never reusing one', async () => {
    const { factory, record } = scriptedFactory((n) => (n === 1 ? { connect: reset } : {}));
    const source = createSftpSource(options(factory, { attempts: 2, sleep: async () => undefined, archiveDir: '/archive' }));
    const file = await source.open();
    await file.markProcessed?.();
    expect(record.clients).toBe(3);
    expect(record.ended).toBe(2);
  });

  it('warns in the log when host key verification is disabled', () => {
    const captured = captureLogger();
    const { factory } = scriptedFactory(() => ({}));
    createSftpSource({ ...options(factory, { logger: captured.logger }), hostKeys: undefined, dangerouslyDisableHostKeyVerification: true });
    expect(captured.lines.some((line) => line.startsWith('warn') && line.includes('DISABLED'))).toBe(true);
  });

  it('reports a client factory that throws as SOURCE_UNAVAILABLE, not as a foreign error', async () => {
    const error = await rejectionOf(
      createSftpSource(
        options(() => {
          throw new Error('Cannot find module');
        }, { attempts: 1 }),
      ).open(),
    );
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.message).not.toContain('Cannot find module');
  });
});
