// OneRoster input: a small OneRoster 1.1 export (users.csv, orgs.csv, manifest.csv) is
// generated into a temp folder, its students and staff imported as the daily roster sync
// would, its guardian rows and issues printed, and then synced into a memory store.
//
//   npx tsx examples/oneroster-guardians.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Direct module paths, so the example runs whatever src/index.ts re-exports today.
import { formatReportText } from '../src/report/format-report-text.js';
import { createLocalFileSource } from '../src/sources/local-file-source.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { importOneRosterRoster } from '../src/sync/import-oneroster-roster.js';
import { openOneRosterInput } from '../src/sources/open-oneroster-input.js';
import { readOneRosterGuardians } from '../src/oneroster/read-oneroster-guardians.js';

// A few families, written the way SIS exports write them: some students list their
// guardians, some guardians list their students, one teacher is also a parent (1.1 has one
// role per row, so that person has two rows with one sourcedId).
const FAMILIES = [
  { name: 'Ruiz', kids: ['Ana', 'Leo'], parents: [['Gina', 'gina@mail.example', '(202) 555-0102'], ['Marco', '', '202.555.0177']], side: 'student' },
  { name: 'Nowak', kids: ['Ola'], parents: [['Piotr', 'piotr@mail.example', '']], side: 'guardian' },
  { name: 'Chen', kids: ['Mei', 'Jun', 'Li'], parents: [['Wei', 'wei@mail.example', '+1 202 555 0190'], ['Lan', 'LAN@MAIL.EXAMPLE', '']], side: 'both' },
] as const;

const header = 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,metadata.preferredLanguage';
const lines: string[] = [header];
const row = (f: { id: string; role: string; org?: string; given: string; family: string; email?: string; sms?: string; agents?: string[]; lang?: string }): string =>
  [f.id, '', '', 'true', f.org ?? '', f.role, '', '', f.given, f.family, '', '', f.email ?? '', f.sms ?? '', '', `"${(f.agents ?? []).join(',')}"`, '', '', f.lang ?? ''].join(',');

FAMILIES.forEach((family, fi) => {
  const kidIds = family.kids.map((_, k) => `stu-${fi + 1}${k + 1}`);
  const parentIds = family.parents.map((_, p) => `par-${fi + 1}${p + 1}`);
  family.kids.forEach((kid, k) => {
    const agents = family.side === 'guardian' ? [] : parentIds;
    lines.push(row({ id: kidIds[k] as string, role: 'student', org: k === 0 ? 'sch-north' : 'sch-south', given: kid, family: family.name, agents }));
  });
  family.parents.forEach(([given, email, sms], p) => {
    const agents = family.side === 'student' ? [] : kidIds;
    lines.push(row({ id: parentIds[p] as string, role: 'parent', given, family: family.name, email, sms, agents, lang: fi === 2 ? 'Chinese' : '' }));
  });
});
// Gina Ruiz also teaches at the north school; and a student lists a guardian missing from the file.
lines.push(row({ id: 'par-11', role: 'teacher', org: 'sch-north', given: 'Gina', family: 'Ruiz', email: 'gina@mail.example' }));
lines.push(row({ id: 'stu-99', role: 'student', org: 'sch-north', given: 'Sam', family: 'Solo', agents: ['par-404'] }));

const dir = await mkdtemp(join(tmpdir(), 'guardian-sync-oneroster-'));
await writeFile(join(dir, 'users.csv'), `${lines.join('\r\n')}\r\n`);
await writeFile(
  join(dir, 'orgs.csv'),
  ['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'dist-1,,,Maple Unified,district,,', 'sch-north,,,North Elementary,school,,dist-1', 'sch-south,,,South Middle,school,,dist-1'].join('\n'),
);
await writeFile(join(dir, 'manifest.csv'), 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,bulk\n');

// 1. The folder as a OneRoster set (a .zip of it works the same).
const files = await openOneRosterInput({ path: dir });

// 2. The daily roster sync's part: students, staff and schools.
const store = createMemoryStore();
const imported = await importOneRosterRoster(files, store);
console.log(`Roster import: ${imported.orgs} orgs, ${imported.students} students, ${imported.staffCreated} staff created, district ${imported.districts.join(', ')}`);

// 3. The guardian rows OneRoster gives, as the sync will read them.
const guardians = readOneRosterGuardians(files);
console.log(`\nOneRoster ${guardians.version}, ${guardians.mode} file, ${guardians.file.rows} users, ${guardians.rows.length} guardian rows:`);
for (const r of guardians.rows) {
  console.log(`  line ${r.line}: ${r.guardianSisId} ${r.firstName} ${r.lastName} <${r.email ?? '-'}> ${r.mobilePhone ?? '-'} lang=${r.language ?? '-'} → student ${r.studentSisId}`);
}
console.log('Issues:');
for (const issue of guardians.issues) console.log(`  ${issue.severity} ${issue.code} line ${issue.line ?? '-'}: ${issue.message}`);

// 4. The sync itself, reading the users.csv with `format: 'oneroster'`.
const report = await syncGuardians({
  scope: { level: 'district', orgId: 'dist-1' },
  source: createLocalFileSource({ path: join(dir, 'users.csv'), stableCheckMs: 0 }),
  store,
  format: 'oneroster',
});
console.log(`\n${formatReportText(report)}`);
for (const account of (await store.exportRoster('dist-1')).accounts) {
  const roles = account.roles.map((r) => r.role).join('+');
  console.log(`${account.firstName} ${account.lastName} (${roles}): ${account.email ?? account.mobilePhone} → students ${account.students.join(', ') || '-'}`);
}
await rm(dir, { recursive: true, force: true });
