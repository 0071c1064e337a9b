// ZIP safety of OneRoster input: every hostile archive is refused with UNSAFE_ARCHIVE before
// it can fill memory or name a path outside the set; plain archives read whole.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { findGuardiansCsv } from '../../src/oneroster/oneroster-files.js';
import { isZipBytes, readZipArchive } from '../../src/oneroster/read-zip-archive.js';
import { buildZip } from './support/zip-writer.js';

const USERS = 'sourcedId,status,role,givenName,familyName\nu1,,parent,Ana,Diaz\n';

async function refusal(bytes: Uint8Array, limits?: Parameters<typeof readZipArchive>[1]['limits']): Promise<string> {
  try {
    await readZipArchive(bytes, { fileName: 'export.zip', limits });
  } catch (error) {
    if (isGuardianSyncError(error)) {
      expect(error.code).toBe('UNSAFE_ARCHIVE');
      expect(error.file).toBe('export.zip');
      return error.message;
    }
    throw error;
  }
  throw new Error('the archive was accepted');
}

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('readZipArchive', () => {
  it('reads deflated and stored entries, by case-insensitive name', async () => {
    const zip = buildZip([
      { name: 'Users.csv', data: USERS },
      { name: 'orgs.csv', data: 'sourcedId,name,type\nd1,District,district\n', method: 'store' },
    ]);
    expect(isZipBytes(zip)).toBe(true);
    const files = await readZipArchive(zip, { fileName: 'export.zip' });
    expect(files.names).toEqual(['Users.csv', 'orgs.csv']);
    expect(text(files.get('users.csv'))).toBe(USERS);
    expect(text(files.get('ORGS.CSV'))).toContain('District');
    expect(files.get('roles.csv')).toBeUndefined();
  });

  it('accepts entries in a single top-level folder, and skips directories and macOS metadata', async () => {
    const zip = buildZip([
      { name: 'oneroster-2024/', data: '' },
      { name: 'oneroster-2024/users.csv', data: USERS },
      { name: 'oneroster-2024/manifest.csv', data: 'propertyName,value\nfile.users,bulk\n' },
      { name: '__MACOSX/oneroster-2024/._users.csv', data: 'junk' },
    ]);
    const files = await readZipArchive(zip, { fileName: 'export.zip' });
    expect(files.names).toEqual(['users.csv', 'manifest.csv']);
    expect(text(files.get('users.csv'))).toBe(USERS);
  });

  it('keeps deeper paths as they are, so they are not taken for the top-level users.csv', async () => {
    const zip = buildZip([
      { name: 'a/users.csv', data: USERS },
      { name: 'b/users.csv', data: USERS },
    ]);
    const files = await readZipArchive(zip, { fileName: 'export.zip' });
    expect(files.get('users.csv')).toBeUndefined();
    expect(files.names).toEqual(['a/users.csv', 'b/users.csv']);
  });

  it('refuses a zip bomb by its inflated bytes (ratio far above 100:1)', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const zip = buildZip([{ name: 'users.csv', data: zeros }]);
    expect(zip.length).toBeLessThan(200 * 1024);
    expect(await refusal(zip)).toMatch(/compression ratio above 100:1/);
  });

  it('refuses a zip bomb whose headers lie about its size (checked while inflating)', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const zip = buildZip([{ name: 'users.csv', data: zeros, declaredSize: 1000 }]);
    expect(await refusal(zip)).toMatch(/users\.csv. is damaged or its sizes are false/);
  });

  it('refuses an archive over the total size limit', async () => {
    const zip = buildZip([
      { name: 'users.csv', data: USERS.repeat(20) },
      { name: 'orgs.csv', data: USERS.repeat(20) },
    ]);
    expect(await refusal(zip, { maxTotalBytes: 1500 })).toMatch(/more than 1500 bytes/);
  });

  it('refuses a ../ traversal entry', async () => {
    expect(await refusal(buildZip([{ name: '../evil.csv', data: USERS }]))).toMatch(/climbs out/);
    expect(await refusal(buildZip([{ name: 'export/../../evil.csv', data: USERS }]))).toMatch(/climbs out/);
  });

  it('refuses a backslash traversal entry (Windows-made archives)', async () => {
    expect(await refusal(buildZip([{ name: '..\\evil.csv', data: USERS }]))).toMatch(/climbs out/);
  });

  it('refuses absolute paths and drive letters', async () => {
    expect(await refusal(buildZip([{ name: '/etc/users.csv', data: USERS }]))).toMatch(/absolute path/);
    expect(await refusal(buildZip([{ name: 'C:/users.csv', data: USERS }]))).toMatch(/drive letter/);
  });

  it('refuses a nested archive by name and by content', async () => {
    const inner = buildZip([{ name: 'users.csv', data: USERS }]);
    expect(await refusal(buildZip([{ name: 'inner.zip', data: inner }]))).toMatch(/archive inside the archive/);
    expect(await refusal(buildZip([{ name: 'users.csv', data: inner }]))).toMatch(/archive inside the archive/);
  });

  it('refuses a symbolic link entry', async () => {
    expect(await refusal(buildZip([{ name: 'users.csv', data: '../../etc/passwd', unixMode: 0o120777 }]))).toMatch(/symbolic link/);
    // A regular file with Unix permissions is fine.
    const files = await readZipArchive(buildZip([{ name: 'users.csv', data: USERS, unixMode: 0o100644 }]), { fileName: 'export.zip' });
    expect(text(files.get('users.csv'))).toBe(USERS);
  });

  it('refuses too many entries', async () => {
    const entries = Array.from({ length: 101 }, (_, i) => ({ name: `f${i}.csv`, data: 'a\n1\n' }));
    expect(await refusal(buildZip(entries))).toMatch(/101 entries, more than the limit of 100/);
    await expect(readZipArchive(buildZip(entries.slice(0, 100)), { fileName: 'export.zip' })).resolves.toBeDefined();
  });

  it('refuses two entries whose names differ only in case', async () => {
    expect(
      await refusal(
        buildZip([
          { name: 'users.csv', data: USERS },
          { name: 'USERS.csv', data: USERS },
        ]),
      ),
    ).toMatch(/two entries named/);
  });

  it('refuses two entries whose names differ only in surrounding blanks (as an unsafe archive, not a crash)', async () => {
    expect(await refusal(buildZip([{ name: 'users.csv', data: USERS }, { name: ' users.csv', data: USERS }]))).toMatch(/two entries/);
  });

  it('refuses bytes that start like a ZIP but are not one', async () => {
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await refusal(broken)).toMatch(/cannot be read as a ZIP/);
  });

  it('finds a guardians.csv shipped instead of users.csv', async () => {
    const guardians = 'studentSisId,guardianSisId,firstName,lastName,email\nS1,G1,Ana,Diaz,ana@example.org\n';
    const files = await readZipArchive(buildZip([{ name: 'export/Guardians.csv', data: guardians }]), { fileName: 'upload.zip' });
    const found = findGuardiansCsv(files);
    expect(found?.name).toBe('Guardians.csv');
    expect(text(found?.bytes)).toBe(guardians);
    // With a users.csv present, the OneRoster file wins.
    const both = await readZipArchive(
      buildZip([
        { name: 'guardians.csv', data: guardians },
        { name: 'users.csv', data: USERS },
      ]),
      { fileName: 'upload.zip' },
    );
    expect(findGuardiansCsv(both)).toBeUndefined();
  });

  const segment = fc.stringMatching(/^[A-Za-z0-9_ .-]{1,12}$/).filter((x) => x !== '.' && x !== '..' && !x.startsWith('._'));

  test.prop([fc.uniqueArray(segment, { minLength: 1, maxLength: 5, selector: (x) => x.trim().toLowerCase() }), fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 5, maxLength: 5 })], { numRuns: 50 })(
    'plain archives read back byte for byte, at the top or in one folder',
    async (names, contents) => {
      for (const folder of ['', 'export/']) {
        const entries = names.map((name, i) => ({ name: `${folder}${name}.csv`, data: contents[i] ?? new Uint8Array() }));
        const files = await readZipArchive(buildZip(entries), { fileName: 'export.zip' });
        expect(files.names).toEqual(names.map((n) => `${n}.csv`));
        names.forEach((name, i) => expect(files.get(`${name.toUpperCase()}.csv`)).toEqual(contents[i]));
      }
    },
  );

  test.prop([fc.array(segment, { maxLength: 3 }), fc.array(segment, { maxLength: 3 }), fc.constantFrom('/', '\\')], { numRuns: 50 })(
    'any path with a .. segment is refused, whatever surrounds it',
    async (before, after, separator) => {
      const name = [...before, '..', ...after, 'users.csv'].join(separator);
      expect(await refusal(buildZip([{ name, data: USERS }]))).toMatch(/climbs out/);
    },
  );
});
