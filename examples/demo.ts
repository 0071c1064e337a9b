// `npm run demo`: the whole job on a fresh clone, no build step. Generates a small district
// into .demo/ (deleted and recreated on every run), then runs the CLI's own commands
// in-process, exactly as `guardian-sync …` would: validate → roster import → sync day 1 →
// validate day 2 → sync day 2 as a dry run → sync day 2 → export, into .demo/roster.sqlite,
// and writes .demo/report/report.html. The demo stops with exit code 1 if a step ends with
// another exit code than the one it should.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RosterExport } from '../src/contracts/roster-store.js';
import { colorEnabled, processIo, type CliIo } from '../src/cli/cli-io.js';
import { formatExportText } from '../src/cli/commands/export.js';
import { createPaint } from '../src/cli/paint.js';
import { runCli } from '../src/cli/run-cli.js';
import { generateDemoDistrict } from './demo-district.js';

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
for (const [name, bytes] of Object.entries(district.files)) await writeFile(join(demoDir, name), bytes);
const file = (name: keyof typeof district.files): string => rel(join(demoDir, name));
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
stepNumber++;
say();
say(paint.bold(`━━ ${stepNumber}. The final roster export`));
say(paint.cyan(`$ guardian-sync export --db ${db} --json > ${rel(join(demoDir, 'export.json'))}`));
const roster = await captureJson<RosterExport>(['export', '--db', db, '--json']);
await writeFile(join(demoDir, 'export.json'), `${JSON.stringify(roster, null, 2)}\n`);
const touched = new Set(district.changes.flatMap((c) => c.sisIds));
const shown: RosterExport = { ...roster, accounts: roster.accounts.filter((a) => a.roles.some((r) => r.sisIds.some((id) => touched.has(id)))) };
say(formatExportText(roster, paint).split('\n')[0] ?? '');
say(`The accounts day 2 changed (the whole roster is in ${rel(join(demoDir, 'export.json'))}):`);
say(formatExportText(shown, paint).split('\n').slice(1).join('\n'));

say();
say(paint.bold('Done.'));
say(`  Roster database  ${db}    (try: npx tsx src/cli/main.ts export --db ${db})`);
say(`  Day-2 report     ${rel(join(demoDir, 'report', 'report.html'))}  (open it in a browser), report.json, issues.csv`);
if (failures > 0) {
  say(paint.red(`${failures} step(s) ended with an unexpected exit code.`));
  process.exitCode = 1;
}
