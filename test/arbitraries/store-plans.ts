// Arbitraries for the roster store properties: a stored roster and a plan that is
// applicable to it (every item refers to an account that exists by the time it runs), with
// the overlaps that make interruption interesting: a create then updated, a link added and
// removed in one plan, a role archived and restored, creates of ids that already exist.
import { fc } from '@fast-check/vitest';
import type { AccountCreate, AccountUpdate, FieldChange, LinkChange, RoleAdd, RoleStatusChange, SyncPlan } from '../../src/model/plan.js';
import type { StaffRecord } from '../../src/contracts/roster-store.js';
import type { Account, AccountRole, GuardianLink, Org, ResolvedScope, Student } from '../../src/model/roster.js';
import { buildTestPlan } from '../../src/testing/roster-store-fixtures.js';
import type { RosterStoreSeed } from '../../src/testing/roster-store-harness.js';

export const STORE_SCOPE: ResolvedScope = { level: 'district', orgId: 'D1', districtId: 'D1', schoolIds: ['SA', 'SB'] };
export const STORE_SOURCES = ['guardian-file', 'manual'] as const;

const ORGS: readonly Org[] = [
  { id: 'D1', name: 'District', type: 'district', parentId: null },
  { id: 'SA', name: 'School A', type: 'school', parentId: 'D1' },
  { id: 'SB', name: 'School B', type: 'school', parentId: 'D1' },
];
const STUDENT_IDS = ['S1', 'S2', 'S3', 'S4'] as const;
const STUDENTS: readonly Student[] = STUDENT_IDS.map((sisId, i) => ({ sisId, schoolId: i < 2 ? 'SA' : 'SB', firstName: `F${i}`, lastName: `L${i}` }));
const EXISTING_IDS = ['e0', 'e1', 'e2', 'e3'] as const;
const NEW_IDS = ['n0', 'n1', 'n2'] as const;
const SIS_IDS = ['G1', 'G2', 'G3', 'G4', 'T1'] as const;
const NAMES = ['Ana', 'José', 'Li', 'Zoë'] as const;
const EMAILS = [null, 'a@x.org', 'b@x.org', 'c@x.org'] as const;
const PHONES = [null, '+12025550101', '+12025550102'] as const;

const roleArb: fc.Arbitrary<AccountRole> = fc.record({
  role: fc.constantFrom('guardian' as const, 'staff' as const),
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
    .record({ fields: fieldsArb, claimed: fc.boolean(), roles: fc.uniqueArray(roleArb, { maxLength: 2, selector: (r) => r.role }) })
    .map(({ fields, claimed, roles }) => ({ id, ...fields, claimed, roles }));
}

const linkArb = (accountIds: readonly string[]): fc.Arbitrary<GuardianLink> =>
  fc.record({ accountId: fc.constantFrom(...accountIds), studentSisId: fc.constantFrom(...STUDENT_IDS), source: fc.constantFrom(...STORE_SOURCES) });

/** A stored roster: fixed orgs and students, up to four accounts, links among them. */
export const storeSeedArb: fc.Arbitrary<RosterStoreSeed & { readonly accounts: readonly Account[] }> = fc
  .subarray([...EXISTING_IDS], { minLength: 1 })
  .chain((ids) =>
    fc.record({
      accounts: fc.tuple(...ids.map(accountArb)),
      links: fc.uniqueArray(linkArb(ids), { maxLength: 8, selector: (l) => `${l.accountId}/${l.studentSisId}/${l.source}` }),
    }),
  )
  .map(({ accounts, links }) => ({ orgs: ORGS, students: STUDENTS, accounts, links }));

const changeArb: fc.Arbitrary<FieldChange> = fc.oneof(
  fc.record({ field: fc.constantFrom('firstName' as const, 'lastName' as const), before: fc.constant(null), after: fc.constantFrom(...NAMES) }),
  fc.record({ field: fc.constant('email' as const), before: fc.constant(null), after: fc.constantFrom(...EMAILS) }),
  fc.record({ field: fc.constantFrom('mobilePhone' as const, 'homePhone' as const), before: fc.constant(null), after: fc.constantFrom(...PHONES) }),
  fc.record({ field: fc.constant('language' as const), before: fc.constant(null), after: fc.constantFrom(null, 'es', 'zh-Hant') }),
);

/** A plan applicable to `seed`: items refer only to accounts that exist when they run. */
export function storePlanArb(seed: { readonly accounts: readonly Account[] }): fc.Arbitrary<SyncPlan> {
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
      const linkChangeArb: fc.Arbitrary<LinkChange> = fc.record({ accountId: fc.constantFrom(...known), studentSisId: fc.constantFrom(...STUDENT_IDS), lines: fc.constant([]) });
      return fc.record({ updates: fc.array(updateArb, { maxLength: 3 }), roleAdds: fc.array(roleAddArb, { maxLength: 3 }), linkAdds: fc.array(linkChangeArb, { maxLength: 6 }), linkRemoves: fc.array(linkChangeArb, { maxLength: 6 }) }).chain((items) => {
        // Archives and restores only of accounts that hold a guardian role by then.
        const guardians = [
          ...new Set([
            ...seed.accounts.filter((a) => a.roles.some((r) => r.role === 'guardian')).map((a) => a.id),
            ...creates.map((c) => c.accountId).filter((id) => !existing.includes(id)),
            ...items.roleAdds.map((r) => r.accountId),
          ]),
        ];
        const statusArb: fc.Arbitrary<RoleStatusChange[]> =
          guardians.length === 0 ? fc.constant([]) : fc.array(fc.record({ accountId: fc.constantFrom(...guardians), role: fc.constant('guardian' as const), lines: fc.constant([]) }), { maxLength: 3 });
        return fc.record({ archives: statusArb, restores: statusArb }).map(({ archives, restores }) => buildTestPlan(STORE_SCOPE, { source, creates, ...items, archives, restores }));
      });
    });
}

/** A seed and a plan applicable to it. */
export const seedAndPlanArb = storeSeedArb.chain((seed) => storePlanArb(seed).map((plan) => ({ seed, plan })));

/** Staff records of a roster import: unique SIS ids, names, logins and phones from the same small pools as the seed. */
export const staffRecordsArb: fc.Arbitrary<StaffRecord[]> = fc.uniqueArray(
  fc.record({
    sisId: fc.constantFrom('T1', 'T2', 'T3', 'G1', 'G2'),
    firstName: fc.constantFrom(...NAMES, 'ana', 'ZOË'),
    lastName: fc.constantFrom(...NAMES),
    email: fc.constantFrom(...EMAILS, 'A@X.org'),
    mobilePhone: fc.constantFrom(...PHONES),
    homePhone: fc.constantFrom(...PHONES),
    schoolIds: fc.constant(['SA']),
  }),
  { maxLength: 5, selector: (r) => r.sisId },
);

/** A seed where no two accounts share an email (case-insensitively), a mobile, or a staff SIS id. */
export const seedWithUniqueLoginsArb = storeSeedArb.filter((seed) => {
  const emails = seed.accounts.flatMap((a) => (a.email === null ? [] : [a.email.toLowerCase()]));
  const mobiles = seed.accounts.flatMap((a) => (a.mobilePhone === null ? [] : [a.mobilePhone]));
  const staffIds = seed.accounts.flatMap((a) => a.roles.filter((r) => r.role === 'staff').flatMap((r) => r.sisIds));
  return new Set(emails).size === emails.length && new Set(mobiles).size === mobiles.length && new Set(staffIds).size === staffIds.length;
});
