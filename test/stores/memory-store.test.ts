// The memory store: the reference implementation runs the conformance suite first, then
// its own instrumentation (the apply-step hook, cancellation, seeding, the clock).
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';
import { countPlanSteps, type PlanStepKind } from '../../src/stores/plan-steps.js';
import { describeRosterStoreConformance } from '../../src/testing/roster-store-conformance.js';
import { buildTestPlan, buildTestReport, CONFORMANCE_ROSTER, CONFORMANCE_SCOPE, createItem, linkItem, normalizeAccounts, normalizeLinks, testFields, updateItem } from '../../src/testing/roster-store-fixtures.js';
import { createMemoryHarness } from './memory-harness.js';

describeRosterStoreConformance({ name: 'memory store', create: () => createMemoryHarness() });
describeRosterStoreConformance({ name: 'memory store (real clock)', create: () => createMemoryHarness({ realClock: true }) });

const plan = buildTestPlan(CONFORMANCE_SCOPE, {
  creates: [createItem('a1', testFields('Ada', 'One', { email: 'ada@mail.example' }), ['G10']), createItem('a2', testFields('Bo', 'Two', { email: 'bo@mail.example' }), ['G11'])],
  updates: [updateItem('acct-g1', [{ field: 'email', before: 'gina@mail.example', after: null }])],
  linkAdds: [linkItem('a1', 'S1'), linkItem('a2', 'S2'), linkItem('a2', 'S3')],
  linkRemoves: [linkItem('acct-g1', 'S1')],
});

describe('memory store', () => {
  it('starts with the seed it is given', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE);
    expect(normalizeAccounts(snapshot.accounts)).toEqual(normalizeAccounts(CONFORMANCE_ROSTER.accounts ?? []));
    expect(normalizeLinks(snapshot.links)).toEqual(normalizeLinks(CONFORMANCE_ROSTER.links ?? []));
    expect(store.capabilities).toEqual({ atomicApply: false, crossProcessLock: false });
  });

  it('calls onApplyStep before every item, in apply order, and stops where it throws', async () => {
    const seen: [number, PlanStepKind][] = [];
    const store = createMemoryStore({
      initial: CONFORMANCE_ROSTER,
      onApplyStep: (step, item) => {
        seen.push([step, item.kind]);
        if (step === 3) throw new Error('injected fault at step 3');
      },
    });
    await expect(store.applyPlan(plan, { runId: 'r1' })).rejects.toThrow('injected fault at step 3');
    expect(seen).toEqual([
      [0, 'update'],
      [1, 'create'],
      [2, 'create'],
      [3, 'link-add'],
    ]);
    // Steps 0–2 stayed applied: the memory store is not atomic.
    expect(store.data.accounts.get('acct-g1')?.email).toBeNull();
    expect(store.data.accounts.has('a1')).toBe(true);
    expect(store.data.accounts.has('a2')).toBe(true);
    expect([...store.data.links.values()].filter((l) => l.accountId === 'a1' || l.accountId === 'a2')).toEqual([]);
  });

  it('honours an abort between items with an ABORTED error saying how far it got', async () => {
    const controller = new AbortController();
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER, onApplyStep: (step) => step === 2 && controller.abort() });
    const error: unknown = await store.applyPlan(plan, { runId: 'r1', signal: controller.signal }).catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('ABORTED');
    expect((error as Error).message).toContain(`3 of ${countPlanSteps(plan)} changes`);
  });

  it('refuses a link to an unknown student, naming the item by ids only', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const error: unknown = await store
      .applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S404')] }), { runId: 'r1' })
      .catch((e: unknown) => e);
    expect(isGuardianSyncError(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('"S404"');
    expect((error as Error).message).not.toContain('gina@mail.example');
  });

  it('expires locks by its injected clock', async () => {
    let now = 1_000;
    const store = createMemoryStore({ now: () => now });
    expect(await store.acquireLock('k', { owner: 'a', ttlMs: 100 })).toBe(true);
    now = 1_099;
    expect(await store.acquireLock('k', { owner: 'b', ttlMs: 100 })).toBe(false);
    now = 1_100;
    expect(await store.acquireLock('k', { owner: 'b', ttlMs: 100 })).toBe(true);
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
      staff: [{ sisId: 'T1', firstName: 'Tina', lastName: 'Teacher', email: 'gina@mail.example', mobilePhone: null, homePhone: '+12025550177', schoolIds: ['SA'] }],
    });
    expect(result).toEqual({ orgs: 0, students: 0, staffCreated: 0, staffUpdated: 1 });
    expect(store.data.accounts.get('acct-staff')).toMatchObject({ email: 'tina@school.example', mobilePhone: null, homePhone: '+12025550177' });
    expect(store.data.accounts.get('acct-g1')?.email).toBe('gina@mail.example');
  });

  it('roster import: new staff accounts get ids from newAccountId, and two records of one person make one account', async () => {
    let next = 0;
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER, newAccountId: () => `staff-${++next}` });
    const record = { sisId: 'T9', firstName: 'Ola', lastName: 'Nord', email: 'ola@school.example', mobilePhone: null, homePhone: null, schoolIds: ['SA'] };
    await expect(store.importRoster({ orgs: [], students: [], staff: [record, { ...record, schoolIds: ['SB'] }] })).resolves.toMatchObject({ staffCreated: 1, staffUpdated: 0 });
    expect(store.data.accounts.get('staff-1')?.roles).toEqual([{ role: 'staff', sisIds: ['T9'], status: 'active' }]);
    expect(store.data.accounts.has('staff-2')).toBe(false);
  });
});
