// The properties of IDENTITY-RULES.md over sequences of files and two districts sharing one
// roster (§2.1, §4.2, §7), proved on the pure planner with the keyed snapshot a store must
// return (platform-world.ts). The seed is printed per file and replayed with FC_SEED.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import type { Account, ResolvedScope, Student } from '../../src/model/roster.js';
import { emailKey } from '../../src/resolve/contact-key.js';
import { fileGuardiansArb, rowsOf, type FileGuardianSpec } from '../arbitraries/guardian-rows.js';
import { DISTRICT, DISTRICT_SCOPE, EMAILS, OTHER_DISTRICT, rosterArb, STUDENTS } from '../arbitraries/roster.js';
import { districtView, idHolders, idsOnSeveralAccounts, languagesOverwritten, syncDistrict, type PlatformWorld } from './platform-world.js';

const D2_SCOPE: ResolvedScope = { level: 'district', orgId: OTHER_DISTRICT, districtId: OTHER_DISTRICT, schoolIds: ['SCH-Z'] };
/** District 2 reuses district 1's student SIS ids. */
const D2_STUDENTS: Student[] = STUDENTS.map((s) => ({ ...s, districtId: OTHER_DISTRICT, schoolId: 'SCH-Z' }));
const ALL_STUDENTS = [...STUDENTS, ...D2_STUDENTS];

/** A day's file: a fresh one, or day 1 with one guardian's email or names changed (a split, a renumbering, a typo fixed). */
function laterDayArb(day1: readonly FileGuardianSpec[]): fc.Arbitrary<FileGuardianSpec[]> {
  const edited =
    day1.length === 0
      ? fc.constant<FileGuardianSpec[]>([...day1])
      : fc
          .record({
            at: fc.nat({ max: day1.length - 1 }),
            email: fc.option(fc.constantFrom(...EMAILS, 'new@y.org'), { nil: null }),
            firstName: fc.option(fc.constantFrom('Ana', 'Zoë', 'Bo'), { nil: undefined }),
            guardianSisId: fc.option(fc.constantFrom('G1', 'G6', 'G9', null), { nil: undefined }),
          })
          .map(({ at, email, firstName, guardianSisId }) =>
            day1.map((g, i) => {
              if (i !== at) return g;
              const next = { ...g, email, ...(firstName === undefined ? {} : { firstName }), ...(guardianSisId === undefined ? {} : { guardianSisId }) };
              return next.email === null && next.mobilePhone === null ? g : next;
            }),
          )
          // A guardian id on one guardian only (the file's own rule, §1.1).
          .filter((list: FileGuardianSpec[]) => new Set(list.flatMap((g) => (g.guardianSisId === null ? [] : [g.guardianSisId]))).size === list.filter((g) => g.guardianSisId !== null).length);
  return fc.oneof(edited, fileGuardiansArb());
}

const sequenceArb = fileGuardiansArb().chain((day1) => fc.tuple(fc.constant(day1), fc.array(laterDayArb(day1), { minLength: 1, maxLength: 3 })));

function worldOf(accounts: readonly Account[], links: PlatformWorld['links']): PlatformWorld {
  return { students: ALL_STUDENTS, accounts, links };
}

const staffFields = (a: Account): string => `${a.firstName}|${a.lastName}|${a.email}|${a.mobilePhone}|${a.homePhone}`;

describe('sequences of files in one district (2–4 days)', () => {
  test.prop([rosterArb(), sequenceArb])('a guardianSisId is held by at most one account of its district after every file', (roster, [day1, later]) => {
    let world = worldOf(roster.accounts, roster.links);
    for (const day of [day1, ...later]) {
      world = syncDistrict(world, DISTRICT_SCOPE, rowsOf(day)).world;
      expect(idsOnSeveralAccounts(world, DISTRICT)).toEqual([]);
    }
  });

  test.prop([rosterArb(), sequenceArb, fc.boolean()])(
    'a guardian file never changes the names, email, mobile or home phone of an account holding a staff role',
    (roster, [day1, later], updateClaimedAccounts) => {
      let world = worldOf(roster.accounts, roster.links);
      for (const day of [day1, ...later]) {
        const staff = new Map(world.accounts.filter((a) => a.roles.some((r) => r.role === 'staff')).map((a) => [a.id, staffFields(a)]));
        world = syncDistrict(world, DISTRICT_SCOPE, rowsOf(day), { updateClaimedAccounts }).world;
        for (const a of world.accounts) if (staff.has(a.id)) expect(staffFields(a)).toBe(staff.get(a.id));
      }
    },
  );

  // An id can only come back by a row that ties it to its old account (§2.1's example, a
  // named test in identity-holes.test.ts); history alone does not. What must always hold is
  // that no id changes accounts silently: the run that moves it says so on its line.
  test.prop([rosterArb(), sequenceArb])('an id changes accounts only in a run that says so on a line of its guardian (GUARDIAN_ID_MOVED)', (roster, [day1, later]) => {
    let world = worldOf(roster.accounts, roster.links);
    for (const day of [day1, ...later, day1]) {
      const rows = rowsOf(day);
      const before = idHolders(world, DISTRICT);
      const run = syncDistrict(world, DISTRICT_SCOPE, rows);
      world = run.world;
      const after = idHolders(world, DISTRICT);
      const linesOf = (id: string): number[] => rows.filter((r) => r.guardianSisId === id).map((r) => r.line);
      for (const [id, holder] of before) {
        const now = after.get(id);
        if (now === undefined || now === holder) continue;
        const explained = run.plan.issues.some((i) => i.code === 'GUARDIAN_ID_MOVED' && i.line !== null && linesOf(id).includes(i.line));
        expect({ id, holder, now, explained }).toEqual({ id, holder, now, explained: true });
      }
    }
  });
});

describe('two districts in one roster', () => {
  /** District 2's people: the same generators, their own emails and mobiles. */
  const ownPeople = (g: FileGuardianSpec): FileGuardianSpec => ({
    ...g,
    email: g.email === null ? null : g.email.replace('@x.org', '@d2.org'),
    mobilePhone: g.mobilePhone === null ? null : g.mobilePhone.replace('+1202', '+1303'),
  });

  test.prop([rosterArb(), fileGuardiansArb(), fileGuardiansArb(), fc.boolean()])(
    'a sync of district 1 leaves district 2’s view as it was (an empty language may be filled)',
    (roster, d2File, d1File, updateClaimedAccounts) => {
      const before = syncDistrict(worldOf(roster.accounts, roster.links), D2_SCOPE, rowsOf(d2File)).world;
      const after = syncDistrict(before, DISTRICT_SCOPE, rowsOf(d1File), { updateClaimedAccounts }).world;
      expect(districtView(after, OTHER_DISTRICT, { ignoreLanguage: true })).toEqual(districtView(before, OTHER_DISTRICT, { ignoreLanguage: true }));
      const sharedWithD2 = new Set(before.accounts.filter((a) => a.roles.some((r) => r.districtId === OTHER_DISTRICT && r.status === 'active')).map((a) => a.id));
      expect(languagesOverwritten(before, after, sharedWithD2)).toEqual([]);
    },
  );

  test.prop([fc.array(fc.tuple(fileGuardiansArb(), fileGuardiansArb()), { minLength: 1, maxLength: 3 })])(
    'interleaved syncs of two districts give each the roster syncing it alone gives (independent people)',
    (days) => {
      const empty = worldOf([], []);
      let together = empty;
      let alone1 = empty;
      let alone2 = empty;
      for (const [f1, f2] of days) {
        const rows1 = rowsOf(f1);
        const rows2 = rowsOf(f2.map(ownPeople));
        together = syncDistrict(syncDistrict(together, DISTRICT_SCOPE, rows1).world, D2_SCOPE, rows2).world;
        alone1 = syncDistrict(alone1, DISTRICT_SCOPE, rows1).world;
        alone2 = syncDistrict(alone2, D2_SCOPE, rows2).world;
      }
      expect(districtView(together, DISTRICT)).toEqual(districtView(alone1, DISTRICT));
      expect(districtView(together, OTHER_DISTRICT)).toEqual(districtView(alone2, OTHER_DISTRICT));
    },
  );

  test.prop([rosterArb(), fc.array(fc.tuple(fc.boolean(), fileGuardiansArb()), { minLength: 2, maxLength: 4 })])(
    'no login is shared across the whole roster, whatever the districts’ files',
    (roster, days) => {
      let world = worldOf(roster.accounts, roster.links);
      for (const [second, file] of days) {
        world = syncDistrict(world, second ? D2_SCOPE : DISTRICT_SCOPE, rowsOf(file) as GuardianRow[]).world;
        const emails = world.accounts.flatMap((a) => (a.email === null ? [] : [emailKey(a.email)]));
        const mobiles = world.accounts.flatMap((a) => (a.mobilePhone === null ? [] : [a.mobilePhone]));
        expect(new Set(emails).size).toBe(emails.length);
        expect(new Set(mobiles).size).toBe(mobiles.length);
        expect(idsOnSeveralAccounts(world, DISTRICT)).toEqual([]);
        expect(idsOnSeveralAccounts(world, OTHER_DISTRICT)).toEqual([]);
      }
    },
  );
});
