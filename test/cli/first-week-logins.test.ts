// A district's first week (issue 19, item 1), end to end through the CLI in child processes
// against SQLite roster files: an invalid value or a missing column never erases a stored
// one, a row whose logins are all invalid keeps its guardian's links, and a run that would
// change or clear the logins of too many guardians holds those changes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, orgsCsv, studentUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { rosterExportShape, syncReportShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

type RosterExportJson = ReturnType<typeof rosterExportShape.parse>;
type Account = RosterExportJson['accounts'][number];

let ws: CliWorkspace;
let files = 0;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

/** Thirty families: a district small enough to read, large enough for a 10% threshold to mean something. */
const FAMILIES = 30;
const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,language';
const mobileOf = (i: number): string => `+1202555${String(1000 + i).padStart(4, '0')}`;
/** Day 1: every guardian with an email, a mobile and a language; G30 has a mobile only. */
const day1Row = (i: number): string =>
  i === FAMILIES ? `S${i},G${i},Mo,Only,,${mobileOf(i)},es` : `S${i},G${i},Parent${i},Family,parent${i}@mail.example,${mobileOf(i)},en`;
const DAY1 = Array.from({ length: FAMILIES }, (_, i) => day1Row(i + 1));

async function freshRoster(): Promise<string> {
  const db = `roster-${++files}.sqlite`;
  const users = Array.from({ length: FAMILIES }, (_, i) => studentUser(`S${i + 1}`, 'SA', `Kid${i + 1}`, 'Student'));
  await ws.write(`users-${files}.csv`, [USERS_HEADER, ...users].join('\n'));
  const imported = await cli(['roster', 'import', '--db', db, `users-${files}.csv`, 'orgs.csv']);
  expect(imported.code, imported.stderr).toBe(0);
  const day1 = await sync(db, HEADER, DAY1);
  expect(day1.result.code, day1.result.stderr).toBe(0);
  expect(day1.report.counts.accountsCreated).toBe(FAMILIES);
  return db;
}

async function sync(db: string, header: string, rows: readonly string[], extra: readonly string[] = []) {
  const name = `guardians-${++files}.csv`;
  await ws.write(name, [header, ...rows].join('\n'));
  const result = await cli(['sync', '--db', db, '--file', name, '--json', ...extra]);
  return { result, report: syncReportShape.parse(singleJson(result)) };
}

async function accounts(db: string): Promise<Map<string, Account>> {
  const result = await cli(['export', '--db', db, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const roster = rosterExportShape.parse(singleJson(result));
  const byGuardianId = new Map<string, Account>();
  for (const account of roster.accounts) {
    for (const id of account.roles.find((r) => r.role === 'guardian')?.sisIds ?? []) byGuardianId.set(id, account);
  }
  return byGuardianId;
}

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', orgsCsv({ D1: ['SA'] }));
});
afterAll(() => ws.cleanup());

describe('issue 19, item 1: an invalid value never erases a stored one', () => {
  it("day 2 with the mobile column in Excel's scientific format keeps every stored mobile", async () => {
    const db = await freshRoster();
    const mangled = DAY1.map((row) => row.replace(/\+1202555\d{4}/, '2.02555E+9'));
    const { result, report } = await sync(db, HEADER, mangled);
    expect(result.code, result.stderr).toBe(0);
    expect(report.status).toBe('succeeded-with-warnings');
    expect(report.counts).toMatchObject({ accountsUpdated: 0, linksRemoved: 0, guardiansArchived: 0 });
    expect(report.issues.filter((i) => i.code === 'INVALID_PHONE')).toHaveLength(FAMILIES);
    const after = await accounts(db);
    for (let i = 1; i <= FAMILIES; i++) expect(after.get(`G${i}`)?.mobilePhone, `G${i}`).toBe(mobileOf(i));
  });

  it('a row with N/A as phone and Englsh as language keeps +12025551002 and en', async () => {
    const db = await freshRoster();
    const rows = DAY1.map((row, i) => (i === 1 ? 'S2,G2,Parent2,Family,parent2@mail.example,N/A,Englsh' : row));
    const { result, report } = await sync(db, HEADER, rows);
    expect(result.code, result.stderr).toBe(0);
    expect(report.issues.filter((i) => i.line === 3).map((i) => i.code)).toEqual(['INVALID_PHONE', 'UNKNOWN_LANGUAGE']);
    for (const issue of report.issues.filter((i) => i.line === 3)) expect(issue.message).toMatch(/keeps its stored/);
    expect(report.counts.accountsUpdated).toBe(0);
    expect((await accounts(db)).get('G2')).toMatchObject({ mobilePhone: '+12025551002', language: 'en', email: 'parent2@mail.example' });
  });

  it("a row whose email and phone are both invalid keeps its guardian's account, logins and links", async () => {
    const db = await freshRoster();
    const rows = DAY1.map((row, i) => (i === 2 ? 'S3,G3,Parent3,Family,none,000,en' : row));
    const { result, report } = await sync(db, HEADER, rows);
    expect(result.code, result.stderr).toBe(0);
    expect(report.counts).toMatchObject({ linksRemoved: 0, guardiansArchived: 0, accountsUpdated: 0, rowsSkipped: 0 });
    expect(report.issues.filter((i) => i.line === 4).map((i) => i.code)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE']);
    expect((await accounts(db)).get('G3')).toMatchObject({ email: 'parent3@mail.example', mobilePhone: '+12025551003', students: ['S3'] });
  });

  it('a new guardian whose logins are all invalid is not added (NO_CONTACT_CREDENTIAL)', async () => {
    const db = await freshRoster();
    const { result, report } = await sync(db, HEADER, [...DAY1, 'S1,G99,New,Person,none,000,en']);
    expect(result.code, result.stderr).toBe(0);
    expect(report.counts.accountsCreated).toBe(0);
    expect(report.issues.filter((i) => i.line === FAMILIES + 2).map((i) => i.code)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE', 'NO_CONTACT_CREDENTIAL']);
    expect((await accounts(db)).has('G99')).toBe(false);
  });

  it('a day-2 file without the mobilePhone and language columns changes nothing, and archives no one', async () => {
    const db = await freshRoster();
    const rows = DAY1.map((row) => row.split(',').slice(0, 5).join(','));
    const { result, report } = await sync(db, 'studentSisId,guardianSisId,firstName,lastName,email', rows);
    expect(result.code, result.stderr).toBe(0);
    expect(report.counts).toMatchObject({ accountsUpdated: 0, linksRemoved: 0, guardiansArchived: 0, rowsSkipped: 0 });
    const after = await accounts(db);
    for (let i = 1; i < FAMILIES; i++) expect(after.get(`G${i}`), `G${i}`).toMatchObject({ mobilePhone: mobileOf(i), language: 'en' });
    // G30's only login was the mobile: the row (email empty, no mobile column) keeps it.
    expect(after.get(`G${FAMILIES}`)).toMatchObject({ mobilePhone: mobileOf(FAMILIES), language: 'es', students: [`S${FAMILIES}`] });
    expect(after.get(`G${FAMILIES}`)?.roles.find((r) => r.role === 'guardian')?.status).toBe('active');
  });

  it('an empty cell still clears a stored value', async () => {
    const db = await freshRoster();
    const rows = DAY1.map((row, i) => (i === 3 ? 'S4,G4,Parent4,Family,parent4@mail.example,,' : row));
    const { result, report } = await sync(db, HEADER, rows);
    expect(result.code, result.stderr).toBe(0);
    expect(report.counts.accountsUpdated).toBe(1);
    expect((await accounts(db)).get('G4')).toMatchObject({ mobilePhone: null, language: null });
  });
});

describe('issue 19, item 1: a guard on login changes like the removal threshold', () => {
  it('holds the email changes of a shifted column (failed-threshold, exit 3, ratio in the report); the rest applies; --force lets them through', async () => {
    const db = await freshRoster();
    // Every email moved one row down: valid addresses, each on the wrong guardian; one name fixed too.
    const emails = DAY1.map((row) => row.split(',')[4] ?? '');
    const shifted = DAY1.map((row, i) => {
      const cells = row.split(',');
      cells[4] = emails[(i + 1) % FAMILIES]!;
      if (i === 0) cells[2] = 'Parenta';
      return cells.join(',');
    });
    // Item 10: a dry run's threshold message never says anything "was applied".
    const preview = await sync(db, HEADER, shifted, ['--dry-run']);
    expect(preview.result.code).toBe(3);
    const previewText = preview.report.issues.find((i) => i.code === 'THRESHOLD_EXCEEDED')?.message ?? '';
    expect(previewText).toContain('go ahead');
    expect(previewText).not.toMatch(/were applied|was applied/);
    const held = await sync(db, HEADER, shifted);
    expect(held.result.code).toBe(3);
    expect(held.report.status).toBe('failed-threshold');
    expect(held.report.threshold.exceeded).toBe(true);
    expect(held.report.threshold.loginChangeRatio).toBeGreaterThan(0.9);
    const exceeded = held.report.issues.find((i) => i.code === 'THRESHOLD_EXCEEDED');
    expect(exceeded?.message).toMatch(/email or mobile phone of \d+(\.\d)?% of the guardians/);
    const afterHeld = await accounts(db);
    for (let i = 1; i < FAMILIES; i++) expect(afterHeld.get(`G${i}`)?.email, `G${i}`).toBe(`parent${i}@mail.example`);
    // The name change is no login change: it applies.
    expect(afterHeld.get('G1')?.firstName).toBe('Parenta');

    const forced = await sync(db, HEADER, shifted, ['--force']);
    expect(forced.result.code, forced.result.stderr).toBe(0);
    expect(forced.report.threshold).toMatchObject({ exceeded: true, forced: true });
    expect((await accounts(db)).get('G1')?.email).toBe('parent2@mail.example');
  });

  it('lets a handful of real email changes through (under the threshold)', async () => {
    const db = await freshRoster();
    const rows = DAY1.map((row, i) => (i < 3 ? row.replace(`parent${i + 1}@mail.example`, `new${i + 1}@mail.example`) : row));
    const { result, report } = await sync(db, HEADER, rows);
    expect(result.code, result.stderr).toBe(0);
    expect(report.counts.accountsUpdated).toBe(3);
    expect((await accounts(db)).get('G2')?.email).toBe('new2@mail.example');
  });
});
