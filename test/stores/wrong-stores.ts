// Deliberately wrong roster stores: the memory store with one rule broken each, in a read,
// a write primitive, a lock or a capability. Each is a mistake an adapter author could
// plausibly make writing a store for the keyed, per-district, primitive-based contract. wrong-stores.test.ts proves the conformance suite fails
// every one of them; a suite that passed one would not be worth running.
import type { RosterStore, RosterWriter } from '../../src/contracts/roster-store.js';
import type { GuardianLink } from '../../src/model/roster.js';
import { buildRosterExport } from '../../src/stores/build-roster-export.js';
import { importStaffRecords } from '../../src/stores/import-staff.js';
import { accountsWithEmail, accountsWithMobile, putAccount, putLink, putOrg, putStudent } from '../../src/stores/memory-roster-data.js';
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

/** A memory harness whose store's writer has some methods replaced (`writer` is the honest one). */
function wrongWriter(name: string, override: (writer: RosterWriter, store: MemoryStore) => Partial<RosterWriter>): RosterStoreConformanceOptions {
  return wrong(name, (store) => ({
    transaction: (body, options) => store.transaction((writer) => body({ ...writer, ...override(writer, store) }), options),
  }));
}

function counter(): () => string {
  let next = 0;
  return () => `staff-${++next}`;
}

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
    name: "writes a guardian role into the district where the account already has one (ignores the role's district)",
    caughtBy: [
      "adds a guardian role in the plan's district to an account whose guardian role is in another district, as a second role",
      "creates, role adds and links of another district's plan land in that district",
    ],
    options: wrongWriter('roles anywhere', (writer, store) => ({
      async putRoles(roles) {
        const moved = roles.map((role) => {
          const elsewhere = store.data.accounts.get(role.accountId)?.roles.find((r) => r.role === role.role && r.districtId !== role.districtId);
          return elsewhere === undefined ? role : { ...role, districtId: elsewhere.districtId };
        });
        await writer.putRoles(moved);
      },
    })),
  },
  {
    name: "reads an account's guardian role in any district (ignores the district asked for)",
    caughtBy: [
      "throws for an archive or restore of an account without a guardian role in the plan's district (a role elsewhere, or a staff role, does not count)",
      "skips ids the role does not hold, a staff role's ids, and an account without a guardian role in the plan's district",
    ],
    options: wrongWriter('roles of any district', (writer, store) => ({
      async readRoles(districtId, role, accountIds) {
        const found = await writer.readRoles(districtId, role, accountIds);
        const have = new Set(found.map((r) => r.accountId));
        const elsewhere = accountIds.flatMap((id) => {
          const other = have.has(id) ? undefined : store.data.accounts.get(id)?.roles.find((r) => r.role === role);
          return other === undefined ? [] : [{ accountId: id, districtId: other.districtId, role, status: other.status, sisIds: other.sisIds }];
        });
        return [...found, ...elsewhere];
      },
    })),
  },
  {
    name: 'writes a role only when it is missing (never replaces the status or SIS ids of one that exists)',
    caughtBy: [
      "takes the SIS ids off the account's guardian role in the plan's district, keeping the role and its status, and counts one role change",
      'archives and restores the guardian role only, leaving other roles and links alone',
    ],
    options: wrongWriter('insert-only roles', (writer, store) => ({
      async putRoles(roles) {
        await writer.putRoles(roles.filter((role) => store.data.accounts.get(role.accountId)?.roles.find((r) => r.role === role.role && r.districtId === role.districtId) === undefined));
      },
    })),
  },
  {
    name: 'deletes the link to the same SIS id in every district (ignores the district of a link delete)',
    caughtBy: ["a link remove in one district never removes the account's link to the same SIS id in another district"],
    options: wrongWriter('deletes without district', (writer, store) => ({
      async deleteLinks(links) {
        const everywhere = links.flatMap((link) =>
          [...store.data.links.values()].filter((l) => l.accountId === link.accountId && l.studentSisId === link.studentSisId && l.source === link.source),
        );
        return writer.deleteLinks([...links, ...everywhere.filter((l) => !links.some((k) => k.districtId === l.districtId && k.accountId === l.accountId && k.studentSisId === l.studentSisId))]);
      },
    })),
  },
  {
    name: 'skips a link insert when the account has that link in another district (keys inserts without their district)',
    caughtBy: ["a link add is keyed by district: the account's link to the same SIS id, from the same source, in another district is another link"],
    options: wrongWriter('inserts without district', (writer, store) => ({
      async insertLinks(links) {
        const exists = (link: GuardianLink) => [...store.data.links.values()].some((l) => l.accountId === link.accountId && l.studentSisId === link.studentSisId && l.source === link.source);
        return writer.insertLinks(links.filter((link) => !exists(link)));
      },
    })),
  },
  {
    name: 'deletes links of every source (ignores the source of a link delete)',
    caughtBy: ["removes only links of the plan's source, and skips one that is gone"],
    options: wrongWriter('deletes any source', (writer, store) => ({
      async deleteLinks(links) {
        const anySource = links.flatMap((link) =>
          [...store.data.links.values()].filter((l) => l.accountId === link.accountId && l.districtId === link.districtId && l.studentSisId === link.studentSisId),
        );
        await writer.deleteLinks(anySource);
        return links.length;
      },
    })),
  },
  {
    name: "finds a student of another district with the same SIS id (ignores the district of a student read)",
    caughtBy: ["throws for a link add to a student the plan's district does not have (another district's student of that SIS id does not count)"],
    modelMisses: 'the model-based check sends only plans the model can apply, and this store differs only on plans that must fail',
    options: wrongWriter('students of any district', (_writer, store) => ({
      async readStudentIds(_districtId, sisIds) {
        return sisIds.filter((id) => [...store.data.students.values()].some((s) => s.sisId === id));
      },
      async insertLinks(links) {
        let inserted = 0;
        for (const link of links) if (putLink(store.data, link)) inserted += 1;
        return inserted;
      },
    })),
  },
  {
    name: 'clears `claimed` when it updates an account',
    caughtBy: ['updates the fields named by the changes and no others (a claimed account stays claimed)'],
    options: wrongWriter('clears claimed', (writer, store) => ({
      async updateAccounts(accounts) {
        await writer.updateAccounts(accounts);
        for (const row of accounts) {
          const account = store.data.accounts.get(row.id);
          if (account !== undefined) putAccount(store.data, { ...account, claimed: false });
        }
      },
    })),
  },
  {
    name: 'reads only the first account of each batch',
    caughtBy: ['leaves the store as one apply when the same plan is applied twice, and counts nothing the second time', 'gives the same roster as the same plan applied to a twin backend'],
    options: wrongWriter('first account only', (writer) => ({
      async readAccounts(ids) {
        return writer.readAccounts(ids.slice(0, 1));
      },
    })),
  },
  {
    name: 'declares atomicApply but keeps the writes of a failed transaction',
    caughtBy: [
      'a sync cut off at any write call, then planned again from the store, ends as one clean sync (atomic stores: the cut-off apply leaves nothing)',
    ],
    options: wrong('not really atomic', (store) => ({ capabilities: { ...store.capabilities, atomicApply: true } })),
  },
  {
    name: 'never ends a lease (a lock stays held until released)',
    caughtBy: ['lease locks: another owner takes an expired lease, and the old holder can then neither renew nor re-take it'],
    modelMisses: 'the model-based check does not take locks',
    options: wrong('endless leases', (store) => {
      const holders = new Map<string, string>();
      return {
        async acquireLock(key, options) {
          const holder = holders.get(key);
          if (holder !== undefined && holder !== options.owner) return { acquired: false, holder: { owner: holder, expiresAt: null } };
          holders.set(key, options.owner);
          return store.acquireLock(key, options);
        },
        async releaseLock(key, owner) {
          if (holders.get(key) === owner) holders.delete(key);
          await store.releaseLock(key, owner);
        },
      };
    }),
  },
  {
    name: 'renews a lease whatever its holder (returns true without looking)',
    caughtBy: ['renews a lock for its holder only; a released lock is not renewed', 'lease locks: another owner takes an expired lease, and the old holder can then neither renew nor re-take it'],
    modelMisses: 'the model-based check does not take locks',
    options: wrong('blind renewals', () => ({
      async renewLock() {
        return true;
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
    name: 'counts the rows it is given as inserted links, whether they existed or not (a second apply counts again)',
    caughtBy: ['leaves the store as one apply when the same plan is applied twice, and counts nothing the second time'],
    options: wrongWriter('counts rows', (writer) => ({
      async insertLinks(links) {
        await writer.insertLinks(links);
        return links.length;
      },
    })),
  },
];
