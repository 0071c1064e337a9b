// The SQLite roster store (guardian-sync/sqlite, better-sqlite3 as an optional peer): the
// embedded default the CLI uses. Loads a roster, syncs day 1, then a day-2 file in which a
// guardian changed email and one link went away, first as a dry run, then for real, and
// shows the run history: everything persists in one .sqlite file.
//
//   npx tsx examples/sqlite-roster.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalFileSource, formatReportText, syncGuardians } from '../src/index.js';
import { createSqliteStore } from '../src/sqlite/index.js';

const dir = await mkdtemp(join(tmpdir(), 'guardian-sync-sqlite-'));
const store = createSqliteStore({ database: join(dir, 'roster.sqlite') });
try {
  // What the daily roster sync (Clever, ClassLink, OneRoster) would have delivered.
  await store.importRoster({
    orgs: [
      { id: 'D1', name: 'Maple Unified', type: 'district', parentId: null },
      { id: 'SA', name: 'Maple Elementary', type: 'school', parentId: 'D1' },
    ],
    // Students and staff carry their district: SIS ids are unique only inside one.
    students: ['Ana', 'Leo', 'Mia', 'Noah'].map((firstName, i) => ({ districtId: 'D1', sisId: `S${i + 1}`, schoolId: 'SA', firstName, lastName: 'Student' })),
    staff: [{ districtId: 'D1', sisId: 'T1', firstName: 'Tom', lastName: 'Lee', email: 'tom.lee@maple.example', mobilePhone: null, homePhone: null, schoolIds: ['SA'] }],
  });

  const header = 'studentSisId,guardianSisId,firstName,lastName,email';
  const sync = async (name: string, rows: string[], dryRun = false) => {
    const path = join(dir, name);
    await writeFile(path, [header, ...rows].join('\n'));
    const report = await syncGuardians({
      scope: { level: 'district', orgId: 'D1' },
      // Written by this script a moment ago: no need to wait for the file to settle (keep the
      // default wait for files another program delivers).
      source: createLocalFileSource({ path, stableCheckMs: 0 }),
      store,
      dryRun,
      // Three guardians is a tiny roster: one removal is 25% of the links and one new email
      // 33% of the guardians, above the default 10% threshold meant for whole districts, so
      // this example allows 40%.
      maxRemovalRatio: 0.4,
    });
    console.log(`── ${name}${dryRun ? ' (dry run)' : ''}`);
    console.log(formatReportText(report));
  };

  await sync('day1.csv', [
    'S1,G1,Gina,Ruiz,gina@mail.example',
    'S2,G1,Gina,Ruiz,gina@mail.example',
    'S3,G2,Tom,Lee,tom.lee@maple.example', // the teacher is also a parent: one account, two roles
    'S4,G3,Ola,Nowak,ola@mail.example',
  ]);
  const day2 = [
    'S1,G1,Gina,Ruiz,gina.ruiz@newmail.example', // same guardian id, new email: an update
    'S3,G2,Tom,Lee,tom.lee@maple.example',
    'S4,G3,Ola,Nowak,ola@mail.example',
  ];
  // Day 2 drops the link of Gina to S2: the dry run shows it, the real run applies it.
  await sync('day2.csv', day2, true);
  await sync('day2.csv', day2);

  console.log('── run history');
  for (const run of await store.listRuns()) console.log(`${run.startedAt} ${run.status}${run.dryRun ? ' (dry run)' : ''}`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
