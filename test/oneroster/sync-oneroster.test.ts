// End to end through `syncGuardians({ format: 'oneroster' })`: a OneRoster 1.2 ZIP (whatever
// its name), a delta file that removes one pair, a ZIP holding a guardians.csv, and a
// hostile ZIP that fails the run before any change.
import { describe, expect, it } from 'vitest';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { importOneRosterRoster } from '../../src/sync/import-oneroster-roster.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import { encodeFiles, generateOneRosterDistrict, toGuardiansCsv, toOneRoster12 } from '../arbitraries/oneroster.js';
import { buildZip } from './support/zip-writer.js';

const district = generateOneRosterDistrict({ seed: 31337, students: 60 });
const export12 = toOneRoster12(district);
const zipOf = (files: Record<string, string>, folder = ''): Uint8Array => buildZip(Object.entries(files).map(([name, data]) => ({ name: `${folder}${name}`, data })));

async function importedStore() {
  const store = createMemoryStore();
  await importOneRosterRoster(createOneRosterFiles(encodeFiles(export12)), store);
  return store;
}

/** Student SIS ids linked to the account holding each guardian SIS id. */
async function linksByGuardian(store: Awaited<ReturnType<typeof importedStore>>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const account of (await store.exportRoster(district.districtId)).accounts) {
    for (const role of account.roles) if (role.role === 'guardian') for (const id of role.sisIds) out.set(id, [...account.students].sort());
  }
  return out;
}

describe('syncGuardians with format oneroster', () => {
  it('syncs a OneRoster 1.2 ZIP named anything, linking every pair', async () => {
    const store = await importedStore();
    const report = await syncGuardians({
      scope: { level: 'district', orgId: district.districtId },
      source: createBytesSource({ name: 'nightly-export.dat', bytes: zipOf(export12, 'oneroster/') }),
      store,
      format: 'oneroster',
    });
    expect(report.status === 'succeeded' || report.status === 'succeeded-with-warnings').toBe(true);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.counts.linksAdded).toBe(district.pairs.length - report.counts.rowsSkipped);
    const links = await linksByGuardian(store);
    for (const [guardian, student] of district.pairs) {
      if (links.has(guardian)) expect(links.get(guardian)).toContain(student);
    }
    // Applying the same export again changes nothing.
    const again = await syncGuardians({
      scope: { level: 'district', orgId: district.districtId },
      source: createBytesSource({ name: 'nightly-export.dat', bytes: zipOf(export12) }),
      store,
      format: 'oneroster',
    });
    expect(again.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, linksAdded: 0, linksRemoved: 0 });
  });

  it('removes only the pairs a delta file marks tobedeleted', async () => {
    const store = await importedStore();
    const scope = { level: 'district', orgId: district.districtId } as const;
    await syncGuardians({ scope, source: createBytesSource({ name: 'export.zip', bytes: zipOf(export12) }), store, format: 'oneroster' });
    const before = await linksByGuardian(store);
    // A delta: one guardian is deleted; nothing else is in the file.
    const [gone] = district.guardians.filter((g) => before.has(g.sourcedId) && g.teacherAt === null && g.listsStudents.length > 0);
    if (gone === undefined) throw new Error('the generated district has no guardian listing students');
    const users = export12['users.csv']!.split('\r\n');
    const header = users[0]!;
    const goneLine = users.find((l) => l.startsWith(`${gone.sourcedId},`))!.replace(`${gone.sourcedId},,`, `${gone.sourcedId},tobedeleted,`);
    const roles = export12['roles.csv']!.split('\r\n');
    const delta = {
      'manifest.csv': 'propertyName,value\r\noneroster.version,1.2\r\nfile.users,delta\r\nfile.roles,delta\r\n',
      'users.csv': `${header}\r\n${goneLine}\r\n`,
      'roles.csv': `${roles[0]}\r\n${roles.filter((l) => l.includes(`,${gone.sourcedId},`)).join('\r\n')}\r\n`,
    };
    const report = await syncGuardians({ scope, source: createBytesSource({ name: 'delta.zip', bytes: zipOf(delta) }), store, format: 'oneroster', maxRemovalRatio: 1 });
    expect(report.counts.linksRemoved).toBe(gone.listsStudents.length);
    const after = await linksByGuardian(store);
    expect(after.get(gone.sourcedId) ?? []).toEqual([]);
    for (const [id, students] of before) if (id !== gone.sourcedId) expect(after.get(id)).toEqual(students);
  });

  it('routes a ZIP holding a guardians.csv to the guardians.csv reader', async () => {
    const store = await importedStore();
    const report = await syncGuardians({
      scope: { level: 'district', orgId: district.districtId },
      source: createBytesSource({ name: 'upload.zip', bytes: buildZip([{ name: 'guardians.csv', data: toGuardiansCsv(district) }]) }),
      store,
      format: 'oneroster',
    });
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.counts.rows).toBe(district.pairs.length);
    expect(report.counts.linksAdded).toBeGreaterThan(0);
  });

  it('fails the run on a hostile ZIP, before any change', async () => {
    const store = await importedStore();
    const report = await syncGuardians({
      scope: { level: 'district', orgId: district.districtId },
      source: createBytesSource({ name: 'export.zip', bytes: buildZip([{ name: '../users.csv', data: export12['users.csv']! }]) }),
      store,
      format: 'oneroster',
    });
    expect(report.status).toBe('failed');
    expect(report.issues.map((i) => i.code)).toContain('UNSAFE_ARCHIVE');
    expect((await store.exportRoster(district.districtId)).accounts.filter((a) => a.roles.some((r) => r.role === 'guardian'))).toEqual([]);
  });
});
