// `guardian-sync roster import --db <roster> <users.csv> [orgs.csv]`: loads students and
// staff into the SQLite roster from OneRoster, as a platform's daily roster sync would, so a
// guardian sync can run locally against a real roster. Importing again updates in place.
// Students and staff go to the district of their school: one roster may hold many
// districts, and importing one never changes another's, even where SIS ids are equal.
import { resolve } from 'node:path';
import { createOneRosterFiles, type OneRosterFiles } from '../../oneroster/oneroster-files.js';
import { importOneRosterRoster } from '../../sync/import-oneroster-roster.js';
import { openOneRosterInput } from '../../sources/open-oneroster-input.js';
import { toTerminalSafe } from '../../report/format-report-text.js';
import { formatCount } from '../../report/report-wording.js';
import { colorEnabled, printJson, printText, type CliIo } from '../cli-io.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { formatIssueGroups, plural } from '../format-issue-groups.js';
import { openRosterDb, withStore } from '../open-roster-db.js';
import { createPaint } from '../paint.js';
import { expectPositionals, parseCommandArgs } from '../parse-cli-args.js';

export const ROSTER_IMPORT_HELP = `Usage: guardian-sync roster import --db <roster> <users.csv> [orgs.csv] [--json]

Loads students and staff into the SQLite roster from a OneRoster 1.1 users.csv, as a daily
roster sync would: student rows become students (SIS id = sourcedId, school = the first of
orgSourcedIds); teacher, administrator, aide and proctor rows become staff accounts
(givenName, familyName, email, sms as mobile, phone as home). Parent, guardian and relative
rows are left to "sync --format oneroster". With orgs.csv the schools get their names and
district; without it, schools the roster does not place yet form one placeholder district
(oneroster-district), which a later import with orgs.csv merges into the real one.
<users.csv> may also be a folder or a .zip holding a OneRoster export. Importing again
updates in place. The database file is created when it does not exist.

One roster may hold many districts: import each district's files in turn. Students and
staff belong to the district of their school (a teacher of schools in two districts gets a
staff role in each), and importing one district never changes another's, even where SIS
ids are equal.

Options:
  --db <roster>   the roster: a SQLite file, or postgres://user@host:port/db?schema=name
  --json          print {"formatVersion":1,"orgs","students","staffCreated","staffUpdated",
                  "districts","mergedDistricts","placeholderKept","issues"} on stdout
  -h, --help      show this help

Exit codes: 0 imported (warnings allowed), 1 a file could not be read, 2 usage error.
`;

export const ROSTER_IMPORT_OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runRosterImport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('roster import', args, ROSTER_IMPORT_OPTIONS);
  if (values.help === true) {
    io.stdout(ROSTER_IMPORT_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('roster import', positionals, ['users.csv', 'orgs.csv'], 1);
  const [usersPath, orgsPath] = positionals.map((p) => resolve(io.cwd, p));
  // Files are read before the database is opened: a wrong path leaves no empty database behind.
  const files = await openImportFiles(usersPath as string, orgsPath);
  const store = await openRosterDb('roster import', values.db, { cwd: io.cwd, create: true });
  const result = await withStore(store, (s) => importOneRosterRoster(files, s));

  if (values.json === true) {
    printJson(io, { formatVersion: 1, ...result });
  } else {
    const paint = createPaint(colorEnabled(io));
    const out = [
      paint.bold(`Roster imported into ${values.db}`),
      `  Orgs        ${formatCount(result.orgs)}`,
      `  Students    ${formatCount(result.students)}`,
      `  Staff       ${formatCount(result.staffCreated)} created, ${formatCount(result.staffUpdated)} updated`,
      `  Districts   ${result.districts.length === 0 ? '(no student or staff)' : result.districts.map((id) => toTerminalSafe(id)).join(', ')}`,
    ];
    for (const { from, into } of result.mergedDistricts) {
      out.push(`  Merged      ${toTerminalSafe(from)} into ${toTerminalSafe(into)} (the placeholder district of an import without orgs.csv)`);
    }
    if (result.placeholderKept !== null) {
      out.push(
        '',
        paint.yellow(
          `Note: the roster still has the placeholder district ${toTerminalSafe(result.placeholderKept.districtId)} of an import without orgs.csv: ${toTerminalSafe(result.placeholderKept.reason)}.`,
        ),
        '  Import again with an orgs.csv that places all of its schools in one district to merge it there.',
      );
    }
    if (result.issues.length > 0) {
      out.push('', paint.bold(`Issues (${plural(result.issues.length, 'issue')}; those rows were imported without the value, or skipped)`));
      out.push(...formatIssueGroups(result.issues, paint));
    }
    printText(io, out.join('\n'));
  }
  // Row problems skip or trim that row, as in a sync; whole-file errors were thrown above.
  return EXIT_CODES.ok;
}

/**
 * The two positionals as one OneRoster set: whatever the files are called, the first is the
 * users file (or a folder or zip holding one) and the second, when given, the orgs file.
 */
async function openImportFiles(usersPath: string, orgsPath: string | undefined): Promise<OneRosterFiles> {
  const users = await openOneRosterInput({ path: usersPath });
  if (orgsPath === undefined) return users;
  const orgs = await openOneRosterInput({ path: orgsPath });
  const orgsBytes = orgs.get('orgs.csv') ?? orgs.get(orgs.names[0] ?? 'orgs.csv');
  const entries: [string, Uint8Array][] = [];
  for (const name of users.names) {
    const bytes = users.get(name);
    if (bytes !== undefined && name.toLowerCase() !== 'orgs.csv') entries.push([name, bytes]);
  }
  if (orgsBytes !== undefined) entries.push(['orgs.csv', orgsBytes]);
  return createOneRosterFiles(entries);
}
