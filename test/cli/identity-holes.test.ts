// Identity holes found by differential fuzzing (issue 18), end to end through the CLI in
// child processes against SQLite roster files: a guardian id is held by one account of its
// district after any sequence of files (§1.4, §2.1), and a guardian file never changes the
// names or logins of an account holding a staff role (§4.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, orgsCsv, studentUser, teacherUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { rosterExportShape, syncReportShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

type RosterExportJson = ReturnType<typeof rosterExportShape.parse>;

let ws: CliWorkspace;
let files = 0;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,homePhone,language';

async function importRoster(db: string, users: readonly string[]): Promise<void> {
  const name = `users-${++files}.csv`;
  await ws.write(name, [USERS_HEADER, ...users].join('\n'));
  const result = await cli(['roster', 'import', '--db', db, name, 'orgs.csv']);
  expect(result.code, result.stderr).toBe(0);
}

async function sync(db: string, rows: readonly string[]) {
  const name = `guardians-${++files}.csv`;
  await ws.write(name, [HEADER, ...rows].join('\n'));
  // A roster of a few links: one removal is far above the 10% threshold meant for districts.
  const result = await cli(['sync', '--db', db, '--file', name, '--max-removal', '100', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return syncReportShape.parse(singleJson(result));
}

async function exportRoster(db: string): Promise<RosterExportJson> {
  const result = await cli(['export', '--db', db, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return rosterExportShape.parse(singleJson(result));
}

/** §7: a guardian SIS id is held by at most one account of the district. */
function expectEachGuardianIdOnOneAccount(roster: RosterExportJson): void {
  const holders = new Map<string, string[]>();
  for (const account of roster.accounts) {
    for (const role of account.roles) {
      if (role.role !== 'guardian') continue;
      for (const id of role.sisIds) holders.set(id, [...(holders.get(id) ?? []), account.id]);
    }
  }
  for (const [id, accounts] of holders) expect(accounts, `guardian ${id}`).toHaveLength(1);
}

const guardianRole = (account: RosterExportJson['accounts'][number] | undefined) => account?.roles.find((r) => r.role === 'guardian');

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', orgsCsv({ D1: ['SA'] }));
});
afterAll(() => ws.cleanup());

describe('identity holes (issue 18)', () => {
  it('repro 1: two ids of one person split when one changes email, and join again; an id is never on two accounts', async () => {
    const db = 'repro1.sqlite';
    await importRoster(db, [studentUser('S2', 'SA', 'Sara', 'Lopez'), studentUser('S3', 'SA', 'Sol', 'Lopez')]);
    const day1Rows = ['S3,G6,Zoë,Lopez,k.park@district.org,,,', 'S2,G7,Zoë,Lopez,k.park@district.org,,,'];

    // Day 1: equal contact keys under two ids are one person (§1.4).
    const day1 = await sync(db, day1Rows);
    expect(day1.issues.map((i) => i.code)).toContain('DUPLICATE_IDENTITY');
    const roster1 = await exportRoster(db);
    expectEachGuardianIdOnOneAccount(roster1);
    expect(roster1.accounts).toHaveLength(1);
    const a = roster1.accounts[0];
    expect(a).toMatchObject({ firstName: 'Zoë', lastName: 'Lopez', email: 'k.park@district.org', students: ['S2', 'S3'] });
    expect(guardianRole(a)).toEqual({ role: 'guardian', sisIds: ['G6', 'G7'], status: 'active' });

    // Day 2: G7's email changes; G6 and G7 are two people now. A keeps G6; G7 moves to a new account.
    await sync(db, ['S3,G6,Zoë,Lopez,k.park@district.org,,,', 'S2,G7,Zoë,Lopez,New2.g7@example.org,,,']);
    const roster2 = await exportRoster(db);
    expectEachGuardianIdOnOneAccount(roster2);
    const a2 = roster2.accounts.find((x) => x.id === a?.id);
    expect(a2).toMatchObject({ email: 'k.park@district.org', students: ['S3'] });
    expect(guardianRole(a2)).toEqual({ role: 'guardian', sisIds: ['G6'], status: 'active' });
    const b = roster2.accounts.find((x) => x.id !== a?.id);
    expect(roster2.accounts).toHaveLength(2);
    expect(b).toMatchObject({ firstName: 'Zoë', lastName: 'Lopez', email: 'new2.g7@example.org', students: ['S2'] });
    expect(guardianRole(b)).toEqual({ role: 'guardian', sisIds: ['G7'], status: 'active' });

    // The day-1 file again: one person again. A holds both ids and both students; B holds none and is archived.
    await sync(db, day1Rows);
    const roster3 = await exportRoster(db);
    expectEachGuardianIdOnOneAccount(roster3);
    expect(roster3.accounts).toHaveLength(2);
    const a3 = roster3.accounts.find((x) => x.id === a?.id);
    expect(a3).toMatchObject({ email: 'k.park@district.org', students: ['S2', 'S3'] });
    expect(guardianRole(a3)).toEqual({ role: 'guardian', sisIds: ['G6', 'G7'], status: 'active' });
    const b3 = roster3.accounts.find((x) => x.id === b?.id);
    expect(b3?.students).toEqual([]);
    expect(guardianRole(b3)).toEqual({ role: 'guardian', sisIds: [], status: 'archived' });
  });

  it("repro 2: a guardian row with a teacher's email and name and another mobile never attaches that mobile to the teacher", async () => {
    const db = 'repro2.sqlite';
    await importRoster(db, [studentUser('S7', 'SA', 'Sia', 'Ruiz'), teacherUser('T4', 'SA', 'Maria', 'Ruiz', 'parks@example.org', '', '+12025550143')]);
    const teacherBefore = (await exportRoster(db)).accounts;
    expect(teacherBefore).toHaveLength(1);

    const report = await sync(db, ['S7,G3,Maria,"Ruiz  ",parks@example.org,1-202-555-0188,,']);
    expect(report.status).toBe('succeeded-with-warnings');
    expect(report.counts).toMatchObject({ accountsCreated: 1, accountsUpdated: 0, rolesAdded: 0, linksAdded: 1 });
    // The email is the teacher's login: not given to the guardian, who gets an account of their own.
    expect(report.issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'CREDENTIAL_IN_USE', line: 2, column: 'email' })]);
    // Issues name the line, never the other person.
    expect(report.issues[0]?.message).not.toMatch(/T4|Maria|parks@/);

    const roster = await exportRoster(db);
    expectEachGuardianIdOnOneAccount(roster);
    const teacher = roster.accounts.find((x) => x.roles.some((r) => r.role === 'staff'));
    expect(teacher).toMatchObject({ id: teacherBefore[0]?.id, firstName: 'Maria', lastName: 'Ruiz', email: 'parks@example.org', mobilePhone: null, homePhone: '+12025550143', students: [] });
    expect(teacher?.roles).toEqual([{ role: 'staff', sisIds: ['T4'], status: 'active' }]);
    const guardian = roster.accounts.find((x) => x.id !== teacher?.id);
    expect(roster.accounts).toHaveLength(2);
    expect(guardian).toMatchObject({ firstName: 'Maria', lastName: 'Ruiz', email: null, mobilePhone: '+12025550188', students: ['S7'] });
    expect(guardian?.roles).toEqual([{ role: 'guardian', sisIds: ['G3'], status: 'active' }]);
  });

  it("day 3: a teacher who picked up G1 by an exact match keeps their name and email when G1's row changes; the file cannot edit a staff account", async () => {
    const db = 'day3.sqlite';
    await importRoster(db, [studentUser('S1', 'SA', 'Sol', 'Diaz'), teacherUser('T1', 'SA', 'Ana', 'Diaz', 'ana@x.org')]);
    const day1Rows = ['S1,G1,Ana,Diaz,ana@x.org,,,'];
    const day1 = await sync(db, day1Rows);
    expect(day1.counts).toMatchObject({ accountsCreated: 0, rolesAdded: 1, linksAdded: 1 });
    const roster1 = await exportRoster(db);
    expect(roster1.accounts).toHaveLength(1);
    const teacherId = roster1.accounts[0]?.id;
    expect(roster1.accounts[0]?.roles).toEqual([
      { role: 'guardian', sisIds: ['G1'], status: 'active' },
      { role: 'staff', sisIds: ['T1'], status: 'active' },
    ]);

    // Day 2: the same file, nothing to do.
    expect((await sync(db, day1Rows)).counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, linksAdded: 0, linksRemoved: 0, unchanged: 1 });

    // Day 3: G1's row has a new name and email. G1 is still the teacher's id, but the file does not own a staff account.
    const day3 = await sync(db, ['S1,G1,Anna,Dias,anna.new@x.org,,,']);
    expect(day3.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, linksAdded: 0, linksRemoved: 0 });
    const shared = day3.issues.filter((i) => i.code === 'SHARED_ACCOUNT_NOT_UPDATED');
    expect(shared.map((i) => [i.severity, i.line, i.column]).sort()).toEqual([
      ['info', 2, 'email'],
      ['info', 2, 'firstName'],
      ['info', 2, 'lastName'],
    ]);
    for (const issue of shared) expect(issue.message).not.toMatch(/Ana|Anna|x\.org/);

    const roster3 = await exportRoster(db);
    expectEachGuardianIdOnOneAccount(roster3);
    expect(roster3.accounts).toHaveLength(1);
    expect(roster3.accounts[0]).toMatchObject({ id: teacherId, firstName: 'Ana', lastName: 'Diaz', email: 'ana@x.org', mobilePhone: null, students: ['S1'] });
    expect(roster3.accounts.filter((x) => x.email === 'ana@x.org')).toHaveLength(1);
    expect(roster3.accounts.filter((x) => x.email === 'anna.new@x.org')).toEqual([]);
  });
});
