// The memory store: the reference implementation runs the conformance suite first, then
// its own instrumentation (the apply-step hook, cancellation, seeding, the clock) and the
// promise its indexes keep: a district's reads never walk the platform's accounts, links or
// students, and every write keeps the indexes equal to a rebuild from the tables.
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import type { GuardianLink } from '../../src/model/roster.js';
import { emailKey, mobileKey } from '../../src/resolve/contact-key.js';
import { createMemoryStore, memoryLinkKey, memoryStaffIdKey, memoryStudentKey, seedMemoryRosterData, type MemoryRosterData } from '../../src/stores/memory-store.js';
import { interruptWrites } from '../../src/testing/interrupt-writes.js';
import { describeRosterStoreConformance } from '../../src/testing/roster-store-conformance.js';
import {
  buildTestPlan,
  buildTestReport,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  CONFORMANCE_SCOPE_D2,
  createItem,
  idRemoveItem,
  linkItem,
  NO_LOGINS,
  roleAddItem,
  testFields,
  updateItem,
} from '../../src/testing/roster-store-fixtures.js';
import { seedAndPlanArb, staffRecordsArb } from '../arbitraries/store-plans.js';
import { createMemoryHarness } from './memory-harness.js';
import { applyPlan } from '../../src/apply/apply-plan.js';

describeRosterStoreConformance({ name: 'memory store', create: () => createMemoryHarness() });
describeRosterStoreConformance({ name: 'memory store (real clock)', create: () => createMemoryHarness({ realClock: true }), modelRuns: 5 });

const plan = buildTestPlan(CONFORMANCE_SCOPE, {
  creates: [createItem('a1', testFields('Ada', 'One', { email: 'ada@mail.example' }), ['G10']), createItem('a2', testFields('Bo', 'Two', { email: 'bo@mail.example' }), ['G11'])],
  updates: [updateItem('acct-g1', [{ field: 'email', before: 'gina@mail.example', after: null }])],
  idRemoves: [idRemoveItem('acct-g3', ['G3-OLD'])],
  linkAdds: [linkItem('a1', 'S1'), linkItem('a2', 'S2'), linkItem('a2', 'S3')],
  linkRemoves: [linkItem('acct-g1', 'S1')],
});

/** Makes every way of walking a whole map throw, so a read that scans the platform fails. */
function forbidScans(data: MemoryRosterData): void {
  for (const map of [data.accounts, data.links, data.students] as const) {
    for (const method of ['values', 'keys', 'entries', 'forEach', Symbol.iterator] as const) {
      Object.defineProperty(map, method, {
        value: () => {
          throw new Error(`scanned the whole table (${String(method)})`);
        },
      });
    }
  }
}

/** The login, staff id and role-holder indexes as a scan of the accounts would build them. */
function rebuiltIndexes(data: MemoryRosterData) {
  const add = (map: Map<string, Set<string>>, key: string | null, value: string) => key !== null && map.set(key, new Set([...(map.get(key) ?? []), value]));
  const byEmail = new Map<string, Set<string>>();
  const byMobile = new Map<string, Set<string>>();
  const byStaffId = new Map<string, Set<string>>();
  const roleHolders = new Map<string, Set<string>>();
  for (const a of data.accounts.values()) {
    add(byEmail, emailKey(a.email), a.id);
    add(byMobile, mobileKey(a.mobilePhone), a.id);
    for (const r of a.roles) {
      add(roleHolders, r.districtId, a.id);
      if (r.role === 'staff') for (const id of r.sisIds) add(byStaffId, memoryStaffIdKey(r.districtId, id), a.id);
    }
  }
  return comparable({ byEmail, byMobile, byStaffId, roleHolders });
}

/** The same indexes as the store keeps them. */
function indexesOf(data: MemoryRosterData) {
  const { indexes } = data;
  const roleHolders = new Map<string, Set<string>>();
  for (const [districtId, district] of indexes.districts) {
    const holders = [...district.members.values()].filter((m) => m.holdsRole).map((m) => m.accountId);
    if (holders.length > 0) roleHolders.set(districtId, new Set(holders));
  }
  const sets = (map: ReadonlyMap<string, readonly string[]>) => new Map([...map].map(([k, ids]) => [k, new Set(ids)]));
  return comparable({ byEmail: sets(indexes.accountsByEmail), byMobile: sets(indexes.accountsByMobile), byStaffId: sets(indexes.accountsByStaffSisId), roleHolders });
}

function comparable(value: Record<string, ReadonlyMap<string, ReadonlySet<string>>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, [...v].map(([k, set]) => [k, [...set].sort()]).sort(([a], [b]) => (a! < b! ? -1 : 1))]));
}

/** Indexes equal to a rebuild, no member without a role or a link, links under their own district and account, and sizes that count. */
function expectIndexesInStep(data: MemoryRosterData): void {
  expect(indexesOf(data)).toEqual(rebuiltIndexes(data));
  for (const [districtId, district] of data.indexes.districts) {
    for (const member of district.members.values()) {
      expect(member.holdsRole || member.links.length > 0).toBe(true);
      for (const link of member.links) expect([link.districtId, link.accountId]).toEqual([districtId, member.accountId]);
    }
  }
  expect(data.links.size).toBe([...data.links.values()].length);
  expect(data.students.size).toBe([...data.students.values()].length);
  expect(data.accounts.size).toBe([...data.accounts.values()].length);
}

describe('memory store', () => {
  it('starts with the seed it is given', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    expect(store.data.accounts.size).toBe(CONFORMANCE_ROSTER.accounts?.length);
    expect(store.data.links.size).toBe(CONFORMANCE_ROSTER.links?.length);
    // Two students S1, one per district.
    expect(store.data.students.get(memoryStudentKey('D1', 'S1'))?.firstName).toBe('Ana');
    expect(store.data.students.get(memoryStudentKey('D2', 'S1'))?.firstName).toBe('Dana');
    expect(store.capabilities).toEqual({ atomicApply: false, lockKind: 'lease', crossProcessLock: false });
  });

  it('lists snapshot accounts in the order they joined the district, and links grouped by account in that order', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    // acct-late is stored last but linked first; acct-g1 is replaced (keeps its place).
    seedMemoryRosterData(store.data, {
      accounts: [{ id: 'acct-late', ...testFields('Lee', 'Late', { email: 'lee@mail.example' }), claimed: false, roles: [] }, { ...CONFORMANCE_ROSTER.accounts![1]!, firstName: 'Gena' }],
      links: [{ accountId: 'acct-late', districtId: 'D1', studentSisId: 'S2', source: 'manual' }],
    });
    await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S3')] }));
    const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS);
    const order = snapshot.accounts.map((a) => a.id);
    expect(order).toEqual(['acct-staff', 'acct-g1', 'acct-g2', 'acct-g3', 'acct-shared', 'acct-d2-staff', 'acct-late']);
    const linkOrder = snapshot.links.map((l) => order.indexOf(l.accountId));
    expect(linkOrder).toEqual([...linkOrder].sort((a, b) => a - b));
  });

  it('reads a district (snapshot, export, scope) and applies and imports without walking every account, link or student', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    forbidScans(store.data);
    const scope = await store.resolveScope({ level: 'district', orgId: 'D1' });
    expect(scope).not.toBeNull();
    const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: { emails: ['kai.kim@mail.example'], mobiles: ['+12025550105'] } });
    expect(snapshot.accounts).toHaveLength(8);
    expect((await store.exportRoster('D2')).accounts).toHaveLength(3);
    await applyPlan(store, plan);
    await store.importRoster({
      orgs: [],
      students: [{ districtId: 'D2', sisId: 'S1', schoolId: 'SC', firstName: 'Dana', lastName: 'Kim-Lee' }],
      staff: [{ districtId: 'D2', sisId: 'T1', firstName: 'Tom', lastName: 'Other', email: 'tom@school.example', mobilePhone: null, homePhone: null, schoolIds: [] }],
    });
  });

  test.prop([seedAndPlanArb, staffRecordsArb])('keeps every index equal to a rebuild from the tables, through seeds, applies and imports', async ({ seed, plan: generated }, staff) => {
    const store = createMemoryStore({ initial: seed });
    expectIndexesInStep(store.data);
    await applyPlan(store, generated);
    expectIndexesInStep(store.data);
    await store.importRoster({ orgs: [], students: [{ districtId: 'D2', sisId: 'S1', schoolId: 'SC', firstName: 'X', lastName: 'Y' }], staff });
    expectIndexesInStep(store.data);
    // A seed replacing an account with other logins and roles, and a link removed.
    const first = seed.accounts[0]!;
    seedMemoryRosterData(store.data, { accounts: [{ ...first, email: 'moved@x.org', mobilePhone: null, roles: [] }] });
    const link: GuardianLink | undefined = [...store.data.links.values()][0];
    if (link !== undefined) await applyPlan(store, buildTestPlan({ ...CONFORMANCE_SCOPE, districtId: link.districtId }, { source: link.source, linkRemoves: [linkItem(link.accountId, link.studentSisId)] }));
    expectIndexesInStep(store.data);
  });

  it('writes in the library order, landing each write call as it is made (not atomic), and stops where a write fails', async () => {
    const calls: string[] = [];
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const spied = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver) as unknown;
        return (body: Parameters<typeof store.transaction>[0], options: Parameters<typeof store.transaction>[1]) =>
          target.transaction(
            (writer) =>
              body(
                new Proxy(writer, {
                  get(w, method, r) {
                    const value = Reflect.get(w, method, r) as unknown;
                    if (typeof value !== 'function' || String(method).startsWith('read')) return value;
                    return (rows: readonly unknown[]) => {
                      calls.push(String(method));
                      return (value as (rows: readonly unknown[]) => Promise<unknown>).call(w, rows);
                    };
                  },
                }),
              ),
            options,
          );
      },
    });
    await applyPlan(interruptWrites(spied, { afterCalls: 3 }), plan).catch(() => undefined);
    // The update, the id remove (putRoles), the creates with their roles; the link inserts (call 3) fail.
    expect(calls).toEqual(['updateAccounts', 'putRoles', 'insertAccounts']);
    expect(store.data.accounts.get('acct-g1')?.email).toBeNull();
    expect(store.data.accounts.get('acct-g3')?.roles[0]?.sisIds).toEqual(['G3']);
    expect(store.data.accounts.has('a1')).toBe(true);
    expect(store.data.accounts.has('a2')).toBe(true);
    expect([...store.data.links.values()].filter((l) => l.accountId === 'a1' || l.accountId === 'a2')).toEqual([]);
  });

  it('honours an abort between write calls with an ABORTED error saying how far it got', async () => {
    const controller = new AbortController();
    const store = interruptWrites(createMemoryStore({ initial: CONFORMANCE_ROSTER }), {
      afterCalls: 2,
      // What a store's driver throws when the signal fires mid-call.
      error: () => {
        controller.abort();
        return Object.assign(new Error('aborted'), { name: 'AbortError' });
      },
    });
    const error: unknown = await applyPlan(store, plan, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('ABORTED');
    expect((error as Error).message).toContain('2 of 8 row writes were applied');
  });

  it('refuses a link to a student the district does not have, naming the item and the district by ids only', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const error: unknown = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S9')] })).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('"S9"');
    expect((error as Error).message).toContain('"D1"');
    expect((error as Error).message).not.toContain('gina@mail.example');
  });

  it('treats an id remove of an account that does not exist as done (the ids are off it either way)', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    await expect(applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { idRemoves: [idRemoveItem('acct-missing', ['G1'])] }))).resolves.toMatchObject({ idsRemoved: 0 });
  });

  it('keeps links keyed by district: the same account, SIS id and source in two districts are two links', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-shared', [])], linkAdds: [linkItem('acct-shared', 'S1')] }));
    expect(store.data.links.has(memoryLinkKey('acct-shared', 'D1', 'S1', 'guardian-file'))).toBe(true);
    expect(store.data.links.has(memoryLinkKey('acct-shared', 'D2', 'S1', 'guardian-file'))).toBe(true);
    expect((await store.loadSnapshot(CONFORMANCE_SCOPE_D2, NO_LOGINS)).links.filter((l) => l.accountId === 'acct-shared')).toEqual([
      { accountId: 'acct-shared', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' },
    ]);
  });

  it('refuses roster data it did not make, instead of writing beside missing indexes', () => {
    const store = createMemoryStore();
    expect(() => seedMemoryRosterData({ ...store.data }, { orgs: [{ id: 'D9', name: 'Nine', type: 'district', parentId: null }] })).toThrow(/createMemoryRosterData/);
  });

  it('expires locks by its injected clock', async () => {
    let now = 1_000;
    const store = createMemoryStore({ now: () => now });
    expect(await store.acquireLock('k', { owner: 'a', ttlMs: 100 })).toEqual({ acquired: true });
    now = 1_099;
    expect(await store.acquireLock('k', { owner: 'b', ttlMs: 100 })).toEqual({ acquired: false, holder: { owner: 'a', expiresAt: new Date(1_100).toISOString() } });
    now = 1_100;
    expect(await store.acquireLock('k', { owner: 'b', ttlMs: 100 })).toEqual({ acquired: true });
    expect(await store.renewLock('k', { owner: 'a', ttlMs: 100 })).toBe(false);
  });

  it('hands out copies of saved reports, so a caller cannot change the history', async () => {
    const store = createMemoryStore();
    await store.saveRun(buildTestReport('r1', '2026-03-01T00:00:00.000Z', { level: 'district', orgId: 'D1' }));
    const read = await store.getRun('r1');
    const row = read?.rows[0] as { line: number } | undefined;
    if (row !== undefined) row.line = 999;
    expect((await store.getRun('r1'))?.rows[0]?.line).toBe(2);
  });

  it('roster import: a staff update keeps its own login when the new one belongs to another account, and clears a login the SIS cleared', async () => {
    const store = createMemoryStore({ initial: { ...CONFORMANCE_ROSTER, accounts: (CONFORMANCE_ROSTER.accounts ?? []).map((a) => (a.id === 'acct-staff' ? { ...a, claimed: false } : a)) } });
    const result = await store.importRoster({
      orgs: [],
      students: [],
      staff: [{ districtId: 'D1', sisId: 'T1', firstName: 'Tina', lastName: 'Teacher', email: 'gina@mail.example', mobilePhone: null, homePhone: '+12025550177', schoolIds: ['SA'] }],
    });
    expect(result).toEqual({ orgs: 0, students: 0, staffCreated: 0, staffUpdated: 1 });
    expect(store.data.accounts.get('acct-staff')).toMatchObject({ email: 'tina@school.example', mobilePhone: null, homePhone: '+12025550177' });
    expect(store.data.accounts.get('acct-g1')?.email).toBe('gina@mail.example');
  });

  it('roster import: new staff accounts get ids from newAccountId, and two records of one person make one account', async () => {
    let next = 0;
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER, newAccountId: () => `staff-${++next}` });
    const record = { districtId: 'D1', sisId: 'T9', firstName: 'Ola', lastName: 'Nord', email: 'ola@school.example', mobilePhone: null, homePhone: null, schoolIds: ['SA'] };
    await expect(store.importRoster({ orgs: [], students: [], staff: [record, { ...record, schoolIds: ['SB'] }] })).resolves.toMatchObject({ staffCreated: 1, staffUpdated: 0 });
    expect(store.data.accounts.get('staff-1')?.roles).toEqual([{ role: 'staff', districtId: 'D1', sisIds: ['T9'], status: 'active' }]);
    expect(store.data.accounts.has('staff-2')).toBe(false);
  });

  it('roster import: a student moving school inside its district is updated in place', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    await store.importRoster({ orgs: [], students: [{ districtId: 'D1', sisId: 'S1', schoolId: 'SB', firstName: 'Ana', lastName: 'Ruiz' }], staff: [] });
    expect(store.data.students.size).toBe(CONFORMANCE_ROSTER.students?.length);
    expect(store.data.indexes.districts.get('D1')?.students.get('S1')?.schoolId).toBe('SB');
    expect(store.data.students.get(memoryStudentKey('D2', 'S1'))?.schoolId).toBe('SC');
  });
});

