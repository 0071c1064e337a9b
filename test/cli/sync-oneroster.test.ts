// `sync --format oneroster` end to end: guardians read from a OneRoster users.csv (parents
// listing their children in agentSourcedIds), given as the file itself or as its folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, ORGS_CSV, USERS_CSV, type CliWorkspace } from './cli-fixtures.js';
import { rosterExportShape, syncReportShape } from './json-shapes.js';
import { runCliProcess, singleJson } from './run-cli-process.js';

let ws: CliWorkspace;
// Two parents: one of S1 and S2, one of S3; the teacher Tom (T2) is staff here, not a parent.
const WITH_PARENTS = [
  USERS_CSV,
  'P1,active,2026-08-15,true,SA,parent,p1,,Pat,Okafor,,P1,pat@mail.example,(202) 555-0150,,"S1,S2",,',
  'P2,active,2026-08-15,true,SA,guardian,p2,,Lee,Chen,,P2,,202.555.0151,,S3,,',
].join('\n');

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  await mkdir(ws.path('export'));
  await writeFile(ws.path('export/users.csv'), WITH_PARENTS);
  expect((await runCliProcess(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv'], { cwd: ws.dir })).code).toBe(0);
});
afterAll(() => ws.cleanup());

describe('guardian-sync sync --format oneroster', () => {
  it('reads the guardians of a OneRoster folder and links them to their students', async () => {
    const result = await runCliProcess(['sync', '--db', 'roster.sqlite', '--file', 'export', '--format', 'oneroster', '--json'], { cwd: ws.dir });
    expect(result.code, result.stderr).toBe(0);
    const report = syncReportShape.parse(singleJson(result));
    // The whole folder is read (users.csv with any roles.csv and manifest.csv beside it).
    expect(report.file?.name).toBe('export');
    expect(report.counts).toMatchObject({ guardians: 2, accountsCreated: 2, linksAdded: 3 });

    const roster = rosterExportShape.parse(singleJson(await runCliProcess(['export', '--db', 'roster.sqlite', '--json'], { cwd: ws.dir })));
    const pat = roster.accounts.find((a) => a.firstName === 'Pat');
    expect(pat).toMatchObject({ email: 'pat@mail.example', mobilePhone: '+12025550150', students: ['S1', 'S2'] });
    expect(pat?.roles).toEqual([{ role: 'guardian', sisIds: ['P1'], status: 'active' }]);
  });

  it('reads the same users.csv named directly, and changes nothing the second time', async () => {
    const result = await runCliProcess(['sync', '--db', 'roster.sqlite', '--file', 'export/users.csv', '--format', 'oneroster', '--json'], { cwd: ws.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(syncReportShape.parse(singleJson(result)).counts).toMatchObject({ accountsCreated: 0, linksAdded: 0, linksRemoved: 0 });
  });
});
