// Issue 19, item 14: `roster import` without orgs.csv makes up a placeholder district; an
// import with orgs.csv must fold it into the real district (or never make one when the
// roster already knows the schools), so that later syncs need no --org. Through the library
// with the memory store (the reference store); the CLI test runs the same with SQLite.
import { describe, expect, it } from 'vitest';
import type { Org, RosterImport, RosterStore } from '../../src/contracts/roster-store.js';
import { createOneRosterFiles, type OneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { importOneRosterRoster } from '../../src/sync/import-oneroster-roster.js';
import { decidePlaceholderMerge } from '../../src/oneroster/placeholder-district-merge.js';
import { readOneRosterRoster, SYNTHETIC_DISTRICT } from '../../src/oneroster/read-oneroster-roster.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';

const P = SYNTHETIC_DISTRICT.id;
const USERS_HEADER = 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password';
const USERS = [
  USERS_HEADER,
  'S1,active,,true,SA,student,,,Kid,One,,S1,,,,,,',
  'S2,active,,true,SB,student,,,Kid,Two,,S2,,,,,,',
  'T1,active,,true,SA,teacher,,,Tina,Teacher,,T1,tina@school.example,,,,,',
].join('\n');
const ORGS_HEADER = 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId';
const ORGS = [ORGS_HEADER, 'D1,active,,Maple Unified,district,,', 'SA,active,,Maple Elementary,school,,D1', 'SB,active,,Maple Middle,school,,D1'].join('\n');
const TWO_DISTRICT_ORGS = [ORGS_HEADER, 'D1,active,,Maple,district,,', 'D2,active,,Oak,district,,', 'SA,active,,A,school,,D1', 'SB,active,,B,school,,D2'].join('\n');

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const files = (named: Record<string, string>): OneRosterFiles => createOneRosterFiles(Object.entries(named).map(([name, text]) => [name, utf8(text)]));
const usersOnly = () => files({ 'users.csv': USERS });
const withOrgs = (orgs = ORGS) => files({ 'users.csv': USERS, 'orgs.csv': orgs });
const districtIds = async (store: RosterStore) => ((await store.listOrgs?.()) ?? []).filter((o) => o.type === 'district').map((o) => o.id);

async function syncFile(store: RosterStore, orgId: string, rows: readonly string[]) {
  return syncGuardians({
    scope: { level: 'district', orgId },
    source: createBytesSource({ name: 'guardians.csv', bytes: utf8(['studentSisId,guardianSisId,firstName,lastName,email', ...rows].join('\n')) }),
    store,
  });
}

describe('the placeholder district of roster import (issue 19, item 14)', () => {
  it('users.csv alone, then with orgs.csv: the placeholder is folded into D1, with the guardians a sync gave it', async () => {
    const store = createMemoryStore();
    const first = await importOneRosterRoster(usersOnly(), store);
    expect(first).toMatchObject({ districts: [P], mergedDistricts: [], placeholderKept: null });
    // A sync ran against the placeholder before the real district was known.
    expect((await syncFile(store, P, ['S1,G1,Ann,Lee,ann@x.org'])).counts).toMatchObject({ accountsCreated: 1, linksAdded: 1 });

    const second = await importOneRosterRoster(withOrgs(), store);
    expect(second).toMatchObject({ districts: ['D1'], mergedDistricts: [{ from: P, into: 'D1' }], placeholderKept: null });
    expect(await districtIds(store)).toEqual(['D1']);
    const d1 = await store.exportRoster('D1');
    expect(d1.students.map((s) => s.sisId)).toEqual(['S1', 'S2']);
    // One teacher account with one staff role; Ann is D1's guardian G1, linked to S1.
    const byName = [...d1.accounts].sort((a, b) => a.firstName.localeCompare(b.firstName));
    expect(byName.map((a) => [a.firstName, a.roles, a.students])).toEqual([
      ['Ann', [{ role: 'guardian', sisIds: ['G1'], status: 'active' }], ['S1']],
      ['Tina', [{ role: 'staff', sisIds: ['T1'], status: 'active' }], []],
    ]);
    // The next sync of D1 finds Ann by her id: nothing changes.
    const day2 = await syncFile(store, 'D1', ['S1,G1,Ann,Lee,ann@x.org']);
    expect(day2.status).toBe('succeeded');
    expect(day2.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, linksAdded: 0, unchanged: 1 });
  });

  it('orgs.csv first, then users.csv alone: no placeholder is made, the schools stay in D1', async () => {
    const store = createMemoryStore();
    await importOneRosterRoster(withOrgs(), store);
    const again = await importOneRosterRoster(usersOnly(), store);
    expect(again).toMatchObject({ orgs: 0, districts: ['D1'], mergedDistricts: [], placeholderKept: null });
    expect(await districtIds(store)).toEqual(['D1']);
    expect((await store.exportRoster('D1')).students.map((s) => s.sisId)).toEqual(['S1', 'S2']);
  });

  it('a roster left with the placeholder by an earlier version (schools moved, students not) is healed by the next import with orgs.csv', async () => {
    const store = createMemoryStore();
    // What the earlier version did: the placeholder import, then the orgs import without a merge.
    const old = readOneRosterRoster(usersOnly()).roster;
    await store.importRoster(old);
    await store.importRoster(readOneRosterRoster(withOrgs()).roster);
    expect(await districtIds(store)).toEqual(['D1', P]);
    expect((await store.exportRoster(P)).students).toHaveLength(2);

    const healed = await importOneRosterRoster(withOrgs(), store);
    expect(healed.mergedDistricts).toEqual([{ from: P, into: 'D1' }]);
    expect(await districtIds(store)).toEqual(['D1']);
    expect((await store.exportRoster('D1')).accounts.map((a) => a.roles)).toEqual([[{ role: 'staff', sisIds: ['T1'], status: 'active' }]]);
  });

  it('keeps the placeholder, and says why, when its schools now lie in two districts', async () => {
    const store = createMemoryStore();
    await importOneRosterRoster(usersOnly(), store);
    const result = await importOneRosterRoster(withOrgs(TWO_DISTRICT_ORGS), store);
    expect(result.mergedDistricts).toEqual([]);
    expect(result.placeholderKept).toEqual({ districtId: P, reason: 'its schools now lie in several districts (D1, D2)' });
    expect(await districtIds(store)).toEqual(['D1', 'D2', P]);
  });

  it('says the placeholder was kept when the store ignores mergeDistricts, rather than claim a merge', async () => {
    const memory = createMemoryStore();
    const store: RosterStore = { ...memory, importRoster: ({ mergeDistricts: _ignored, ...rest }: RosterImport) => memory.importRoster(rest) };
    await importOneRosterRoster(usersOnly(), store);
    const result = await importOneRosterRoster(withOrgs(), store);
    expect(result.mergedDistricts).toEqual([]);
    expect(result.placeholderKept?.districtId).toBe(P);
  });
});

describe('readOneRosterRoster with the roster’s orgs (knownOrgs)', () => {
  const known: Org[] = [
    { id: 'D1', name: 'Maple', type: 'district', parentId: null },
    { id: 'SA', name: 'A', type: 'school', parentId: 'D1' },
    { id: P, name: 'placeholder', type: 'district', parentId: null },
    { id: 'SB', name: 'B', type: 'school', parentId: P },
  ];

  it('without orgs.csv, a school the roster places in a real district stays there; others (and those under the placeholder) go to the placeholder', () => {
    const { roster } = readOneRosterRoster(usersOnly(), { knownOrgs: known });
    expect(roster.students.map((s) => [s.sisId, s.districtId])).toEqual([
      ['S1', 'D1'],
      ['S2', P],
    ]);
    expect(roster.orgs).toEqual([
      { id: P, name: SYNTHETIC_DISTRICT.name, type: 'district', parentId: null },
      { id: 'SB', name: 'SB', type: 'school', parentId: P },
    ]);
    expect(roster.staff.map((s) => s.districtId)).toEqual(['D1']);
  });

  it('with orgs.csv, a school missing from it that the roster places stays in its district, with a warning saying so', () => {
    const { roster, issues } = readOneRosterRoster(files({ 'users.csv': USERS, 'orgs.csv': [ORGS_HEADER, 'D1,active,,Maple,district,,', 'SB,active,,B,school,,D1'].join('\n') }), {
      knownOrgs: known,
    });
    expect(roster.students.map((s) => [s.sisId, s.districtId])).toEqual([
      ['S1', 'D1'],
      ['S2', 'D1'],
    ]);
    expect(roster.orgs.map((o) => o.id)).toEqual(['D1', 'SB']);
    expect(issues.map((i) => i.message)).toEqual(['users.csv line 2: org SA is not in orgs.csv; it stays a school of district D1, where the roster has it.']);
  });
});

describe('decidePlaceholderMerge', () => {
  const placeholder: Org = { id: P, name: 'p', type: 'district', parentId: null };
  const imported = readOneRosterRoster(withOrgs()).roster;

  it('does nothing without a placeholder, or when the import itself uses it', () => {
    expect(decidePlaceholderMerge({ placeholderId: P, knownOrgs: [], placeholderStudentSchools: [], roster: imported })).toEqual({ kind: 'none' });
    const usersAlone = readOneRosterRoster(usersOnly()).roster;
    expect(decidePlaceholderMerge({ placeholderId: P, knownOrgs: [placeholder], placeholderStudentSchools: ['SA'], roster: usersAlone })).toEqual({ kind: 'none' });
  });

  it('merges a placeholder with no school and no student into the import’s only district', () => {
    expect(decidePlaceholderMerge({ placeholderId: P, knownOrgs: [placeholder], placeholderStudentSchools: [], roster: imported })).toEqual({
      kind: 'merge',
      merge: { from: P, into: 'D1' },
    });
  });

  it('keeps it while a school of it has no known district', () => {
    expect(decidePlaceholderMerge({ placeholderId: P, knownOrgs: [placeholder], placeholderStudentSchools: ['SA', 'SZ'], roster: imported })).toEqual({
      kind: 'kept',
      placeholderId: P,
      reason: 'no district is known yet for its school SZ',
    });
  });
});
