// The local file source: conformance against files in a temp folder, and what happens when
// the file is not a file, or changes while it is read.
import { appendFile, mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { createLocalFileSource } from '../../src/sources/local-file-source.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { describeFileSourceConformance } from '../../src/testing/file-source-conformance.js';

describeFileSourceConformance({
  name: 'local file source',
  create: async (files) => {
    const dir = await mkdtemp(join(tmpdir(), 'gsync-local-'));
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
    return {
      source: (fileName) => createLocalFileSource({ path: join(dir, fileName) }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe('createLocalFileSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gsync-local-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });


  it('reports a folder at the path as FILE_NOT_FOUND', async () => {
    await mkdir(join(dir, 'guardians.csv'));
    expect((await rejectionOf(createLocalFileSource({ path: join(dir, 'guardians.csv') }).open())).code).toBe('FILE_NOT_FOUND');
  });

  it('describes itself as a file URL and names the file by its last segment or the given name', async () => {
    await writeFile(join(dir, 'export.csv'), 'a\n');
    const source = createLocalFileSource({ path: join(dir, 'export.csv'), name: 'guardians.csv' });
    expect(source.description).toMatch(/^file:\/\/.*export\.csv$/);
    const file = await source.open();
    expect(file.name).toBe('guardians.csv');
    await file.close();
  });

  it('fails with SOURCE_UNAVAILABLE (transient) when the file grows while it is read', async () => {
    const path = join(dir, 'guardians.csv');
    await writeFile(path, Buffer.alloc(600 * 1024, 0x61));
    const file = await createLocalFileSource({ path }).open();
    await appendFile(path, 'more rows\n');
    const error = await rejectionOf(readSourceFile(file));
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(true);
    await file.close();
  });

  it('fails with SOURCE_UNAVAILABLE (transient) when the file shrinks while it is read', async () => {
    const path = join(dir, 'guardians.csv');
    await writeFile(path, Buffer.alloc(600 * 1024, 0x61));
    const file = await createLocalFileSource({ path }).open();
    await truncate(path, 1000);
    const error = await rejectionOf(readSourceFile(file));
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    await file.close();
  });

  it('streams the file it measured even when the path is replaced after open()', async () => {
    const path = join(dir, 'guardians.csv');
    await writeFile(path, 'first\n');
    const file = await createLocalFileSource({ path }).open();
    await rm(path);
    await writeFile(path, 'a different, longer file\n');
    expect(new TextDecoder().decode((await readSourceFile(file)).bytes)).toBe('first\n');
    await file.close();
  });

  it('refuses an empty path as INVALID_CONFIGURATION', () => {
    expect(() => createLocalFileSource({ path: '' })).toThrow(/path/);
  });
});
