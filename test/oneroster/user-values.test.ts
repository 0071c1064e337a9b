// The users a OneRoster set holds, compact (lists and repeated values shared between users,
// lists their exact size: what every reader uses) against plain (each user its own): the
// same users, whatever users.csv and roles.csv say, repeated users merged included. And the
// guardian reader's student side, compact (without the students a guardian lists itself)
// against plain: the same rows, issues and rejections.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { guardiansOfUsers } from '../../src/oneroster/read-oneroster-guardians.js';
import { readOneRosterUsers, type OneRosterUserSet } from '../../src/oneroster/read-oneroster-users.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;

/** Everything a set says, its map as entries (which users it finds by which id). */
function contents(set: OneRosterUserSet): unknown {
  return { ...set, byId: [...set.byId.entries()], unreadableIds: [...set.unreadableIds] };
}

const id = fc.constantFrom('u1', 'u2', 'u3', 'S1', 'G1', ' u1 ', '');
const ids = fc.array(fc.constantFrom('u1', 'u2', 'S1', 'G1', 'sch1', 'sch2', ' sch1', '', 'D1'), { maxLength: 4 }).map((list) => list.join(','));
const user = fc.record({
  sourcedId: id,
  status: fc.constantFrom('', 'active', 'tobedeleted', 'TOBEDELETED'),
  role: fc.constantFrom('', 'student', 'Parent', 'guardian', 'teacher', 'relative'),
  orgs: ids,
  primaryOrg: fc.constantFrom('', 'sch1', 'sch3'),
  agents: ids,
  givenName: fc.constantFrom('Ana', ' Bo', ''),
  identifier: fc.constantFrom('', 'u1', 'S1', 'X9'),
  language: fc.constantFrom('', 'es', 'English', ' en '),
  relationship: fc.constantFrom('', 'mother', 'father'),
  ragged: fc.boolean(),
});
const role = fc.record({
  user: fc.constantFrom('u1', 'u2', 'S1', 'G1', 'nobody'),
  role: fc.constantFrom('student', 'parent', 'teacher', ''),
  status: fc.constantFrom('', 'tobedeleted'),
  org: fc.constantFrom('', 'sch1', 'sch2'),
  roleType: fc.constantFrom('', 'primary', 'secondary'),
});

type GenUser = typeof user extends fc.Arbitrary<infer U> ? U : never;

function usersCsv(users: readonly GenUser[], withPrimary: boolean, withExtensions: boolean): string {
  const header = ['sourcedId', 'status', 'role', 'orgSourcedIds', ...(withPrimary ? ['primaryOrgSourcedId'] : []), 'agentSourcedIds', 'givenName', 'familyName', 'identifier'];
  if (withExtensions) header.push('metadata.language', 'metadata.relationship');
  const lines = [header.join(',')];
  for (const u of users) {
    const cells = [u.sourcedId, u.status, u.role, quote(u.orgs), ...(withPrimary ? [u.primaryOrg] : []), quote(u.agents), u.givenName, 'Lee', u.identifier];
    if (withExtensions) cells.push(u.language, u.relationship);
    if (u.ragged) cells.push('extra');
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('users, compact and plain', () => {
  test.prop([fc.array(user, { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.option(fc.array(role, { maxLength: 8 }), { nil: undefined })])(
    'read the same users from any users.csv (and roles.csv)',
    (users, withPrimary, withExtensions, roles) => {
      const entries: [string, Uint8Array][] = [['users.csv', utf8(usersCsv(users, withPrimary, withExtensions))]];
      if (roles !== undefined) {
        const lines = ['userSourcedId,role,status,orgSourcedId,roleType', ...roles.map((r) => [r.user, r.role, r.status, r.org, r.roleType].join(','))];
        entries.push(['roles.csv', utf8(`${lines.join('\n')}\n`)]);
      }
      const files = createOneRosterFiles(entries);
      const read = (values: 'compact' | 'plain'): unknown => {
        try {
          return contents(readOneRosterUsers(files, { values }));
        } catch (error) {
          return { error: String(error) };
        }
      };
      expect(read('compact')).toEqual(read('plain'));
    },
  );

  it('shares one frozen list between users that agree, and gives a merged user its own', () => {
    const text = [
      'sourcedId,role,orgSourcedIds,agentSourcedIds,givenName,familyName,identifier',
      's1,student,sch1,g1,A,B,s1',
      's2,student,sch1,"g1,g2",C,D,s2',
      's3,student,sch1,,E,F,X3',
      's1,teacher,sch2,,A,B,s1',
    ].join('\n');
    const [s1, s2, s3] = readOneRosterUsers(createOneRosterFiles([['users.csv', utf8(text)]])).users;
    expect(s3?.roles).toBe(s2?.roles);
    expect(s3?.orgSourcedIds).toBe(s2?.orgSourcedIds);
    expect(Object.isFrozen(s2?.roles)).toBe(true);
    expect(Object.isFrozen(s2?.roles[0])).toBe(true);
    expect(Object.isFrozen(s2?.orgSourcedIds)).toBe(true);
    expect(s1?.roles).not.toBe(s2?.roles);
    expect(s1?.roles.map((r) => r.role)).toEqual(['student', 'teacher']);
    expect(s1?.orgSourcedIds).toEqual(['sch1', 'sch2']);
    expect(s2?.orgSourcedIds).toEqual(['sch1']);
    expect(s2?.agentSourcedIds).toEqual(['g1', 'g2']);
    expect(s3?.agentSourcedIds).toEqual([]);
    expect(s2?.identifier).toBe(s2?.sourcedId);
  });

  const family = fc.record({
    sourcedId: fc.constantFrom('S1', 'S2', 'S3', 'G1', 'G2', 'G3', 'T1'),
    status: fc.constantFrom('', '', 'tobedeleted'),
    role: fc.constantFrom('student', 'student', 'parent', 'guardian', 'relative', 'teacher', ''),
    agents: fc.array(fc.constantFrom('S1', 'S2', 'S3', 'G1', 'G2', 'G3', 'T1', 'X9'), { maxLength: 3 }).map((list) => list.join(',')),
    identifier: fc.constantFrom('', 'id-a', 'id-b'),
    email: fc.constantFrom('', 'a@example.org', 'not an email'),
    ragged: fc.constantFrom(false, false, false, true),
  });
  test.prop([fc.array(family, { maxLength: 14 }), fc.boolean(), fc.constantFrom<'sourcedId' | 'identifier'>('sourcedId', 'identifier')])(
    'the student side, compact or plain, gives the same guardian rows',
    (users, delta, studentIdField) => {
      const lines = ['sourcedId,status,role,agentSourcedIds,givenName,familyName,identifier,email'];
      for (const u of users) lines.push([u.sourcedId, u.status, u.role, quote(u.agents), 'Ana', 'Lee', u.identifier, u.email, ...(u.ragged ? ['extra'] : [])].join(','));
      const entries: [string, Uint8Array][] = [['users.csv', utf8(`${lines.join('\n')}\n`)]];
      if (delta) entries.push(['manifest.csv', utf8('propertyName,value\nfile.users,delta\n')]);
      const set = readOneRosterUsers(createOneRosterFiles(entries));
      expect(guardiansOfUsers(set, { studentIdField }, 'compact')).toEqual(guardiansOfUsers(set, { studentIdField }, 'plain'));
    },
  );
});
