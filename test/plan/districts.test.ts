// IDENTITY-RULES §7, one named test per rule: one roster, many districts. SIS ids are the
// district's; people and logins are the platform's.
import { describe, expect, it } from 'vitest';
import type { ResolvedScope, Student } from '../../src/model/roster.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { DISTRICT, OTHER_DISTRICT, SCHOOL_A, SOURCE, STUDENTS } from '../arbitraries/roster.js';
import { account, guardianRole, issueCodes, link, row, staffRole } from './plan-fixtures.js';
import { districtView, keyedSnapshot, platformNewId, syncDistrict, type PlatformWorld } from './platform-world.js';

const D1: ResolvedScope = { level: 'district', orgId: DISTRICT, districtId: DISTRICT, schoolIds: [SCHOOL_A, 'SCH-B'] };
const D2: ResolvedScope = { level: 'district', orgId: OTHER_DISTRICT, districtId: OTHER_DISTRICT, schoolIds: ['SCH-Z'] };
/** District 2's students reuse district 1's SIS ids. */
const D2_STUDENTS: Student[] = [
  { districtId: OTHER_DISTRICT, sisId: 'S1', schoolId: 'SCH-Z', firstName: 'Zed', lastName: 'Other' },
  { districtId: OTHER_DISTRICT, sisId: 'S2', schoolId: 'SCH-Z', firstName: 'Yan', lastName: 'Other' },
];
const EMPTY: PlatformWorld = { students: [...STUDENTS, ...D2_STUDENTS], accounts: [], links: [] };

function accountsOf(world: PlatformWorld): string[] {
  return world.accounts.map((a) => `${a.firstName} ${a.email} ${a.roles.map((r) => `${r.districtId}:${r.role}:${r.sisIds.join(',')}:${r.status}`).join(' ')}`).sort();
}

describe('§7.2: a guardianSisId is compared only inside the scope district', () => {
  it('an equal id in another district is another person (the stranger does not take over the parent)', () => {
    let world = syncDistrict(EMPTY, D1, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', firstName: 'Alice', lastName: 'Adams', email: 'alice@a.org' })]).world;
    world = syncDistrict(world, D2, [row(2, { studentSisId: 'S2', guardianSisId: 'G1', firstName: 'Bob', lastName: 'Brown', email: 'bob@b.org' })]).world;
    expect(accountsOf(world)).toEqual(['Alice alice@a.org D1:guardian:G1:active', 'Bob bob@b.org D2:guardian:G1:active']);
    expect(world.links.map((l) => `${l.accountId} ${l.districtId}:${l.studentSisId}`).sort()).toEqual(['new:D1:G1 D1:S1', 'new:D2:G1 D2:S2']);
  });
});

describe('§7.3: contact keys and logins are platform-wide', () => {
  it('the same person in two districts is one account with a guardian role in each', () => {
    const parent = { firstName: 'Ana', lastName: 'Lopez', email: 'ana@x.org', mobilePhone: '+12025550101' };
    let world = syncDistrict(EMPTY, D1, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', ...parent })]).world;
    const second = syncDistrict(world, D2, [row(2, { studentSisId: 'S2', guardianSisId: 'P7', ...parent })]);
    world = second.world;
    expect(second.plan.creates).toEqual([]);
    expect(second.plan.roleAdds).toEqual([{ accountId: 'new:D1:G1', role: 'guardian', sisIds: ['P7'], reason: 'new-role', lines: [2] }]);
    expect(accountsOf(world)).toEqual(['Ana ana@x.org D1:guardian:G1:active D2:guardian:P7:active']);
  });

  it('a login held in another district is never given to another account', () => {
    const world = syncDistrict(EMPTY, D1, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', firstName: 'Alice', email: 'shared@x.org', mobilePhone: '+12025550101' })]).world;
    const second = syncDistrict(world, D2, [row(2, { studentSisId: 'S1', guardianSisId: 'G9', firstName: 'Carol', email: 'shared@x.org', mobilePhone: '+12025550102' })]);
    expect(issueCodes(second.plan)).toEqual(['CREDENTIAL_IN_USE']);
    expect(second.plan.issues[0]!.message).not.toMatch(/D1|Alice/u);
    expect(second.plan.creates.map((c) => [c.fields.email, c.fields.mobilePhone])).toEqual([[null, '+12025550102']]);
  });
});

describe('§7.4: links, archives and the threshold concern only the scope district', () => {
  const both = account('a1', { email: 'ana@x.org', roles: [guardianRole(['G1']), guardianRole(['G1'], 'active', OTHER_DISTRICT)] });
  const world: PlatformWorld = { ...EMPTY, accounts: [both], links: [link('a1', 'S1'), link('a1', 'S1', 'guardian-file', OTHER_DISTRICT)] };

  it('archiving the guardian in district 1 leaves their role and links in district 2 as they were', () => {
    const before = districtView(world, OTHER_DISTRICT);
    const { world: after, plan } = syncDistrict(world, D1, [row(2, { studentSisId: 'S2', guardianSisId: 'G9', email: 'other@x.org', firstName: 'Bo' })]);
    expect(plan.linkRemoves.map((l) => l.studentSisId)).toEqual(['S1']);
    expect(plan.archives.map((a) => a.accountId)).toEqual(['a1']);
    expect(districtView(after, OTHER_DISTRICT)).toEqual(before);
    expect(after.accounts.find((a) => a.id === 'a1')!.roles.map((r) => `${r.districtId}:${r.status}`)).toEqual(['D1:archived', 'D2:active']);
  });

  it('the removal ratio counts only the district’s managed links', () => {
    const { plan } = syncDistrict(world, D1, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', email: 'ana@x.org' })]);
    expect(plan.threshold.removalRatio).toBe(0);
    expect(plan.linkRemoves).toEqual([]);
  });
});

describe('§7.5: an account with an active role in another district is shared (§4.2)', () => {
  const shared = account('a1', { firstName: 'Ana', email: 'ana@x.org', homePhone: '+12025550199', roles: [guardianRole(['P1'], 'active', OTHER_DISTRICT)] });
  const world: PlatformWorld = { ...EMPTY, accounts: [shared], links: [link('a1', 'S1', 'guardian-file', OTHER_DISTRICT)] };

  it('this district adds its role and links but never edits names or contacts', () => {
    // Exact contact key (names, email, blank mobile): the same person. The file's home phone and
    // names in other letters are not applied; its language fills the empty one.
    const rows = [row(2, { studentSisId: 'S1', guardianSisId: 'G1', firstName: 'ANA', email: 'ana@x.org', homePhone: '+12025550111', language: 'es' })];
    const { plan, world: after } = syncDistrict(world, D1, rows);
    expect(plan.creates).toEqual([]);
    expect(plan.roleAdds.map((r) => [r.accountId, r.reason])).toEqual([['a1', 'new-role']]);
    expect(plan.updates).toEqual([{ accountId: 'a1', changes: [{ field: 'language', before: null, after: 'es' }], lines: [2] }]);
    expect(plan.issues.map((i) => [i.code, i.severity, i.line, i.column])).toEqual([
      ['SHARED_ACCOUNT_NOT_UPDATED', 'info', 2, 'firstName'],
      ['SHARED_ACCOUNT_NOT_UPDATED', 'info', 2, 'homePhone'],
    ]);
    expect(districtView(after, OTHER_DISTRICT, { ignoreLanguage: true })).toEqual(districtView(world, OTHER_DISTRICT, { ignoreLanguage: true }));
  });

  it('an account whose only role elsewhere is archived is this district’s to update', () => {
    const archived = { ...shared, roles: [guardianRole(['P1'], 'archived', OTHER_DISTRICT)] };
    const { plan } = syncDistrict({ ...world, accounts: [archived] }, D1, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', firstName: 'ANA', email: 'ana@x.org' })]);
    expect(plan.updates.map((u) => u.changes.map((c) => c.field))).toEqual([['firstName', 'homePhone']]);
  });
});

describe('§7.6: a sync reads only what it needs', () => {
  it('the keyed snapshot holds the district and the holders of the file’s logins, nothing else', () => {
    const world: PlatformWorld = {
      ...EMPTY,
      accounts: [
        account('mine', { email: 'm@x.org', roles: [guardianRole(['G1'])] }),
        account('theirs', { email: 't@x.org', roles: [guardianRole(['G1'], 'active', OTHER_DISTRICT)] }),
        account('login', { email: 'asked@x.org', roles: [staffRole('T1', OTHER_DISTRICT)] }),
      ],
      links: [link('theirs', 'S1', 'guardian-file', OTHER_DISTRICT)],
    };
    const snapshot = keyedSnapshot(world, D1, [row(2, { email: 'ASKED@x.org' })]);
    expect(snapshot.accounts.map((a) => a.id)).toEqual(['mine', 'login']);
    expect(snapshot.students.every((s) => s.districtId === DISTRICT)).toBe(true);
    expect(snapshot.links).toEqual([]);
  });

  it('a store that returns more (another district’s equal student ids and links) changes no plan', () => {
    const world: PlatformWorld = {
      ...EMPTY,
      accounts: [account('theirs', { email: 't@x.org', roles: [guardianRole(['G1'], 'active', OTHER_DISTRICT)] })],
      links: [link('theirs', 'S1', 'guardian-file', OTHER_DISTRICT)],
    };
    const rows = [row(2, { studentSisId: 'S1', guardianSisId: 'G1', email: 'g1@x.org' }), row(3, { studentSisId: 'S2', guardianSisId: 'G1', email: 'g1@x.org' })];
    const keyed = syncDistrict(world, D1, rows).plan;
    const everything = buildPlan({ rows, snapshot: { scope: D1, ...world }, settings: { source: SOURCE, newAccountId: platformNewId(DISTRICT), force: true } });
    expect(everything).toEqual(keyed);
    expect(keyed.linkRemoves).toEqual([]);
    expect(keyed.creates.map((c) => c.accountId)).toEqual(['new:D1:G1']);
  });
});
