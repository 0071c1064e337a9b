// Quick start: a guardians.csv on disk synced into a roster held in memory, in about ten
// lines of sync code. A host swaps the memory store for its own RosterStore (see
// custom-store.ts) or the SQLite one (sqlite-roster.ts).
//
//   npx tsx examples/quickstart.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalFileSource, createMemoryStore, formatReportText, syncGuardians } from '../src/index.js';

// A tiny district and its guardian file, written to a temp folder so the example runs anywhere.
const dir = await mkdtemp(join(tmpdir(), 'guardian-sync-quickstart-'));
const path = join(dir, 'guardians.csv');
await writeFile(
  path,
  [
    'Student ID,Guardian ID,First Name,Last Name,Email,Mobile,Language',
    'S1,G1,Gina,Ruiz,gina@mail.example,(202) 555-0102,Spanish',
    'S2,G1,Gina,Ruiz,gina@mail.example,(202) 555-0102,Spanish',
    'S2,G2,Marco,Ruiz,,202.555.0177,',
    'S404,G3,Ola,Nowak,ola@mail.example,,pl',
  ].join('\n'),
);

// The sync itself.
const store = createMemoryStore({
  initial: {
    orgs: [
      { id: 'D1', name: 'Maple Unified', type: 'district', parentId: null },
      { id: 'SA', name: 'Maple Elementary', type: 'school', parentId: 'D1' },
    ],
    students: [
      { districtId: 'D1', sisId: 'S1', schoolId: 'SA', firstName: 'Ana', lastName: 'Ruiz' },
      { districtId: 'D1', sisId: 'S2', schoolId: 'SA', firstName: 'Leo', lastName: 'Ruiz' },
    ],
  },
});
const report = await syncGuardians({
  scope: { level: 'district', orgId: 'D1' },
  // Written by this script a moment ago: no need to wait for the file to settle (keep the
  // default wait for files another program delivers).
  source: createLocalFileSource({ path, stableCheckMs: 0 }),
  store,
});
console.log(formatReportText(report));

// What the roster holds now, as district D1 sees it: one account per guardian, linked to their children.
for (const account of (await store.exportRoster('D1')).accounts) {
  console.log(`${account.firstName} ${account.lastName}: ${account.email ?? account.mobilePhone} → students ${account.students.join(', ')}`);
}
await rm(dir, { recursive: true, force: true });
