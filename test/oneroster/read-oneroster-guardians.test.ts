// Guardians from OneRoster sets: one hand-written set per rule (agents from either side,
// merging, dangling ids, tobedeleted in bulk and delta, 1.2 roles, CSV habits), then a
// generated district of a few thousand users checked against its truth, in 1.1 and 1.2 form.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import { createOneRosterFiles, type OneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { readOneRosterGuardians } from '../../src/oneroster/read-oneroster-guardians.js';
import { encodeFiles, generateOneRosterDistrict, oneRosterDistrictArb, toOneRoster11, toOneRoster12, type GenDistrict } from '../arbitraries/oneroster.js';

const HEADER_11 = 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password';

/** A 1.1 users.csv line from the fields that matter. */
function user11(f: { id: string; role: string; status?: string; orgs?: string; given?: string; family?: string; identifier?: string; email?: string; sms?: string; phone?: string; agents?: string }): string {
  const q = (v: string | undefined): string => (v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [f.id, f.status ?? '', '', 'true', q(f.orgs), f.role, '', '', q(f.given ?? 'First'), q(f.family ?? 'Last'), '', q(f.identifier), q(f.email), q(f.sms), q(f.phone), q(f.agents), '', ''].join(',');
}

function files(named: Record<string, string>): OneRosterFiles {
  return createOneRosterFiles(encodeFiles(named));
}

const pairsOf = (rows: readonly GuardianRow[]): string[] => rows.map((r) => `${r.guardianSisId}>${r.studentSisId}${r.delete === true ? ' (delete)' : ''}`);

function thrownCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGuardianSyncError(error)) return error.code;
    throw error;
  }
  return 'nothing thrown';
}

const STUDENTS = [user11({ id: 's1', role: 'student', orgs: 'sch1', given: 'Ada' }), user11({ id: 's2', role: 'student', orgs: 'sch1', given: 'Ben' })];

describe('readOneRosterGuardians, OneRoster 1.1', () => {
  it('reads links from the student side', () => {
    const users = [
      HEADER_11,
      user11({ id: 's1', role: 'student', orgs: 'sch1', agents: 'g1' }),
      user11({ id: 's2', role: 'student', orgs: 'sch1', agents: 'g1,g2' }),
      user11({ id: 'g1', role: 'parent', given: 'Ana', family: 'Diaz', email: 'Ana.Diaz@Example.org', sms: '(202) 555-0143', phone: '202.555.0199' }),
      user11({ id: 'g2', role: 'guardian', given: 'Bo', family: 'Lee', email: 'bo@example.org' }),
      user11({ id: 't1', role: 'teacher', given: 'Tea', family: 'Cher', email: 't@example.org' }),
    ].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(pairsOf(result.rows)).toEqual(['g1>s1', 'g1>s2', 'g2>s2']);
    expect(result.rows[0]).toMatchObject({
      line: 4,
      guardianSisId: 'g1',
      firstName: 'Ana',
      lastName: 'Diaz',
      email: 'ana.diaz@example.org',
      mobilePhone: '+12025550143',
      homePhone: '+12025550199',
      language: null,
    });
    expect(result.rows.map((r) => r.line)).toEqual([4, 4, 5]);
    expect(result).toMatchObject({ mode: 'full', version: '1.1', file: { name: 'users.csv', delimiter: ',', rows: 5 } });
    expect(result.issues).toEqual([]);
    expect(result.rejected).toEqual([]);
  });

  it('reads links from the guardian side', () => {
    const users = [HEADER_11, ...STUDENTS, user11({ id: 'g1', role: 'relative', email: 'g1@example.org', agents: 's2,s1' })].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(pairsOf(result.rows)).toEqual(['g1>s2', 'g1>s1']);
  });

  it('merges both sides without duplicates (and duplicates inside one list)', () => {
    const users = [
      HEADER_11,
      user11({ id: 's1', role: 'student', orgs: 'sch1', agents: 'g1' }),
      user11({ id: 's2', role: 'student', orgs: 'sch1', agents: 'g1' }),
      user11({ id: 's3', role: 'student', orgs: 'sch1' }),
      user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1, s3,s1' }),
    ].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(pairsOf(result.rows)).toEqual(['g1>s1', 'g1>s3', 'g1>s2']);
  });

  it('reports a dangling agent id as DANGLING_REFERENCE on the line that names it, and keeps the rest', () => {
    const users = [
      HEADER_11,
      user11({ id: 's1', role: 'student', orgs: 'sch1', agents: 'g1,g404' }),
      user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1,s404' }),
    ].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(pairsOf(result.rows)).toEqual(['g1>s1']);
    const dangling = result.issues.filter((i) => i.code === 'DANGLING_REFERENCE');
    expect(dangling.map((i) => [i.line, i.column, i.severity])).toEqual([
      [2, 'agentSourcedIds', 'warning'],
      [3, 'agentSourcedIds', 'warning'],
    ]);
    expect(dangling[0]?.message).toContain('g404');
    expect(dangling[1]?.message).toContain('s404');
    expect(result.rejected).toEqual([]);
  });

  it('treats a blank status as active, and leaves tobedeleted users out of a bulk file', () => {
    const users = [
      HEADER_11,
      user11({ id: 's1', role: 'student', orgs: 'sch1', status: '' }),
      user11({ id: 's2', role: 'student', orgs: 'sch1', status: 'tobedeleted' }),
      user11({ id: 's3', role: 'student', orgs: 'sch1', status: 'active' }),
      user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1,s2,s3' }),
      user11({ id: 'g2', role: 'parent', email: 'g2@example.org', agents: 's1', status: 'tobedeleted' }),
    ].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(result.mode).toBe('full');
    expect(pairsOf(result.rows)).toEqual(['g1>s1', 'g1>s3']);
    // A reference to a user that is being deleted is not dangling.
    expect(result.issues).toEqual([]);
  });

  it('gives delete rows for tobedeleted guardians and students in a delta file', () => {
    const manifest = 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,delta\n';
    const users = [
      HEADER_11,
      user11({ id: 's2', role: 'student', orgs: 'sch1', status: 'tobedeleted' }),
      user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1,s2', status: 'active' }),
      // Delta delete records often carry the ids only.
      user11({ id: 'g2', role: 'parent', given: '', family: '', agents: 's1', status: 'tobedeleted' }),
      user11({ id: 'g3', role: 'parent', given: '', family: '', status: 'tobedeleted' }),
    ].join('\n');
    const result = readOneRosterGuardians(files({ 'manifest.csv': manifest, 'users.csv': users }));
    expect(result.mode).toBe('delta');
    // s1 is unchanged, so not in the delta file: its id is taken as is.
    expect(pairsOf(result.rows)).toEqual(['g1>s1', 'g1>s2 (delete)', 'g2>s1 (delete)']);
    expect(result.rows.find((r) => r.guardianSisId === 'g2')?.line).toBe(4);
    // g3 lists no students: nothing can be removed from this file, and it says so.
    const warning = result.issues.find((i) => i.line === 5);
    expect(warning).toMatchObject({ severity: 'warning', column: 'agentSourcedIds' });
    expect(result.issues.filter((i) => i.code === 'DANGLING_REFERENCE')).toEqual([]);
    expect(result.rejected).toEqual([]);
  });

  it('reads multi-valued quoted fields, extension columns and extra trailing header columns', () => {
    const users = [
      `${HEADER_11},metadata.preferredLanguage,metadata.relationship,,`,
      `${user11({ id: 's1', role: 'student', orgs: 'sch1,sch2' })},,,,`,
      `${user11({ id: 's2', role: 'student', orgs: 'sch1' })},,`,
      `${user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1,s2' })},Spanish,mother`,
    ].join('\r\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(pairsOf(result.rows)).toEqual(['g1>s1', 'g1>s2']);
    expect(result.rows[0]?.language).toBe('es');
    expect(result.header).toEqual({
      studentSisId: 'agentSourcedIds',
      guardianSisId: 'sourcedId',
      firstName: 'givenName',
      lastName: 'familyName',
      email: 'email',
      mobilePhone: 'sms',
      homePhone: 'phone',
      language: 'metadata.preferredLanguage',
      relationship: 'metadata.relationship',
    });
    expect(result.rows[0]?.relationship).toMatch(/^mother$/i);
    expect(result.issues).toEqual([]);
  });

  it('reports a ragged row by its line as WRONG_FIELD_COUNT, and a reference to it is not dangling', () => {
    const users = [HEADER_11, 's1,,,true,sch1,student,,,Ada,Last', user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1' }), user11({ id: 'g2', role: 'parent', email: 'g2@example.org', agents: 's1' })].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(result.rows).toEqual([]);
    expect(result.rejected).toEqual([{ line: 2, issues: [expect.objectContaining({ code: 'WRONG_FIELD_COUNT', line: 2 })] }]);
    expect(result.issues.map((i) => i.code)).toEqual(['WRONG_FIELD_COUNT']);
    expect(result.file.rows).toBe(3);
  });

  it('rejects a guardian row the validator refuses, with OneRoster column names and one issue per guardian', () => {
    const users = [HEADER_11, ...STUDENTS, user11({ id: 'g1', role: 'parent', given: '', email: 'g1@example.org', agents: 's1,s2' }), user11({ id: 'g2', role: 'parent', email: 'not-an-address', sms: '(202) 555-0143', agents: 's1,s2' })].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }));
    expect(pairsOf(result.rows)).toEqual(['g2>s1', 'g2>s2']);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.line).toBe(4);
    expect(result.rejected[0]?.issues.map((i) => [i.code, i.column])).toEqual([['MISSING_VALUE', 'givenName']]);
    const invalid = result.issues.filter((i) => i.code === 'INVALID_EMAIL');
    expect(invalid.map((i) => [i.line, i.column])).toEqual([[5, 'email']]);
  });

  it('decodes a Windows-1252 users.csv through the shared decoder, and an encoding named by the caller', () => {
    const text = [HEADER_11, ...STUDENTS, user11({ id: 'g1', role: 'parent', given: 'José', family: 'Müller', email: 'jm@example.org', agents: 's1' })].join('\r\n');
    const latin = new Uint8Array([...text].map((c) => c.charCodeAt(0)));
    const result = readOneRosterGuardians(createOneRosterFiles([['users.csv', latin]]));
    expect(result.rows[0]).toMatchObject({ firstName: 'José', lastName: 'Müller' });
    expect(result.file).toMatchObject({ encoding: 'windows-1252', encodingGuessed: true });
    const named = readOneRosterGuardians(createOneRosterFiles([['users.csv', latin]]), { encoding: 'iso-8859-1' });
    expect(named.rows[0]?.firstName).toBe('José');
    expect(named.file.encodingGuessed).toBe(false);
    const utf8 = readOneRosterGuardians(files({ 'users.csv': `\uFEFF${text}` }));
    expect(utf8.file).toMatchObject({ encoding: 'utf-8', encodingGuessed: false });
    expect(utf8.rows[0]?.firstName).toBe('José');
  });

  it('uses the student identifier when asked (leading zeros kept)', () => {
    const users = [HEADER_11, user11({ id: 's1', role: 'student', orgs: 'sch1', identifier: '000123' }), user11({ id: 'g1', role: 'parent', email: 'g1@example.org', agents: 's1' })].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users }), { studentIdField: 'identifier' });
    expect(pairsOf(result.rows)).toEqual(['g1>000123']);
  });

  it('throws FILE_NOT_FOUND without users.csv, MALFORMED_CSV for a malformed quote, MISSING_REQUIRED_COLUMN without role', () => {
    expect(thrownCode(() => readOneRosterGuardians(files({ 'orgs.csv': 'sourcedId,type\n' })))).toBe('FILE_NOT_FOUND');
    const broken = [HEADER_11, ...STUDENTS, user11({ id: 'g1', role: 'parent', email: 'g1@example.org' }).replace('g1@', '"g1@')].join('\n');
    expect(thrownCode(() => readOneRosterGuardians(files({ 'users.csv': broken })))).toBe('MALFORMED_CSV');
    expect(thrownCode(() => readOneRosterGuardians(files({ 'users.csv': 'sourcedId,givenName,familyName\ng1,A,B\n' })))).toBe('MISSING_REQUIRED_COLUMN');
  });
});

describe('readOneRosterGuardians, OneRoster 1.2', () => {
  const USERS_12 = [
    'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns',
    's1,,,true,,,Ada,Diaz,,,,,,,,,,,,,,sch1,',
    's2,,,true,,,Ben,Diaz,,,,,,,,,,,,,,sch1,',
    'p1,,,true,,,Tina,Diaz,,,Tina.Diaz@district.example.org,2025550143,,"s1,s2",,,,,,,,sch1,',
    'p2,,,true,,,Raul,Diaz,,,raul@example.org,,,,,,,,,,,,',
  ].join('\n');
  const ROLES = [
    'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
    'r1,,,s1,primary,student,,,sch1,',
    'r2,,,s2,primary,student,,,sch1,',
    'r3,,,p1,primary,teacher,,,sch1,',
    'r4,,,p1,secondary,parent,,,sch1,',
    'r5,,,p2,primary,guardian,,,sch1,',
  ].join('\n');

  it('takes roles from roles.csv: a teacher who is also a parent is a guardian', () => {
    const result = readOneRosterGuardians(files({ 'users.csv': USERS_12, 'roles.csv': ROLES }));
    expect(result.version).toBe('1.2');
    // p2 lists no students and no student lists p2: no rows.
    expect(pairsOf(result.rows)).toEqual(['p1>s1', 'p1>s2']);
    expect(result.rows[0]).toMatchObject({ line: 4, email: 'tina.diaz@district.example.org', mobilePhone: '+12025550143' });
    expect(result.issues).toEqual([]);
  });

  it('drops a guardian role marked tobedeleted in bulk, and deletes its pairs in delta', () => {
    const roles = ROLES.replace('r4,,,p1', 'r4,tobedeleted,,p1');
    expect(readOneRosterGuardians(files({ 'users.csv': USERS_12, 'roles.csv': roles })).rows).toEqual([]);
    const manifest = 'propertyName,value\noneroster.version,1.2\nfile.users,delta\nfile.roles,delta\n';
    const delta = readOneRosterGuardians(files({ 'users.csv': USERS_12, 'roles.csv': roles, 'manifest.csv': manifest }));
    expect(pairsOf(delta.rows)).toEqual(['p1>s1 (delete)', 'p1>s2 (delete)']);
  });

  it('reports roles of users missing from users.csv', () => {
    const result = readOneRosterGuardians(files({ 'users.csv': USERS_12, 'roles.csv': `${ROLES}\nr9,,,ghost,primary,parent,,,sch1,` }));
    const issue = result.issues.find((i) => i.code === 'DANGLING_REFERENCE');
    expect(issue?.message).toMatch(/roles\.csv line 7/);
    expect(issue?.line).toBeNull();
  });

  it('detects 1.2 from the manifest even without roles.csv', () => {
    const users = [HEADER_11, ...STUDENTS].join('\n');
    const result = readOneRosterGuardians(files({ 'users.csv': users, 'manifest.csv': 'propertyName,value\noneroster.version,1.2\n' }));
    expect(result.version).toBe('1.2');
  });
});

function rowKey(r: GuardianRow): string {
  return JSON.stringify({ ...r, line: 0 });
}

function truth(d: GenDistrict): string[] {
  return d.pairs.map(([g, s]) => `${g}>${s}`).sort();
}

describe('readOneRosterGuardians on generated districts', () => {
  it('finds every pair of a district of a few thousand users, in 1.1 and 1.2 alike', () => {
    const district = generateOneRosterDistrict({ seed: 20260601, students: 1500 });
    const users = district.students.length + district.guardians.length + district.teachers.length;
    expect(users).toBeGreaterThan(3000);
    expect(district.guardians.some((g) => g.teacherAt !== null)).toBe(true);

    const v11 = readOneRosterGuardians(createOneRosterFiles(encodeFiles(toOneRoster11(district))));
    const v12 = readOneRosterGuardians(createOneRosterFiles(encodeFiles(toOneRoster12(district))));
    expect(v11.version).toBe('1.1');
    expect(v12.version).toBe('1.2');
    expect(v11.issues).toEqual([]);
    expect(v11.rejected).toEqual([]);
    expect(v11.rows.map((r) => `${r.guardianSisId}>${r.studentSisId}`).sort()).toEqual(truth(district));
    expect(v11.rows.map(rowKey).sort()).toEqual(v12.rows.map(rowKey).sort());
    expect(v11.issues.map((i) => i.code).sort()).toEqual(v12.issues.map((i) => i.code).sort());
    // Rows come in users.csv line order.
    const lines = v11.rows.map((r) => r.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  test.prop([oneRosterDistrictArb(10)], { numRuns: 60 })('1.1 and 1.2 forms of one district give the same rows, and every pair of the truth', (district) => {
    const v11 = readOneRosterGuardians(createOneRosterFiles(encodeFiles(toOneRoster11(district))));
    const v12 = readOneRosterGuardians(createOneRosterFiles(encodeFiles(toOneRoster12(district))));
    expect(v11.rows.map(rowKey).sort()).toEqual(v12.rows.map(rowKey).sort());
    const rejectedGuardians = new Set(v11.rejected.map((r) => r.line));
    expect(rejectedGuardians.size).toBe(0);
    expect(v11.rows.map((r) => `${r.guardianSisId}>${r.studentSisId}`).sort()).toEqual(truth(district));
  });

  test.prop([oneRosterDistrictArb(8), fc.constantFrom('student', 'guardian', 'both')], { numRuns: 60 })(
    'the side agents are written on does not change the pairs',
    (district, side) => {
      const rewritten: GenDistrict = {
        ...district,
        students: district.students.map((s) => ({ ...s, listsGuardians: side === 'guardian' ? [] : district.pairs.filter(([, sid]) => sid === s.sourcedId).map(([g]) => g) })),
        guardians: district.guardians.map((g) => ({ ...g, listsStudents: side === 'student' ? [] : district.pairs.filter(([gid]) => gid === g.sourcedId).map(([, s]) => s) })),
      };
      const before = readOneRosterGuardians(createOneRosterFiles(encodeFiles(toOneRoster11(district))));
      const after = readOneRosterGuardians(createOneRosterFiles(encodeFiles(toOneRoster11(rewritten))));
      expect(after.rows.map(rowKey).sort()).toEqual(before.rows.map(rowKey).sort());
    },
  );
});
