// The GuardianFileSource conformance suite for vitest: every rule of the contract
// (src/contracts/file-source.ts) as a test, each against files the harness placed itself.
// The bytes and local sources run it; the SFTP source runs it against a real sshd.
//
//   import { describeFileSourceConformance } from 'guardian-sync/testing';
//   describeFileSourceConformance({ name: 'my source', create: async (files) => ({ source: (name) => mySource(name) }) });
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardianFileSource, SourceFile } from '../contracts/file-source.js';
import { isGuardianSyncError, type GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { IssueCode } from '../errors/issue-codes.js';
import { readSourceFile } from '../sources/read-source-file.js';
import type { FileSourceConformanceOptions, FileSourceHarness } from './file-source-harness.js';

const CSV = new TextEncoder().encode(
  'studentSisId,guardianSisId,guardianFirstName,guardianLastName,guardianEmail\r\n' +
    'S1,G1,Ana,Pérez,ana@mail.example\r\n' +
    'S2,G2,Zoë,Ng,zoe@mail.example\r\n',
);

/** Deterministic bytes (every value 0–255 appears), so a failure replays exactly. */
function patternBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = i < 256 ? i : x & 0xff;
  }
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function streamAll(file: SourceFile, signal?: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.stream(signal === undefined ? undefined : { signal })) {
    expect(chunk).toBeInstanceOf(Uint8Array);
    chunks.push(Uint8Array.from(chunk));
  }
  return Uint8Array.from(Buffer.concat(chunks));
}

async function rejection(promise: Promise<unknown>): Promise<GuardianSyncError> {
  const outcome = await promise.then(
    () => ({ threw: false as const }),
    (error: unknown) => ({ threw: true as const, error }),
  );
  expect(outcome.threw, 'expected a rejection').toBe(true);
  const error = outcome.threw ? outcome.error : undefined;
  expect(isGuardianSyncError(error), `expected a GuardianSyncError, got ${String(error)}`).toBe(true);
  return error as GuardianSyncError;
}

function expectCode(error: GuardianSyncError, code: IssueCode): void {
  expect(error.code, error.message).toBe(code);
}

/**
 * Declares the suite. Call it at the top level of a test file. Each test calls `create`
 * with its own files and `cleanup` afterwards.
 */
export function describeFileSourceConformance(options: FileSourceConformanceOptions): void {
  const missingFiles = options.capabilities?.missingFiles ?? true;
  const suite = options.skip === true ? describe.skip : describe;

  suite(`GuardianFileSource conformance: ${options.name}`, () => {
    let harness: FileSourceHarness | undefined;
    const opened: SourceFile[] = [];

    afterEach(async () => {
      for (const file of opened.splice(0)) await file.close();
      await harness?.cleanup?.();
      harness = undefined;
    });

    async function setUp(files: Record<string, Uint8Array>): Promise<FileSourceHarness> {
      harness = await options.create(files);
      return harness;
    }

    async function openTracked(source: GuardianFileSource, maxBytes?: number): Promise<SourceFile> {
      const file = await source.open(maxBytes === undefined ? {} : { maxBytes });
      opened.push(file);
      return file;
    }

    function expectNoSecrets(text: string): void {
      for (const secret of harness?.secrets ?? []) {
        if (secret !== '') expect(text.includes(secret), 'a secret appeared in a description or error').toBe(false);
      }
    }

    it('opens the file with its name and size, and streams exactly its bytes', async () => {
      const h = await setUp({ 'guardians.csv': CSV });
      const source = await h.source('guardians.csv');
      const file = await openTracked(source);
      expect(file.name).toBe('guardians.csv');
      expect(file.size).toBe(CSV.byteLength);
      expect(file.modifiedAt === null || (file.modifiedAt instanceof Date && !Number.isNaN(file.modifiedAt.getTime()))).toBe(true);
      expect(Buffer.from(await streamAll(file)).equals(Buffer.from(CSV))).toBe(true);
    });

    it('streams binary content, an empty file and a multi-chunk file byte-exact', async () => {
      const files = { 'binary.csv': patternBytes(4096, 7), 'empty.csv': new Uint8Array(0), 'large.csv': patternBytes(3 * 1024 * 1024 + 17, 11) };
      const h = await setUp(files);
      for (const [name, bytes] of Object.entries(files)) {
        const file = await openTracked(await h.source(name));
        expect(file.size, name).toBe(bytes.byteLength);
        const read = await readSourceFile(file);
        expect(read.bytes.byteLength, name).toBe(bytes.byteLength);
        expect(read.sha256, name).toBe(sha256(bytes));
      }
    });

    it('reports progress through readSourceFile up to the full size', async () => {
      const bytes = patternBytes(512 * 1024, 3);
      const h = await setUp({ 'guardians.csv': bytes });
      const file = await openTracked(await h.source('guardians.csv'));
      const seen: number[] = [];
      await readSourceFile(file, { onBytes: (done, total) => {
        expect(total).toBe(bytes.byteLength);
        seen.push(done);
      } });
      expect(seen.length).toBeGreaterThan(0);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(seen.at(-1)).toBe(bytes.byteLength);
    });

    it.runIf(missingFiles)('throws FILE_NOT_FOUND for a file that does not exist (never an empty file)', async () => {
      const h = await setUp({ 'students.csv': CSV });
      const source = await h.source('guardians.csv');
      const error = await rejection(source.open());
      expectCode(error, 'FILE_NOT_FOUND');
      expectNoSecrets(`${String(error)} ${error.stack ?? ''} ${JSON.stringify(error)} ${inspect(error)}`);
    });

    it('throws FILE_TOO_LARGE when the file is over maxBytes, and accepts a file of exactly maxBytes', async () => {
      const h = await setUp({ 'guardians.csv': CSV });
      const error = await rejection((await h.source('guardians.csv')).open({ maxBytes: CSV.byteLength - 1 }));
      expectCode(error, 'FILE_TOO_LARGE');
      const file = await openTracked(await h.source('guardians.csv'), CSV.byteLength);
      expect((await readSourceFile(file, { maxBytes: CSV.byteLength })).bytes.byteLength).toBe(CSV.byteLength);
    });

    it('close() is idempotent and never throws, streamed or not', async () => {
      const h = await setUp({ 'guardians.csv': CSV });
      const source = await h.source('guardians.csv');
      const unread = await source.open();
      await expect(unread.close()).resolves.toBeUndefined();
      await expect(unread.close()).resolves.toBeUndefined();
      const read = await source.open();
      await streamAll(read);
      await read.close();
      await read.close();
    });

    it('opens independently twice: each file streams the whole content', async () => {
      const h = await setUp({ 'guardians.csv': CSV });
      const source = await h.source('guardians.csv');
      const first = await openTracked(source);
      const second = await openTracked(source);
      expect(Buffer.from(await streamAll(first)).equals(Buffer.from(CSV))).toBe(true);
      expect(Buffer.from(await streamAll(second)).equals(Buffer.from(CSV))).toBe(true);
    });

    it('honours an aborted signal with ABORTED, on open and on stream', async () => {
      const h = await setUp({ 'guardians.csv': CSV });
      const source = await h.source('guardians.csv');
      const controller = new AbortController();
      controller.abort();
      expectCode(await rejection(source.open({ signal: controller.signal })), 'ABORTED');
      const file = await openTracked(source);
      expectCode(await rejection(streamAll(file, controller.signal)), 'ABORTED');
    });

    it('has a description that is safe to log', async () => {
      const h = await setUp({ 'guardians.csv': CSV });
      const source = await h.source('guardians.csv');
      expect(typeof source.description).toBe('string');
      expect(source.description.length).toBeGreaterThan(0);
      expectNoSecrets(source.description);
    });
  });
}
