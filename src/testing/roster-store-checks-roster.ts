// Checks of the optional roster methods: `importRoster` (per district), `listOrgs` and
// `exportRoster(districtId)`. Each is skipped, and shown as skipped, for a store without it.
import { expect } from 'vitest';
import type { RosterImport, StaffRecord } from '../contracts/roster-store.js';
import type { RosterStoreSeed } from './roster-store-harness.js';
import { accountOf, districtPart, stateOf, type RosterStoreCheck } from './roster-store-check.js';
import { buildTestPlan, CONFORMANCE_ACCOUNTS, CONFORMANCE_ORGS, CONFORMANCE_SCOPE, conformanceAccount, NO_LOGINS, roleStatusItem } from './roster-store-fixtures.js';
import { applyPlan } from '../apply/apply-plan.js';

const imports = 'importRoster (when the store has it)';
const exports = 'exportRoster (when the store has it)';

const omar: StaffRecord = {
  districtId: 'D3',
  sisId: 'T50',
  firstName: 'Omar',
  lastName: 'Haddad',
  email: 'omar@school.example',
  mobilePhone: '+12025550160',
  homePhone: null,
  schoolIds: ['SD'],
};

const newDistrict: RosterImport = {
  orgs: [
    { id: 'D3', name: 'New District', type: 'district', parentId: null },
    { id: 'SD', name: 'Dogwood Elementary', type: 'school', parentId: 'D3' },
  ],
  students: [{ districtId: 'D3', sisId: 'S40', schoolId: 'SD', firstName: 'Eli', lastName: 'Stone' }],
  staff: [omar],
};

/**
 * A placeholder district P as an import without orgs.csv leaves it, beside D1: P's school SP
 * and students (S50; and S1, which D1 has too, at D1's school SA, as a roster whose schools a
 * later import moved holds it); a guardian only in P; a person with an archived guardian
 * role in D1 and an active one in P; a link held in both districts.
 */
const placeholder = {
  orgs: [
    { id: 'P', name: 'District (from OneRoster)', type: 'district', parentId: null },
    { id: 'SP', name: 'SP', type: 'school', parentId: 'P' },
  ],
  students: [
    { districtId: 'P', sisId: 'S50', schoolId: 'SP', firstName: 'Pia', lastName: 'Moss' },
    { districtId: 'P', sisId: 'S1', schoolId: 'SA', firstName: 'Ana (old)', lastName: 'Ruiz' },
  ],
  accounts: [
    {
      id: 'acct-p1',
      firstName: 'Pat',
      lastName: 'Moss',
      email: 'pat@mail.example',
      mobilePhone: null,
      homePhone: null,
      language: null,
      claimed: false,
      roles: [{ role: 'guardian', districtId: 'P', sisIds: ['GP1'], status: 'active' }],
    },
    {
      id: 'acct-both',
      firstName: 'Bo',
      lastName: 'Lind',
      email: 'bo@mail.example',
      mobilePhone: null,
      homePhone: null,
      language: null,
      claimed: false,
      roles: [
        { role: 'guardian', districtId: 'D1', sisIds: ['G8'], status: 'archived' },
        { role: 'guardian', districtId: 'P', sisIds: ['G8P'], status: 'active' },
      ],
    },
  ],
  links: [
    { accountId: 'acct-p1', districtId: 'P', studentSisId: 'S50', source: 'guardian-file' },
    { accountId: 'acct-p1', districtId: 'P', studentSisId: 'S1', source: 'guardian-file' },
    { accountId: 'acct-both', districtId: 'P', studentSisId: 'S1', source: 'manual' },
    { accountId: 'acct-both', districtId: 'D1', studentSisId: 'S1', source: 'manual' },
  ],
} as const satisfies RosterStoreSeed;

function staffRecord(districtId: string, sisId: string, firstName: string, lastName: string, email: string | null, mobilePhone: string | null = null): StaffRecord {
  return { districtId, sisId, firstName, lastName, email, mobilePhone, homePhone: null, schoolIds: [] };
}

export const ROSTER_CHECKS: readonly RosterStoreCheck[] = [
  {
    group: imports,
    name: 'loads orgs, students and staff, and updates in place when imported again',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      await expect(store.importRoster(newDistrict)).resolves.toEqual({ orgs: 2, students: 1, staffCreated: 1, staffUpdated: 0 });
      const scope = await store.resolveScope({ level: 'district', orgId: 'D3' });
      expect(scope).toEqual({ level: 'district', orgId: 'D3', districtId: 'D3', schoolIds: ['SD'] });
      if (scope === null) return;
      expect((await store.loadSnapshot(scope, NO_LOGINS)).students).toEqual(newDistrict.students);
      const state = await stateOf(harness);
      const created = state.accounts.filter((a) => a.roles.some((r) => r.role === 'staff' && r.sisIds.includes('T50')));
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ firstName: 'Omar', lastName: 'Haddad', email: 'omar@school.example', mobilePhone: '+12025550160', claimed: false });
      expect(created[0]?.roles).toEqual([{ role: 'staff', districtId: 'D3', sisIds: ['T50'], status: 'active' }]);

      await expect(store.importRoster(newDistrict)).resolves.toEqual({ orgs: 2, students: 1, staffCreated: 0, staffUpdated: 0 });
      expect(await stateOf(harness)).toEqual(state);

      const renamed: RosterImport = { ...newDistrict, staff: [{ ...omar, lastName: 'Haddad-Lee' }], students: [{ ...newDistrict.students[0]!, lastName: 'Stone-Gray' }] };
      await expect(store.importRoster(renamed)).resolves.toEqual({ orgs: 2, students: 1, staffCreated: 0, staffUpdated: 1 });
      const after = await stateOf(harness);
      expect(after.accounts).toHaveLength(state.accounts.length);
      expect(accountOf(after, created[0]?.id ?? '')?.lastName).toBe('Haddad-Lee');
      expect((await store.loadSnapshot(scope, NO_LOGINS)).students[0]?.lastName).toBe('Stone-Gray');
    },
  },
  {
    group: imports,
    name: 'importing a district with the same student and staff SIS ids as another leaves the other’s students, staff roles and links as they were',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      const before = await stateOf(harness);
      const result = await store.importRoster({
        orgs: [],
        // D1 has S1, S2 and S3 too: these are D2's children.
        students: ['S1', 'S2', 'S3'].map((sisId) => ({ districtId: 'D2', sisId, schoolId: 'SC', firstName: 'Dee', lastName: `Two-${sisId}` })),
        // D1's T1 is Tina; D2's T1 is Tom, renamed here; T2 is new in D2.
        staff: [staffRecord('D2', 'T1', 'Tom', 'Other-Smith', 'tom@school.example'), staffRecord('D2', 'T2', 'Tess', 'Two', 'tess@school.example')],
      });
      expect(result).toEqual({ orgs: 0, students: 3, staffCreated: 1, staffUpdated: 1 });
      const after = await stateOf(harness);
      expect(districtPart(after, 'D1')).toEqual(districtPart(before, 'D1'));
      expect(accountOf(after, 'acct-staff')).toEqual(conformanceAccount('acct-staff'));
      expect(accountOf(after, 'acct-d2-staff')).toEqual({ ...conformanceAccount('acct-d2-staff'), lastName: 'Other-Smith' });
      expect(after.students.filter((s) => s.districtId === 'D2').map((s) => `${s.sisId} ${s.lastName}`)).toEqual(['S1 Two-S1', 'S2 Two-S2', 'S3 Two-S3', 'S9 Patel']);
      expect(after.links).toEqual(before.links);
    },
  },
  {
    group: imports,
    name: 'matches a staff SIS id inside its district only: a teacher of another district with the same id is another account',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      const result = await store.importRoster({ orgs: newDistrict.orgs, students: [], staff: [staffRecord('D3', 'T1', 'Nora', 'New', 'nora@school.example')] });
      expect(result).toMatchObject({ staffCreated: 1, staffUpdated: 0 });
      const after = await stateOf(harness);
      expect(accountOf(after, 'acct-staff')).toEqual(conformanceAccount('acct-staff'));
      expect(accountOf(after, 'acct-d2-staff')).toEqual(conformanceAccount('acct-d2-staff'));
      const nora = after.accounts.find((a) => a.firstName === 'Nora');
      expect(nora?.roles).toEqual([{ role: 'staff', districtId: 'D3', sisIds: ['T1'], status: 'active' }]);
    },
  },
  {
    group: imports,
    name: 'gives a staff record with a guardian’s contact key the staff role on that account, not a second account',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      const parentTeacher = staffRecord('D1', 'T60', 'GINA', 'ruiz', 'Gina@Mail.example', '+12025550102');
      await expect(store.importRoster({ orgs: [], students: [], staff: [parentTeacher] })).resolves.toMatchObject({ staffCreated: 0, staffUpdated: 1 });
      const state = await stateOf(harness);
      expect(state.accounts).toHaveLength(CONFORMANCE_ACCOUNTS.length);
      expect(accountOf(state, 'acct-g1')?.roles).toEqual([
        { role: 'guardian', districtId: 'D1', sisIds: ['G1'], status: 'active' },
        { role: 'staff', districtId: 'D1', sisIds: ['T60'], status: 'active' },
      ]);
    },
  },
  {
    group: imports,
    name: 'never gives a staff account a login another account holds, and never matches on email alone',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      const impostor = staffRecord('D1', 'T70', 'Someone', 'Else', 'gina@mail.example', '+12025550103');
      await expect(store.importRoster({ orgs: [], students: [], staff: [impostor] })).resolves.toMatchObject({ staffCreated: 1, staffUpdated: 0 });
      const state = await stateOf(harness);
      const created = state.accounts.find((a) => a.roles.some((r) => r.role === 'staff' && r.sisIds.includes('T70')));
      expect(created).toMatchObject({ firstName: 'Someone', email: null, mobilePhone: null });
      expect(accountOf(state, 'acct-g1')).toEqual(conformanceAccount('acct-g1'));
    },
  },
  {
    group: imports,
    name: 'keeps the names and contacts of a claimed staff account',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      await store.importRoster({ orgs: [], students: [], staff: [staffRecord('D1', 'T1', 'Tina', 'Newname', 'tina@school.example')] });
      expect(accountOf(await stateOf(harness), 'acct-staff')).toEqual(conformanceAccount('acct-staff'));
    },
  },

  {
    group: imports,
    name: 'folds a district into another (mergeDistricts): its schools, students, links and roles move, an equal student or link is kept once, roles unite, the org goes, other districts stay',
    async run({ store, harness, skip }) {
      if (store.importRoster === undefined) return skip('the store has no importRoster');
      await harness.seed(placeholder);
      const before = await stateOf(harness);
      await expect(store.importRoster({ orgs: [], students: [], staff: [], mergeDistricts: [{ from: 'P', into: 'D1' }] })).resolves.toEqual({
        orgs: 0,
        students: 0,
        staffCreated: 0,
        staffUpdated: 0,
      });
      const after = await stateOf(harness);
      expect(await store.resolveScope({ level: 'district', orgId: 'P' })).toBeNull();
      expect((await store.resolveScope({ level: 'district', orgId: 'D1' }))?.schoolIds).toEqual(['SA', 'SB', 'SP']);
      if (store.listOrgs !== undefined) {
        expect((await store.listOrgs()).filter((o) => o.id === 'P' || o.id === 'SP')).toEqual([{ id: 'SP', name: 'SP', type: 'school', parentId: 'D1' }]);
      }
      expect(after.students.filter((st) => st.districtId === 'P')).toEqual([]);
      // D1's own S1 keeps its row; S50 joins D1.
      expect(after.students.filter((st) => st.districtId === 'D1').map((st) => `${st.sisId} ${st.firstName} ${st.schoolId}`)).toEqual([
        'S1 Ana SA',
        'S2 Ben SA',
        'S3 Chloé SB',
        'S50 Pia SP',
      ]);
      expect(after.links.filter((l) => l.districtId === 'P')).toEqual([]);
      expect(after.links.filter((l) => l.accountId === 'acct-p1' || l.accountId === 'acct-both')).toEqual([
        { accountId: 'acct-both', districtId: 'D1', studentSisId: 'S1', source: 'manual' },
        { accountId: 'acct-p1', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' },
        { accountId: 'acct-p1', districtId: 'D1', studentSisId: 'S50', source: 'guardian-file' },
      ]);
      expect(accountOf(after, 'acct-p1')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['GP1'], status: 'active' }]);
      expect(accountOf(after, 'acct-both')?.roles).toEqual([{ role: 'guardian', districtId: 'D1', sisIds: ['G8', 'G8P'], status: 'active' }]);
      // Everything else as it was: D2 whole, and D1's other accounts and links.
      expect(districtPart(after, 'D2')).toEqual(districtPart(before, 'D2'));
      const others = (state: typeof before) => state.accounts.filter((a) => a.id !== 'acct-p1' && a.id !== 'acct-both');
      expect(others(after)).toEqual(others(before));
      expect(after.links.filter((l) => l.districtId === 'D1' && l.accountId !== 'acct-p1' && l.accountId !== 'acct-both')).toEqual(
        before.links.filter((l) => l.districtId === 'D1' && l.accountId !== 'acct-p1' && l.accountId !== 'acct-both'),
      );
      // A snapshot of D1 now sees the folded guardian by its id, as a sync needs.
      const d1 = await store.resolveScope({ level: 'district', orgId: 'D1' });
      if (d1 === null) return;
      expect((await store.loadSnapshot(d1, NO_LOGINS)).accounts.map((a) => a.id)).toContain('acct-p1');
    },
  },

  {
    group: 'listOrgs (when the store has it)',
    name: 'lists every district and school, sorted by id',
    async run({ store, skip }) {
      if (store.listOrgs === undefined) return skip('the store has no listOrgs');
      expect(await store.listOrgs()).toEqual([...CONFORMANCE_ORGS].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    },
  },

  {
    group: exports,
    name: "exports one district: its students, and the accounts holding a role there or a link to its students, each with that district's roles and students only",
    async run({ store, skip }) {
      if (store.exportRoster === undefined) return skip('the store has no exportRoster');
      const exported = await store.exportRoster('D1');
      expect(exported.formatVersion).toBe(1);
      expect(exported.districtId).toBe('D1');
      expect(exported.students).toEqual([
        { sisId: 'S1', schoolId: 'SA', firstName: 'Ana', lastName: 'Ruiz' },
        { sisId: 'S2', schoolId: 'SA', firstName: 'Ben', lastName: 'Okafor' },
        { sisId: 'S3', schoolId: 'SB', firstName: 'Chloé', lastName: 'Martin' },
      ]);
      expect(exported.accounts.map((a) => a.id)).toEqual(['acct-d2-staff', 'acct-g1', 'acct-g2', 'acct-g3', 'acct-shared', 'acct-staff']);
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
      expect(byId.get('acct-shared')?.roles).toEqual([{ role: 'guardian', sisIds: ['G5'], status: 'active' }]);
      expect(byId.get('acct-shared')?.students).toEqual(['S2']);
      // Linked to D1's S3 by a manual invite, without a D1 role: listed, with no role and no student.
      expect(byId.get('acct-d2-staff')?.roles).toEqual([]);
      expect(byId.get('acct-d2-staff')?.students).toEqual([]);
    },
  },
  {
    group: exports,
    name: 'exports the other district the same way; an account shared by both appears in each, with the same id',
    async run({ store, skip }) {
      if (store.exportRoster === undefined) return skip('the store has no exportRoster');
      const exported = await store.exportRoster('D2');
      expect(exported.districtId).toBe('D2');
      expect(exported.students).toEqual([
        { sisId: 'S1', schoolId: 'SC', firstName: 'Dana', lastName: 'Kim' },
        { sisId: 'S9', schoolId: 'SC', firstName: 'Dev', lastName: 'Patel' },
      ]);
      expect(exported.accounts.map((a) => a.id)).toEqual(['acct-d2', 'acct-d2-staff', 'acct-shared']);
      const byId = new Map(exported.accounts.map((a) => [a.id, a]));
      expect(byId.get('acct-shared')).toMatchObject({ roles: [{ role: 'guardian', sisIds: ['G1'], status: 'active' }], students: ['S1'] });
      expect(byId.get('acct-d2')).toMatchObject({ email: 'Kai.Kim@Mail.example', roles: [{ role: 'guardian', sisIds: ['G2'], status: 'active' }], students: ['S1', 'S9'] });
      expect(byId.get('acct-d2-staff')).toMatchObject({ roles: [{ role: 'staff', sisIds: ['T1'], status: 'active' }], students: [] });
    },
  },
  {
    group: exports,
    name: "stops listing the students of a guardian archived in that district, and only in that district's export",
    async run({ store, skip }) {
      if (store.exportRoster === undefined) return skip('the store has no exportRoster');
      await applyPlan(store, buildTestPlan(CONFORMANCE_SCOPE, { archives: [roleStatusItem('acct-g3'), roleStatusItem('acct-shared')] }));
      const d1 = await store.exportRoster('D1');
      expect(d1.accounts.find((a) => a.id === 'acct-g3')?.students).toEqual([]);
      expect(d1.accounts.find((a) => a.id === 'acct-shared')).toMatchObject({ roles: [{ role: 'guardian', sisIds: ['G5'], status: 'archived' }], students: [] });
      expect((await store.exportRoster('D2')).accounts.find((a) => a.id === 'acct-shared')).toMatchObject({ roles: [{ role: 'guardian', sisIds: ['G1'], status: 'active' }], students: ['S1'] });
    },
  },
  {
    group: exports,
    name: 'exports a district with no accounts as its students alone, and an unknown district as empty',
    async run({ store, harness, skip }) {
      if (store.exportRoster === undefined) return skip('the store has no exportRoster');
      await harness.seed({
        orgs: [
          { id: 'D3', name: 'Third District', type: 'district', parentId: null },
          { id: 'SD', name: 'Dogwood Elementary', type: 'school', parentId: 'D3' },
        ],
        students: [{ districtId: 'D3', sisId: 'S1', schoolId: 'SD', firstName: 'Eli', lastName: 'Stone' }],
      });
      expect(await store.exportRoster('D3')).toEqual({ formatVersion: 1, districtId: 'D3', accounts: [], students: [{ sisId: 'S1', schoolId: 'SD', firstName: 'Eli', lastName: 'Stone' }] });
      expect(await store.exportRoster('NOPE')).toEqual({ formatVersion: 1, districtId: 'NOPE', accounts: [], students: [] });
    },
  },
];
