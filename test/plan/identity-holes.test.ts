// The two identity holes differential fuzzing found (issue "Identity holes found by
// differential fuzzing"), as named tests at the planner, with the fuzzer's minimal inputs.
// The same cases run through the CLI in test/cli.
import { describe, expect, it } from 'vitest';
import { roleIn } from '../../src/model/roster.js';
import { DISTRICT, DISTRICT_SCOPE, STUDENTS } from '../arbitraries/roster.js';
import { account, issueCodes, row, staffRole } from './plan-fixtures.js';
import { idHolders, idsOnSeveralAccounts, syncDistrict, type PlatformWorld } from './platform-world.js';

const EMPTY: PlatformWorld = { students: STUDENTS, accounts: [], links: [] };

function guardianIds(world: PlatformWorld): string[] {
  return world.accounts.map((a) => `${a.id}:[${roleIn(a, 'guardian', DISTRICT)?.sisIds.join(',') ?? ''}]:${roleIn(a, 'guardian', DISTRICT)?.status ?? '-'}`).sort();
}
function linksOf(world: PlatformWorld): string[] {
  return world.links.map((l) => `${l.accountId}>${l.studentSisId}`).sort();
}

describe('§2.1: a guardianSisId is held by at most one account', () => {
  const zoe = { firstName: 'Zoë', lastName: 'Lopez', email: 'k.park@district.org' };
  const day1 = [row(2, { studentSisId: 'S3', guardianSisId: 'G6', ...zoe }), row(3, { studentSisId: 'S2', guardianSisId: 'G7', ...zoe })];
  const day2 = [row(2, { studentSisId: 'S3', guardianSisId: 'G6', ...zoe }), row(3, { studentSisId: 'S2', guardianSisId: 'G7', ...zoe, email: 'new2.g7@example.org' })];

  it('a merged duplicate whose two ids now differ splits: the id moves to the new account, not copied', () => {
    const first = syncDistrict(EMPTY, DISTRICT_SCOPE, day1);
    expect(issueCodes(first.plan)).toEqual(['DUPLICATE_IDENTITY']);
    expect(guardianIds(first.world)).toEqual(['new:D1:G6:[G6,G7]:active']);
    expect(linksOf(first.world)).toEqual(['new:D1:G6>S2', 'new:D1:G6>S3']);

    // Day 2: G6 still matches A (same contact key); G7 is another person now. A keeps G6,
    // G7 leaves A in the same plan that gives it to the new account B.
    const second = syncDistrict(first.world, DISTRICT_SCOPE, day2);
    expect(second.plan.idRemoves).toEqual([{ accountId: 'new:D1:G6', role: 'guardian', sisIds: ['G7'], lines: [3] }]);
    // The move is reported on G7's line, so the district sees it.
    expect(second.plan.issues.filter((i) => i.code === 'GUARDIAN_ID_MOVED').map((i) => [i.severity, i.line, i.column])).toEqual([['info', 3, 'guardianSisId']]);
    expect(second.plan.counts).toMatchObject({ accountsCreated: 1, linksAdded: 1, linksRemoved: 1 });
    expect(guardianIds(second.world)).toEqual(['new:D1:G6:[G6]:active', 'new:D1:G7:[G7]:active']);
    expect(linksOf(second.world)).toEqual(['new:D1:G6>S3', 'new:D1:G7>S2']);
    expect(idsOnSeveralAccounts(second.world, DISTRICT)).toEqual([]);

    // The day-1 file again: G7 returns to A and leaves B, which is archived with no id.
    const third = syncDistrict(second.world, DISTRICT_SCOPE, day1);
    expect(third.plan.idRemoves).toEqual([{ accountId: 'new:D1:G7', role: 'guardian', sisIds: ['G7'], lines: [2, 3] }]);
    expect(third.plan.issues.filter((i) => i.code === 'GUARDIAN_ID_MOVED').map((i) => i.line)).toEqual([3]);
    expect(guardianIds(third.world)).toEqual(['new:D1:G6:[G6,G7]:active', 'new:D1:G7:[]:archived']);
    expect(linksOf(third.world)).toEqual(['new:D1:G6>S2', 'new:D1:G6>S3']);
    expect(idHolders(third.world, DISTRICT)).toEqual(idHolders(first.world, DISTRICT));
    // And again: nothing left to do.
    expect(syncDistrict(third.world, DISTRICT_SCOPE, day1).plan.idRemoves).toEqual([]);
  });
});

describe('§4.2: a blank login on an account the file does not own matches nothing', () => {
  const teacher = account('T4', { firstName: 'Maria', lastName: 'Ruiz', email: 'parks@example.org', homePhone: '+12025550143', roles: [staffRole('T4')] });

  it('a row with a teacher’s name and email and another mobile never attaches that mobile to the teacher', () => {
    const world: PlatformWorld = { ...EMPTY, accounts: [teacher] };
    const { plan, world: after } = syncDistrict(world, DISTRICT_SCOPE, [
      row(2, { studentSisId: 'S1', guardianSisId: 'G3', firstName: 'Maria', lastName: 'Ruiz', email: 'parks@example.org', mobilePhone: '+12025550188' }),
    ]);
    expect(plan.updates).toEqual([]);
    expect(plan.roleAdds).toEqual([]);
    expect(after.accounts.find((a) => a.id === 'T4')).toEqual(teacher);
    // The guardian is someone else as far as the rules can tell: a new account, without the
    // teacher's login.
    expect(plan.creates.map((c) => [c.accountId, c.fields.email, c.fields.mobilePhone])).toEqual([['new:D1:G3', null, '+12025550188']]);
    expect(issueCodes(plan)).toEqual(['CREDENTIAL_IN_USE']);
  });

  it('a teacher who picked up a guardian id by an exact match keeps names and logins when that id’s row changes', () => {
    const ana = account('T1', { firstName: 'Ana', lastName: 'Diaz', email: 'ana@x.org', roles: [staffRole('T1')] });
    const day1 = syncDistrict({ ...EMPTY, accounts: [ana] }, DISTRICT_SCOPE, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', firstName: 'Ana', lastName: 'Diaz', email: 'ana@x.org' })]);
    expect(day1.plan.roleAdds.map((r) => [r.accountId, r.sisIds])).toEqual([['T1', ['G1']]]);
    const day3 = syncDistrict(day1.world, DISTRICT_SCOPE, [row(2, { studentSisId: 'S1', guardianSisId: 'G1', firstName: 'Anna', lastName: 'Dias', email: 'anna.new@x.org' })]);
    expect(day3.plan.updates).toEqual([]);
    expect(day3.plan.creates).toEqual([]);
    expect(day3.plan.issues.map((i) => [i.code, i.column])).toEqual([
      ['SHARED_ACCOUNT_NOT_UPDATED', 'firstName'],
      ['SHARED_ACCOUNT_NOT_UPDATED', 'lastName'],
      ['SHARED_ACCOUNT_NOT_UPDATED', 'email'],
    ]);
    const teacherAfter = day3.world.accounts.find((a) => a.id === 'T1')!;
    expect([teacherAfter.firstName, teacherAfter.lastName, teacherAfter.email]).toEqual(['Ana', 'Diaz', 'ana@x.org']);
    expect(day3.world.accounts).toHaveLength(1);
  });
});
