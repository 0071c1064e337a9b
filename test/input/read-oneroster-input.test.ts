// The OneRoster path of the reading stage honours every input option, like the guardians.csv
// path: `signal` (before and after unzipping, between users), `legacyEncoding` (users.csv and
// roles.csv), `onRecords` (progress while the users become rows), `encoding`, `defaultRegion`,
// and `columns` for a guardians.csv inside the zip. Its signature takes InputOptions whole.
import iconv from 'iconv-lite';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { InputOptions } from '../../src/input/input-options.js';
import { readOneRosterInput } from '../../src/input/read-oneroster-input.js';
import { readGuardiansCsv } from '../../src/input/read-guardians-csv.js';
import { USERS_PER_PROGRESS } from '../../src/oneroster/read-oneroster-guardians.js';
import { buildZip } from '../oneroster/support/zip-writer.js';
import { rejectionOf } from '../support/rejection.js';

const USERS_HEADER = 'sourcedId,status,role,givenName,familyName,email,sms,agentSourcedIds';
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const options = (extra: Partial<InputOptions> = {}): InputOptions => ({ format: 'oneroster', fileName: 'users.csv', ...extra });

/** A users.csv: `families` students, each with one parent. Users in line order: s1, g1, s2, g2, … */
function usersCsv(families: number): string {
  const lines = [USERS_HEADER];
  for (let i = 1; i <= families; i++) {
    lines.push(`s${i},active,student,Kid${i},Diaz,,,g${i}`);
    lines.push(`g${i},active,parent,Ana${i},Diaz,g${i}@example.org,,`);
  }
  return `${lines.join('\n')}\n`;
}

describe('readOneRosterInput', () => {
  it('reads a users.csv into the GuardianInput a guardians.csv gives', async () => {
    const text = [
      USERS_HEADER,
      's1,active,student,Ada,Diaz,,,g1',
      'g1,active,parent,Ana,Diaz,Ana@Example.org,(202) 555-0143,',
      'g2,active,guardian,Bo,Lee,,,s1',
      'g3,active,parent,Cy,Moe,cy@example.org,,s1,extra',
    ].join('\n');
    const input = await readOneRosterInput(utf8(text), options());
    expect(input).toMatchObject({ encoding: 'utf-8', encodingGuessed: false, delimiter: ',', records: 4, mode: 'full' });
    expect(input.header).toMatchObject({ studentSisId: 'agentSourcedIds', guardianSisId: 'sourcedId', firstName: 'givenName', mobilePhone: 'sms', relationship: 'role' });
    expect(input.rows.map((r) => [r.line, r.guardianSisId, r.studentSisId, r.email, r.mobilePhone])).toEqual([[3, 'g1', 's1', 'ana@example.org', '+12025550143']]);
    expect(input.rejected.map((r) => [r.line, r.issues.map((i) => i.code)])).toEqual([
      [4, ['NO_CONTACT_CREDENTIAL']],
      [5, ['WRONG_FIELD_COUNT']],
    ]);
    expect(input.issues.map((i) => i.code)).toEqual(['WRONG_FIELD_COUNT', 'NO_CONTACT_CREDENTIAL']);
  });

  it('reads a zipped OneRoster set, delta mode included', async () => {
    const zip = buildZip([
      { name: 'manifest.csv', data: 'propertyName,value\nfile.users,delta\n' },
      { name: 'users.csv', data: usersCsv(2) },
    ]);
    const input = await readOneRosterInput(zip, options({ fileName: 'export.zip' }));
    expect(input.mode).toBe('delta');
    expect(input.rows.map((r) => `${r.guardianSisId}>${r.studentSisId}`)).toEqual(['g1>s1', 'g2>s2']);
  });

  it('reads a guardians.csv inside the zip on the guardians.csv path, with the options whole (columns, defaultRegion)', async () => {
    const guardians = 'Kid,Parent,Given,Family,Cell\nS1,G1,Ana,Diaz,020 7946 0018\n';
    const zip = buildZip([{ name: 'guardians.csv', data: guardians }]);
    const columns = { studentSisId: 'Kid', guardianSisId: 'Parent', firstName: 'Given', lastName: 'Family', mobilePhone: 'Cell' } as const;
    const input = await readOneRosterInput(zip, options({ fileName: 'export.zip', columns, defaultRegion: 'GB' }));
    expect(input).toEqual(await readGuardiansCsv(utf8(guardians), { format: 'guardians', fileName: 'guardians.csv', columns, defaultRegion: 'GB' }));
    expect(input.rows[0]).toMatchObject({ studentSisId: 'S1', mobilePhone: '+442079460018' });
  });

  describe('signal', () => {
    it('rejects with the ABORTED error of the guardians.csv path when already aborted', async () => {
      const signal = AbortSignal.abort();
      const oneRoster = await rejectionOf(readOneRosterInput(utf8(usersCsv(1)), options({ signal })));
      const csv = await rejectionOf(readGuardiansCsv(utf8('studentSisId,firstName,lastName\nS1,A,B\n'), { format: 'guardians', fileName: 'users.csv', signal }));
      expect([oneRoster.code, oneRoster.message, oneRoster.file]).toEqual([csv.code, csv.message, csv.file]);
      expect(oneRoster.code).toBe('ABORTED');
    });

    it('stops after unzipping when aborted while the zip was read', async () => {
      const controller = new AbortController();
      const reading = readOneRosterInput(buildZip([{ name: 'users.csv', data: usersCsv(1) }]), options({ fileName: 'export.zip', signal: controller.signal }));
      controller.abort();
      const error = await rejectionOf(reading);
      expect([error.code, error.file]).toEqual(['ABORTED', 'export.zip']);
    });

    it('stops between users when aborted during the read', async () => {
      const controller = new AbortController();
      const counts: number[] = [];
      const onRecords = (n: number): void => {
        counts.push(n);
        controller.abort();
      };
      const error = await rejectionOf(readOneRosterInput(utf8(usersCsv(2 * USERS_PER_PROGRESS)), options({ signal: controller.signal, onRecords })));
      expect(error.code).toBe('ABORTED');
      expect(counts).toEqual([USERS_PER_PROGRESS]);
    });
  });

  describe('legacyEncoding', () => {
    const text = [USERS_HEADER, 's1,active,student,Jan,Dvořák,,,g1', 'g1,active,parent,Antonín,Dvořák,ad@example.org,,'].join('\n');
    const bytes = iconv.encode(text, 'windows-1250');

    it('decodes a users.csv without BOM that is not UTF-8 with the given legacy encoding', async () => {
      const input = await readOneRosterInput(bytes, options({ legacyEncoding: 'windows-1250' }));
      expect(input).toMatchObject({ encoding: 'windows-1250', encodingGuessed: true });
      expect(input.rows[0]).toMatchObject({ firstName: 'Antonín', lastName: 'Dvořák' });
      // The default legacy encoding (windows-1252) reads ř as ø: the option made the difference.
      const fallback = await readOneRosterInput(bytes, options());
      expect(fallback.encoding).toBe('windows-1252');
      expect(fallback.rows[0]?.lastName).toBe('Dvoøák');
    });

    it('decodes roles.csv of a zipped set with it too', async () => {
      // users.csv is UTF-8 (read as such whatever the option); roles.csv is Windows-1250, and
      // names the guardian by an id with a ř: only decoded right does it find its user.
      const users = ['sourcedId,status,givenName,familyName,email,agentSourcedIds', 's1,active,Jan,Dvořák,,gř1', 'gř1,active,Antonín,Dvořák,ad@example.org,'].join('\n');
      const roles = 'sourcedId,status,userSourcedId,role,orgSourcedId,roleType\nr1,active,s1,student,sch1,primary\nr2,active,gř1,parent,sch1,primary\n';
      const zip = buildZip([
        { name: 'users.csv', data: users },
        { name: 'roles.csv', data: iconv.encode(roles, 'windows-1250') },
      ]);
      const input = await readOneRosterInput(zip, options({ fileName: 'export.zip', legacyEncoding: 'windows-1250' }));
      expect(input.rows.map((r) => [r.guardianSisId, r.studentSisId, r.lastName])).toEqual([['gř1', 's1', 'Dvořák']]);
      const fallback = await readOneRosterInput(zip, options({ fileName: 'export.zip' }));
      expect(fallback.rows).toEqual([]);
      expect(fallback.issues.map((i) => i.code)).toContain('DANGLING_REFERENCE');
    });

    it('gives way to `encoding`, which is not a guess', async () => {
      const input = await readOneRosterInput(bytes, options({ encoding: 'windows-1250', legacyEncoding: 'windows-1252' }));
      expect(input).toMatchObject({ encoding: 'windows-1250', encodingGuessed: false });
      expect(input.rows[0]).toMatchObject({ lastName: 'Dvořák' });
    });
  });

  describe('onRecords', () => {
    it(`is called every ${USERS_PER_PROGRESS} users with increasing counts`, async () => {
      const families = USERS_PER_PROGRESS + 300;
      const counts: number[] = [];
      const input = await readOneRosterInput(utf8(usersCsv(families)), options({ onRecords: (n) => counts.push(n) }));
      expect(input.records).toBe(2 * families);
      expect(input.rows).toHaveLength(families);
      expect(counts).toEqual([USERS_PER_PROGRESS, 2 * USERS_PER_PROGRESS]);
    });

    it('is called for a guardians.csv inside the zip too', async () => {
      const lines = ['studentSisId,guardianSisId,firstName,lastName,email'];
      for (let i = 1; i <= USERS_PER_PROGRESS; i++) lines.push(`S${i},G${i},Ana,Diaz,g${i}@example.org`);
      const counts: number[] = [];
      await readOneRosterInput(buildZip([{ name: 'guardians.csv', data: lines.join('\n') }]), options({ fileName: 'export.zip', onRecords: (n) => counts.push(n) }));
      expect(counts).toEqual([USERS_PER_PROGRESS]);
    });
  });

  it('takes InputOptions whole, not a part of them', () => {
    expectTypeOf(readOneRosterInput).parameter(1).toEqualTypeOf<InputOptions>();
  });
});
