// Checks of `applyPlan`: each item kind with its effect and its count, in the plan's
// district; id removes; the same plan twice; plans that cannot be applied; and what an
// atomic or a non-atomic store leaves behind a failure.
import { expect } from 'vitest';
import type { SyncPlan } from '../model/plan.js';
import { accountOf, NO_CHANGE, stateOf, type RosterStoreCheck } from './roster-store-check.js';
import {
  buildTestPlan,
  CONFORMANCE_LINKS,
  CONFORMANCE_SCOPE,
  conformanceAccount,
  createItem,
  idRemoveItem,
  linkItem,
  normalizeLinks,
  roleAddItem,
  roleStatusItem,
  testFields,
  updateItem,
} from './roster-store-fixtures.js';
import { applyPlan } from '../apply/apply-plan.js';

/** A plan in D1 with one item of every kind, all applicable to the conformance roster. */
export function mixedPlan(): SyncPlan {
  return buildTestPlan(CONFORMANCE_SCOPE, {
    creates: [createItem('acct-new', testFields('Nia', 'Okafor', { email: 'nia@mail.example' }), ['G7'])],
    updates: [updateItem('acct-g1', [{ field: 'homePhone', before: null, after: '+12025550199' }])],
    roleAdds: [roleAddItem('acct-staff', ['G8'])],
    idRemoves: [idRemoveItem('acct-g3', ['G3-OLD'])],
    linkAdds: [linkItem('acct-new', 'S2'), linkItem('acct-staff', 'S3')],
    linkRemoves: [linkItem('acct-g3', 'S3')],
    archives: [roleStatusItem('acct-g3')],
    restores: [roleStatusItem('acct-g2')],
  });
}

/** What `mixedPlan` changes when applied once. */
export const MIXED_PLAN_COUNTS = { accountsCreated: 1, accountsUpdated: 1, rolesAdded: 1, idsRemoved: 1, guardiansArchived: 1, guardiansRestored: 1, linksAdded: 2, linksRemoved: 1 } as const;

/** The mixed plan plus an update of an account that does not exist (last of the updates). */
function failingPlan(): SyncPlan {
  const plan = mixedPlan();
  return { ...plan, updates: [...plan.updates, updateItem('acct-missing', [{ field: 'firstName', before: 'X', after: 'Y' }])] };
}

const kinds = 'applyPlan: each item kind';
const ids = 'applyPlan: id removes';
const twice = 'applyPlan: idempotence (a lost acknowledgement)';
const failures = 'applyPlan: failures';

export const APPLY_CHECKS: readonly RosterStoreCheck[] = [
  {
    group: kinds,
    name: "creates an account with its fields, unclaimed, holding an active guardian role in the plan's district",
    async run({ store, harness }) {
      const fields = testFields('Nia', 'Okafor', { email: 'nia@mail.example', mobilePhone: '+12025550150', homePhone: '+12025550151', language: 'fr' });
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('acct-new', fields, ['G7', 'G6'])] }));
      expect(result).toEqual({ ...NO_CHANGE, accountsCreated: 1 });
      expect(accountOf(await stateOf(harness), 'acct-new')).toEqual({
        id: 'acct-new',
        ...fields,
        claimed: false,
        roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G6', 'G7'], status: 'active' }],
      });
    },
  },
  {
    group: kinds,
    name: 'creates an account whose guardian role holds no SIS id',
    async run({ store, harness }) {
      await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('acct-new', testFields('Nia', 'Okafor', { email: 'nia@mail.example' }))] }));
      expect(accountOf(await stateOf(harness), 'acct-new')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: [], status: 'active' }]);
    },
  },
  {
    group: kinds,
    name: 'skips a create whose id exists, leaving that account as it was',
    async run({ store, harness }) {
      const before = await stateOf(harness);
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { creates: [createItem('acct-g1', testFields('Someone', 'Else'), ['G99'])] }));
      expect(result).toEqual(NO_CHANGE);
      expect(await stateOf(harness)).toEqual(before);
    },
  },
  {
    group: kinds,
    name: 'updates the fields named by the changes and no others (a claimed account stays claimed)',
    async run({ store, harness }) {
      const result = await applyPlan(
        store,
        buildTestPlan(CONFORMANCE_SCOPE, {
          updates: [
            updateItem('acct-g1', [
              { field: 'email', before: 'gina@mail.example', after: 'gina.ruiz@mail.example' },
              { field: 'language', before: 'es', after: null },
            ]),
            updateItem('acct-g3', [{ field: 'language', before: null, after: 'fr' }]),
          ],
        }),
      );
      expect(result).toEqual({ ...NO_CHANGE, accountsUpdated: 2 });
      const state = await stateOf(harness);
      expect(accountOf(state, 'acct-g1')).toEqual({ ...conformanceAccount('acct-g1'), email: 'gina.ruiz@mail.example', language: null });
      expect(accountOf(state, 'acct-g3')).toEqual({ ...conformanceAccount('acct-g3'), language: 'fr' });
    },
  },
  {
    group: kinds,
    name: "adds the guardian role in the plan's district to an account of another role, keeping that role",
    async run({ store, harness }) {
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-staff', ['G8'])] }));
      expect(result).toEqual({ ...NO_CHANGE, rolesAdded: 1 });
      expect(accountOf(await stateOf(harness), 'acct-staff')?.roles).toEqual([
        { role: 'guardian', districtId: 'D1', sisIds: ['G8'], status: 'active' },
        { role: 'staff', districtId: 'D1', sisIds: ['T1'], status: 'active' },
      ]);
    },
  },
  {
    group: kinds,
    name: "unites new SIS ids with the district's guardian role and makes it active",
    async run({ store, harness }) {
      await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-g2', ['G2', 'G2-NEW'])] }));
      expect(accountOf(await stateOf(harness), 'acct-g2')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G2', 'G2-NEW'], status: 'active' }]);
    },
  },
  {
    group: kinds,
    name: "adds a guardian role in the plan's district to an account whose guardian role is in another district, as a second role",
    async run({ store, harness }) {
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-d2', ['G9'])] }));
      expect(result).toEqual({ ...NO_CHANGE, rolesAdded: 1 });
      expect(accountOf(await stateOf(harness), 'acct-d2')?.roles).toEqual([
        { role: 'guardian', districtId: 'D1', sisIds: ['G9'], status: 'active' },
        { role: 'guardian', districtId: 'D2', sisIds: ['G2'], status: 'active' },
      ]);
    },
  },
  {
    group: kinds,
    name: "adds links under the plan's source and district, skipping one that exists for the same account, student and source",
    async run({ store, harness }) {
      const result = await applyPlan(store, 
        buildTestPlan(CONFORMANCE_SCOPE, { source: 'manual', linkAdds: [linkItem('acct-g1', 'S1'), linkItem('acct-g1', 'S2'), linkItem('acct-g3', 'S3')] }));
      expect(result).toEqual({ ...NO_CHANGE, linksAdded: 2 });
      const links = (await stateOf(harness)).links;
      expect(links).toContainEqual({ accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S2', source: 'manual' });
      // Same account and student, another source: a separate link.
      expect(links).toContainEqual({ accountId: 'acct-g3', districtId: 'D1', studentSisId: 'S3', source: 'manual' });
      expect(links).toContainEqual({ accountId: 'acct-g3', districtId: 'D1', studentSisId: 'S3', source: 'guardian-file' });
      expect(links).toHaveLength(CONFORMANCE_LINKS.length + 2);
    },
  },
  {
    group: kinds,
    name: "removes only links of the plan's source, and skips one that is gone",
    async run({ store, harness }) {
      const result = await applyPlan(store, 
        buildTestPlan(CONFORMANCE_SCOPE, { linkRemoves: [linkItem('acct-g1', 'S1'), linkItem('acct-g3', 'S2'), linkItem('acct-g1', 'S9')] }));
      expect(result).toEqual({ ...NO_CHANGE, linksRemoved: 1 });
      const links = (await stateOf(harness)).links;
      expect(links).not.toContainEqual({ accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' });
      // The manual and oneroster links are not this source's to remove.
      expect(links).toContainEqual({ accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S1', source: 'manual' });
      expect(links).toContainEqual({ accountId: 'acct-g3', districtId: 'D1', studentSisId: 'S2', source: 'oneroster' });
      expect(links).toHaveLength(CONFORMANCE_LINKS.length - 1);
    },
  },
  {
    group: kinds,
    name: 'archives and restores the guardian role only, leaving other roles and links alone',
    async run({ store, harness }) {
      await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-staff', ['G8'])] }));
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-staff'), roleStatusItem('acct-g3')], restores: [roleStatusItem('acct-g2')] }));
      expect(result).toEqual({ ...NO_CHANGE, guardiansArchived: 2, guardiansRestored: 1 });
      const state = await stateOf(harness);
      expect(accountOf(state, 'acct-staff')?.roles).toEqual([
        { role: 'guardian', districtId: 'D1', sisIds: ['G8'], status: 'archived' },
        { role: 'staff', districtId: 'D1', sisIds: ['T1'], status: 'active' },
      ]);
      expect(accountOf(state, 'acct-g3')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G3', 'G3-OLD'], status: 'archived' }]);
      expect(accountOf(state, 'acct-g2')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G2'], status: 'active' }]);
      expect(state.links).toEqual(normalizeLinks(CONFORMANCE_LINKS));
    },
  },
  {
    group: kinds,
    name: 'applies an empty plan as a no-op',
    async run({ store, harness }) {
      const before = await stateOf(harness);
      await expect(applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, {}))).resolves.toEqual(NO_CHANGE);
      expect(await stateOf(harness)).toEqual(before);
    },
  },

  {
    group: ids,
    name: "takes the SIS ids off the account's guardian role in the plan's district, keeping the role and its status, and counts one role change",
    async run({ store, harness }) {
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { idRemoves: [idRemoveItem('acct-g3', ['G3-OLD'])] }));
      expect(result).toEqual({ ...NO_CHANGE, idsRemoved: 1 });
      expect(accountOf(await stateOf(harness), 'acct-g3')).toEqual({ ...conformanceAccount('acct-g3'), roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G3'], status: 'active' }] });
    },
  },
  {
    group: ids,
    name: 'keeps a guardian role whose last SIS id is removed (with no id), and its links',
    async run({ store, harness }) {
      await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { idRemoves: [idRemoveItem('acct-g1', ['G1'])] }));
      const state = await stateOf(harness);
      expect(accountOf(state, 'acct-g1')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: [], status: 'active' }]);
      expect(state.links).toEqual(normalizeLinks(CONFORMANCE_LINKS));
    },
  },
  {
    group: ids,
    name: 'changes nothing and counts nothing when the same id remove is applied again',
    async run({ store, harness }) {
      const plan = buildTestPlan(CONFORMANCE_SCOPE, { idRemoves: [idRemoveItem('acct-g3', ['G3-OLD'])] });
      await applyPlan(store, plan);
      const once = await stateOf(harness);
      await expect(applyPlan(store, plan)).resolves.toEqual(NO_CHANGE);
      expect(await stateOf(harness)).toEqual(once);
    },
  },
  {
    group: ids,
    name: "skips ids the role does not hold, a staff role's ids, and an account without a guardian role in the plan's district",
    async run({ store, harness }) {
      const before = await stateOf(harness);
      const plan = buildTestPlan(CONFORMANCE_SCOPE, {
        idRemoves: [idRemoveItem('acct-g1', ['G-NOPE']), idRemoveItem('acct-staff', ['T1']), idRemoveItem('acct-d2', ['G2'])],
      });
      await expect(applyPlan(store, plan)).resolves.toEqual(NO_CHANGE);
      expect(await stateOf(harness)).toEqual(before);
    },
  },
  {
    group: ids,
    name: "removes from the plan's district only: the account's guardian role in another district keeps the same id",
    async run({ store, harness }) {
      // acct-shared holds G5 in D1 and G1 in D2; D1's plan takes both ids off its D1 role.
      const result = await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { idRemoves: [idRemoveItem('acct-shared', ['G1', 'G5'])] }));
      expect(result).toEqual({ ...NO_CHANGE, idsRemoved: 1 });
      expect(accountOf(await stateOf(harness), 'acct-shared')?.roles).toEqual([
        { role: 'guardian', districtId: 'D1', sisIds: [], status: 'active' },
        { role: 'guardian', districtId: 'D2', sisIds: ['G1'], status: 'active' },
      ]);
    },
  },
  {
    group: ids,
    name: 'moves an id from one account to another in one plan, and applies id removes before role adds (an id removed and added back stays)',
    async run({ store, harness }) {
      await applyPlan(store, 
        buildTestPlan(CONFORMANCE_SCOPE, {
          idRemoves: [idRemoveItem('acct-g1', ['G1']), idRemoveItem('acct-g3', ['G3'])],
          roleAdds: [roleAddItem('acct-g2', ['G1']), roleAddItem('acct-g3', ['G3'])],
        }));
      const state = await stateOf(harness);
      expect(accountOf(state, 'acct-g1')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: [], status: 'active' }]);
      expect(accountOf(state, 'acct-g2')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G1', 'G2'], status: 'active' }]);
      expect(accountOf(state, 'acct-g3')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G3', 'G3-OLD'], status: 'active' }]);
    },
  },

  {
    group: twice,
    name: 'leaves the store as one apply when the same plan is applied twice, and counts nothing the second time',
    async run({ store, harness }) {
      const plan = mixedPlan();
      expect(await applyPlan(store, plan)).toEqual(MIXED_PLAN_COUNTS);
      const once = await stateOf(harness);
      expect(await applyPlan(store, plan)).toEqual(NO_CHANGE);
      expect(await stateOf(harness)).toEqual(once);
    },
  },
  {
    group: twice,
    name: 'gives the same roster as the same plan applied to a twin backend',
    async run({ store, harness, freshSeeded }) {
      await applyPlan(store, mixedPlan());
      const twin = await freshSeeded();
      await applyPlan(twin.store, mixedPlan());
      expect(await stateOf(harness)).toEqual(await stateOf(twin));
    },
  },

  {
    group: failures,
    name: 'throws when an item cannot be applied (an update of an unknown account)',
    async run({ store }) {
      await expect(applyPlan(store, failingPlan())).rejects.toThrow();
    },
  },
  {
    group: failures,
    name: 'throws for a role add, archive, restore or link add of an unknown account',
    async run({ store }) {
      for (const plan of [
        buildTestPlan(CONFORMANCE_SCOPE, { roleAdds: [roleAddItem('acct-missing', ['G1'])] }),
        buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-missing')] }),
        buildTestPlan(CONFORMANCE_SCOPE, { restores: [roleStatusItem('acct-missing')] }),
        buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-missing', 'S1')] }),
      ]) {
        await expect(applyPlan(store, plan)).rejects.toThrow();
      }
    },
  },
  {
    group: failures,
    name: "throws for an archive or restore of an account without a guardian role in the plan's district (a role elsewhere, or a staff role, does not count)",
    async run({ store, harness }) {
      const before = await stateOf(harness);
      for (const plan of [
        buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-d2')] }),
        buildTestPlan(CONFORMANCE_SCOPE, { restores: [roleStatusItem('acct-d2')] }),
        buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-staff')] }),
      ]) {
        await expect(applyPlan(store, plan)).rejects.toThrow();
      }
      expect(accountOf(await stateOf(harness), 'acct-d2')).toEqual(accountOf(before, 'acct-d2'));
    },
  },
  {
    group: failures,
    name: "throws for a link add to a student the plan's district does not have (another district's student of that SIS id does not count)",
    async run({ store }) {
      await expect(applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S9')] }))).rejects.toThrow();
      await expect(applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-g1', 'S404')] }))).rejects.toThrow();
    },
  },
  {
    group: failures,
    name: 'throws when the signal is already aborted',
    async run({ store }) {
      const controller = new AbortController();
      controller.abort();
      await expect(applyPlan(store, mixedPlan(), { signal: controller.signal })).rejects.toThrow();
    },
  },
  {
    group: failures,
    name: 'after a failed apply, applying the corrected plan ends as one clean apply',
    async run({ store, harness, freshSeeded }) {
      await expect(applyPlan(store, failingPlan())).rejects.toThrow();
      await applyPlan(store, mixedPlan());
      const clean = await freshSeeded();
      await applyPlan(clean.store, mixedPlan());
      expect(await stateOf(harness)).toEqual(await stateOf(clean));
    },
  },
  {
    group: failures,
    name: 'atomic stores leave nothing of a failed plan applied; others converge when re-run',
    async run({ store, harness, freshSeeded }) {
      const before = await stateOf(harness);
      await expect(applyPlan(store, failingPlan())).rejects.toThrow();
      if (store.capabilities.atomicApply) {
        expect(await stateOf(harness)).toEqual(before);
        return;
      }
      // Interrupted: whatever got applied, re-running the same (still failing) plan must not
      // make things worse, and the corrected plan converges.
      await expect(applyPlan(store, failingPlan())).rejects.toThrow();
      await applyPlan(store, mixedPlan());
      const clean = await freshSeeded();
      await applyPlan(clean.store, mixedPlan());
      expect(await stateOf(harness)).toEqual(await stateOf(clean));
    },
  },
  {
    group: failures,
    name: 'atomic stores apply nothing when aborted before the start; others converge when re-run',
    async run({ store, harness, freshSeeded }) {
      const before = await stateOf(harness);
      const controller = new AbortController();
      controller.abort();
      await expect(applyPlan(store, mixedPlan(), { signal: controller.signal })).rejects.toThrow();
      if (store.capabilities.atomicApply) expect(await stateOf(harness)).toEqual(before);
      await applyPlan(store, mixedPlan());
      const clean = await freshSeeded();
      await applyPlan(clean.store, mixedPlan());
      expect(await stateOf(harness)).toEqual(await stateOf(clean));
    },
  },
];
