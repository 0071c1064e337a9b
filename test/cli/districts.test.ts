// One roster, many districts (issue 17, IDENTITY-RULES §7), end to end through the CLI in
// child processes against SQLite roster files: SIS ids equal in two districts name different
// people, importing or syncing one district never changes another's, `export --org` shows one
// district's view, and (through the library) a sync reads only its district.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterStore } from '../../src/contracts/roster-store.js';
import type { RosterSnapshot } from '../../src/model/roster.js';
import { importOneRosterRoster } from '../../src/sync/import-oneroster-roster.js';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createSqliteStore } from '../../src/sqlite/index.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import { createWorkspace, orgsCsv, studentUser, teacherUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { errorShape, rosterExportShape, rosterImportShape, syncReportShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

type RosterExportJson = ReturnType<typeof rosterExportShape.parse>;

let ws: CliWorkspace;
let dbs = 0;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });
const freshDb = (): string => `districts-${++dbs}.sqlite`;

const GUARDIANS_HEADER = 'studentSisId,guardianSisId,firstName,lastName,email';
const TWO_DISTRICTS = orgsCsv({ D1: ['SA'], D2: ['SB'] });

async function importRoster(db: string, users: readonly string[]) {
  const name = `users-${db}-${dbs}-${Math.random().toString(36).slice(2)}.csv`;
  await ws.write(name, [USERS_HEADER, ...users].join('\n'));
  const result = await cli(['roster', 'import', '--db', db, name, 'orgs.csv', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return rosterImportShape.parse(singleJson(result));
}

async function sync(db: string, org: string, rows: readonly string[], header = GUARDIANS_HEADER) {
  const name = `guardians-${org}-${Math.random().toString(36).slice(2)}.csv`;
  await ws.write(name, [header, ...rows].join('\n'));
  const result = await cli(['sync', '--db', db, '--org', org, '--file', name, '--json']);
  return { result, report: syncReportShape.parse(singleJson(result)) };
}

async function exportOrg(db: string, org: string): Promise<RosterExportJson> {
  const result = await cli(['export', '--db', db, '--org', org, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return rosterExportShape.parse(singleJson(result));
}

/** The accounts of a district's view holding `sisId` in `role`. */
const holders = (view: RosterExportJson, role: 'guardian' | 'staff', sisId: string) => view.accounts.filter((a) => a.roles.some((r) => r.role === role && r.sisIds.includes(sisId)));

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', TWO_DISTRICTS);
});
afterAll(() => ws.cleanup());

describe('one roster, many districts (issue 17)', () => {
  it('repro 1: guardian id G1 in two districts is two people; each sync and each export sees only its own', async () => {
    const db = freshDb();
    expect(await importRoster(db, [studentUser('S1', 'SA', 'Sam', 'Adams')])).toMatchObject({ students: 1, districts: ['D1'] });
    expect(await importRoster(db, [studentUser('S2', 'SB', 'Sue', 'Brown')])).toMatchObject({ students: 1, districts: ['D2'] });

    const d1 = await sync(db, 'D1', ['S1,G1,Alice,Adams,alice@a.org']);
    expect(d1.result.code, d1.result.stderr).toBe(0);
    expect(d1.report.counts).toMatchObject({ accountsCreated: 1, linksAdded: 1 });
    const d2 = await sync(db, 'D2', ['S2,G1,Bob,Brown,bob@b.org']);
    expect(d2.result.code, d2.result.stderr).toBe(0);
    // D1's G1 is not D2's G1: a new account, nothing updated, no issue.
    expect(d2.report.counts).toMatchObject({ accountsCreated: 1, accountsUpdated: 0, rolesAdded: 0, linksAdded: 1, linksRemoved: 0 });
    expect(d2.report.issues).toEqual([]);

    const [view1, view2] = [await exportOrg(db, 'D1'), await exportOrg(db, 'D2')];
    expect(view1.districtId).toBe('D1');
    expect(view1.accounts).toEqual([
      expect.objectContaining({ firstName: 'Alice', lastName: 'Adams', email: 'alice@a.org', roles: [{ role: 'guardian', sisIds: ['G1'], status: 'active' }], students: ['S1'] }),
    ]);
    expect(view1.students.map((s) => s.sisId)).toEqual(['S1']);
    expect(view2.accounts).toEqual([
      expect.objectContaining({ firstName: 'Bob', lastName: 'Brown', email: 'bob@b.org', roles: [{ role: 'guardian', sisIds: ['G1'], status: 'active' }], students: ['S2'] }),
    ]);
    expect(view2.students.map((s) => s.sisId)).toEqual(['S2']);
    expect(view1.accounts[0]?.id).not.toBe(view2.accounts[0]?.id);

    // Each district's file again: nothing changes, in either district.
    for (const [org, row] of [
      ['D1', 'S1,G1,Alice,Adams,alice@a.org'],
      ['D2', 'S2,G1,Bob,Brown,bob@b.org'],
    ] as const) {
      const again = await sync(db, org, [row]);
      expect(again.report.counts, org).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, rolesAdded: 0, linksAdded: 0, linksRemoved: 0, unchanged: 1 });
    }
    expect(await exportOrg(db, 'D1')).toEqual(view1);
    expect(await exportOrg(db, 'D2')).toEqual(view2);
  });

  it("repro 2: importing D2's student 1001 leaves D1's 1001 as it was, and D1's rows for 1001 still sync", async () => {
    const db = freshDb();
    await importRoster(db, [studentUser('1001', 'SA', 'Ann', 'North')]);
    const day1 = await sync(db, 'D1', ['1001,G1,Gail,North,gail@north.example']);
    expect(day1.report.counts).toMatchObject({ accountsCreated: 1, linksAdded: 1 });
    const before = await exportOrg(db, 'D1');

    const d2Import = await importRoster(db, [studentUser('1001', 'SB', 'Ben', 'South')]);
    expect(d2Import).toMatchObject({ students: 1, districts: ['D2'], issues: [] });
    const after = await exportOrg(db, 'D1');
    expect(after).toEqual(before);
    expect(after.students).toEqual([{ sisId: '1001', schoolId: 'SA', firstName: 'Ann', lastName: 'North' }]);
    expect((await exportOrg(db, 'D2')).students).toEqual([{ sisId: '1001', schoolId: 'SB', firstName: 'Ben', lastName: 'South' }]);

    // D1's guardian rows for 1001 still find their student: no UNKNOWN_STUDENT, a new guardian links.
    const day2 = await sync(db, 'D1', ['1001,G1,Gail,North,gail@north.example', '1001,G2,Greg,North,greg@north.example']);
    expect(day2.result.code, day2.result.stderr).toBe(0);
    expect(day2.report.status).toBe('succeeded');
    expect(day2.report.issues.map((i) => i.code)).not.toContain('UNKNOWN_STUDENT');
    expect(day2.report.counts).toMatchObject({ rowsSkipped: 0, accountsCreated: 1, linksAdded: 1, linksRemoved: 0, unchanged: 1 });
    const view1 = await exportOrg(db, 'D1');
    expect(view1.accounts.map((a) => a.students)).toEqual([['1001'], ['1001']]);
    // D2's 1001 has no guardian: D1's links are to D1's student.
    expect((await exportOrg(db, 'D2')).accounts).toEqual([]);
  });

  it("problem 3: staff SIS id T1 in both districts is two people: two accounts, D1's teacher unchanged by D2's import", async () => {
    const db = freshDb();
    const first = await importRoster(db, [studentUser('S1', 'SA', 'Sam', 'Adams'), teacherUser('T1', 'SA', 'Tina', 'Teacher', 'tina@d1.example', '(202) 555-0101')]);
    expect(first).toMatchObject({ staffCreated: 1, districts: ['D1'] });
    const before = await exportOrg(db, 'D1');

    const second = await importRoster(db, [studentUser('S2', 'SB', 'Sue', 'Brown'), teacherUser('T1', 'SB', 'Omar', 'Other', 'omar@d2.example', '', '(202) 555-0177')]);
    expect(second).toMatchObject({ staffCreated: 1, staffUpdated: 0, districts: ['D2'] });
    const [view1, view2] = [await exportOrg(db, 'D1'), await exportOrg(db, 'D2')];
    expect(view1).toEqual(before);
    expect(holders(view1, 'staff', 'T1')).toEqual([
      expect.objectContaining({ firstName: 'Tina', lastName: 'Teacher', email: 'tina@d1.example', mobilePhone: '+12025550101', homePhone: null, roles: [{ role: 'staff', sisIds: ['T1'], status: 'active' }] }),
    ]);
    expect(holders(view2, 'staff', 'T1')).toEqual([
      expect.objectContaining({ firstName: 'Omar', lastName: 'Other', email: 'omar@d2.example', mobilePhone: null, homePhone: '+12025550177', roles: [{ role: 'staff', sisIds: ['T1'], status: 'active' }] }),
    ]);
    expect(holders(view1, 'staff', 'T1')[0]?.id).not.toBe(holders(view2, 'staff', 'T1')[0]?.id);

    // Importing D2 again, with its T1 renamed, still leaves D1's T1 alone.
    await importRoster(db, [studentUser('S2', 'SB', 'Sue', 'Brown'), teacherUser('T1', 'SB', 'Omar', 'Otherson', 'omar@d2.example', '', '(202) 555-0177')]);
    expect(await exportOrg(db, 'D1')).toEqual(before);
    expect(holders(await exportOrg(db, 'D2'), 'staff', 'T1')[0]).toMatchObject({ lastName: 'Otherson' });
  });

  it('a parent with children in two districts is one account with a guardian role in each; each view shows its own role and student', async () => {
    const db = freshDb();
    await importRoster(db, [studentUser('S1', 'SA', 'Sam', 'Adams')]);
    await importRoster(db, [studentUser('S1', 'SB', 'Sid', 'Adams')]);
    expect((await sync(db, 'D1', ['S1,G5,Pat,Adams,pat@adams.example'])).report.counts).toMatchObject({ accountsCreated: 1 });
    const d2 = await sync(db, 'D2', ['S1,P9,Pat,Adams,pat@adams.example']);
    // The same contact key: the account gains D2's guardian role, no new account, no login moved.
    expect(d2.report.counts).toMatchObject({ accountsCreated: 0, rolesAdded: 1, linksAdded: 1 });
    const [view1, view2] = [await exportOrg(db, 'D1'), await exportOrg(db, 'D2')];
    expect(view1.accounts).toHaveLength(1);
    expect(view2.accounts).toHaveLength(1);
    expect(view1.accounts[0]?.id).toBe(view2.accounts[0]?.id);
    expect(view1.accounts[0]).toMatchObject({ roles: [{ role: 'guardian', sisIds: ['G5'], status: 'active' }], students: ['S1'] });
    expect(view2.accounts[0]).toMatchObject({ roles: [{ role: 'guardian', sisIds: ['P9'], status: 'active' }], students: ['S1'] });
  });
});

describe('export --org', () => {
  let twoDistricts: string;
  beforeAll(async () => {
    twoDistricts = freshDb();
    await importRoster(twoDistricts, [studentUser('S1', 'SA', 'Sam', 'Adams'), studentUser('S2', 'SB', 'Sue', 'Brown')]);
  });

  it('defaults to the only district of the roster', async () => {
    const db = freshDb();
    await ws.write('orgs-one.csv', orgsCsv({ D1: ['SA'] }));
    await ws.write('users-one.csv', [USERS_HEADER, studentUser('S1', 'SA', 'Sam', 'Adams')].join('\n'));
    expect((await cli(['roster', 'import', '--db', db, 'users-one.csv', 'orgs-one.csv'])).code).toBe(0);
    const result = await cli(['export', '--db', db, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(rosterExportShape.parse(singleJson(result))).toMatchObject({ districtId: 'D1', students: [{ sisId: 'S1' }] });
    const text = await cli(['export', '--db', db]);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^Roster of district D1: 0 accounts \(0 active guardians\), 1 students/);
  });

  it('exits 2 with several districts and no --org, saying how to choose (one JSON document with --json)', async () => {
    const text = await cli(['export', '--db', twoDistricts]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('the roster has 2 districts (D1, D2): choose one with --org <id>');
    expect(text.stderr).toContain('guardian-sync export --help');
    const json = await cli(['export', '--db', twoDistricts, '--json']);
    expect(json.code).toBe(2);
    expect(errorShape.parse(singleJson(json)).error).toMatchObject({ code: 'INVALID_CONFIGURATION' });
  });

  it('exits 2 for an org that is not a district of the roster: an unknown id, or a school', async () => {
    const unknown = await cli(['export', '--db', twoDistricts, '--org', 'D3', '--json']);
    expect(unknown.code).toBe(2);
    expect(errorShape.parse(singleJson(unknown)).error.message).toBe('the roster has no district "D3"; its districts are D1, D2 (ids are case-sensitive).');
    const school = await cli(['export', '--db', twoDistricts, '--org', 'SB']);
    expect(school.code).toBe(2);
    expect(school.stderr).toContain('"SB" is a school (of district D2), and an export shows a whole district: use --org D2.');
  });

  it('prints each district its own students', async () => {
    expect((await exportOrg(twoDistricts, 'D1')).students.map((s) => s.sisId)).toEqual(['S1']);
    expect((await exportOrg(twoDistricts, 'D2')).students.map((s) => s.sisId)).toEqual(['S2']);
    const text = await cli(['export', '--db', twoDistricts, '--org', 'D2']);
    expect(text.stderr).toMatch(/^Roster of district D2: 0 accounts \(0 active guardians\), 1 students/);
  });

  it('sync still defaults to the only district and asks for --org when there are several', async () => {
    await ws.write('g-two.csv', [GUARDIANS_HEADER, 'S1,G1,Alice,Adams,alice@a.org'].join('\n'));
    const result = await cli(['sync', '--db', twoDistricts, '--file', 'g-two.csv', '--json']);
    expect(result.code).toBe(2);
    expect(errorShape.parse(singleJson(result)).error.message).toBe('the roster has 2 districts (D1, D2): choose one with --org <id>.');
  });
});

describe('a sync reads only its district (issue 17, problem 4; through the library)', () => {
  it('loads none of another district’s many accounts, students or links, except an account sharing a login with the file', async () => {
    const store = createSqliteStore({ database: ws.path('problem4.sqlite') });
    try {
      const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
      const importDistrict = (rows: readonly string[]) =>
        importOneRosterRoster(
          createOneRosterFiles([
            ['users.csv', utf8([USERS_HEADER, ...rows].join('\n'))],
            ['orgs.csv', utf8(TWO_DISTRICTS)],
          ]),
          store,
        );
      // District 2: 200 students, 200 guardians and 50 staff, all accounts of their own.
      const many = 200;
      await importDistrict([
        ...Array.from({ length: many }, (_, i) => studentUser(`B${i}`, 'SB', `Kid${i}`, 'South')),
        ...Array.from({ length: 50 }, (_, i) => teacherUser(`BT${i}`, 'SB', `Teach${i}`, 'South', `teach${i}@d2.example`)),
      ]);
      const d2Rows = Array.from({ length: many }, (_, i) => `B${i},BG${i},Parent${i},South,parent${i}@d2.example`);
      const d2 = await syncGuardians({
        scope: { level: 'district', orgId: 'D2' },
        source: createBytesSource({ name: 'd2.csv', bytes: utf8([GUARDIANS_HEADER, ...d2Rows].join('\n')) }),
        store,
      });
      expect(d2.counts.accountsCreated).toBe(many);
      await importDistrict([studentUser('A1', 'SA', 'Ann', 'North'), studentUser('A2', 'SA', 'Abe', 'North')]);

      // A store that records what the sync asked for.
      const snapshots: RosterSnapshot[] = [];
      // Each method delegates by name: the SQLite store is a class, so a spread would drop them.
      const counting: RosterStore = {
        capabilities: store.capabilities,
        resolveScope: (scope) => store.resolveScope(scope),
        loadSnapshot: async (scope, request) => {
          const snapshot = await store.loadSnapshot(scope, request);
          snapshots.push(snapshot);
          return snapshot;
        },
        writeBatchSize: store.writeBatchSize,
        transaction: (body, options) => store.transaction(body, options),
        acquireLock: (key, options) => store.acquireLock(key, options),
        renewLock: (key, options) => store.renewLock(key, options),
        releaseLock: (key, owner) => store.releaseLock(key, owner),
        saveRun: (report) => store.saveRun(report),
        listRuns: (options) => store.listRuns(options),
        getRun: (runId) => store.getRun(runId),
      };
      // D1's file: one new parent, and Parent7 of D2 (same name and email) with a child in D1.
      const d1 = await syncGuardians({
        scope: { level: 'district', orgId: 'D1' },
        source: createBytesSource({ name: 'd1.csv', bytes: utf8([GUARDIANS_HEADER, 'A1,G1,Nia,North,nia@d1.example', 'A2,G2,Parent7,South,parent7@d2.example'].join('\n')) }),
        store: counting,
      });
      expect(d1.status).toBe('succeeded');
      expect(d1.counts).toMatchObject({ accountsCreated: 1, rolesAdded: 1, linksAdded: 2 });
      expect(snapshots).toHaveLength(1);
      const snapshot = snapshots[0] as RosterSnapshot;
      expect(snapshot.students.map((s) => s.districtId)).toEqual(['D1', 'D1']);
      expect(snapshot.links.filter((l) => l.districtId !== 'D1')).toEqual([]);
      const d2Accounts = snapshot.accounts.filter((a) => a.roles.some((r) => r.districtId === 'D2'));
      // Of D2's 250 accounts, only the one holding a login the file carries.
      expect(d2Accounts.map((a) => a.email)).toEqual(['parent7@d2.example']);
      // D1 had no account before this run: that one is all the snapshot holds.
      expect(snapshot.accounts).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
