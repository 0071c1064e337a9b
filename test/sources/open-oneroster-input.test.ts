// Opening OneRoster input from disk and from bytes: a folder, one CSV, several CSVs, a ZIP
// whatever its name; the size limit holds before reading; a missing path is FILE_NOT_FOUND.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { openOneRosterInput } from '../../src/sources/open-oneroster-input.js';
import { buildZip } from '../oneroster/support/zip-writer.js';

const USERS = 'sourcedId,status,role,givenName,familyName\nu1,,parent,Ana,Diaz\n';
const ORGS = 'sourcedId,name,type\nd1,District,district\n';
const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oneroster-input-'));
  await mkdir(join(dir, 'set', 'nested'), { recursive: true });
  await writeFile(join(dir, 'set', 'Users.csv'), USERS);
  await writeFile(join(dir, 'set', 'orgs.csv'), ORGS);
  await writeFile(join(dir, 'set', 'readme.txt'), 'not a csv');
  await writeFile(join(dir, 'set', 'nested', 'roles.csv'), 'x\n');
  await writeFile(join(dir, 'export.csv'), USERS);
  await writeFile(join(dir, 'download.bin'), buildZip([{ name: 'users.csv', data: USERS }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(run: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run;
  } catch (error) {
    if (isGuardianSyncError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('openOneRosterInput', () => {
  it('reads the CSV files of a folder, not its subfolders or other files', async () => {
    const files = await openOneRosterInput({ path: join(dir, 'set') });
    expect([...files.names].sort()).toEqual(['Users.csv', 'orgs.csv']);
    expect(text(files.get('users.csv'))).toBe(USERS);
    expect(files.get('roles.csv')).toBeUndefined();
  });

  it('takes a single CSV with another name as the users.csv', async () => {
    const files = await openOneRosterInput({ path: join(dir, 'export.csv') });
    expect(text(files.get('users.csv'))).toBe(USERS);
    expect(text(files.get('export.csv'))).toBe(USERS);
  });

  it('takes several paths (users.csv and orgs.csv of `roster import`)', async () => {
    const files = await openOneRosterInput({ paths: [join(dir, 'set', 'Users.csv'), join(dir, 'set', 'orgs.csv')] });
    expect(text(files.get('orgs.csv'))).toBe(ORGS);
    expect(text(files.get('users.csv'))).toBe(USERS);
  });

  it('opens a ZIP by its magic bytes, whatever its file name', async () => {
    const files = await openOneRosterInput({ path: join(dir, 'download.bin') });
    expect(text(files.get('users.csv'))).toBe(USERS);
    const fromBytes = await openOneRosterInput({ name: 'upload.csv', bytes: buildZip([{ name: 'x/users.csv', data: USERS }]) });
    expect(text(fromBytes.get('users.csv'))).toBe(USERS);
  });

  it('passes archive limits through, and refuses a hostile ZIP as UNSAFE_ARCHIVE', async () => {
    const zip = buildZip([{ name: '../users.csv', data: USERS }]);
    expect((await errorOf(openOneRosterInput({ name: 'upload.zip', bytes: zip }))).code).toBe('UNSAFE_ARCHIVE');
    const many = buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.csv`, data: 'a\n' })));
    expect((await errorOf(openOneRosterInput({ name: 'upload.zip', bytes: many }, { maxEntries: 5 }))).code).toBe('UNSAFE_ARCHIVE');
  });

  it('refuses files over the size limit before reading them, and reports a missing path', async () => {
    expect((await errorOf(openOneRosterInput({ path: join(dir, 'set') }, { maxTotalBytes: 60 }))).code).toBe('FILE_TOO_LARGE');
    expect((await errorOf(openOneRosterInput({ path: join(dir, 'export.csv') }, { maxTotalBytes: 10 }))).code).toBe('FILE_TOO_LARGE');
    const missing = await errorOf(openOneRosterInput({ path: join(dir, 'nope.zip') }));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).not.toContain(dir);
  });
});
