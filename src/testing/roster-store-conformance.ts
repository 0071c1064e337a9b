// The RosterStore conformance suite for vitest: every rule of the contract
// (src/contracts/roster-store.ts) as a test, run against a fresh backend per test, judged by
// reading the backend directly. The memory store runs it first; every store should.
//
//   import { describeRosterStoreConformance } from 'guardian-sync/testing';
//   describeRosterStoreConformance({ name: 'my store', create: async () => ({ store, seed, inspect }) });
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RosterStore } from '../contracts/roster-store.js';
import type { SyncPlan } from '../model/plan.js';
import type { Account, GuardianLink } from '../model/roster.js';
import {
  buildTestPlan,
  buildTestReport,
  CONFORMANCE_ORGS,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  createItem,
  linkItem,
  normalizeAccounts,
  normalizeLinks,
  roleAddItem,
  roleStatusItem,
  testFields,
  updateItem,
} from './roster-store-fixtures.js';
import type { RosterStoreConformanceOptions, RosterStoreHarness } from './roster-store-harness.js';

interface RosterState {
  readonly accounts: Account[];
  readonly links: GuardianLink[];
}

async function stateOf(harness: RosterStoreHarness): Promise<RosterState> {
  return { accounts: normalizeAccounts(await harness.inspect.accounts()), links: normalizeLinks(await harness.inspect.links()) };
}

function accountOf(state: RosterState, id: string): Account | undefined {
  return state.accounts.find((a) => a.id === id);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const NO_CHANGE = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };

/** A plan with one item of every kind, all applicable to the conformance roster. */
function mixedPlan(): SyncPlan {
  return buildTestPlan(CONFORMANCE_SCOPE, {
    creates: [createItem('acct-new', testFields('Nia', 'Okafor', { email: 'nia@mail.example' }), ['G7'])],
    updates: [updateItem('acct-g1', [{ field: 'homePhone', before: null, after: '+12025550199' }])],
    roleAdds: [roleAddItem('acct-staff', ['G8'])],
    linkAdds: [linkItem('acct-new', 'S2'), linkItem('acct-staff', 'S3')],
    linkRemoves: [linkItem('acct-g3', 'S3')],
    archives: [roleStatusItem('acct-g3')],
    restores: [roleStatusItem('acct-g2')],
  });
}

/**
 * Declares the suite. Call it at the top level of a test file; it declares its own
 * `describe` block named after `options.name`. Tests that depend on a capability run only
 * for stores that declare it (atomicity for `atomicApply`, convergence for the others).
 */
export function describeRosterStoreConformance(options: RosterStoreConformanceOptions): void {
  describe(`RosterStore conformance: ${options.name}`, () => {
    let harness: RosterStoreHarness;
    let store: RosterStore;
    const extra: RosterStoreHarness[] = [];

    beforeEach(async () => {
      harness = await options.create();
      store = harness.store;
      await harness.seed(CONFORMANCE_ROSTER);
    });

    afterEach(async () => {
      for (const other of extra.splice(0)) await other.cleanup?.();
      await harness.cleanup?.();
    });

    /** A second, freshly seeded backend: the reference a clean apply is compared with. */
    async function freshSeeded(): Promise<RosterStoreHarness> {
      const other = await options.create();
      extra.push(other);
      await other.seed(CONFORMANCE_ROSTER);
      return other;
    }

    it('declares its capabilities', () => {
      expect(typeof store.capabilities.atomicApply).toBe('boolean');
      expect(typeof store.capabilities.crossProcessLock).toBe('boolean');
    });

    describe('resolveScope', () => {
      it('resolves a district with all its schools', async () => {
        const scope = await store.resolveScope({ level: 'district', orgId: 'D1' });
        expect(scope).not.toBeNull();
        expect({ ...scope, schoolIds: [...(scope?.schoolIds ?? [])].sort() }).toEqual(CONFORMANCE_SCOPE);
      });

      it('resolves a school with its district and only itself', async () => {
        const scope = await store.resolveScope({ level: 'school', orgId: 'SB' });
        expect(scope).toEqual({ level: 'school', orgId: 'SB', districtId: 'D1', schoolIds: ['SB'] });
      });

      it('returns null for an unknown org, without throwing', async () => {
        await expect(store.resolveScope({ level: 'district', orgId: 'NOPE' })).resolves.toBeNull();
        await expect(store.resolveScope({ level: 'school', orgId: 'NOPE' })).resolves.toBeNull();
      });

      it('returns null when the org exists at the other level', async () => {
        await expect(store.resolveScope({ level: 'school', orgId: 'D1' })).resolves.toBeNull();
        await expect(store.resolveScope({ level: 'district', orgId: 'SA' })).resolves.toBeNull();
      });
    });

    describe('loadSnapshot', () => {
      it('returns the students of the whole district, every account with its roles and every link', async () => {
        const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE);
        expect(snapshot.scope).toEqual(CONFORMANCE_SCOPE);
        expect(snapshot.students.map((s) => s.sisId).sort()).toEqual(['S1', 'S2', 'S3']);
        expect(snapshot.students.find((s) => s.sisId === 'S3')).toEqual({ sisId: 'S3', schoolId: 'SB', firstName: 'Chloé', lastName: 'Martin' });
        expect(normalizeAccounts(snapshot.accounts)).toEqual(normalizeAccounts(CONFORMANCE_ROSTER.accounts ?? []));
        expect(normalizeLinks(snapshot.links)).toEqual(normalizeLinks(CONFORMANCE_ROSTER.links ?? []));
      });

      it('gives a school-level scope the students of its whole district (out of scope, not unknown)', async () => {
        const scope = await store.resolveScope({ level: 'school', orgId: 'SA' });
        expect(scope).not.toBeNull();
        if (scope === null) return;
        const snapshot = await store.loadSnapshot(scope);
        expect(snapshot.students.map((s) => s.sisId).sort()).toEqual(['S1', 'S2', 'S3']);
      });

      it('reflects what the backend holds after a change', async () => {
        await harness.seed({ accounts: [{ id: 'acct-late', ...testFields('Lee', 'Late', { email: 'lee@mail.example' }), claimed: false, roles: [] }] });
        const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE);
        expect(snapshot.accounts.map((a) => a.id)).toContain('acct-late');
      });
    });

    describe('applyPlan: each item kind', () => {
      it('creates an account with its fields, unclaimed, holding an active guardian role', async () => {
        const fields = testFields('Nia', 'Okafor', { email: 'nia@mail.example', mobilePhone: '+12025550150', homePhone: '+12025550151', language: 'fr' });
        const result = await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('acct-new', fields, ['G7', 'G6'])] }), { runId: 'r1' });
        expect(result).toEqual({ ...NO_CHANGE, accountsCreated: 1 });
        const created = accountOf(await stateOf(harness), 'acct-new');
        expect(created).toEqual({ id: 'acct-new', ...fields, claimed: false, roles: [{ role: 'guardian', sisIds: ['G6', 'G7'], status: 'active' }] });
      });

      it('creates an account whose guardian role holds no SIS id', async () => {
        await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('acct-new', testFields('Nia', 'Okafor', { email: 'nia@mail.example' }))] }), { runId: 'r1' });
        expect(accountOf(await stateOf(harness), 'acct-new')?.roles).toEqual([{ role: 'guardian', sisIds: [], status: 'active' }]);
      });

      it('skips a create whose id exists, leaving that account as it was', async () => {
        const before = await stateOf(harness);
        const result = await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('acct-g1', testFields('Someone', 'Else'), ['G99'])] }), { runId: 'r1' });
        expect(result).toEqual(NO_CHANGE);
        expect(await stateOf(harness)).toEqual(before);
      });

      it('updates the fields named by the changes and no others', async () => {
        const result = await store.applyPlan(
          buildTestPlan(CONFORMANCE_SCOPE, {
            updates: [
              updateItem('acct-g1', [
                { field: 'email', before: 'gina@mail.example', after: 'gina.ruiz@mail.example' },
                { field: 'language', before: 'es', after: null },
              ]),
            ],
          }),
          { runId: 'r1' },
        );
        expect(result).toEqual({ ...NO_CHANGE, accountsUpdated: 1 });
        const account = accountOf(await stateOf(harness), 'acct-g1');
        expect(account).toEqual({
          ...normalizeAccounts(CONFORMANCE_ROSTER.accounts ?? []).find((a) => a.id === 'acct-g1'),
          email: 'gina.ruiz@mail.example',
          language: null,
        });
      });

      it('adds the guardian role to an account of another role, keeping that role', async () => {
        const result = await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-staff', ['G8'])] }), { runId: 'r1' });
        expect(result).toEqual({ ...NO_CHANGE, rolesChanged: 1 });
        expect(accountOf(await stateOf(harness), 'acct-staff')?.roles).toEqual([
          { role: 'guardian', sisIds: ['G8'], status: 'active' },
          { role: 'staff', sisIds: ['T1'], status: 'active' },
        ]);
      });

      it('unites new SIS ids with a guardian role and makes it active', async () => {
        await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-g2', ['G2', 'G2-NEW'])] }), { runId: 'r1' });
        expect(accountOf(await stateOf(harness), 'acct-g2')?.roles).toEqual([{ role: 'guardian', sisIds: ['G2', 'G2-NEW'], status: 'active' }]);
      });

      it('adds links under the plan source, skipping one that exists for the same source', async () => {
        const result = await store.applyPlan(
          buildTestPlan(CONFORMANCE_SCOPE, { source: 'manual', linkAdds: [linkItem('acct-g1', 'S1'), linkItem('acct-g1', 'S2'), linkItem('acct-g3', 'S3')] }),
          { runId: 'r1' },
        );
        expect(result).toEqual({ ...NO_CHANGE, linksAdded: 2 });
        const links = (await stateOf(harness)).links;
        expect(links).toContainEqual({ accountId: 'acct-g1', studentSisId: 'S2', source: 'manual' });
        // Same account and student, another source: a separate link.
        expect(links).toContainEqual({ accountId: 'acct-g3', studentSisId: 'S3', source: 'manual' });
        expect(links).toContainEqual({ accountId: 'acct-g3', studentSisId: 'S3', source: 'guardian-file' });
        expect(links).toHaveLength((CONFORMANCE_ROSTER.links ?? []).length + 2);
      });

      it('removes only links of the plan source, and skips one that is gone', async () => {
        const result = await store.applyPlan(
          buildTestPlan(CONFORMANCE_SCOPE, { linkRemoves: [linkItem('acct-g1', 'S1'), linkItem('acct-g3', 'S2'), linkItem('acct-g1', 'S9')] }),
          { runId: 'r1' },
        );
        expect(result).toEqual({ ...NO_CHANGE, linksRemoved: 1 });
        const links = (await stateOf(harness)).links;
        expect(links).not.toContainEqual({ accountId: 'acct-g1', studentSisId: 'S1', source: 'guardian-file' });
        // The manual and oneroster links are not this source's to remove.
        expect(links).toContainEqual({ accountId: 'acct-g1', studentSisId: 'S1', source: 'manual' });
        expect(links).toContainEqual({ accountId: 'acct-g3', studentSisId: 'S2', source: 'oneroster' });
        expect(links).toHaveLength((CONFORMANCE_ROSTER.links ?? []).length - 1);
      });

      it('archives and restores the guardian role only, leaving other roles and links alone', async () => {
        await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-staff', ['G8'])] }), { runId: 'r0' });
        const result = await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-staff'), roleStatusItem('acct-g3')], restores: [roleStatusItem('acct-g2')] }), {
          runId: 'r1',
        });
        expect(result).toEqual({ ...NO_CHANGE, rolesChanged: 3 });
        const state = await stateOf(harness);
        expect(accountOf(state, 'acct-staff')?.roles).toEqual([
          { role: 'guardian', sisIds: ['G8'], status: 'archived' },
          { role: 'staff', sisIds: ['T1'], status: 'active' },
        ]);
        expect(accountOf(state, 'acct-g3')?.roles).toEqual([{ role: 'guardian', sisIds: ['G3', 'G3-OLD'], status: 'archived' }]);
        expect(accountOf(state, 'acct-g2')?.roles).toEqual([{ role: 'guardian', sisIds: ['G2'], status: 'active' }]);
        expect(state.links).toEqual(normalizeLinks(CONFORMANCE_ROSTER.links ?? []));
      });

      it('applies an empty plan as a no-op', async () => {
        const before = await stateOf(harness);
        await expect(store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, {}), { runId: 'r1' })).resolves.toEqual(NO_CHANGE);
        expect(await stateOf(harness)).toEqual(before);
      });
    });

    describe('applyPlan: idempotence (a lost acknowledgement)', () => {
      it('leaves the store as one apply when the same plan is applied twice, and counts nothing the second time', async () => {
        const plan = mixedPlan();
        const first = await store.applyPlan(plan, { runId: 'r1' });
        expect(first).toEqual({ accountsCreated: 1, accountsUpdated: 1, rolesChanged: 3, linksAdded: 2, linksRemoved: 1 });
        const once = await stateOf(harness);
        const second = await store.applyPlan(plan, { runId: 'r1' });
        expect(second).toEqual(NO_CHANGE);
        expect(await stateOf(harness)).toEqual(once);
      });

      it('gives the same roster as the same plan applied to a twin backend', async () => {
        await store.applyPlan(mixedPlan(), { runId: 'r1' });
        const twin = await freshSeeded();
        await twin.store.applyPlan(mixedPlan(), { runId: 'r1' });
        expect(await stateOf(harness)).toEqual(await stateOf(twin));
      });
    });

    describe('applyPlan: failures', () => {
      /** The mixed plan plus an update of an account that does not exist. */
      function failingPlan(): SyncPlan {
        const plan = mixedPlan();
        return { ...plan, updates: [...plan.updates, updateItem('acct-missing', [{ field: 'firstName', before: 'X', after: 'Y' }])] };
      }

      it('throws when an item cannot be applied (an update of an unknown account)', async () => {
        await expect(store.applyPlan(failingPlan(), { runId: 'r1' })).rejects.toThrow();
      });

      it('throws for a role add, archive or restore of an unknown account', async () => {
        for (const plan of [
          buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-missing', ['G1'])] }),
          buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-missing')] }),
          buildTestPlan(CONFORMANCE_SCOPE, { restores: [roleStatusItem('acct-missing')] }),
          buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-missing', 'S1')] }),
        ]) {
          await expect(store.applyPlan(plan, { runId: 'r1' })).rejects.toThrow();
        }
      });

      it('throws when the signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort();
        await expect(store.applyPlan(mixedPlan(), { runId: 'r1', signal: controller.signal })).rejects.toThrow();
      });

      it('after a failed apply, applying the corrected plan ends as one clean apply', async () => {
        await expect(store.applyPlan(failingPlan(), { runId: 'r1' })).rejects.toThrow();
        await store.applyPlan(mixedPlan(), { runId: 'r2' });
        const clean = await freshSeeded();
        await clean.store.applyPlan(mixedPlan(), { runId: 'r1' });
        expect(await stateOf(harness)).toEqual(await stateOf(clean));
      });

      describe('by capability', () => {
        it('atomic stores leave nothing of a failed plan applied; others converge when re-run', async () => {
          const before = await stateOf(harness);
          await expect(store.applyPlan(failingPlan(), { runId: 'r1' })).rejects.toThrow();
          if (store.capabilities.atomicApply) {
            expect(await stateOf(harness)).toEqual(before);
          } else {
            // Interrupted: whatever got applied, re-running the same (still failing) plan
            // must not make things worse, and the corrected plan converges.
            await expect(store.applyPlan(failingPlan(), { runId: 'r2' })).rejects.toThrow();
            await store.applyPlan(mixedPlan(), { runId: 'r3' });
            const clean = await freshSeeded();
            await clean.store.applyPlan(mixedPlan(), { runId: 'r1' });
            expect(await stateOf(harness)).toEqual(await stateOf(clean));
          }
        });

        it('atomic stores apply nothing when aborted before the start; others converge when re-run', async () => {
          const before = await stateOf(harness);
          const controller = new AbortController();
          controller.abort();
          await expect(store.applyPlan(mixedPlan(), { runId: 'r1', signal: controller.signal })).rejects.toThrow();
          if (store.capabilities.atomicApply) expect(await stateOf(harness)).toEqual(before);
          await store.applyPlan(mixedPlan(), { runId: 'r2' });
          const clean = await freshSeeded();
          await clean.store.applyPlan(mixedPlan(), { runId: 'r1' });
          expect(await stateOf(harness)).toEqual(await stateOf(clean));
        });
      });
    });

    describe('locks', () => {
      const key = 'district:D1';

      it('gives a free lock, refuses a second owner without waiting, and lets the holder re-acquire', async () => {
        await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(true);
        await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toBe(false);
        await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(true);
        await expect(store.acquireLock('school:SA', { owner: 'run-b', ttlMs: 60_000 })).resolves.toBe(true);
      });

      it('grants exactly one of two simultaneous attempts', async () => {
        const results = await Promise.all([store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 }), store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })]);
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('ignores a release by another owner, and frees the lock on release by the holder', async () => {
        await store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 });
        await store.releaseLock(key, 'run-b');
        await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toBe(false);
        await store.releaseLock(key, 'run-a');
        await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toBe(true);
      });

      it('does not throw when releasing a lock nobody holds', async () => {
        await expect(store.releaseLock('district:NOPE', 'run-a')).resolves.toBeUndefined();
        await store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 });
        await store.releaseLock(key, 'run-a');
        await expect(store.releaseLock(key, 'run-a')).resolves.toBeUndefined();
      });

      it('lets another owner take an expired lock', async () => {
        const ttlMs = harness.advanceClock === undefined ? 25 : 1_000;
        await expect(store.acquireLock(key, { owner: 'run-a', ttlMs })).resolves.toBe(true);
        if (harness.advanceClock === undefined) await sleep(ttlMs * 4);
        else await harness.advanceClock(ttlMs + 1);
        await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toBe(true);
        await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(false);
      });
    });

    describe('run history', () => {
      const d1 = { level: 'district', orgId: 'D1' } as const;
      const sa = { level: 'school', orgId: 'SA' } as const;

      it('returns a saved report whole, and null for an unknown run', async () => {
        const report = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'succeeded-with-warnings', 7);
        await store.saveRun(report);
        await expect(store.getRun('run-1')).resolves.toEqual(report);
        await expect(store.getRun('run-404')).resolves.toBeNull();
      });

      it('replaces a report saved again under the same run id', async () => {
        await store.saveRun(buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'failed', 1));
        const replaced = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'succeeded', 2);
        await store.saveRun(replaced);
        await expect(store.getRun('run-1')).resolves.toEqual(replaced);
        const runs = await store.listRuns();
        expect(runs).toHaveLength(1);
        expect(runs[0]?.status).toBe('succeeded');
      });

      it('lists runs most recent first, filtered by scope, at most `limit`', async () => {
        await store.saveRun(buildTestReport('run-b', '2026-03-02T06:00:00.000Z', d1, 'succeeded', 2));
        await store.saveRun(buildTestReport('run-a', '2026-03-01T06:00:00.000Z', d1, 'failed', 1));
        await store.saveRun(buildTestReport('run-s', '2026-03-03T06:00:00.000Z', sa, 'failed-threshold', 3));
        await store.saveRun(buildTestReport('run-c', '2026-03-04T06:00:00.000Z', d1, 'succeeded', 4));
        expect((await store.listRuns()).map((r) => r.runId)).toEqual(['run-c', 'run-s', 'run-b', 'run-a']);
        expect((await store.listRuns({ scope: d1 })).map((r) => r.runId)).toEqual(['run-c', 'run-b', 'run-a']);
        expect((await store.listRuns({ scope: sa })).map((r) => r.runId)).toEqual(['run-s']);
        expect((await store.listRuns({ scope: { level: 'school', orgId: 'D1' } })).map((r) => r.runId)).toEqual([]);
        expect((await store.listRuns({ limit: 2 })).map((r) => r.runId)).toEqual(['run-c', 'run-s']);
      });

      it('summarizes each run with its scope, status, times and counts', async () => {
        const report = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', sa, 'failed-threshold', 5);
        await store.saveRun(report);
        expect(await store.listRuns()).toEqual([
          { runId: 'run-1', scope: sa, status: 'failed-threshold', dryRun: false, startedAt: report.startedAt, finishedAt: report.finishedAt, counts: report.counts },
        ]);
      });
    });

    describe('importRoster (when the store has it)', () => {
      const staff = {
        sisId: 'T50',
        firstName: 'Omar',
        lastName: 'Haddad',
        email: 'omar@school.example',
        mobilePhone: '+12025550160',
        homePhone: null,
        schoolIds: ['SD'],
      };
      const roster = {
        orgs: [
          { id: 'D3', name: 'New District', type: 'district', parentId: null },
          { id: 'SD', name: 'Dogwood Elementary', type: 'school', parentId: 'D3' },
        ],
        students: [{ sisId: 'S40', schoolId: 'SD', firstName: 'Eli', lastName: 'Stone' }],
        staff: [staff],
      } as const;

      it('loads orgs, students and staff, and updates in place when imported again', async (context) => {
        if (store.importRoster === undefined) return context.skip('the store has no importRoster');
        await expect(store.importRoster(roster)).resolves.toEqual({ orgs: 2, students: 1, staffCreated: 1, staffUpdated: 0 });
        const scope = await store.resolveScope({ level: 'district', orgId: 'D3' });
        expect(scope).toEqual({ level: 'district', orgId: 'D3', districtId: 'D3', schoolIds: ['SD'] });
        if (scope === null) return;
        expect((await store.loadSnapshot(scope)).students).toEqual(roster.students);
        const state = await stateOf(harness);
        const created = state.accounts.filter((a) => a.roles.some((r) => r.role === 'staff' && r.sisIds.includes('T50')));
        expect(created).toHaveLength(1);
        expect(created[0]).toMatchObject({ firstName: 'Omar', lastName: 'Haddad', email: 'omar@school.example', mobilePhone: '+12025550160', claimed: false });
        expect(created[0]?.roles).toEqual([{ role: 'staff', sisIds: ['T50'], status: 'active' }]);

        await expect(store.importRoster(roster)).resolves.toEqual({ orgs: 2, students: 1, staffCreated: 0, staffUpdated: 0 });
        expect(await stateOf(harness)).toEqual(state);

        const renamed = { ...roster, staff: [{ ...staff, lastName: 'Haddad-Lee' }], students: [{ ...roster.students[0], lastName: 'Stone-Gray' }] };
        await expect(store.importRoster(renamed)).resolves.toEqual({ orgs: 2, students: 1, staffCreated: 0, staffUpdated: 1 });
        const after = await stateOf(harness);
        expect(after.accounts).toHaveLength(state.accounts.length);
        expect(after.accounts.find((a) => a.id === created[0]?.id)?.lastName).toBe('Haddad-Lee');
        expect((await store.loadSnapshot(scope)).students[0]?.lastName).toBe('Stone-Gray');
      });

      it('gives a staff record with a guardian’s contact key the staff role on that account, not a second account', async (context) => {
        if (store.importRoster === undefined) return context.skip('the store has no importRoster');
        const parentTeacher = { sisId: 'T60', firstName: 'GINA', lastName: 'ruiz', email: 'Gina@Mail.example', mobilePhone: '+12025550102', homePhone: null, schoolIds: ['SA'] };
        await expect(store.importRoster({ orgs: [], students: [], staff: [parentTeacher] })).resolves.toMatchObject({ staffCreated: 0, staffUpdated: 1 });
        const state = await stateOf(harness);
        expect(state.accounts).toHaveLength((CONFORMANCE_ROSTER.accounts ?? []).length);
        expect(accountOf(state, 'acct-g1')?.roles).toEqual([
          { role: 'guardian', sisIds: ['G1'], status: 'active' },
          { role: 'staff', sisIds: ['T60'], status: 'active' },
        ]);
      });

      it('never gives a staff account a login another account holds, and never matches on email alone', async (context) => {
        if (store.importRoster === undefined) return context.skip('the store has no importRoster');
        const impostor = { sisId: 'T70', firstName: 'Someone', lastName: 'Else', email: 'gina@mail.example', mobilePhone: '+12025550103', homePhone: null, schoolIds: ['SA'] };
        await expect(store.importRoster({ orgs: [], students: [], staff: [impostor] })).resolves.toMatchObject({ staffCreated: 1, staffUpdated: 0 });
        const state = await stateOf(harness);
        const created = state.accounts.find((a) => a.roles.some((r) => r.role === 'staff' && r.sisIds.includes('T70')));
        expect(created).toMatchObject({ firstName: 'Someone', email: null, mobilePhone: null });
        expect(accountOf(state, 'acct-g1')).toEqual(normalizeAccounts(CONFORMANCE_ROSTER.accounts ?? []).find((a) => a.id === 'acct-g1'));
      });

      it('keeps the names and contacts of a claimed staff account', async (context) => {
        if (store.importRoster === undefined) return context.skip('the store has no importRoster');
        const renamed = { sisId: 'T1', firstName: 'Tina', lastName: 'Newname', email: 'tina@school.example', mobilePhone: null, homePhone: null, schoolIds: ['SA'] };
        await store.importRoster({ orgs: [], students: [], staff: [renamed] });
        expect(accountOf(await stateOf(harness), 'acct-staff')).toEqual(normalizeAccounts(CONFORMANCE_ROSTER.accounts ?? []).find((a) => a.id === 'acct-staff'));
      });
    });

    describe('listOrgs (when the store has it)', () => {
      it('lists every district and school, sorted by id', async (context) => {
        if (store.listOrgs === undefined) return context.skip('the store has no listOrgs');
        const expected = [...CONFORMANCE_ORGS].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(await store.listOrgs()).toEqual(expected);
      });
    });

    describe('exportRoster (when the store has it)', () => {
      it('prints every account and student sorted, with the students of active guardian links from any source', async (context) => {
        if (store.exportRoster === undefined) return context.skip('the store has no exportRoster');
        const exported = await store.exportRoster();
        expect(exported.formatVersion).toBe(1);
        expect(exported.accounts.map((a) => a.id)).toEqual(['acct-g1', 'acct-g2', 'acct-g3', 'acct-staff']);
        expect(exported.students.map((s) => s.sisId)).toEqual(['S1', 'S2', 'S3', 'S9']);
        const byId = new Map(exported.accounts.map((a) => [a.id, a]));
        expect(byId.get('acct-g1')).toEqual({
          id: 'acct-g1',
          firstName: 'Gina',
          lastName: 'Ruiz',
          email: 'gina@mail.example',
          mobilePhone: '+12025550102',
          homePhone: null,
          language: 'es',
          claimed: false,
          roles: [{ role: 'guardian', sisIds: ['G1'], status: 'active' }],
          students: ['S1'],
        });
        expect(byId.get('acct-g3')?.students).toEqual(['S2', 'S3']);
        expect(byId.get('acct-g3')?.roles).toEqual([{ role: 'guardian', sisIds: ['G3', 'G3-OLD'], status: 'active' }]);
        expect(byId.get('acct-g2')?.students).toEqual([]);
        expect(byId.get('acct-staff')?.students).toEqual([]);
      });

      it('stops listing the students of an archived guardian', async (context) => {
        if (store.exportRoster === undefined) return context.skip('the store has no exportRoster');
        await store.applyPlan(buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-g3')] }), { runId: 'r1' });
        const exported = await store.exportRoster();
        expect(exported.accounts.find((a) => a.id === 'acct-g3')?.students).toEqual([]);
      });
    });
  });
}
