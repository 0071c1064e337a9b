// The local file source: conformance against files in a temp folder, what happens when the
// file is not a file, cannot be read, is still being written (the settle wait and the
// `.done` marker, issue 19 item 3), or changes while it is read.
import { appendFile, chmod, mkdir, mkdtemp, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import { createLocalFileSource } from '../../src/sources/local-file-source.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { describeFileSourceConformance } from '../../src/testing/file-source-conformance.js';

/** A time the settle wait accepts at once: the nightly export, written hours before the sync. */
const HOURS_AGO = new Date(Date.now() - 3 * 3_600_000);

describeFileSourceConformance({
  name: 'local file source (files at rest, default options)',
  create: async (files) => {
    const dir = await mkdtemp(join(tmpdir(), 'gsync-local-'));
    for (const [name, bytes] of Object.entries(files)) {
      await writeFile(join(dir, name), bytes);
      await utimes(join(dir, name), HOURS_AGO, HOURS_AGO);
    }
    return {
      source: (fileName) => createLocalFileSource({ path: join(dir, fileName) }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describeFileSourceConformance({
  name: 'local file source (just written, .done markers required)',
  create: async (files) => {
    const dir = await mkdtemp(join(tmpdir(), 'gsync-local-'));
    for (const [name, bytes] of Object.entries(files)) {
      await writeFile(join(dir, name), bytes);
      await writeFile(join(dir, `${name}.done`), '');
    }
    return {
      source: (fileName) => createLocalFileSource({ path: join(dir, fileName), doneMarker: 'require' }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

const isRoot = process.getuid?.() === 0;

/**
 * The settle wait's promise, checked on the clock it uses: the file was taken no earlier
 * than `quietMs` after its modification time (timers may fire a millisecond early).
 */
async function expectTakenQuietFor(path: string, quietMs: number): Promise<void> {
  const modified = (await stat(path)).mtimeMs;
  expect(Date.now() - modified).toBeGreaterThanOrEqual(quietMs - 5);
}

/** Appends a byte every 100 ms for `ms`, as an export still writing; returns when it stops. */
async function keepWriting(path: string, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    await new Promise((done) => setTimeout(done, 100));
    await appendFile(path, 'x');
  }
}

/** Milliseconds `work` took. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('createLocalFileSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gsync-local-'));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  async function atRest(name: string, content: string | Uint8Array): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    await utimes(path, HOURS_AGO, HOURS_AGO);
    return path;
  }

  it('reports a folder at the path as FILE_NOT_FOUND, naming the path', async () => {
    await mkdir(join(dir, 'guardians.csv'));
    const error = await rejectionOf(createLocalFileSource({ path: join(dir, 'guardians.csv') }).open());
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toContain(join(dir, 'guardians.csv'));
  });

  it('reports a missing file as FILE_NOT_FOUND with its full path and what to check', async () => {
    const error = await rejectionOf(createLocalFileSource({ path: join(dir, 'guardians.csv') }).open());
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toBe(`${join(dir, 'guardians.csv')} was not found: check the path and file name, or the export that writes it.`);
  });

  it.skipIf(isRoot)('permission denied: SOURCE_UNAVAILABLE, not transient, naming the path and what to do, never the SFTP server', async () => {
    const path = await atRest('guardians.csv', 'a\n');
    await chmod(path, 0o000);
    const error = await rejectionOf(createLocalFileSource({ path }).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(false);
    expect(error.message).toBe(`${path} cannot be read: permission denied. Give the user running the sync read access to the file and its folder, then run again.`);
    expect(`${error.message} ${ISSUE_HINTS[error.code]}`).not.toMatch(/SFTP server and network/);
  });

  it('describes itself as a file URL and names the file by its last segment or the given name', async () => {
    await atRest('export.csv', 'a\n');
    const source = createLocalFileSource({ path: join(dir, 'export.csv'), name: 'guardians.csv' });
    expect(source.description).toMatch(/^file:\/\/.*export\.csv$/);
    const file = await source.open();
    expect(file.name).toBe('guardians.csv');
    await file.close();
  });

  it('refuses an empty path and bad options as INVALID_CONFIGURATION naming the option', () => {
    expect(() => createLocalFileSource({ path: '' })).toThrow(/`path` must name the guardian file/);
    expect(() => createLocalFileSource({ path: 'g.csv', stableCheckMs: -1 })).toThrow(/"stableCheckMs" is invalid \(a whole number of milliseconds/);
    expect(() => createLocalFileSource({ path: 'g.csv', doneMarker: 'always' as never })).toThrow(/"doneMarker" is invalid/);
    expect(() => createLocalFileSource({ path: 'g.csv', stableCheckMS: 0 } as never)).toThrow(/unknown option "stableCheckMS"/);
  });

  it('FILE_TOO_LARGE says the size, the limit in MiB and the flag that raises it', async () => {
    const path = await atRest('guardians.csv', Buffer.alloc(3 * 1024 * 1024 + 5, 0x61));
    const error = await rejectionOf(createLocalFileSource({ path }).open({ maxBytes: 2 * 1024 * 1024 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toBe(
      'guardians.csv is 3,145,733 bytes (3.0 MiB), over the size limit of 2 MiB: check the export holds only guardians, or raise the limit with --max-file-size.',
    );
    expect(ISSUE_HINTS.FILE_TOO_LARGE).toContain('maxFileBytes');
  });

  describe('a file still being written (issue 19, item 3)', () => {
    it('takes a file that has been quiet longer than stableCheckMs at once (the nightly case costs nothing)', async () => {
      const path = await atRest('guardians.csv', 'studentSisId,guardianSisId\nS1,G1\n');
      const { value: file, ms } = await timed(() => createLocalFileSource({ path, stableCheckMs: 60_000 }).open());
      expect(ms).toBeLessThan(30_000);
      expect((await readSourceFile(file)).bytes.byteLength).toBe(33);
      await file.close();
    });

    it('waits for a file written a moment ago until it has been quiet for stableCheckMs, then takes it', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'studentSisId,guardianSisId\nS1,G1\n');
      const file = await createLocalFileSource({ path, stableCheckMs: 800 }).open();
      await expectTakenQuietFor(path, 800);
      expect(file.size).toBe(33);
      await file.close();
    });

    it('refuses (FILE_UNSTABLE, transient) a file written part way that grows during the wait', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'studentSisId,guardianSisId\nS1,G1\nS2,G');
      const writer = keepWriting(path, 3000);
      const error = await rejectionOf(createLocalFileSource({ path, stableCheckMs: 1500 }).open());
      await writer;
      expect(error.code).toBe('FILE_UNSTABLE');
      expect(error.transient).toBe(true);
      const message = /^(.+) is still being written: it changed within the 1\.5 s it must hold still before it is read \((\d+) → (\d+) bytes\)\. Nothing was changed; run again once it is complete\.$/.exec(error.message);
      expect(message?.[1]).toBe(path);
      expect(Number(message?.[3])).toBeGreaterThan(Number(message?.[2]));
    });

    it('waits the whole stableCheckMs when the modification time is in the future (another clock)', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      const future = new Date(Date.now() + 60_000);
      await utimes(path, future, future);
      const { value: file, ms } = await timed(() => createLocalFileSource({ path, stableCheckMs: 600 }).open());
      expect(ms).toBeGreaterThanOrEqual(595);
      await file.close();
    });

    it('allows for 1–2 s file system clocks: a time on a whole second may be up to 2 s late', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      // 1–2 s ago on a whole second: quiet long enough by the time alone, not once rounding is allowed for.
      const rounded = new Date(Math.floor((Date.now() - 1000) / 1000) * 1000);
      await utimes(path, rounded, rounded);
      const started = Date.now();
      const file = await createLocalFileSource({ path, stableCheckMs: 1000 }).open();
      // Taken once quiet for 1 s counting the 2 s the time may be late, or 1 s after the first look.
      expect(Date.now()).toBeGreaterThanOrEqual(Math.min(started + 1000, rounded.getTime() + 2000 + 1000) - 5);
      await file.close();
    });

    it('stableCheckMs 0 takes a just-written file at once', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      const { value: file, ms } = await timed(() => createLocalFileSource({ path, stableCheckMs: 0 }).open());
      expect(ms).toBeLessThan(2000);
      await file.close();
    });

    it('an aborted signal ends the wait at once with ABORTED', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const { value: error, ms } = await timed(() => rejectionOf(createLocalFileSource({ path, stableCheckMs: 10_000 }).open({ signal: controller.signal })));
      expect(error.code).toBe('ABORTED');
      expect(ms).toBeLessThan(2000);
    });
  });

  describe('the .done marker', () => {
    it('a marker at least as new as the file skips the wait; markProcessed removes it', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      await writeFile(`${path}.done`, '');
      const { value: file, ms } = await timed(() => createLocalFileSource({ path, stableCheckMs: 60_000 }).open());
      expect(ms).toBeLessThan(30_000);
      expect(file.markProcessed).toBeTypeOf('function');
      await readSourceFile(file);
      await file.close();
      await file.markProcessed?.();
      await expect(stat(`${path}.done`)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(path)).isFile()).toBe(true);
    });

    it('keeps a marker rewritten after it was seen: it vouches for a newer file', async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      await writeFile(`${path}.done`, '');
      const file = await createLocalFileSource({ path }).open();
      await file.close();
      const later = new Date(Date.now() + 5000);
      await utimes(`${path}.done`, later, later);
      await file.markProcessed?.();
      expect((await stat(`${path}.done`)).isFile()).toBe(true);
    });

    it("doneMarker 'require': no marker → FILE_UNSTABLE naming the marker; nothing is waited for", async () => {
      const path = await atRest('guardians.csv', 'a\n');
      const error = await rejectionOf(createLocalFileSource({ path, doneMarker: 'require' }).open());
      expect(error.code).toBe('FILE_UNSTABLE');
      expect(error.message).toBe(
        `${path} has no guardians.csv.done marker next to it, and this sync requires one: nothing was changed. The export must write the marker once the file is complete.`,
      );
    });

    it("doneMarker 'require': a marker older than the file is yesterday's and vouches for nothing", async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(`${path}.done`, '');
      await utimes(`${path}.done`, HOURS_AGO, HOURS_AGO);
      await writeFile(path, 'a\n');
      const error = await rejectionOf(createLocalFileSource({ path, doneMarker: 'require' }).open());
      expect(error.code).toBe('FILE_UNSTABLE');
      expect(error.message).toMatch(/guardians\.csv\.done is older than the file/);
    });

    it("doneMarker 'use' with an old marker falls back to the settle wait, and leaves that marker alone", async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(`${path}.done`, '');
      await utimes(`${path}.done`, HOURS_AGO, HOURS_AGO);
      await writeFile(path, 'a\n');
      const file = await createLocalFileSource({ path, stableCheckMs: 600 }).open();
      await expectTakenQuietFor(path, 600);
      expect(file.markProcessed).toBeUndefined();
      await file.close();
    });

    it("doneMarker 'ignore' waits even with a fresh marker", async () => {
      const path = join(dir, 'guardians.csv');
      await writeFile(path, 'a\n');
      await writeFile(`${path}.done`, '');
      const file = await createLocalFileSource({ path, stableCheckMs: 600, doneMarker: 'ignore' }).open();
      await expectTakenQuietFor(path, 600);
      expect(file.markProcessed).toBeUndefined();
      await file.close();
    });
  });

  describe('a file that changes while it is read', () => {
    it('grows: FILE_UNSTABLE (transient), naming the path', async () => {
      const path = await atRest('guardians.csv', Buffer.alloc(600 * 1024, 0x61));
      const file = await createLocalFileSource({ path }).open();
      await appendFile(path, 'more rows\n');
      const error = await rejectionOf(readSourceFile(file));
      expect(error.code).toBe('FILE_UNSTABLE');
      expect(error.transient).toBe(true);
      expect(error.message).toBe(`${path} is still being written: it grew while it was read (from 614400 bytes). Nothing was changed; run again once it is complete.`);
      await file.close();
    });

    it('shrinks: FILE_UNSTABLE', async () => {
      const path = await atRest('guardians.csv', Buffer.alloc(600 * 1024, 0x61));
      const file = await createLocalFileSource({ path }).open();
      await truncate(path, 1000);
      const error = await rejectionOf(readSourceFile(file));
      expect(error.code).toBe('FILE_UNSTABLE');
      expect(error.message).toContain('it shrank while it was read (1000 of 614400 bytes)');
      await file.close();
    });

    it('is rewritten in place with the same size: FILE_UNSTABLE from the modification time', async () => {
      const path = await atRest('guardians.csv', 'S1,G1\n');
      const file = await createLocalFileSource({ path }).open();
      await writeFile(path, 'S9,G9\n');
      const error = await rejectionOf(readSourceFile(file));
      expect(error.code).toBe('FILE_UNSTABLE');
      expect(error.message).toContain('it was modified while it was read');
      await file.close();
    });
  });

  it('streams the file it measured even when the path is replaced after open()', async () => {
    const path = await atRest('guardians.csv', 'first\n');
    const file = await createLocalFileSource({ path }).open();
    await rm(path);
    await writeFile(path, 'a different, longer file\n');
    expect(new TextDecoder().decode((await readSourceFile(file)).bytes)).toBe('first\n');
    await file.close();
  });
});
