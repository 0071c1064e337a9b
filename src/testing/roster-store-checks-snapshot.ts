// Checks of `resolveScope` and of the keyed snapshot (RosterSnapshot's doc comment): a
// district's students, links and accounts, the holders of the requested logins, and
// nothing else of another district.
import { expect } from 'vitest';
import type { Account } from '../model/roster.js';
import type { RosterStoreCheck } from './roster-store-check.js';
import {
  CONFORMANCE_LINKS,
  CONFORMANCE_SCOPE,
  CONFORMANCE_SCOPE_D2,
  CONFORMANCE_STUDENTS,
  conformanceAccounts,
  NO_LOGINS,
  normalizeAccounts,
  normalizeLinks,
  normalizeStudents,
  testFields,
} from './roster-store-fixtures.js';

/** D1's role holders (staff, three guardians, the shared account) and the D2 teacher linked to D1's S3. */
const D1_ACCOUNTS = ['acct-staff', 'acct-g1', 'acct-g2', 'acct-g3', 'acct-shared', 'acct-d2-staff'] as const;
const D2_ACCOUNTS = ['acct-shared', 'acct-d2', 'acct-d2-staff'] as const;

function studentsOf(districtId: string) {
  return normalizeStudents(CONFORMANCE_STUDENTS.filter((s) => s.districtId === districtId));
}

function linksOf(districtId: string) {
  return normalizeLinks(CONFORMANCE_LINKS.filter((l) => l.districtId === districtId));
}

function expectEachOnce(accounts: readonly Account[]): void {
  const ids = accounts.map((a) => a.id);
  expect(new Set(ids).size, 'an account appears at most once in a snapshot').toBe(ids.length);
}

const group = 'loadSnapshot (keyed)';

export const SNAPSHOT_CHECKS: readonly RosterStoreCheck[] = [
  {
    group: 'resolveScope',
    name: 'resolves a district with all its schools',
    async run({ store }) {
      const scope = await store.resolveScope({ level: 'district', orgId: 'D1' });
      expect(scope).not.toBeNull();
      expect({ ...scope, schoolIds: [...(scope?.schoolIds ?? [])].sort() }).toEqual(CONFORMANCE_SCOPE);
    },
  },
  {
    group: 'resolveScope',
    name: 'resolves a school with its district and only itself',
    async run({ store }) {
      expect(await store.resolveScope({ level: 'school', orgId: 'SB' })).toEqual({ level: 'school', orgId: 'SB', districtId: 'D1', schoolIds: ['SB'] });
      expect(await store.resolveScope({ level: 'school', orgId: 'SC' })).toEqual({ level: 'school', orgId: 'SC', districtId: 'D2', schoolIds: ['SC'] });
    },
  },
  {
    group: 'resolveScope',
    name: 'returns null for an unknown org, without throwing',
    async run({ store }) {
      await expect(store.resolveScope({ level: 'district', orgId: 'NOPE' })).resolves.toBeNull();
      await expect(store.resolveScope({ level: 'school', orgId: 'NOPE' })).resolves.toBeNull();
    },
  },
  {
    group: 'resolveScope',
    name: 'returns null when the org exists at the other level',
    async run({ store }) {
      await expect(store.resolveScope({ level: 'school', orgId: 'D1' })).resolves.toBeNull();
      await expect(store.resolveScope({ level: 'district', orgId: 'SA' })).resolves.toBeNull();
    },
  },
  {
    group,
    name: "returns all of a district's students and links, and every account holding a role there or a link to its students, with all their roles",
    async run({ store }) {
      const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS);
      expect(snapshot.scope).toEqual(CONFORMANCE_SCOPE);
      expectEachOnce(snapshot.accounts);
      expect(normalizeStudents(snapshot.students)).toEqual(studentsOf('D1'));
      expect(normalizeLinks(snapshot.links)).toEqual(linksOf('D1'));
      // acct-shared comes with its D2 role too; acct-d2-staff (no D1 role) through its link to D1's S3.
      expect(normalizeAccounts(snapshot.accounts)).toEqual(conformanceAccounts(...D1_ACCOUNTS));
    },
  },
  {
    group,
    name: 'returns nothing of another district: none of its students or links, none of its accounts without a role or link here',
    async run({ store }) {
      const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE_D2, NO_LOGINS);
      expectEachOnce(snapshot.accounts);
      expect(snapshot.students.filter((s) => s.districtId !== 'D2')).toEqual([]);
      expect(snapshot.links.filter((l) => l.districtId !== 'D2')).toEqual([]);
      expect(snapshot.accounts.map((a) => a.id).filter((id) => !(D2_ACCOUNTS as readonly string[]).includes(id))).toEqual([]);
      // D2's S1 is Dana Kim, not D1's Ana Ruiz.
      expect(normalizeStudents(snapshot.students)).toEqual(studentsOf('D2'));
      expect(normalizeLinks(snapshot.links)).toEqual(linksOf('D2'));
      expect(normalizeAccounts(snapshot.accounts)).toEqual(conformanceAccounts(...D2_ACCOUNTS));
    },
  },
  {
    group,
    name: 'adds the accounts holding a requested login, whatever their district, each once, with all their roles, and none of their links elsewhere',
    async run({ store }) {
      const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE, {
        logins: { emails: ['kai.kim@mail.example', 'sam@mail.example', 'nobody@mail.example'], mobiles: ['+12025550105'] },
      });
      expectEachOnce(snapshot.accounts);
      expect(normalizeAccounts(snapshot.accounts)).toEqual(conformanceAccounts(...D1_ACCOUNTS, 'acct-d2', 'acct-lone'));
      expect(normalizeLinks(snapshot.links)).toEqual(linksOf('D1'));
      expect(normalizeStudents(snapshot.students)).toEqual(studentsOf('D1'));
    },
  },
  {
    group,
    name: 'finds a login holder by email whatever letter case the email is stored in, and by mobile',
    async run({ store }) {
      // Stored as "Kai.Kim@Mail.example"; requests carry emails folded (emailKey).
      const byEmail = await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: { emails: ['kai.kim@mail.example'], mobiles: [] } });
      expect(byEmail.accounts.map((a) => a.id)).toContain('acct-d2');
      const byMobile = await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: { emails: [], mobiles: ['+12025550104'] } });
      expect(normalizeAccounts(byMobile.accounts)).toEqual(conformanceAccounts(...D1_ACCOUNTS, 'acct-d2'));
    },
  },
  {
    group,
    name: 'returns no account for a login nobody holds, and no holder of a login that was not asked for',
    async run({ store }) {
      const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: { emails: ['nobody@mail.example'], mobiles: ['+12025550199'] } });
      expect(normalizeAccounts(snapshot.accounts)).toEqual(conformanceAccounts(...D1_ACCOUNTS));
    },
  },
  {
    group,
    name: 'gives a school-level scope the students of its whole district (out of scope, not unknown), and the same accounts and links',
    async run({ store }) {
      const scope = await store.resolveScope({ level: 'school', orgId: 'SA' });
      expect(scope).not.toBeNull();
      if (scope === null) return;
      const snapshot = await store.loadSnapshot(scope, NO_LOGINS);
      expect(normalizeStudents(snapshot.students)).toEqual(studentsOf('D1'));
      expect(normalizeAccounts(snapshot.accounts)).toEqual(conformanceAccounts(...D1_ACCOUNTS));
      expect(normalizeLinks(snapshot.links)).toEqual(linksOf('D1'));
    },
  },
  {
    group,
    name: 'reflects what the backend holds after a change, in this district only',
    async run({ store, harness }) {
      await harness.seed({
        accounts: [
          { id: 'acct-late', ...testFields('Lee', 'Late', { email: 'lee@mail.example' }), claimed: false, roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G40'], status: 'active' }] },
          { id: 'acct-late-d2', ...testFields('Lin', 'Later', { email: 'lin@mail.example' }), claimed: false, roles: [{ role: 'guardian', districtId: 'D2', sisIds: ['G40'], status: 'active' }] },
        ],
        links: [{ accountId: 'acct-late-d2', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' }],
      });
      const d1 = await store.loadSnapshot(CONFORMANCE_SCOPE, NO_LOGINS);
      expect(d1.accounts.map((a) => a.id)).toContain('acct-late');
      expect(d1.accounts.map((a) => a.id)).not.toContain('acct-late-d2');
      expect(d1.links.filter((l) => l.accountId === 'acct-late-d2')).toEqual([]);
      const d2 = await store.loadSnapshot(CONFORMANCE_SCOPE_D2, NO_LOGINS);
      expect(d2.accounts.map((a) => a.id)).toContain('acct-late-d2');
      expect(normalizeLinks(d2.links)).toContainEqual({ accountId: 'acct-late-d2', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' });
    },
  },
];
