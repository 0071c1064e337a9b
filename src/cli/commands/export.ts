// `guardian-sync export --db <roster> [--org <district>]`: the roster as one district sees
// it: its students, and the accounts holding a role in the district or a link to one of its
// students, with that district's roles and students only. One roster serves many districts,
// and an account shared by two appears in each district's export with the same id.
// `--json` prints the export shape of docs/cli.md.
import type { ExportedAccount, RosterExport } from '../../contracts/roster-store.js';
import { toTerminalSafe } from '../../report/format-report-text.js';
import { formatCount } from '../../report/report-wording.js';
import { chooseDistrict } from '../choose-district.js';
import { colorEnabled, printJson, printText, type CliIo } from '../cli-io.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { openRosterDb, withStore } from '../open-roster-db.js';
import { createPaint, type Paint } from '../paint.js';
import { expectPositionals, parseCommandArgs } from '../parse-cli-args.js';
import { UsageError } from '../usage-error.js';

export const EXPORT_HELP = `Usage: guardian-sync export --db <roster> [--org <district>] [--json]

Prints the roster as one district sees it: every account holding a role in the district
or linked to one of its students, with the district's roles (guardian, staff; active or
archived), its contact fields, and the SIS ids of the district's students it is linked to
as a guardian; then the number of the district's students. Sorted by account id, so the
output is stable. An account shared by two districts appears in both exports, same id.

Options:
  --db <roster>       the roster: a SQLite file, or postgres://user@host:port/db?schema=name
  --org <district>    the district to export (default: the only district in the roster;
                      required when the roster holds several)
  --json              print the roster export JSON (formatVersion 1) on stdout
  -h, --help          show this help

Exit codes: 0 printed, 1 the roster could not be read, 2 usage error (also: several
            districts and no --org, or an --org that is not a district of the roster).
`;

export const EXPORT_OPTIONS = {
  db: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runExport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('export', args, EXPORT_OPTIONS);
  if (values.help === true) {
    io.stdout(EXPORT_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('export', positionals, [], 0);
  const store = await openRosterDb('export', values.db, { cwd: io.cwd, create: false });
  const roster = await withStore(store, async (s) => {
    if (s.exportRoster === undefined) throw new UsageError('this roster store cannot export.', 'export');
    return s.exportRoster(await chooseDistrict('export', s, values.org));
  });
  if (values.json === true) printJson(io, roster);
  else printText(io, formatExportText(roster, createPaint(colorEnabled(io))));
  return EXIT_CODES.ok;
}

/** One district's roster for reading: one block per account. User values are made terminal-safe. */
export function formatExportText(roster: RosterExport, paint: Paint): string {
  const guardians = roster.accounts.filter((a) => a.roles.some((r) => r.role === 'guardian' && r.status === 'active')).length;
  const out = [
    paint.bold(
      `Roster of district ${toTerminalSafe(roster.districtId)}: ${formatCount(roster.accounts.length)} accounts (${formatCount(guardians)} active guardians), ${formatCount(roster.students.length)} students`,
    ),
  ];
  for (const account of roster.accounts) out.push('', ...formatAccount(account, paint));
  return out.join('\n');
}

function formatAccount(account: ExportedAccount, paint: Paint): string[] {
  const safe = (value: string) => toTerminalSafe(value);
  const contacts = [
    account.email,
    account.mobilePhone === null ? null : `mobile ${account.mobilePhone}`,
    account.homePhone === null ? null : `home ${account.homePhone}`,
    account.language === null ? null : `language ${account.language}`,
    account.claimed ? 'claimed' : null,
  ].filter((c): c is string => c !== null);
  const roles = account.roles.map((r) => {
    const text = `${r.role} ${r.sisIds.map(safe).join(', ') || '(no SIS id)'}`;
    return r.status === 'active' ? text : paint.dim(`${text} (${r.status})`);
  });
  const lines = [`${paint.bold(safe(`${account.firstName} ${account.lastName}`))}  ${paint.dim(safe(account.id))}`];
  if (contacts.length > 0) lines.push(`  ${contacts.map(safe).join(' · ')}`);
  lines.push(`  roles: ${roles.join('; ') || '(none)'}`);
  if (account.students.length > 0) lines.push(`  students: ${account.students.map(safe).join(', ')}`);
  return lines;
}
