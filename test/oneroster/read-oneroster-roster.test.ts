// Roster import from OneRoster: students, staff (1.1 and 1.2 role names, normalized
// contacts), orgs with and without orgs.csv, the district of every student and staff record
// (one roster serves many districts), and the store call.
import { describe, expect, it } from 'vitest';
import type { RosterStore } from '../../src/contracts/roster-store.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createOneRosterFiles, type OneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { importOneRosterRoster } from '../../src/sync/import-oneroster-roster.js';
import { readOneRosterRoster, SYNTHETIC_DISTRICT } from '../../src/oneroster/read-oneroster-roster.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';
import { encodeFiles, generateOneRosterDistrict, toOneRoster11, toOneRoster12 } from '../arbitraries/oneroster.js';
import { buildZip } from './support/zip-writer.js';

const USERS_11 = [
  'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
  's1,,,true,"sch1,sch2",student,,,Ada,Diaz,,0042,,,,p1,03,',
  's2,,,true,sch2,student,,,Ben,Lee,,0043,,,,,04,',
  's3,tobedeleted,,true,sch2,student,,,Cy,Old,,0044,,,,,04,',
  's4,,,true,,student,,,No,School,,0045,,,,,04,',
  't1,,,true,sch1,teacher,,,Tina,Diaz,,,Tina.Diaz@District.Example.org,(202) 555-0143,202.555.0199,,,',
  'a1,,,true,sch2,administrator,,,Al,Admin,,,al@district.example.org,,,,,',
  'x1,,,true,sch1,aide,,,Xu,Aide,,,not-an-address,12,,,,',
  'x2,,,true,sch1,proctor,,,Pat,Proctor,,,pat@district.example.org,,,,,',
  'p1,,,true,,parent,,,Paula,Diaz,,,paula@example.org,,,s1,,',
].join('\n');
const ORGS = ['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'd1,,,Springfield District,district,,', 'sch1,,,North  Elementary,school,,d1', 'sch2,,,South High,school,,dept9', 'dept9,,,Secondary Dept,department,,d1'].join('\n');

const set = (named: Record<string, string>): OneRosterFiles => createOneRosterFiles(encodeFiles(named));

describe('readOneRosterRoster', () => {
  it('reads students, staff of every 1.1 staff role, and orgs from orgs.csv', () => {
    const { roster, issues } = readOneRosterRoster(set({ 'users.csv': USERS_11, 'orgs.csv': ORGS }));
    expect(roster.students).toEqual([
      { districtId: 'd1', sisId: 's1', schoolId: 'sch1', firstName: 'Ada', lastName: 'Diaz' },
      // sch2's parent is a department: the district is the nearest district above.
      { districtId: 'd1', sisId: 's2', schoolId: 'sch2', firstName: 'Ben', lastName: 'Lee' },
    ]);
    expect(roster.staff.map((s) => s.sisId)).toEqual(['t1', 'a1', 'x1', 'x2']);
    expect(roster.staff[0]).toEqual({
      districtId: 'd1',
      sisId: 't1',
      firstName: 'Tina',
      lastName: 'Diaz',
      email: 'tina.diaz@district.example.org',
      mobilePhone: '+12025550143',
      homePhone: '+12025550199',
      schoolIds: ['sch1'],
    });
    expect(roster.staff[2]).toMatchObject({ sisId: 'x1', email: null, mobilePhone: null });
    expect(roster.orgs).toEqual([
      { id: 'd1', name: 'Springfield District', type: 'district', parentId: null },
      { id: 'sch1', name: 'North Elementary', type: 'school', parentId: 'd1' },
      // Its parent is a department: the district is the nearest district above.
      { id: 'sch2', name: 'South High', type: 'school', parentId: 'd1' },
    ]);
    expect(issues.map((i) => [i.code, i.line, i.column])).toEqual([
      ['MISSING_VALUE', 5, 'orgSourcedIds'],
      ['INVALID_EMAIL', 8, 'email'],
      ['INVALID_PHONE', 8, 'sms'],
    ]);
  });

  it('without orgs.csv, puts every school seen in one synthetic district', () => {
    const { roster } = readOneRosterRoster(set({ 'users.csv': USERS_11 }));
    expect(roster.orgs).toEqual([
      { id: SYNTHETIC_DISTRICT.id, name: SYNTHETIC_DISTRICT.name, type: 'district', parentId: null },
      { id: 'sch1', name: 'sch1', type: 'school', parentId: SYNTHETIC_DISTRICT.id },
      { id: 'sch2', name: 'sch2', type: 'school', parentId: SYNTHETIC_DISTRICT.id },
    ]);
    expect(new Set([...roster.students, ...roster.staff].map((r) => r.districtId))).toEqual(new Set([SYNTHETIC_DISTRICT.id]));
    const named = readOneRosterRoster(set({ 'users.csv': USERS_11 }), { districtId: 'D-9', districtName: 'Nine' });
    expect(named.roster.orgs[0]).toEqual({ id: 'D-9', name: 'Nine', type: 'district', parentId: null });
    expect(new Set([...named.roster.students, ...named.roster.staff].map((r) => r.districtId))).toEqual(new Set(['D-9']));
  });

  it('adds a school missing from orgs.csv to its only district, with a warning', () => {
    const { roster, issues } = readOneRosterRoster(set({ 'users.csv': USERS_11, 'orgs.csv': ORGS.replace('\nsch2,,,South High,school,,dept9', '') }));
    expect(roster.orgs).toContainEqual({ id: 'sch2', name: 'sch2', type: 'school', parentId: 'd1' });
    expect(roster.students.find((s) => s.sisId === 's2')?.districtId).toBe('d1');
    expect(issues.find((i) => i.code === 'DANGLING_REFERENCE')).toMatchObject({ line: 3, column: 'orgSourcedIds' });
  });

  it('gives every student and staff record the district of its school; a teacher of two districts becomes one record per district', () => {
    const orgs = [
      'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
      'D1,,,Maple Unified,district,,',
      'D2,,,Oak County,district,,',
      'SA,,,Maple Elementary,school,,D1',
      'SA2,,,Maple Middle,school,,D1',
      'SB,,,Oak High,school,,D2',
    ].join('\n');
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
      // The same SIS id in both districts: two students, told apart by their district.
      '1001,,,true,SA,student,,,Ann,North,,,,,,,,',
      '1002,,,true,SB,student,,,Ben,South,,,,,,,,',
      't1,,,true,"SA,SB,SA2",teacher,,,Tia,Both,,,tia@example.org,,,,,',
      'a1,,,true,D2,administrator,,,Al,Admin,,,al@example.org,,,,,',
      'n1,,,true,,teacher,,,No,Org,,,no.org@example.org,,,,,',
    ].join('\n');
    const { roster, issues } = readOneRosterRoster(set({ 'users.csv': users, 'orgs.csv': orgs }));
    expect(roster.students.map((s) => [s.districtId, s.sisId, s.schoolId])).toEqual([
      ['D1', '1001', 'SA'],
      ['D2', '1002', 'SB'],
    ]);
    expect(roster.staff.map((s) => [s.districtId, s.sisId, s.schoolIds])).toEqual([
      ['D1', 't1', ['SA', 'SA2']],
      ['D2', 't1', ['SB']],
      // A district administrator's org is the district itself.
      ['D2', 'a1', ['D2']],
    ]);
    // Two districts and no org: which one is unknown, so the record is skipped with a word.
    expect(issues.map((i) => [i.code, i.line, i.column])).toEqual([['MISSING_VALUE', 6, 'orgSourcedIds']]);
    expect(issues[0]?.message).not.toContain('no.org@example.org');
    // With one district, a staff member without an org belongs to it.
    const oneDistrict = orgs.split('\n').filter((line) => !/^(D2|SB),/.test(line)).join('\n');
    const oneUsers = users.replace('"SA,SB,SA2"', 'SA').replace(',D2,administrator', ',SA,administrator').replace('1002,,,true,SB', '1002,,,true,SA');
    const one = readOneRosterRoster(set({ 'users.csv': oneUsers, 'orgs.csv': oneDistrict }));
    expect(one.issues).toEqual([]);
    expect(one.roster.staff.map((s) => [s.districtId, s.sisId])).toEqual([
      ['D1', 't1'],
      ['D1', 'a1'],
      ['D1', 'n1'],
    ]);
  });

  it('uses the identifier as student SIS id when asked', () => {
    const { roster } = readOneRosterRoster(set({ 'users.csv': USERS_11 }), { studentIdField: 'identifier' });
    expect(roster.students.map((s) => s.sisId)).toEqual(['0042', '0043']);
  });

  it('reads 1.2 roles: a teacher who is also a parent is staff, at the org of the staff role', () => {
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,primaryOrgSourcedId',
      's1,,,true,,,Ada,Diaz,,,,,,p1,,,',
      'p1,,,true,,,Tina,Diaz,,,tina@district.example.org,,,s1,,,',
      'da,,,true,,,Dee,Admin,,,dee@district.example.org,,,,,,d1',
    ].join('\n');
    const roles = [
      'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
      'r1,,,s1,secondary,student,,,sch9,',
      'r2,,,s1,primary,student,,,sch1,',
      'r3,,,p1,primary,teacher,,,sch1,',
      'r4,,,p1,secondary,parent,,,sch1,',
      'r5,,,da,primary,districtAdministrator,,,d1,',
    ].join('\n');
    const { roster } = readOneRosterRoster(set({ 'users.csv': users, 'roles.csv': roles, 'orgs.csv': ORGS }));
    expect(roster.students).toEqual([{ districtId: 'd1', sisId: 's1', schoolId: 'sch1', firstName: 'Ada', lastName: 'Diaz' }]);
    expect(roster.staff.map((s) => [s.districtId, s.sisId, s.schoolIds])).toEqual([
      ['d1', 'p1', ['sch1']],
      ['d1', 'da', ['d1']],
    ]);
  });

  it('gives the same roster from the 1.1 and 1.2 forms of a generated district', () => {
    const district = generateOneRosterDistrict({ seed: 99, students: 300 });
    const v11 = readOneRosterRoster(createOneRosterFiles(encodeFiles(toOneRoster11(district))));
    const v12 = readOneRosterRoster(createOneRosterFiles(encodeFiles(toOneRoster12(district))));
    const sortBy = <T extends { sisId: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.sisId.localeCompare(b.sisId));
    expect(sortBy(v11.roster.students)).toEqual(sortBy(v12.roster.students));
    expect(sortBy(v11.roster.staff)).toEqual(sortBy(v12.roster.staff));
    expect(v11.roster.orgs).toEqual(v12.roster.orgs);
    expect(v11.roster.students).toHaveLength(district.students.length);
    expect(v11.roster.staff).toHaveLength(district.teachers.length + district.guardians.filter((g) => g.teacherAt !== null).length);
  });
});

describe('importOneRosterRoster', () => {
  it('loads the roster into a store, from a ZIP, and updates in place when run again', async () => {
    const store = createMemoryStore();
    const zip = buildZip([
      { name: 'export/users.csv', data: USERS_11 },
      { name: 'export/orgs.csv', data: ORGS },
    ]);
    const first = await importOneRosterRoster({ name: 'export.zip', bytes: zip }, store);
    expect(first).toMatchObject({ orgs: 3, students: 2, staffCreated: 4 });
    expect(first.issues.map((i) => i.code)).toEqual(['MISSING_VALUE', 'INVALID_EMAIL', 'INVALID_PHONE']);
    const again = await importOneRosterRoster({ name: 'export.zip', bytes: zip }, store);
    expect(again.staffCreated).toBe(0);
    const exported = await store.exportRoster('d1');
    expect(exported.students.map((s) => s.sisId)).toEqual(['s1', 's2']);
    expect(exported.accounts).toHaveLength(4);
    expect(exported.accounts.find((a) => a.email === 'tina.diaz@district.example.org')?.roles).toEqual([{ role: 'staff', sisIds: ['t1'], status: 'active' }]);
    const scope = await store.resolveScope({ level: 'district', orgId: 'd1' });
    expect(scope?.schoolIds.slice().sort()).toEqual(['sch1', 'sch2']);
  });

  it('refuses a store without importRoster as INVALID_CONFIGURATION, before reading anything', async () => {
    const { importRoster: _unused, ...rest } = createMemoryStore();
    const store: RosterStore = rest;
    try {
      await importOneRosterRoster({ path: '/does/not/exist' }, store);
      expect.unreachable('the import ran');
    } catch (error) {
      expect(isGuardianSyncError(error) && error.code).toBe('INVALID_CONFIGURATION');
    }
  });
});
