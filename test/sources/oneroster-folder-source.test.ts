// A OneRoster export unpacked in a folder syncs exactly like its .zip: roles.csv (1.2) and
// the manifest come along, and the folder's size limit holds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { createOneRosterFolderSource } from '../../src/sources/oneroster-folder-source.js';
import { importOneRosterRoster } from '../../src/sync/import-oneroster-roster.js';
import { readZipArchive } from '../../src/oneroster/read-zip-archive.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import { encodeFiles, generateOneRosterDistrict, toOneRoster12 } from '../arbitraries/oneroster.js';

const district = generateOneRosterDistrict({ seed: 4242, students: 40 });
const export12 = toOneRoster12(district);
const folders: string[] = [];

async function folderOf(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gs-oneroster-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createOneRosterFolderSource', () => {
  it('delivers every CSV of the folder, byte for byte, as one archive', async () => {
    const dir = await folderOf(export12);
    const file = await createOneRosterFolderSource({ path: dir }).open();
    const { bytes } = await readSourceFile(file);
    await file.close();
    const files = await readZipArchive(bytes, { fileName: file.name });
    expect([...files.names].sort()).toEqual(Object.keys(export12).sort());
    for (const [name, text] of Object.entries(export12)) expect(Buffer.from(files.get(name) ?? []).toString('utf8')).toBe(text);
  });

  it('syncs a 1.2 folder (roles.csv decides who is a guardian) like the same set in memory', async () => {
    const store = createMemoryStore();
    await importOneRosterRoster(createOneRosterFiles(encodeFiles(export12)), store);
    const report = await syncGuardians({
      scope: { level: 'district', orgId: district.districtId },
      source: createOneRosterFolderSource({ path: await folderOf(export12) }),
      store,
      format: 'oneroster',
    });
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.counts.linksAdded).toBe(district.pairs.length - report.counts.rowsSkipped);
    expect(report.counts.linksAdded).toBeGreaterThan(0);
  });

  it('fails with FILE_NOT_FOUND for a missing folder and FILE_TOO_LARGE over the limit', async () => {
    await expect(createOneRosterFolderSource({ path: '/nonexistent/export' }).open()).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const dir = await folderOf(export12);
    await expect(createOneRosterFolderSource({ path: dir }).open({ maxBytes: 100 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });
});
