// readSourceFile against sources that behave and sources that lie: any chunking gives the
// same bytes and hash; more or fewer bytes than announced, foreign stream errors and aborts
// all come out as GuardianSyncError.
import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/contracts/file-source.js';
import { rejectionOf } from '../support/rejection.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { chunkedBytes } from '../arbitraries/chunked-bytes.js';

function fakeFile(chunks: readonly Uint8Array[], size: number, failAfter?: number): SourceFile {
  return {
    name: 'guardians.csv',
    size,
    modifiedAt: null,
    async *stream(options) {
      let index = 0;
      for (const chunk of chunks) {
        if (options?.signal?.aborted === true) throw new DOMException('aborted', 'AbortError');
        if (failAfter !== undefined && index === failAfter) throw new Error('ECONNRESET from sftp://user:hunter2@host');
        index += 1;
        yield chunk;
      }
    },
    async close() {},
  };
}


describe('readSourceFile', () => {
  test.prop([chunkedBytes()])('returns the concatenated bytes and their SHA-256 whatever the chunking', async ({ bytes, chunks }) => {
    const progress: number[] = [];
    const read = await readSourceFile(fakeFile(chunks, bytes.byteLength), { onBytes: (done) => progress.push(done) });
    expect(Buffer.from(read.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(progress.at(-1) ?? 0).toBe(bytes.byteLength);
  });

  test.prop([chunkedBytes({ minLength: 1 }), fc.integer({ min: 1, max: 50 })])(
    'refuses fewer or more bytes than announced with SOURCE_UNAVAILABLE (transient)',
    async ({ bytes, chunks }, delta) => {
      for (const size of [bytes.byteLength + delta, Math.max(0, bytes.byteLength - delta)]) {
        if (size === bytes.byteLength) continue;
        const error = await rejectionOf(readSourceFile(fakeFile(chunks, size)));
        expect(error.code).toBe('SOURCE_UNAVAILABLE');
        expect(error.transient).toBe(true);
      }
    },
  );

  it('refuses an announced size over maxBytes before reading (FILE_TOO_LARGE)', async () => {
    let streamed = false;
    const file: SourceFile = { ...fakeFile([], 100), stream: () => ((streamed = true), fakeFile([], 0).stream()) };
    const error = await rejectionOf(readSourceFile(file, { maxBytes: 99 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(streamed).toBe(false);
  });

  it('refuses a source that delivers past maxBytes although it announced less (FILE_TOO_LARGE)', async () => {
    const error = await rejectionOf(readSourceFile(fakeFile([new Uint8Array(60), new Uint8Array(60)], 50), { maxBytes: 55 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
  });

  it('turns a foreign stream error into SOURCE_UNAVAILABLE without its text', async () => {
    const error = await rejectionOf(readSourceFile(fakeFile([new Uint8Array(10), new Uint8Array(10)], 20, 1)));
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(`${String(error)} ${JSON.stringify(error)} ${error.stack ?? ''}`).not.toContain('hunter2');
    expect(error.cause).toBeUndefined();
  });

  it('stops with ABORTED when the signal aborts, before or during the read', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejectionOf(readSourceFile(fakeFile([new Uint8Array(1)], 1), { signal: controller.signal }))).code).toBe('ABORTED');
    const later = new AbortController();
    const chunks = [new Uint8Array(5), new Uint8Array(5)];
    const error = await rejectionOf(readSourceFile(fakeFile(chunks, 10), { signal: later.signal, onBytes: () => later.abort() }));
    expect(error.code).toBe('ABORTED');
  });
});
