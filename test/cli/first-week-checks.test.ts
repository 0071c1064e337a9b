// A district's first week (issue 19, items 9, 11 and 14), end to end through the CLI in
// child processes: `validate` reports two people sharing a login as the sync will treat
// them; SIS export headers are read, and columns that look like a field get a warning that
// names the --column fix; `roster import` without orgs.csv and then with it leaves one
// district, so the next sync needs no --org.
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/sqlite/sqlite-store.js';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { readOneRosterRoster } from '../../src/oneroster/read-oneroster-roster.js';
import { createWorkspace, studentUser, teacherUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { issueShape, rosterExportShape, rosterImportShape, syncReportShape, validationShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

let ws: CliWorkspace;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

/** The validation JSON with each issue's `lines` (the shared shape strips fields it does not name). */
const validationWithLines = validationShape.extend({ issues: z.array(issueShape.extend({ lines: z.array(z.number().int().positive()).optional() })) });

async function validateJson(file: string, extra: readonly string[] = []) {
  const result = await cli(['validate', file, '--json', ...extra]);
  return { result, report: validationWithLines.parse(singleJson(result)) };
}

const ORGS = [
  'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
  'D1,active,2026-08-15,Maple Unified,district,MU,',
  'SA,active,2026-08-15,Maple Elementary,school,SA,D1',
  'SB,active,2026-08-15,Maple Middle,school,SB,D1',
].join('\n');
const USERS = [
  USERS_HEADER,
  studentUser('S1', 'SA', 'Lucia', 'Lopez'),
  studentUser('S2', 'SA', 'Mateo', 'Lopez'),
  studentUser('S3', 'SB', 'Ines', 'Lopez'),
  teacherUser('T1', 'SA', 'Tina', 'Teacher', 'tina@school.example'),
].join('\n');

// Item 9: Maria (F1, two children) and Juan (F2) share one email; Juan has no other login.
const SHARED_EMAIL = [
  'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone',
  'S1,F1,Maria,Lopez,lopez.family@mail.example,',
  'S2,F1,Maria,Lopez,lopez.family@mail.example,',
  'S3,F2,Juan,Lopez,lopez.family@mail.example,',
].join('\n');

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS);
  await ws.write('orgs.csv', ORGS);
  await ws.write('shared-email.csv', SHARED_EMAIL);
});
afterAll(() => ws.cleanup());

describe('validate reports logins two people of the file share (issue 19, item 9)', () => {
  it('F1 Maria Lopez and F2 Juan Lopez with one email: CREDENTIAL_IN_USE on Juan’s line, with both lines, naming no one', async () => {
    const { result, report } = await validateJson('shared-email.csv');
    // A warning, as in the sync: the file is still valid, Juan's row is what needs fixing.
    expect(result.code).toBe(0);
    expect(report.counts.guardians).toBe(2);
    const collisions = report.issues.filter((i) => i.code === 'CREDENTIAL_IN_USE');
    // Maria's two rows are one person sharing her own email: no collision between them.
    expect(collisions).toEqual([
      {
        severity: 'warning',
        code: 'CREDENTIAL_IN_USE',
        line: 4,
        column: 'email',
        lines: [2, 4],
        message:
          'The email address on line 4 is also that of another person (line 2): a login is never shared, so the sync gives it to one of them only (whose account has it, else line 2). Line 4 has no other login: without it, that guardian is not added.',
      },
    ]);
    expect(collisions[0]?.message).not.toMatch(/Maria|Juan|lopez\.family/i);

    const text = await cli(['validate', 'shared-email.csv']);
    expect(text.stderr).toMatch(/WARNING CREDENTIAL_IN_USE ×1\s+lines 2, 4/);
  });

  it('the sync of the same file then treats line 4 as validate said', async () => {
    const db = 'item9.sqlite';
    expect((await cli(['roster', 'import', '--db', db, 'users.csv', 'orgs.csv'])).code).toBe(0);
    const result = await cli(['sync', '--db', db, '--file', 'shared-email.csv', '--json']);
    const report = syncReportShape.parse(singleJson(result));
    expect(report.issues.filter((i) => i.code === 'CREDENTIAL_IN_USE').map((i) => [i.line, i.column])).toEqual([[4, 'email']]);
    expect(report.rows.find((r) => r.line === 4)?.action).toBe('SKIPPED');
  });

  it('one mobile shared by two people without ids is a collision too; one person with one id on several rows is not', async () => {
    await ws.write(
      'shared-mobile.csv',
      [
        'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone',
        'S1,,Ana,Ruiz,ana@mail.example,202-555-0150',
        'S2,,Luis,Ruiz,luis@mail.example,(202) 555-0150',
        'S3,G7,Cy,Ng,cy@mail.example,202-555-0151',
        'S1,G7,Cy,Ng,CY@mail.example,2025550151',
      ].join('\n'),
    );
    const { report } = await validateJson('shared-mobile.csv');
    expect(report.issues.filter((i) => i.code === 'CREDENTIAL_IN_USE').map((i) => [i.line, i.column, i.lines])).toEqual([[3, 'mobilePhone', [2, 3]]]);
    // Luis keeps his email: the message does not say he would not be added.
    expect(report.issues.find((i) => i.code === 'CREDENTIAL_IN_USE')?.message).not.toContain('not added');
  });
});

describe('validate reads SIS export headers and names the fix for look-alike columns (issue 19, item 11)', () => {
  const SIS_EXPORT = [
    'Student Number,Contact ID,First Name,Last Name,Email,Primary Phone,Home Language,Guardian Lang,Parent Cell #,Mobile Number 2',
    'S1,C100,Ana,Ruiz,ana@mail.example,(202) 555-0150,Klingon,es,202-555-0160,202-555-0170',
    'S2,C101,Bo,Ng,bo@mail.example,(202) 555-0151,Spanish,,,',
  ].join('\n');

  it('maps Student Number, Contact ID and Home Language; the language column is read, not ignored', async () => {
    await ws.write('sis-export.csv', SIS_EXPORT);
    const { result, report } = await validateJson('sis-export.csv');
    expect(result.code).toBe(0);
    expect(report.header).toEqual({
      studentSisId: 'Student Number',
      guardianSisId: 'Contact ID',
      firstName: 'First Name',
      lastName: 'Last Name',
      email: 'Email',
      language: 'Home Language',
    });
    // Read, so a bad value is reported (before: the whole column was ignored and the file "valid").
    expect(report.issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_LANGUAGE', line: 2, column: 'language' }));
    // No MISSING_GUARDIAN_SIS_ID: Contact ID is the guardian's id.
    expect(report.issues.map((i) => i.code)).not.toContain('MISSING_GUARDIAN_SIS_ID');
  });

  it('Primary Phone is not read as a login; it and Guardian Lang, Parent Cell #, Mobile Number 2 get a warning naming --column', async () => {
    const { report } = await validateJson('sis-export.csv');
    const warnings = new Map(report.issues.filter((i) => i.code === 'UNKNOWN_COLUMN').map((i) => [i.column, i.message]));
    expect(warnings.get('Primary Phone')).toContain('--column mobilePhone="Primary Phone"');
    expect(warnings.get('Primary Phone')).toContain('--column homePhone="Primary Phone"');
    expect(warnings.get('Guardian Lang')).toContain('looks like language, which is read from "Home Language"');
    expect(warnings.get('Guardian Lang')).toContain('--column language="Guardian Lang"');
    expect(warnings.get('Parent Cell #')).toContain('--column mobilePhone="Parent Cell #"');
    expect(warnings.get('Mobile Number 2')).toContain('--column mobilePhone="Mobile Number 2"');

    const text = await cli(['validate', 'sis-export.csv']);
    expect(text.stderr).toMatch(/language\s+← "Home Language"/);
    expect(text.stderr).toContain('--column mobilePhone="Primary Phone"');
  });

  it('the fix the warning names works: --column mobilePhone="Primary Phone" reads the mobiles', async () => {
    const { report } = await validateJson('sis-export.csv', ['--column', 'mobilePhone=Primary Phone']);
    expect(report.header.mobilePhone).toBe('Primary Phone');
    expect(report.issues.map((i) => i.column)).not.toContain('Primary Phone');
  });

  it('a file missing a required column names the look-alike columns in the error', async () => {
    await ws.write('look-alikes.csv', ['Student Number,Parent First,Parent Last,Parent Cell #', 'S1,Ana,Ruiz,202-555-0150'].join('\n'));
    const { result, report } = await validateJson('look-alikes.csv');
    expect(result.code).toBe(1);
    const error = report.issues.find((i) => i.code === 'MISSING_REQUIRED_COLUMN');
    expect(error?.message).toContain('"Parent First" looks like firstName: --column firstName="Parent First".');
    expect(error?.message).toContain('"Parent Cell #" looks like mobilePhone: --column mobilePhone="Parent Cell #".');
  });
});

describe('roster import folds its placeholder district away (issue 19, item 14)', () => {
  it('without orgs.csv, then with it: one district, and the next sync needs no --org', async () => {
    const db = 'item14.sqlite';
    const first = rosterImportShape.parse(singleJson(await cli(['roster', 'import', '--db', db, 'users.csv', '--json'])));
    expect(first.districts).toEqual(['oneroster-district']);
    // A sync against the placeholder, as a district would run before finding its orgs.csv.
    await ws.write('day1.csv', ['studentSisId,guardianSisId,firstName,lastName,email', 'S1,F1,Maria,Lopez,maria@mail.example'].join('\n'));
    expect((await cli(['sync', '--db', db, '--file', 'day1.csv'])).code).toBe(0);

    const second = await cli(['roster', 'import', '--db', db, 'users.csv', 'orgs.csv']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/Districts\s+D1\n/);
    expect(second.stderr).toContain('Merged      oneroster-district into D1');
    const again = await cli(['roster', 'import', '--db', db, 'users.csv', 'orgs.csv', '--json']);
    expect(singleJson(again)).toMatchObject({ districts: ['D1'], mergedDistricts: [], placeholderKept: null });

    // No --org: the roster holds one district. Maria keeps her account: nothing changes.
    const day2 = await cli(['sync', '--db', db, '--file', 'day1.csv', '--json']);
    expect(day2.code, day2.stderr).toBe(0);
    const report = syncReportShape.parse(singleJson(day2));
    expect(report.scope).toEqual({ level: 'district', orgId: 'D1' });
    expect(report.counts).toMatchObject({ accountsCreated: 0, linksAdded: 0, unchanged: 1 });

    const roster = rosterExportShape.parse(singleJson(await cli(['export', '--db', db, '--json'])));
    expect(roster.students.map((s) => s.sisId)).toEqual(['S1', 'S2', 'S3']);
    expect(roster.accounts.map((a) => [a.firstName, a.roles, a.students]).sort()).toEqual([
      ['Maria', [{ role: 'guardian', sisIds: ['F1'], status: 'active' }], ['S1']],
      ['Tina', [{ role: 'staff', sisIds: ['T1'], status: 'active' }], []],
    ]);
  });

  it('with orgs.csv first, users.csv alone later makes no placeholder', async () => {
    const db = 'item14-reverse.sqlite';
    expect((await cli(['roster', 'import', '--db', db, 'users.csv', 'orgs.csv'])).code).toBe(0);
    const alone = rosterImportShape.parse(singleJson(await cli(['roster', 'import', '--db', db, 'users.csv', '--json'])));
    expect(alone.districts).toEqual(['D1']);
    expect((await cli(['sync', '--db', db, '--file', 'day1.csv'])).code).toBe(0);
  });

  it('a roster an earlier version left with the placeholder is healed by importing with orgs.csv again', async () => {
    const db = 'item14-old.sqlite';
    // What the earlier version wrote: the placeholder's students stayed when orgs.csv moved its schools.
    const store = createSqliteStore({ database: ws.path(db) });
    try {
      const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
      await store.importRoster(readOneRosterRoster(createOneRosterFiles([['users.csv', utf8(USERS)]])).roster);
      await store.importRoster(readOneRosterRoster(createOneRosterFiles([['users.csv', utf8(USERS)], ['orgs.csv', utf8(ORGS)]])).roster);
      expect((await store.listOrgs()).filter((o) => o.type === 'district').map((o) => o.id)).toEqual(['D1', 'oneroster-district']);
    } finally {
      await store.close();
    }
    const stuck = await cli(['sync', '--db', db, '--file', 'day1.csv']);
    expect(stuck.code).toBe(2);
    expect(stuck.stderr).toContain('choose one with --org');

    const healed = await cli(['roster', 'import', '--db', db, 'users.csv', 'orgs.csv']);
    expect(healed.stderr).toContain('Merged      oneroster-district into D1');
    expect((await cli(['sync', '--db', db, '--file', 'day1.csv'])).code).toBe(0);
  });
});
