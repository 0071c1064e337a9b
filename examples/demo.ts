// `npm run demo`: the whole job on a fresh clone, no build step. Generates a small district
// into .demo/ (deleted and recreated on every run), then runs the CLI's own commands
// in-process, exactly as `guardian-sync …` would: validate → roster import → sync day 1 →
// validate day 2 → sync day 2 as a dry run → sync day 2 → export, into .demo/roster.sqlite,
// and writes .demo/report/report.html. Then a second district joins the same roster, reusing
// the first one's SIS ids for other people and sharing one parent with it: its import and
// sync, and each district's export (.demo/export-D100.json, .demo/export-D200.json), and the
// first district's family roster page (.demo/family-roster-D100.html). The demo stops with
// exit code 1 if a step ends with another exit code than the one it should.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportedAccount, RosterExport } from '../src/contracts/roster-store.js';
import { colorEnabled, processIo, type CliIo } from '../src/cli/cli-io.js';
import { formatExportText } from '../src/cli/commands/export.js';
import { createPaint } from '../src/cli/paint.js';
import { runCli } from '../src/cli/run-cli.js';
import { generateDemoDistrict } from './demo-district.js';
import { generateSecondDemoDistrict } from './demo-second-district.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// GUARDIAN_SYNC_DEMO_DIR lets the demo's own test run it in a temp folder.
const demoDir = resolve(root, process.env['GUARDIAN_SYNC_DEMO_DIR'] ?? '.demo');
const rel = (path: string): string => {
  const short = relative(root, path);
  return short === '' ? '.' : short.startsWith('..') || isAbsolute(short) ? path : short;
};

const terminal = processIo();
// Commands run with the repository as their working directory, so the paths they print
// are the short .demo/… ones a reader can paste.
const io: CliIo = { ...terminal, cwd: root };
const paint = createPaint(colorEnabled(io));
const say = (text = ''): void => io.stderr(`${text}\n`);

let failures = 0;
let stepNumber = 0;

/** Runs one CLI command in-process, shows it as typed, and checks its exit code. */
async function step(title: string, args: readonly string[], expectedExit: number, why?: string): Promise<void> {
  stepNumber++;
  say();
  say(paint.bold(`━━ ${stepNumber}. ${title}`));
  if (why !== undefined) say(paint.dim(why));
  say(paint.cyan(`$ guardian-sync ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`));
  const code = await runCli(args, io);
  say(paint.dim(`(exit code ${code})`));
  if (code !== expectedExit) {
    failures++;
    say(paint.red(`Expected exit code ${expectedExit}, got ${code}.`));
  }
}

/** Runs a --json command and returns its parsed stdout, without printing it. */
async function captureJson<T>(args: readonly string[]): Promise<T> {
  let stdout = '';
  const code = await runCli(args, { ...io, stdout: (text) => void (stdout += text) });
  if (code !== 0) throw new Error(`guardian-sync ${args.join(' ')} exited with ${code}`);
  return JSON.parse(stdout) as T;
}

await rm(demoDir, { recursive: true, force: true });
await mkdir(demoDir, { recursive: true });
const district = generateDemoDistrict();
const second = generateSecondDemoDistrict(district);
for (const [name, bytes] of Object.entries({ ...district.files, ...second.files })) await writeFile(join(demoDir, name), bytes);
const file = (name: keyof typeof district.files | keyof typeof second.files): string => rel(join(demoDir, name));
const db = rel(join(demoDir, 'roster.sqlite'));
const reportDir = rel(join(demoDir, 'report'));

say(paint.bold('guardian-sync demo'));
say(
  `Generated ${district.schools.map((s) => s.name).join(' and ')} (district ${district.districtId}): ` +
    `${district.studentCount} students, ${district.staffCount} staff, ${district.day1Rows} guardian rows on day 1, ${district.day2Rows} on day 2, in ${rel(demoDir)}/.`,
);
say('What changes on day 2:');
for (const change of district.changes) say(`  • ${change.description}`);

await step('Self-check the day-1 guardian file', ['validate', file('guardians-day1.csv')], 0, 'The file alone, no roster: encoding, delimiter, header mapping, counts, issues.');
await step('Load the roster (students and staff) from OneRoster', ['roster', 'import', '--db', db, file('users.csv'), file('orgs.csv')], 0);
await step('Sync day 1', ['sync', '--db', db, '--file', file('guardians-day1.csv')], 0, 'No --org: the roster has one district, so the sync runs for it.');
await step(
  'Self-check the day-2 file',
  ['validate', file('guardians-day2.csv')],
  1,
  'Saved as Windows-1252 by an older SIS, with one bad row: validate exits 1 because of it; a sync only skips that row.',
);
await step('Preview day 2 (dry run: nothing changes)', ['sync', '--db', db, '--file', file('guardians-day2.csv'), '--dry-run'], 0);
await step('Sync day 2', ['sync', '--db', db, '--file', file('guardians-day2.csv'), '--report', reportDir], 0);
await step('Run history', ['runs', '--db', db], 0);

// The export of every account is long; the demo shows the accounts day 2 touched and
// saves the whole export as JSON.
const exportPath = (districtId: string): string => join(demoDir, `export-${districtId}.json`);
/** Exports one district's view as JSON, saves it, and returns it. */
async function exportDistrict(districtId: string): Promise<RosterExport> {
  say(paint.cyan(`$ guardian-sync export --db ${db} --org ${districtId} --json > ${rel(exportPath(districtId))}`));
  const roster = await captureJson<RosterExport>(['export', '--db', db, '--org', districtId, '--json']);
  await writeFile(exportPath(districtId), `${JSON.stringify(roster, null, 2)}\n`);
  return roster;
}

stepNumber++;
say();
say(paint.bold(`━━ ${stepNumber}. The roster export of district ${district.districtId}`));
const roster = await exportDistrict(district.districtId);
const touched = new Set(district.changes.flatMap((c) => c.sisIds));
const shown: RosterExport = { ...roster, accounts: roster.accounts.filter((a) => a.roles.some((r) => r.sisIds.some((id) => touched.has(id)))) };
say(formatExportText(roster, paint).split('\n')[0] ?? '');
say(`The accounts day 2 changed (the whole export is in ${rel(exportPath(district.districtId))}):`);
say(formatExportText(shown, paint).split('\n').slice(1).join('\n'));

// A second district in the same roster. Its SIS reuses the first one's numbers for other
// people, and one parent has children in both.
say();
say(paint.bold(`A second district joins the roster: ${second.schoolName} (district ${second.districtId}), ${second.studentCount} students.`));
say(`  • Student ${second.reused.studentId}, guardian ${second.reused.guardianId} and teacher ${second.reused.staffId} exist in both districts as different people.`);
say(
  `  • ${second.sharedParent.firstName} ${second.sharedParent.lastName} (${second.sharedParent.firstDistrictId} in ${district.districtId}, ${second.sharedParent.secondDistrictId} in ${second.districtId}) ` +
    'has a child in each: same name, email and mobile in both files.',
);
await step(
  `Load district ${second.districtId}'s roster into the same database`,
  ['roster', 'import', '--db', db, file('district2-users.csv'), file('district2-orgs.csv')],
  0,
  `Its students and staff go to ${second.districtId}; ${district.districtId}'s student ${second.reused.studentId} and teacher ${second.reused.staffId} stay as they were.`,
);
await step('A sync without --org', ['sync', '--db', db, '--file', file('district2-guardians.csv'), '--dry-run'], 2, 'The roster now has two districts: the CLI asks which one instead of guessing.');
await step(`Sync district ${second.districtId}`, ['sync', '--db', db, '--org', second.districtId, '--file', file('district2-guardians.csv')], 0);

stepNumber++;
say();
say(paint.bold(`━━ ${stepNumber}. Each district's view of the one roster`));
const views = [await exportDistrict(district.districtId), await exportDistrict(second.districtId)];
const holding = (view: RosterExport, role: string, sisId: string): ExportedAccount | undefined =>
  view.accounts.find((a) => a.roles.some((r) => r.role === role && r.sisIds.includes(sisId)));
const who = (account: ExportedAccount | undefined): string => (account === undefined ? '(nobody)' : `${account.firstName} ${account.lastName}  ${paint.dim(account.id.slice(0, 8))}`);
for (const view of views) {
  say();
  say(formatExportText(view, paint).split('\n')[0] ?? '');
  const line = (label: string, text: string): void => say(`  ${label.padEnd(16)} ${text}`);
  const student = view.students.find((s) => s.sisId === second.reused.studentId);
  line(`student ${second.reused.studentId}`, student === undefined ? '(none)' : `${student.firstName} ${student.lastName}, school ${student.schoolId}`);
  line(`guardian ${second.reused.guardianId}`, who(holding(view, 'guardian', second.reused.guardianId)));
  line(`staff ${second.reused.staffId}`, who(holding(view, 'staff', second.reused.staffId)));
  const parentId = view.districtId === district.districtId ? second.sharedParent.firstDistrictId : second.sharedParent.secondDistrictId;
  const parent = holding(view, 'guardian', parentId);
  line(`guardian ${parentId}`, `${who(parent)}, students ${parent?.students.join(', ') ?? '(none)'}`);
}
const [firstView, secondView] = views as [RosterExport, RosterExport];
const sharedFirst = holding(firstView, 'guardian', second.sharedParent.firstDistrictId);
const sharedSecond = holding(secondView, 'guardian', second.sharedParent.secondDistrictId);
say();
say(
  sharedFirst !== undefined && sharedFirst.id === sharedSecond?.id
    ? `${second.sharedParent.firstName} ${second.sharedParent.lastName} is one account in both views (same id), with a guardian role in each district.`
    : paint.red(`${second.sharedParent.firstName} ${second.sharedParent.lastName} should be one account in both views.`),
);
if (sharedFirst === undefined || sharedFirst.id !== sharedSecond?.id) failures++;

// The page district staff open to check families, written by the CLI as a user would.
const rosterPage = join(demoDir, `family-roster-${district.districtId}.html`);
await step(
  `The family roster page of district ${district.districtId}`,
  ['export', '--db', db, '--org', district.districtId, '--html', rel(rosterPage)],
  0,
  "Schools, students and their guardians in one HTML file, with a search and filters. It holds guardians' contacts: for district staff, not parents.",
);

say();
say(paint.bold('Done.'));
say(`  Roster database  ${db}    (try: npx tsx src/cli/main.ts export --db ${db} --org ${second.districtId})`);
say(`  Exports          ${rel(exportPath(district.districtId))}, ${rel(exportPath(second.districtId))}`);
say(`  Day-2 report     ${rel(join(demoDir, 'report', 'report.html'))}  (open it in a browser), report.json, issues.csv`);
say(`  Family roster    ${rel(rosterPage)}  (open it in a browser; district staff only: it holds contacts)`);
if (failures > 0) {
  say(paint.red(`${failures} step(s) ended with an unexpected exit code.`));
  process.exitCode = 1;
}
