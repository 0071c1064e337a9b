// Arbitraries for the roster store properties: a stored roster of two districts whose SIS
// ids overlap (students, guardian and staff ids), accounts with roles in either or both, and
// a plan in one of the districts that is applicable to it (every item refers to an account
// that exists by the time it runs, and to a student of the plan's district), with the
// overlaps that make interruption interesting: a create then updated, a link added and
// removed in one plan, a role archived and restored, ids removed and added, creates of ids
// that already exist, items on accounts whose other roles are in the other district.
import { fc } from '@fast-check/vitest';
import type { StaffRecord } from '../../src/contracts/roster-store.js';
import type { AccountCreate, AccountUpdate, FieldChange, LinkChange, RoleAdd, RoleIdRemove, RoleStatusChange, SyncPlan } from '../../src/model/plan.js';
import type { Account, AccountRole, GuardianLink, Org, ResolvedScope, Student } from '../../src/model/roster.js';
import { buildTestPlan } from '../../src/testing/roster-store-fixtures.js';
import type { RosterStoreSeed } from '../../src/testing/roster-store-harness.js';

export const STORE_SCOPE: ResolvedScope = { level: 'district', orgId: 'D1', districtId: 'D1', schoolIds: ['SA', 'SB'] };
export const STORE_SCOPE_D2: ResolvedScope = { level: 'district', orgId: 'D2', districtId: 'D2', schoolIds: ['SC'] };
export const STORE_DISTRICTS = ['D1', 'D2'] as const;
export const STORE_SOURCES = ['guardian-file', 'manual'] as const;

const ORGS: readonly Org[] = [
  { id: 'D1', name: 'District', type: 'district', parentId: null },
  { id: 'SA', name: 'School A', type: 'school', parentId: 'D1' },
  { id: 'SB', name: 'School B', type: 'school', parentId: 'D1' },
  { id: 'D2', name: 'Other District', type: 'district', parentId: null },
  { id: 'SC', name: 'School C', type: 'school', parentId: 'D2' },
];
/** Student SIS ids by district: D2's S1 and S2 are other children than D1's. */
const STUDENT_IDS: Readonly<Record<string, readonly string[]>> = { D1: ['S1', 'S2', 'S3', 'S4'], D2: ['S1', 'S2'] };
const STUDENTS: readonly Student[] = [
  ...STUDENT_IDS['D1']!.map((sisId, i) => ({ districtId: 'D1', sisId, schoolId: i < 2 ? 'SA' : 'SB', firstName: `F${i}`, lastName: `L${i}` })),
  ...STUDENT_IDS['D2']!.map((sisId, i) => ({ districtId: 'D2', sisId, schoolId: 'SC', firstName: `G${i}`, lastName: `M${i}` })),
];
const EXISTING_IDS = ['e0', 'e1', 'e2', 'e3'] as const;
const NEW_IDS = ['n0', 'n1', 'n2'] as const;
const SIS_IDS = ['G1', 'G2', 'G3', 'G4', 'T1'] as const;
const NAMES = ['Ana', 'José', 'Li', 'Zoë'] as const;
const EMAILS = [null, 'a@x.org', 'b@x.org', 'c@x.org'] as const;
const PHONES = [null, '+12025550101', '+12025550102'] as const;

const roleArb: fc.Arbitrary<AccountRole> = fc.record({
  role: fc.constantFrom('guardian' as const, 'staff' as const),
  districtId: fc.constantFrom(...STORE_DISTRICTS),
  sisIds: fc.uniqueArray(fc.constantFrom(...SIS_IDS), { maxLength: 2 }),
  status: fc.constantFrom('active' as const, 'archived' as const),
});

const fieldsArb = fc.record({
  firstName: fc.constantFrom(...NAMES),
  lastName: fc.constantFrom(...NAMES),
  email: fc.constantFrom(...EMAILS),
  mobilePhone: fc.constantFrom(...PHONES),
  homePhone: fc.constantFrom(...PHONES),
  language: fc.constantFrom(null, 'es', 'fr'),
});

function accountArb(id: string): fc.Arbitrary<Account> {
  return fc
    .record({ fields: fieldsArb, claimed: fc.boolean(), roles: fc.uniqueArray(roleArb, { maxLength: 3, selector: (r) => `${r.districtId}/${r.role}` }) })
    .map(({ fields, claimed, roles }) => ({ id, ...fields, claimed, roles }));
}

const linkArb = (accountIds: readonly string[]): fc.Arbitrary<GuardianLink> =>
  fc
    .constantFrom(...STORE_DISTRICTS)
    .chain((districtId) =>
      fc.record({
        accountId: fc.constantFrom(...accountIds),
        districtId: fc.constant(districtId),
        studentSisId: fc.constantFrom(...STUDENT_IDS[districtId]!),
        source: fc.constantFrom(...STORE_SOURCES),
      }),
    );

/** A stored roster: fixed orgs and students of two districts, up to four accounts, links among them. */
export const storeSeedArb: fc.Arbitrary<RosterStoreSeed & { readonly accounts: readonly Account[] }> = fc
  .subarray([...EXISTING_IDS], { minLength: 1 })
  .chain((ids) =>
    fc.record({
      accounts: fc.tuple(...ids.map(accountArb)),
      links: fc.uniqueArray(linkArb(ids), { maxLength: 8, selector: (l) => `${l.accountId}/${l.districtId}/${l.studentSisId}/${l.source}` }),
    }),
  )
  .map(({ accounts, links }) => ({ orgs: ORGS, students: STUDENTS, accounts, links }));

const changeArb: fc.Arbitrary<FieldChange> = fc.oneof(
  fc.record({ field: fc.constantFrom('firstName' as const, 'lastName' as const), before: fc.constant(null), after: fc.constantFrom(...NAMES) }),
  fc.record({ field: fc.constant('email' as const), before: fc.constant(null), after: fc.constantFrom(...EMAILS) }),
  fc.record({ field: fc.constantFrom('mobilePhone' as const, 'homePhone' as const), before: fc.constant(null), after: fc.constantFrom(...PHONES) }),
  fc.record({ field: fc.constant('language' as const), before: fc.constant(null), after: fc.constantFrom(null, 'es', 'zh-Hant') }),
);

/** A plan in `scope`'s district applicable to `seed`: items refer only to accounts that exist when they run, and to the district's students. */
export function storePlanArb(seed: { readonly accounts: readonly Account[] }, scope: ResolvedScope = STORE_SCOPE): fc.Arbitrary<SyncPlan> {
  const { districtId } = scope;
  const existing = seed.accounts.map((a) => a.id);
  return fc
    .record({
      source: fc.constantFrom(...STORE_SOURCES),
      // Creates: new ids, and sometimes an id that exists (must be skipped).
      createIds: fc.uniqueArray(fc.constantFrom(...NEW_IDS, ...existing), { maxLength: 4 }),
      createFields: fc.array(fieldsArb, { minLength: 4, maxLength: 4 }),
      createSisIds: fc.array(fc.uniqueArray(fc.constantFrom(...SIS_IDS), { maxLength: 2 }), { minLength: 4, maxLength: 4 }),
    })
    .chain(({ source, createIds, createFields, createSisIds }) => {
      const creates: AccountCreate[] = createIds.map((accountId, i) => ({ accountId, fields: createFields[i] ?? createFields[0]!, guardianSisIds: createSisIds[i] ?? [], lines: [i + 2] }));
      const known = [...new Set([...existing, ...creates.map((c) => c.accountId)])];
      // Updates run before creates: like a planner, update only accounts that exist already.
      const updateArb: fc.Arbitrary<AccountUpdate> = fc.record({ accountId: fc.constantFrom(...existing), changes: fc.array(changeArb, { minLength: 1, maxLength: 3 }), lines: fc.constant([2]) });
      const roleAddArb: fc.Arbitrary<RoleAdd> = fc.record({
        accountId: fc.constantFrom(...known),
        role: fc.constant('guardian' as const),
        sisIds: fc.uniqueArray(fc.constantFrom(...SIS_IDS), { maxLength: 2 }),
        reason: fc.constantFrom('new-role' as const, 'new-sis-id' as const),
        lines: fc.constant([3]),
      });
      // Like a planner, id removes only of accounts that exist before the plan (an id remove
      // of an account the plan creates would undo the create's ids on a second apply).
      const idRemoveArb: fc.Arbitrary<RoleIdRemove> = fc.record({
        accountId: fc.constantFrom(...existing),
        role: fc.constant('guardian' as const),
        sisIds: fc.uniqueArray(fc.constantFrom(...SIS_IDS), { minLength: 1, maxLength: 2 }),
        lines: fc.constant([4]),
      });
      const linkChangeArb: fc.Arbitrary<LinkChange> = fc.record({ accountId: fc.constantFrom(...known), studentSisId: fc.constantFrom(...STUDENT_IDS[districtId]!), lines: fc.constant([]) });
      return fc
        .record({
          updates: fc.array(updateArb, { maxLength: 3 }),
          roleAdds: fc.array(roleAddArb, { maxLength: 3 }),
          idRemoves: fc.array(idRemoveArb, { maxLength: 3 }),
          linkAdds: fc.array(linkChangeArb, { maxLength: 6 }),
          linkRemoves: fc.array(linkChangeArb, { maxLength: 6 }),
        })
        .chain((items) => {
          // Archives and restores only of accounts that hold a guardian role in the district by then.
          const guardians = [
            ...new Set([
              ...seed.accounts.filter((a) => a.roles.some((r) => r.role === 'guardian' && r.districtId === districtId)).map((a) => a.id),
              ...creates.map((c) => c.accountId).filter((id) => !existing.includes(id)),
              ...items.roleAdds.map((r) => r.accountId),
            ]),
          ];
          const statusArb: fc.Arbitrary<RoleStatusChange[]> =
            guardians.length === 0 ? fc.constant([]) : fc.array(fc.record({ accountId: fc.constantFrom(...guardians), role: fc.constant('guardian' as const), lines: fc.constant([]) }), { maxLength: 3 });
          return fc.record({ archives: statusArb, restores: statusArb }).map(({ archives, restores }) => buildTestPlan(scope, { source, creates, ...items, archives, restores }));
        });
    });
}

/** A seed and a plan applicable to it, in either district. */
export const seedAndPlanArb = fc
  .tuple(storeSeedArb, fc.constantFrom(STORE_SCOPE, STORE_SCOPE_D2))
  .chain(([seed, scope]) => storePlanArb(seed, scope).map((plan) => ({ seed, plan })));

/** Staff records of a roster import in both districts: unique (district, SIS id), names, logins and phones from the same small pools as the seed. */
export const staffRecordsArb: fc.Arbitrary<StaffRecord[]> = fc.uniqueArray(
  fc.record({
    districtId: fc.constantFrom(...STORE_DISTRICTS),
    sisId: fc.constantFrom('T1', 'T2', 'T3', 'G1', 'G2'),
    firstName: fc.constantFrom(...NAMES, 'ana', 'ZOË'),
    lastName: fc.constantFrom(...NAMES),
    email: fc.constantFrom(...EMAILS, 'A@X.org'),
    mobilePhone: fc.constantFrom(...PHONES),
    homePhone: fc.constantFrom(...PHONES),
    schoolIds: fc.constant(['SA']),
  }),
  { maxLength: 5, selector: (r) => `${r.districtId}/${r.sisId}` },
);

/** A seed where no two accounts share an email (case-insensitively), a mobile, or a staff SIS id of one district. */
export const seedWithUniqueLoginsArb = storeSeedArb.filter((seed) => {
  const emails = seed.accounts.flatMap((a) => (a.email === null ? [] : [a.email.toLowerCase()]));
  const mobiles = seed.accounts.flatMap((a) => (a.mobilePhone === null ? [] : [a.mobilePhone]));
  const staffIds = seed.accounts.flatMap((a) => a.roles.filter((r) => r.role === 'staff').flatMap((r) => r.sisIds.map((id) => `${r.districtId}/${id}`)));
  return new Set(emails).size === emails.length && new Set(mobiles).size === mobiles.length && new Set(staffIds).size === staffIds.length;
});
