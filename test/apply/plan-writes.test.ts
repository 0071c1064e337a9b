// `planWrites` (phases of folded rows, read ahead, batched) against the item-by-item oracle,
// and `applyPlan`'s batching, failures and reports.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyPlanToMaps } from '../../src/apply/apply-plan-in-memory.js';
import { applyPlan, inWriteOrder, isApplyFailure } from '../../src/apply/apply-plan.js';
import { EMPTY_APPLY_RESULT, linkKey, planWrites } from '../../src/apply/plan-writes.js';
import type { RosterStore, RosterWriter } from '../../src/contracts/roster-store.js';
import type { SyncPlan } from '../../src/model/plan.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';
import { interruptWrites } from '../../src/testing/interrupt-writes.js';
import { normalizeAccounts, normalizeLinks } from '../../src/testing/roster-store-fixtures.js';
import {
  buildTestPlan,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  createItem,
  linkItem,
  roleStatusItem,
  testFields,
  updateItem,
} from '../../src/testing/roster-store-fixtures.js';
import { seedAndPlanArb } from '../arbitraries/store-plans.js';
import { applyItemByItem, OracleItemFailed } from './item-by-item-oracle.js';

describe('planWrites', () => {
  test.prop([seedAndPlanArb])('ends where applying the plan item by item ends, with the same counts', ({ seed, plan }) => {
    const students = new Set((seed.students ?? []).map((s) => `${s.districtId}/${s.sisId}`));
    const hasStudent = (districtId: string, sisId: string): boolean => students.has(`${districtId}/${sisId}`);
    let oracle: ReturnType<typeof applyItemByItem> | undefined;
    try {
      oracle = applyItemByItem(plan, { accounts: new Map((seed.accounts ?? []).map((a) => [a.id, a])), links: seed.links ?? [], hasStudent });
    } catch (error) {
      if (!(error instanceof OracleItemFailed)) throw error;
    }
    const accounts = new Map((seed.accounts ?? []).map((a) => [a.id, a]));
    const links = new Map((seed.links ?? []).map((l) => [linkKey(l), l]));
    if (oracle === undefined) {
      // A plan the store cannot take fails before anything is written.
      expect(() => applyPlanToMaps(plan, { accounts, links, hasStudent })).toThrow();
      expect(normalizeAccounts([...accounts.values()])).toEqual(normalizeAccounts(seed.accounts ?? []));
      return;
    }
    const counts = applyPlanToMaps(plan, { accounts, links, hasStudent });
    expect(normalizeAccounts([...accounts.values()])).toEqual(normalizeAccounts([...oracle.accounts.values()]));
    expect(normalizeLinks([...links.values()])).toEqual(normalizeLinks([...oracle.links.values()]));
    // Counts are of rows changed: two items folded into one row write count once, where the
    // oracle counts each item. Planner plans never fold (one item per account and kind).
    if (foldsItems(plan)) return;
    const { rolesAdded, idsRemoved, guardiansArchived, guardiansRestored, ...rest } = counts;
    expect({ ...rest, rolesChanged: rolesAdded + idsRemoved + guardiansArchived + guardiansRestored }).toEqual(oracle.counts);
  });

  test.prop([seedAndPlanArb])('writes each row key at most once per phase, so one statement can take a whole batch', ({ seed, plan }) => {
    const writes = planWrites(plan, {
      accounts: new Map((seed.accounts ?? []).map((a) => [a.id, { ...a }])),
      guardianRoles: new Map(),
      students: new Set(plan.linkAdds.map((l) => l.studentSisId)),
    });
    if (!writes.ok) return;
    for (const phase of writes.phases) {
      const keys = phase.writes.map((w) => JSON.stringify(w.row && 'account' in (w.row as object) ? (w.row as { account: { id: string } }).account.id : w.row));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('inWriteOrder (new accounts written in id order)', () => {
  test.prop([seedAndPlanArb])('changes only the order of the new accounts, which are distinct rows', ({ seed, plan }) => {
    const writes = planWrites(plan, {
      accounts: new Map((seed.accounts ?? []).map((a) => [a.id, { ...a }])),
      guardianRoles: new Map(),
      students: new Set(plan.linkAdds.map((l) => l.studentSisId)),
    });
    if (!writes.ok) return;
    const ordered = inWriteOrder(writes.phases);
    expect(ordered.map((phase) => phase.kind)).toEqual(writes.phases.map((phase) => phase.kind));
    ordered.forEach((phase, at) => {
      const plain = writes.phases[at]!;
      if (phase.kind !== 'insert-accounts') return expect(phase).toBe(plain);
      const ids = phase.writes.map((write) => write.row.account.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort());
      expect(new Set<unknown>(phase.writes)).toEqual(new Set<unknown>(plain.writes));
      expect(phase.writes.length).toBe(plain.writes.length);
    });
  });

  test.prop([seedAndPlanArb])('applyPlan (id order) ends where the plan-order model ends, with the same counts', async ({ seed, plan }) => {
    const accounts = new Map((seed.accounts ?? []).map((a) => [a.id, a]));
    const links = new Map((seed.links ?? []).map((l) => [linkKey(l), l]));
    const students = new Set((seed.students ?? []).map((s) => `${s.districtId}/${s.sisId}`));
    let expected: ReturnType<typeof applyPlanToMaps> | undefined;
    try {
      expected = applyPlanToMaps(plan, { accounts, links, hasStudent: (districtId, sisId) => students.has(`${districtId}/${sisId}`) });
    } catch {
      expected = undefined;
    }
    const store = createMemoryStore({ initial: seed });
    // Atomic by declaration: the id order is for stores that apply in one transaction.
    const applied = await applyPlan({ ...store, capabilities: { ...store.capabilities, atomicApply: true } }, plan).catch(() => undefined);
    expect(applied).toEqual(expected);
    if (expected === undefined) return;
    expect(normalizeAccounts([...store.data.accounts.values()])).toEqual(normalizeAccounts([...accounts.values()]));
    expect(normalizeLinks([...store.data.links.values()])).toEqual(normalizeLinks([...links.values()]));
  });

  test.each([
    [true, ['n1', 'n2', 'n3']],
    [false, ['n3', 'n1', 'n2']],
  ])('writes new accounts in id order to a store with atomicApply %s only (else in plan order)', async (atomicApply, expected) => {
    const memory = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const ids: string[] = [];
    const store: RosterStore = {
      ...memory,
      capabilities: { ...memory.capabilities, atomicApply },
      transaction: (body, options) =>
        memory.transaction((writer) => body({ ...writer, insertAccounts: (rows) => (ids.push(...rows.map((r) => r.account.id)), writer.insertAccounts(rows)) }), options),
    };
    const creates = ['n3', 'n1', 'n2'].map((id) => createItem(id, testFields('New', id, { email: `${id}@mail.example` })));
    await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { creates }));
    expect(ids).toEqual(expected);
  });
});

/** True when a kind of item names one account twice (the writes fold them into one row). */
function foldsItems(plan: SyncPlan): boolean {
  return [plan.updates, plan.roleAdds, plan.idRemoves, plan.archives, plan.restores].some((items) => new Set(items.map((i) => i.accountId)).size !== items.length);
}

/** A store that records its write calls (method and row count). */
function recording(store: RosterStore): { store: RosterStore; calls: string[] } {
  const calls: string[] = [];
  const wrap = (writer: RosterWriter): RosterWriter => ({
    ...writer,
    insertAccounts: (rows) => (calls.push(`insertAccounts:${rows.length}`), writer.insertAccounts(rows)),
    updateAccounts: (rows) => (calls.push(`updateAccounts:${rows.map((r) => r.id).join(',')}`), writer.updateAccounts(rows)),
    putRoles: (rows) => (calls.push(`putRoles:${rows.length}`), writer.putRoles(rows)),
    insertLinks: (rows) => (calls.push(`insertLinks:${rows.length}`), writer.insertLinks(rows)),
    deleteLinks: (rows) => (calls.push(`deleteLinks:${rows.length}`), writer.deleteLinks(rows)),
  });
  return { calls, store: { ...store, transaction: (body, options) => store.transaction((writer) => body(wrap(writer)), options) } };
}

describe('applyPlan', () => {
  it('cuts a batch of updates where an account takes a login an earlier account of the batch gives up', async () => {
    const { store, calls } = recording(createMemoryStore({ initial: CONFORMANCE_ROSTER }));
    const plan = buildTestPlan(CONFORMANCE_SCOPE, {
      updates: [
        updateItem('acct-g1', [{ field: 'email', before: 'gina@mail.example', after: 'gina.new@mail.example' }]),
        updateItem('acct-g2', [{ field: 'language', before: null, after: 'fr' }]),
        updateItem('acct-lone', [{ field: 'email', before: 'lou@mail.example', after: 'GINA@mail.example' }]),
      ],
    });
    await applyPlan(store, plan);
    expect(calls).toEqual(['updateAccounts:acct-g1,acct-g2', 'updateAccounts:acct-lone']);
  });

  it('writes in batches of the store size, phase by phase', async () => {
    const memory = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const { store, calls } = recording({ ...memory, writeBatchSize: 2 });
    const creates = [1, 2, 3, 4, 5].map((n) => createItem(`n${n}`, testFields('New', `Person${n}`, { email: `n${n}@mail.example` }), [`GN${n}`]));
    const plan = buildTestPlan(CONFORMANCE_SCOPE, { creates, linkAdds: creates.map((c) => linkItem(c.accountId, 'S1')), archives: [roleStatusItem('acct-g3')] });
    await expect(applyPlan(store, plan)).resolves.toEqual({ ...EMPTY_APPLY_RESULT, accountsCreated: 5, guardiansArchived: 1, linksAdded: 5 });
    expect(calls).toEqual(['insertAccounts:2', 'insertAccounts:2', 'insertAccounts:1', 'putRoles:1', 'insertLinks:2', 'insertLinks:2', 'insertLinks:1']);
  });

  it('writes nothing, even without transactions, when an item names an account that is not there', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const before = JSON.stringify([...store.data.accounts.values()]);
    const plan = buildTestPlan(CONFORMANCE_SCOPE, {
      creates: [createItem('n1', testFields('New', 'One', { email: 'n1@mail.example' }))],
      updates: [updateItem('acct-missing', [{ field: 'firstName', before: 'X', after: 'Y' }])],
    });
    const error: unknown = await applyPlan(store, plan).catch((e: unknown) => e);
    expect(isApplyFailure(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toContain('update of account "acct-missing"');
    expect(JSON.stringify([...store.data.accounts.values()])).toBe(before);
  });

  it('reports what a store without transactions holds after a failure, and the lines not applied', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    const plan = buildTestPlan(CONFORMANCE_SCOPE, {
      creates: [{ ...createItem('n1', testFields('New', 'One', { email: 'n1@mail.example' })), lines: [7] }],
      linkAdds: [{ ...linkItem('n1', 'S1'), lines: [7] }, { ...linkItem('acct-g1', 'S2'), lines: [8] }],
    });
    const error: unknown = await applyPlan(interruptWrites(store, { afterCalls: 1 }), plan).catch((e: unknown) => e);
    if (!isApplyFailure(error)) throw new Error('expected an ApplyFailure');
    expect(error.applied).toEqual({ ...EMPTY_APPLY_RESULT, accountsCreated: 1 });
    expect([...error.unappliedLines].sort()).toEqual([7, 8]);
  });

  it('stops before the next write when beforeWrite throws (a lost lock), and says so', async () => {
    const store = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    let writes = 0;
    const plan = buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('n1', testFields('New', 'One', { email: 'n1@mail.example' }))], linkAdds: [linkItem('n1', 'S1')] });
    const error: unknown = await applyPlan(store, plan, {
      beforeWrite: () => {
        if (++writes === 2) throw Object.assign(new Error('lost'), { name: 'LockLost' });
      },
    }).catch((e: unknown) => e);
    expect(isApplyFailure(error) && error.applied).toEqual({ ...EMPTY_APPLY_RESULT, accountsCreated: 1 });
    expect(store.data.links.size).toBe(CONFORMANCE_ROSTER.links?.length);
  });

  test.prop([fc.constantFrom(0, 1, 2)])('an atomic store reports nothing applied after a failure at any write call', async (cut) => {
    const memory = createMemoryStore({ initial: CONFORMANCE_ROSTER });
    // Atomic by declaration only: the report must not depend on what the store kept.
    const store: RosterStore = { ...memory, capabilities: { ...memory.capabilities, atomicApply: true } };
    const plan = buildTestPlan(CONFORMANCE_SCOPE, {
      updates: [updateItem('acct-g1', [{ field: 'language', before: 'es', after: 'fr' }])],
      creates: [createItem('n1', testFields('New', 'One', { email: 'n1@mail.example' }))],
      linkAdds: [linkItem('n1', 'S1')],
    });
    const error: unknown = await applyPlan(interruptWrites(store, { afterCalls: cut }), plan).catch((e: unknown) => e);
    expect(isApplyFailure(error) && error.applied).toEqual(EMPTY_APPLY_RESULT);
  });
});
