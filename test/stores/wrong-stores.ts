// Deliberately wrong roster stores: the memory store with one district rule broken each.
// Each is a mistake an adapter author could plausibly make while moving a store to the
// keyed, per-district contract. wrong-stores.test.ts proves the conformance suite fails
// every one of them; a suite that passed one would not be worth running.
import type { RosterStore } from '../../src/contracts/roster-store.js';
import type { SyncPlan } from '../../src/model/plan.js';
import type { Account, ResolvedScope } from '../../src/model/roster.js';
import { buildRosterExport } from '../../src/stores/build-roster-export.js';
import { importStaffRecords } from '../../src/stores/import-staff.js';
import { accountsWithEmail, accountsWithMobile, deleteLink, putAccount, putLink, putOrg, putStudent, studentOf } from '../../src/stores/memory-roster-data.js';
import type { MemoryStore } from '../../src/stores/memory-store.js';
import type { RosterStoreConformanceOptions } from '../../src/testing/roster-store-harness.js';
import { createMemoryHarness } from './memory-harness.js';

export interface WrongStore {
  /** What it gets wrong, in a few words (the test's name). */
  readonly name: string;
  /** The checks that must fail for it: each is the one that names the broken rule. */
  readonly caughtBy: readonly string[];
  /** Why the model-based check cannot see it, when it cannot. */
  readonly modelMisses?: string;
  /** The harness options running the suite against it. */
  readonly options: RosterStoreConformanceOptions;
}

/** A memory harness whose store has some methods replaced. */
function wrong(name: string, override: (store: MemoryStore) => Partial<RosterStore>): RosterStoreConformanceOptions {
  return {
    name,
    modelRuns: 20,
    create: () => {
      const harness = createMemoryHarness({ newAccountId: counter() });
      const store = { ...harness.store, ...override(harness.store) };
      return { ...harness, store };
    },
  };
}

function counter(): () => string {
  let next = 0;
  return () => `staff-${++next}`;
}

/** The plan with other item lists (the rest as it was). */
function withItems(plan: SyncPlan, items: Partial<Pick<SyncPlan, 'creates' | 'updates' | 'roleAdds' | 'idRemoves' | 'linkAdds' | 'linkRemoves' | 'archives' | 'restores'>>): SyncPlan {
  const none = { creates: [], updates: [], roleAdds: [], idRemoves: [], linkAdds: [], linkRemoves: [], archives: [], restores: [] };
  return { ...plan, ...none, ...items };
}

function scopeOf(districtId: string): ResolvedScope {
  return { level: 'district', orgId: districtId, districtId, schoolIds: [] };
}

function guardianDistricts(account: Account | undefined): string[] {
  return (account?.roles ?? []).filter((r) => r.role === 'guardian').map((r) => r.districtId);
}

const NO_COUNTS = { accountsCreated: 0, accountsUpdated: 0, rolesChanged: 0, linksAdded: 0, linksRemoved: 0 };

export const WRONG_STORES: readonly WrongStore[] = [
  {
    name: 'returns every account of the platform in a snapshot',
    caughtBy: ["returns all of a district's students and links, and every account holding a role there or a link to its students, with all their roles"],
    options: wrong('every account', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, request);
        return { ...snapshot, accounts: [...store.data.accounts.values()] };
      },
    })),
  },
  {
    name: "leaks another district's links into a snapshot",
    caughtBy: ['returns nothing of another district: none of its students or links, none of its accounts without a role or link here'],
    options: wrong('leaks links', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, request);
        return { ...snapshot, links: [...store.data.links.values()] };
      },
    })),
  },
  {
    name: "leaks another district's students into a snapshot",
    caughtBy: ['returns nothing of another district: none of its students or links, none of its accounts without a role or link here'],
    options: wrong('leaks students', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, request);
        return { ...snapshot, students: [...store.data.students.values()] };
      },
    })),
  },
  {
    name: "ignores the request's logins",
    caughtBy: ['adds the accounts holding a requested login, whatever their district, each once, with all their roles, and none of their links elsewhere'],
    options: wrong('no login holders', (store) => ({
      async loadSnapshot(scope, request) {
        return store.loadSnapshot(scope, { ...request, logins: { emails: [], mobiles: [] } });
      },
    })),
  },
  {
    name: 'compares requested emails with the stored letter case',
    caughtBy: ['finds a login holder by email whatever letter case the email is stored in, and by mobile'],
    options: wrong('case-sensitive logins', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, { ...request, logins: { emails: [], mobiles: [] } });
        const asked = new Set(request.logins.emails);
        const mobiles = new Set(request.logins.mobiles);
        const extra = [...store.data.accounts.values()].filter(
          (a) => !snapshot.accounts.includes(a) && ((a.email !== null && asked.has(a.email)) || (a.mobilePhone !== null && mobiles.has(a.mobilePhone))),
        );
        return { ...snapshot, accounts: [...snapshot.accounts, ...extra] };
      },
    })),
  },
  {
    name: "returns a login holder's links in other districts",
    caughtBy: ['adds the accounts holding a requested login, whatever their district, each once, with all their roles, and none of their links elsewhere'],
    options: wrong('login holders with links', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, request);
        const ids = new Set(snapshot.accounts.map((a) => a.id));
        const extra = [...store.data.links.values()].filter((l) => l.districtId !== scope.districtId && ids.has(l.accountId) && !snapshot.links.includes(l));
        return { ...snapshot, links: [...snapshot.links, ...extra] };
      },
    })),
  },
  {
    name: 'returns role holders only (not the accounts linked to the district without a role there)',
    caughtBy: ["returns all of a district's students and links, and every account holding a role there or a link to its students, with all their roles"],
    options: wrong('role holders only', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, request);
        return { ...snapshot, accounts: snapshot.accounts.filter((a) => a.roles.some((r) => r.districtId === scope.districtId)) };
      },
    })),
  },
  {
    name: "returns each account with the snapshot district's roles only",
    caughtBy: ["returns all of a district's students and links, and every account holding a role there or a link to its students, with all their roles"],
    options: wrong('district roles only', (store) => ({
      async loadSnapshot(scope, request) {
        const snapshot = await store.loadSnapshot(scope, request);
        return { ...snapshot, accounts: snapshot.accounts.map((a) => ({ ...a, roles: a.roles.filter((r) => r.districtId === scope.districtId) })) };
      },
    })),
  },
  {
    name: "ignores districtId on role adds (adds the ids to the account's guardian role wherever it is)",
    caughtBy: [
      "adds a guardian role in the plan's district to an account whose guardian role is in another district, as a second role",
      "creates, role adds and links of another district's plan land in that district",
    ],
    options: wrong('role adds anywhere', (store) => ({
      async applyPlan(plan, options) {
        const elsewhere = plan.roleAdds.filter((item) => {
          const districts = guardianDistricts(store.data.accounts.get(item.accountId));
          return districts.length > 0 && !districts.includes(plan.scope.districtId);
        });
        const here = await store.applyPlan({ ...plan, roleAdds: plan.roleAdds.filter((item) => !elsewhere.includes(item)) }, options);
        let rolesChanged = here.rolesChanged;
        for (const item of elsewhere) {
          const districtId = guardianDistricts(store.data.accounts.get(item.accountId))[0]!;
          rolesChanged += (await store.applyPlan(withItems({ ...plan, scope: scopeOf(districtId) }, { roleAdds: [item] }), options)).rolesChanged;
        }
        return { ...here, rolesChanged };
      },
    })),
  },
  {
    name: 'archives and restores the guardian role in every district',
    caughtBy: [
      "throws for an archive or restore of an account without a guardian role in the plan's district (a role elsewhere, or a staff role, does not count)",
      "role adds, id removes, archives, restores and link changes in one district leave the account's guardian role and links in another district as they were",
    ],
    options: wrong('archives everywhere', (store) => ({
      async applyPlan(plan, options) {
        const result = await store.applyPlan({ ...plan, archives: [], restores: [] }, options);
        let rolesChanged = result.rolesChanged;
        for (const [list, kind] of [
          [plan.archives, 'archives'],
          [plan.restores, 'restores'],
        ] as const) {
          for (const item of list) {
            const districts = guardianDistricts(store.data.accounts.get(item.accountId));
            if (districts.length === 0) throw new Error(`no guardian role on ${item.accountId}`);
            for (const districtId of districts) rolesChanged += (await store.applyPlan(withItems({ ...plan, scope: scopeOf(districtId) }, { [kind]: [item] }), options)).rolesChanged;
          }
        }
        return { ...result, rolesChanged };
      },
    })),
  },
  {
    name: 'ignores id removes',
    caughtBy: ["takes the SIS ids off the account's guardian role in the plan's district, keeping the role and its status, and counts one role change"],
    options: wrong('no id removes', (store) => ({
      async applyPlan(plan, options) {
        return store.applyPlan({ ...plan, idRemoves: [] }, options);
      },
    })),
  },
  {
    name: 'applies id removes after role adds',
    caughtBy: ['moves an id from one account to another in one plan, and applies id removes before role adds (an id removed and added back stays)'],
    options: wrong('id removes last', (store) => ({
      async applyPlan(plan, options) {
        const first = await store.applyPlan({ ...plan, idRemoves: [] }, options);
        const then = await store.applyPlan(withItems(plan, { idRemoves: plan.idRemoves }), options);
        return { ...first, rolesChanged: first.rolesChanged + then.rolesChanged };
      },
    })),
  },
  {
    name: 'takes removed ids off the guardian role in every district',
    caughtBy: ["removes from the plan's district only: the account's guardian role in another district keeps the same id"],
    options: wrong('id removes everywhere', (store) => ({
      async applyPlan(plan, options) {
        const result = await store.applyPlan({ ...plan, idRemoves: [] }, options);
        let rolesChanged = result.rolesChanged;
        for (const item of plan.idRemoves) {
          for (const districtId of guardianDistricts(store.data.accounts.get(item.accountId))) {
            rolesChanged += (await store.applyPlan(withItems({ ...plan, scope: scopeOf(districtId) }, { idRemoves: [item] }), options)).rolesChanged;
          }
        }
        // Id removes belong before creates and role adds; this store is wrong anyway.
        return { ...result, rolesChanged };
      },
    })),
  },
  {
    name: 'keys links without their district (a link to S1 in one district is the link to S1 in every district)',
    caughtBy: [
      "a link remove in one district never removes the account's link to the same SIS id in another district",
      "a link add is keyed by district: the account's link to the same SIS id, from the same source, in another district is another link",
    ],
    options: wrong('links without district', (store) => ({
      async applyPlan(plan, options) {
        const sameElsewhere = (accountId: string, studentSisId: string) =>
          [...store.data.links.values()].filter((l) => l.accountId === accountId && l.studentSisId === studentSisId && l.source === plan.source && l.districtId !== plan.scope.districtId);
        const linkAdds = plan.linkAdds.filter((item) => sameElsewhere(item.accountId, item.studentSisId).length === 0);
        const result = await store.applyPlan({ ...plan, linkAdds }, options);
        let linksRemoved = result.linksRemoved;
        for (const item of plan.linkRemoves) for (const link of sameElsewhere(item.accountId, item.studentSisId)) if (deleteLink(store.data, link)) linksRemoved += 1;
        return { ...result, linksRemoved };
      },
    })),
  },
  {
    name: 'accepts a link to a student of another district with the same SIS id',
    caughtBy: ["throws for a link add to a student the plan's district does not have (another district's student of that SIS id does not count)"],
    modelMisses: 'the model-based check sends only plans the model can apply, and this store differs only on plans that must fail',
    options: wrong('links to any district', (store) => ({
      async applyPlan(plan, options) {
        const anywhere = plan.linkAdds.filter(
          (item) => studentOf(store.data, plan.scope.districtId, item.studentSisId) === undefined && [...store.data.students.values()].some((s) => s.sisId === item.studentSisId),
        );
        const result = await store.applyPlan({ ...plan, linkAdds: plan.linkAdds.filter((item) => !anywhere.includes(item)) }, options);
        let linksAdded = result.linksAdded;
        for (const item of anywhere) {
          if (putLink(store.data, { accountId: item.accountId, districtId: plan.scope.districtId, studentSisId: item.studentSisId, source: plan.source })) linksAdded += 1;
        }
        return { ...result, linksAdded };
      },
    })),
  },
  {
    name: 'matches imported students by SIS id alone (overwrites the other district’s student)',
    caughtBy: ['importing a district with the same student and staff SIS ids as another leaves the other’s students, staff roles and links as they were'],
    options: wrong('students by SIS id', (store) => ({
      async importRoster(data) {
        const students = data.students.map((s) => {
          const existing = [...store.data.students.values()].find((other) => other.sisId === s.sisId);
          return existing === undefined ? s : { ...s, districtId: existing.districtId };
        });
        return store.importRoster({ ...data, students });
      },
    })),
  },
  {
    name: 'matches imported staff by SIS id alone (another district’s teacher with the same id)',
    caughtBy: ['matches a staff SIS id inside its district only: a teacher of another district with the same id is another account'],
    options: wrong('staff by SIS id', (store) => ({
      async importRoster(data) {
        for (const org of data.orgs) putOrg(store.data, org);
        for (const student of data.students) putStudent(store.data, student);
        let next = 0;
        const counts = importStaffRecords(data.staff, {
          accountByStaffSisId: (_districtId, sisId) => [...store.data.accounts.values()].find((a) => a.roles.some((r) => r.role === 'staff' && r.sisIds.includes(sisId))),
          accountsByEmail: (email) => accountsWithEmail(store.data, email),
          accountsByMobile: (mobile) => accountsWithMobile(store.data, mobile),
          write: (account) => putAccount(store.data, account),
          newAccountId: () => `wrong-staff-${++next}`,
        });
        return { orgs: data.orgs.length, students: data.students.length, ...counts };
      },
    })),
  },
  {
    name: 'exports every district’s roles on each account',
    caughtBy: ["exports one district: its students, and the accounts holding a role there or a link to its students, each with that district's roles and students only"],
    options: wrong('export all roles', (store) => ({
      async exportRoster(districtId) {
        const exported = await store.exportRoster(districtId);
        return {
          ...exported,
          accounts: exported.accounts.map((a) => ({
            ...a,
            roles: (store.data.accounts.get(a.id)?.roles ?? []).map((r) => ({ role: r.role, sisIds: r.sisIds, status: r.status })),
          })),
        };
      },
    })),
  },
  {
    name: 'exports the students of every district',
    caughtBy: ["exports one district: its students, and the accounts holding a role there or a link to its students, each with that district's roles and students only"],
    options: wrong('export all students', (store) => ({
      async exportRoster(districtId) {
        const all = buildRosterExport({ districtId, accounts: store.data.accounts.values(), links: store.data.links.values(), students: store.data.students.values() });
        const students = [...store.data.students.values()].map((s) => ({ sisId: s.sisId, schoolId: s.schoolId, firstName: s.firstName, lastName: s.lastName }));
        return { ...all, students };
      },
    })),
  },
  {
    name: 'counts an apply’s changes without looking (a second apply counts again)',
    caughtBy: ['leaves the store as one apply when the same plan is applied twice, and counts nothing the second time'],
    options: wrong('counts items', (store) => ({
      async applyPlan(plan, options) {
        await store.applyPlan(plan, options);
        return {
          ...NO_COUNTS,
          accountsCreated: plan.creates.length,
          accountsUpdated: plan.updates.length,
          rolesChanged: plan.roleAdds.length + plan.idRemoves.length + plan.archives.length + plan.restores.length,
          linksAdded: plan.linkAdds.length,
          linksRemoved: plan.linkRemoves.length,
        };
      },
    })),
  },
];
