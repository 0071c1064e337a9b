// Checks of the district rules (docs/identity-rules.md §7): SIS ids unique only inside a district,
// and nothing a plan does in one district visible in another, beyond the account fields
// people share (an empty `language` filled).
import { expect } from 'vitest';
import type { RosterExport, RosterStore } from '../contracts/roster-store.js';
import { accountOf, districtPart, NO_CHANGE, stateOf, type RosterState, type RosterStoreCheck } from './roster-store-check.js';
import {
  buildTestPlan,
  CONFORMANCE_ROSTER,
  CONFORMANCE_SCOPE,
  CONFORMANCE_SCOPE_D2,
  createItem,
  idRemoveItem,
  linkItem,
  NO_LOGINS,
  normalizeAccounts,
  normalizeLinks,
  normalizeStudents,
  roleAddItem,
  roleStatusItem,
  testFields,
  updateItem,
} from './roster-store-fixtures.js';
import type { TestPlanItems } from './roster-store-fixtures.js';
import { applyPlan } from '../apply/apply-plan.js';

const group = 'districts';

/** What D2 sees through the store: its snapshot (accounts with their D2 roles only) and, when the store has it, its export. */
async function d2View(store: RosterStore): Promise<{ snapshot: RosterState; exported: RosterExport | null }> {
  const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE_D2, NO_LOGINS);
  return {
    snapshot: districtPart(
      { accounts: normalizeAccounts(snapshot.accounts), links: normalizeLinks(snapshot.links), students: normalizeStudents(snapshot.students) },
      'D2',
    ),
    exported: store.exportRoster === undefined ? null : await store.exportRoster('D2'),
  };
}

/** The shared account's D2 role and D2 links, as the backend holds them. */
function sharedInD2(state: RosterState): unknown {
  return {
    roles: accountOf(state, 'acct-shared')?.roles.filter((r) => r.districtId === 'D2'),
    links: state.links.filter((l) => l.accountId === 'acct-shared' && l.districtId === 'D2'),
  };
}

export const DISTRICT_CHECKS: readonly RosterStoreCheck[] = [
  {
    group,
    name: 'holds two districts with equal student, guardian and staff SIS ids side by side, each as seeded',
    async run({ harness }) {
      const state = await stateOf(harness);
      expect(state.students).toEqual(normalizeStudents(CONFORMANCE_ROSTER.students ?? []));
      expect(state.accounts).toEqual(normalizeAccounts(CONFORMANCE_ROSTER.accounts ?? []));
      expect(state.links).toEqual(normalizeLinks(CONFORMANCE_ROSTER.links ?? []));
    },
  },
  {
    group,
    name: "seeding a third district with the same SIS ids leaves the other districts' students, roles and links as they were",
    async run({ harness }) {
      const before = await stateOf(harness);
      await harness.seed({
        orgs: [
          { id: 'D3', name: 'Third District', type: 'district', parentId: null },
          { id: 'SD', name: 'Dogwood Elementary', type: 'school', parentId: 'D3' },
        ],
        students: ['S1', 'S2', 'S3'].map((sisId) => ({ districtId: 'D3', sisId, schoolId: 'SD', firstName: 'Third', lastName: sisId })),
        accounts: [
          {
            id: 'acct-d3',
            ...testFields('Dee', 'Three', { email: 'dee@mail.example' }),
            claimed: false,
            roles: [
              { role: 'guardian', districtId: 'D3', sisIds: ['G1', 'G2'], status: 'active' },
              { role: 'staff', districtId: 'D3', sisIds: ['T1'], status: 'active' },
            ],
          },
        ],
        links: [{ accountId: 'acct-d3', districtId: 'D3', studentSisId: 'S1', source: 'guardian-file' }],
      });
      const after = await stateOf(harness);
      for (const districtId of ['D1', 'D2']) expect(districtPart(after, districtId)).toEqual(districtPart(before, districtId));
      expect(after.accounts.filter((a) => a.id !== 'acct-d3')).toEqual(before.accounts);
      expect(after.students.filter((s) => s.districtId === 'D3')).toHaveLength(3);
    },
  },
  {
    group,
    name: "an apply in one district changes nothing another district's snapshot and export show, beyond an empty language filled on a shared account",
    async run({ store }) {
      const before = await d2View(store);
      await applyPlan(store, 
        buildTestPlan(CONFORMANCE_SCOPE, {
          updates: [updateItem('acct-shared', [{ field: 'language', before: null, after: 'en' }])],
          idRemoves: [idRemoveItem('acct-shared', ['G1', 'G5'])],
          roleAdds: [roleAddItem('acct-shared', ['G6']), roleAddItem('acct-d2', ['G2']), roleAddItem('acct-d2-staff', ['G1'])],
          linkAdds: [linkItem('acct-d2', 'S1'), linkItem('acct-shared', 'S1'), linkItem('acct-d2-staff', 'S1')],
        }));
      await applyPlan(store, 
        buildTestPlan(CONFORMANCE_SCOPE, {
          // D1's S1 links just added; D2's links of these accounts to D2's S1 are not D1's to remove.
          linkRemoves: [linkItem('acct-shared', 'S1'), linkItem('acct-d2', 'S1'), linkItem('acct-shared', 'S2')],
          archives: [roleStatusItem('acct-shared'), roleStatusItem('acct-d2')],
        }));
      const after = await d2View(store);
      const withLanguage = <T extends { id: string; language: string | null }>(accounts: readonly T[]): T[] =>
        accounts.map((a) => (a.id === 'acct-shared' ? { ...a, language: 'en' } : a));
      expect(after.snapshot).toEqual({ ...before.snapshot, accounts: withLanguage(before.snapshot.accounts) });
      if (before.exported !== null) expect(after.exported).toEqual({ ...before.exported, accounts: withLanguage(before.exported.accounts) });
    },
  },
  {
    group,
    name: "role adds, id removes, archives, restores and link changes in one district leave the account's guardian role and links in another district as they were",
    async run({ store, harness }) {
      const expected = sharedInD2(await stateOf(harness));
      const steps: [string, TestPlanItems][] = [
        ['role add', { roleAdds: [roleAddItem('acct-shared', ['G7'])] }],
        ['id remove', { idRemoves: [idRemoveItem('acct-shared', ['G1'])] }],
        ['archive', { archives: [roleStatusItem('acct-shared')] }],
        ['restore', { restores: [roleStatusItem('acct-shared')] }],
        ['archive again', { archives: [roleStatusItem('acct-shared')] }],
        ['link add', { linkAdds: [linkItem('acct-shared', 'S1')] }],
        ['link remove', { linkRemoves: [linkItem('acct-shared', 'S1')] }],
      ];
      for (const [what, items] of steps) {
        await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, items));
        expect(sharedInD2(await stateOf(harness)), `after the ${what} in D1`).toEqual(expected);
      }
      // And the other way round: D2's plans leave the D1 role (archived above) as it is.
      const d1Role = accountOf(await stateOf(harness), 'acct-shared')?.roles.filter((r) => r.districtId === 'D1');
      await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE_D2, { restores: [roleStatusItem('acct-shared')], roleAdds: [roleAddItem('acct-shared', ['G8'])] }));
      expect(accountOf(await stateOf(harness), 'acct-shared')?.roles.filter((r) => r.districtId === 'D1')).toEqual(d1Role);
    },
  },
  {
    group,
    name: "a link remove in one district never removes the account's link to the same SIS id in another district",
    async run({ store, harness }) {
      // acct-shared is linked to D2's S1 (guardian-file) and has no link to D1's S1.
      await expect(applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkRemoves: [linkItem('acct-shared', 'S1')] }))).resolves.toEqual(NO_CHANGE);
      expect((await stateOf(harness)).links).toContainEqual({ accountId: 'acct-shared', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' });
    },
  },
  {
    group,
    name: "a link add is keyed by district: the account's link to the same SIS id, from the same source, in another district is another link",
    async run({ store, harness }) {
      await expect(applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { linkAdds: [linkItem('acct-shared', 'S1')] }))).resolves.toEqual({ ...NO_CHANGE, linksAdded: 1 });
      const links = (await stateOf(harness)).links.filter((l) => l.accountId === 'acct-shared' && l.studentSisId === 'S1');
      expect(links).toEqual([
        { accountId: 'acct-shared', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' },
        { accountId: 'acct-shared', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' },
      ]);
    },
  },
  {
    group,
    name: "creates, role adds and links of another district's plan land in that district",
    async run({ store, harness }) {
      await applyPlan(store, 
        buildTestPlan(CONFORMANCE_SCOPE_D2, {
          creates: [createItem('acct-new', testFields('Noa', 'New', { email: 'noa@mail.example' }), ['G3'])],
          roleAdds: [roleAddItem('acct-g1', ['G3-D2'])],
          linkAdds: [linkItem('acct-new', 'S1'), linkItem('acct-g1', 'S9')],
        }));
      const state = await stateOf(harness);
      expect(accountOf(state, 'acct-new')?.roles).toEqual([{ role: 'guardian', districtId: 'D2', sisIds: ['G3'], status: 'active' }]);
      expect(accountOf(state, 'acct-g1')?.roles).toEqual([
        { role: 'guardian', districtId: 'D1', sisIds: ['G1'], status: 'active' },
        { role: 'guardian', districtId: 'D2', sisIds: ['G3-D2'], status: 'active' },
      ]);
      expect(state.links).toContainEqual({ accountId: 'acct-new', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' });
      expect(state.links).toContainEqual({ accountId: 'acct-g1', districtId: 'D2', studentSisId: 'S9', source: 'guardian-file' });
    },
  },
];
