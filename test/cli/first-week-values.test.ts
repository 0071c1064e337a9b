// A district's first week (issue 19, items 2 and 12), end to end through the CLI in child
// processes: each value of the issue goes through `validate` and through `sync` into a
// SQLite roster. Placeholder phones and emails are reported and never become logins (so a
// second family with the same placeholder is not "already the login of another person");
// SIS language spellings are recognised, "no language" values are silent, and Mexican
// mobiles in the form of before 2019 are stored as today's number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, orgsCsv, studentUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { rosterExportShape, syncReportShape, validationShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

type RosterExportJson = ReturnType<typeof rosterExportShape.parse>;
type Account = RosterExportJson['accounts'][number];
type Issue = ReturnType<typeof validationShape.parse>['issues'][number];

let ws: CliWorkspace;
let files = 0;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,language';
const STUDENTS = 20;

/** A roster of one district (D1, school SA) with students S1…S20 and no guardians yet. */
async function freshRoster(): Promise<string> {
  const db = `roster-${++files}.sqlite`;
  const users = Array.from({ length: STUDENTS }, (_, i) => studentUser(`S${i + 1}`, 'SA', `Kid${i + 1}`, 'Student'));
  await ws.write(`users-${files}.csv`, [USERS_HEADER, ...users].join('\n'));
  const imported = await cli(['roster', 'import', '--db', db, `users-${files}.csv`, 'orgs.csv']);
  expect(imported.code, imported.stderr).toBe(0);
  return db;
}

async function writeFile(rows: readonly string[]): Promise<string> {
  const name = `guardians-${++files}.csv`;
  await ws.write(name, [HEADER, ...rows].join('\n'));
  return name;
}

async function validate(name: string) {
  const result = await cli(['validate', name, '--json']);
  return { result, report: validationShape.parse(singleJson(result)) };
}

async function sync(db: string, name: string) {
  const result = await cli(['sync', '--db', db, '--file', name, '--json']);
  return { result, report: syncReportShape.parse(singleJson(result)) };
}

async function accountsByGuardianId(db: string): Promise<Map<string, Account>> {
  const result = await cli(['export', '--db', db, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const byId = new Map<string, Account>();
  for (const account of rosterExportShape.parse(singleJson(result)).accounts) {
    for (const id of account.roles.find((r) => r.role === 'guardian')?.sisIds ?? []) byId.set(id, account);
  }
  return byId;
}

/** `code@line` of each issue with one of the codes, for readable failures. */
const issuesOf = (issues: readonly Issue[], codes: readonly string[]): string[] => issues.filter((i) => codes.includes(i.code)).map((i) => `${i.code}@${i.line ?? ''}:${i.column ?? ''}`);

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', orgsCsv({ D1: ['SA'] }));
});
afterAll(() => ws.cleanup());

describe('issue 19, item 2: placeholder phones and emails are not logins', () => {
  const PHONES = ['000-000-0000', '555-555-5555', '999-999-9999', '123-456-7890', '111-111-1111', '2.02555E+9', '888-888-8888'];
  // Line 2 is G1; G8 has 555-555-5555 too (a second family with the same placeholder), G9 has
  // only a placeholder to log in with, G10 a real mobile.
  const ROWS = [
    ...PHONES.map((phone, i) => `S${i + 1},G${i + 1},Parent${i + 1},Family,parent${i + 1}@mail.example,${phone},en`),
    'S8,G8,Other,Family,other8@mail.example,555-555-5555,en',
    'S9,G9,Only,Placeholder,,000-000-0000,en',
    'S10,G10,Real,Mobile,,(202) 555-0143,en',
  ];
  const placeholderLines = [2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('item 2: validate reports each placeholder phone as INVALID_PHONE on its line, and no login collision', async () => {
    const { result, report } = await validate(await writeFile(ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(issuesOf(report.issues, ['INVALID_PHONE'])).toEqual(placeholderLines.map((line) => `INVALID_PHONE@${line}:mobilePhone`));
    expect(issuesOf(report.issues, ['CREDENTIAL_IN_USE', 'DUPLICATE_IDENTITY'])).toEqual([]);
    for (const issue of report.issues.filter((i) => i.code === 'INVALID_PHONE')) expect(issue.message).toContain(ROWS[(issue.line ?? 0) - 2]?.split(',')[5]);
  });

  it('item 2: sync stores no placeholder phone: every family gets its own account, none holds a placeholder', async () => {
    const db = await freshRoster();
    const { result, report } = await sync(db, await writeFile(ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(report.status).toBe('succeeded-with-warnings');
    expect(issuesOf(report.issues, ['INVALID_PHONE'])).toEqual(placeholderLines.map((line) => `INVALID_PHONE@${line}:mobilePhone`));
    // Before: G8 was refused its 555-555-5555 as "already the login of another person".
    expect(issuesOf(report.issues, ['CREDENTIAL_IN_USE', 'DUPLICATE_IDENTITY'])).toEqual([]);
    const accounts = await accountsByGuardianId(db);
    for (let i = 1; i <= 8; i++) {
      expect(accounts.get(`G${i}`), `G${i}`).toMatchObject({ email: i === 8 ? 'other8@mail.example' : `parent${i}@mail.example`, mobilePhone: null, students: [`S${i}`] });
    }
    // A placeholder is no login: a guardian who has nothing else gets no account from it.
    expect(accounts.get('G9')).toBeUndefined();
    expect(accounts.get('G10')).toMatchObject({ email: null, mobilePhone: '+12025550143', students: ['S10'] });
    expect(new Set([...accounts.values()].map((a) => a.id)).size).toBe(9);
  });

  const EMAILS = ['none@none.com', 'noemail@gmail.com', 'na@na.com', 'no@email.com', 'test@test.com', 'n/a', 'No.Email@district.org'];
  // Each family has a real mobile; G8 has none@none.com too (a second family with the same
  // placeholder); G9 has only a placeholder email.
  const EMAIL_ROWS = [
    ...EMAILS.map((email, i) => `S${i + 1},G${i + 1},Parent${i + 1},Family,${email},(202) 555-01${String(10 + i)},en`),
    'S8,G8,Other,Family,none@none.com,(202) 555-0120,en',
    'S9,G9,Only,Placeholder,noemail@noemail.com,,en',
  ];

  it('item 2: validate reports each placeholder email as INVALID_EMAIL on its line, and no login collision', async () => {
    const { result, report } = await validate(await writeFile(EMAIL_ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(issuesOf(report.issues, ['INVALID_EMAIL'])).toEqual(placeholderLines.map((line) => `INVALID_EMAIL@${line}:email`));
    expect(issuesOf(report.issues, ['CREDENTIAL_IN_USE', 'DUPLICATE_IDENTITY'])).toEqual([]);
  });

  it('item 2: sync stores no placeholder email: families sharing none@none.com stay apart, each with its mobile', async () => {
    const db = await freshRoster();
    const { result, report } = await sync(db, await writeFile(EMAIL_ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(report.status).toBe('succeeded-with-warnings');
    expect(issuesOf(report.issues, ['INVALID_EMAIL'])).toEqual(placeholderLines.map((line) => `INVALID_EMAIL@${line}:email`));
    expect(issuesOf(report.issues, ['CREDENTIAL_IN_USE', 'DUPLICATE_IDENTITY'])).toEqual([]);
    const accounts = await accountsByGuardianId(db);
    for (let i = 1; i <= 7; i++) expect(accounts.get(`G${i}`), `G${i}`).toMatchObject({ email: null, mobilePhone: `+120255501${String(10 + i - 1)}`, students: [`S${i}`] });
    expect(accounts.get('G8')).toMatchObject({ firstName: 'Other', email: null, mobilePhone: '+12025550120', students: ['S8'] });
    expect(accounts.get('G9')).toBeUndefined();
    expect([...accounts.values()].filter((a) => a.email !== null)).toEqual([]);
  });
});

describe('issue 19, item 12: what real SIS exports say', () => {
  const LANGUAGES: readonly (readonly [string, string | null])[] = [
    ['Chinese (Mandarin)', 'zh'],
    ['Chinese (Cantonese)', 'yue'],
    ['Farsi/Persian', 'fa'],
    ['Spanish; Castilian', 'es'],
    ['Haitian Creole', 'ht'],
    ['Somali', 'so'],
    ['Hmong', 'hmn'],
    ['Vietnamese', 'vi'],
    ['Arabic', 'ar'],
    ['Portuguese (Brazil)', 'pt-BR'],
    ['Other', null],
    ['Declined to State', null],
    ['Unknown', null],
    ['None', null],
    ['Not specified', null],
  ];
  const LANGUAGE_ROWS = LANGUAGES.map(([language], i) => `S${i + 1},G${i + 1},Parent${i + 1},Family,parent${i + 1}@mail.example,,"${language}"`);

  it('item 12: validate recognises SIS language spellings and says nothing about "no language" values', async () => {
    const { result, report } = await validate(await writeFile(LANGUAGE_ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(report.issues.filter((i) => i.line !== null)).toEqual([]);
    expect(report.counts).toMatchObject({ rows: LANGUAGES.length, guardians: LANGUAGES.length });
  });

  it('item 12: sync stores each SIS language spelling as its tag and "no language" values as none, without a warning', async () => {
    const db = await freshRoster();
    const { result, report } = await sync(db, await writeFile(LANGUAGE_ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(report.issues.filter((i) => i.line !== null)).toEqual([]);
    expect(report.counts.accountsCreated).toBe(LANGUAGES.length);
    const accounts = await accountsByGuardianId(db);
    LANGUAGES.forEach(([text, tag], i) => expect(accounts.get(`G${i + 1}`)?.language, text).toBe(tag));
  });

  const MEXICAN_ROWS = ['S1,G1,Lupe,Ortiz,,+52 1 55 1234 5678,es', 'S2,G2,Raul,Ortiz,,+5213312345678,es'];

  it('item 12: validate accepts Mexican mobiles in the legacy +52 1 form', async () => {
    const { result, report } = await validate(await writeFile(MEXICAN_ROWS));
    expect(result.code, result.stderr).toBe(0);
    expect(report.issues.filter((i) => i.line !== null)).toEqual([]);
    expect(report.counts).toMatchObject({ rows: 2, guardians: 2 });
  });

  it('item 12: sync stores them as today’s number, and a later file in the current form changes nothing', async () => {
    const db = await freshRoster();
    const day1 = await sync(db, await writeFile(MEXICAN_ROWS));
    expect(day1.result.code, day1.result.stderr).toBe(0);
    expect(day1.report.issues.filter((i) => i.line !== null)).toEqual([]);
    expect(day1.report.counts.accountsCreated).toBe(2);
    const accounts = await accountsByGuardianId(db);
    expect(accounts.get('G1')).toMatchObject({ mobilePhone: '+525512345678', students: ['S1'] });
    expect(accounts.get('G2')).toMatchObject({ mobilePhone: '+523312345678', students: ['S2'] });

    const day2 = await sync(db, await writeFile(['S1,G1,Lupe,Ortiz,,+52 55 1234 5678,es', 'S2,G2,Raul,Ortiz,,+52 33 1234 5678,es']));
    expect(day2.result.code, day2.result.stderr).toBe(0);
    expect(day2.report.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, unchanged: 2 });
  });
});
