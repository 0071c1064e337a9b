// `guardian-sync export --db <roster> [--org <district>]`: the roster as one district sees
// it: its students, and the accounts holding a role in the district or a link to one of its
// students, with that district's roles and students only. One roster serves many districts,
// and an account shared by two appears in each district's export with the same id.
// `--json` prints the export shape of docs/cli.md; `--html <file>` writes the same export as
// the family roster page (src/report/render-roster-html.ts) for district staff to look at.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ExportedAccount, RosterExport, RosterStore } from '../../contracts/roster-store.js';
import { toTerminalSafe } from '../../report/format-report-text.js';
import { renderRosterHtml } from '../../report/render-roster-html.js';
import { formatBytes, formatCount } from '../../report/report-wording.js';
import type { RosterPageSchool } from '../../report/roster-page-data.js';
import { chooseDistrict } from '../choose-district.js';
import { colorEnabled, printJson, printText, type CliIo } from '../cli-io.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { openRosterDb, withStore } from '../open-roster-db.js';
import { createPaint, type Paint } from '../paint.js';
import { expectPositionals, parseCommandArgs } from '../parse-cli-args.js';
import { UsageError } from '../usage-error.js';

export const EXPORT_HELP = `Usage: guardian-sync export --db <roster> [--org <district>] [--json] [--html <file>]

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
  --html <file>       also write the family roster page: one self-contained HTML file with
                      the district's schools, students and their guardians, a search and
                      filters. It holds guardians' contacts: give it only to district staff
                      who may see the roster, never to parents. Without --json, only a
                      summary is printed
  -h, --help          show this help

Exit codes: 0 printed (and written), 1 the roster could not be read or the page not written,
            2 usage error (also: several districts and no --org, an --org that is not a
            district of the roster, or an --html path that cannot be written).
`;

export const EXPORT_OPTIONS = {
  db: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runExport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('export', args, EXPORT_OPTIONS);
  if (values.help === true) {
    io.stdout(EXPORT_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('export', positionals, [], 0);
  // Checked before the roster is read: a slow export of a large district must not end in a
  // path that cannot take the page.
  const page = values.html === undefined ? undefined : { shown: values.html, path: await prepareHtmlFile(values.html, io.cwd) };
  const store = await openRosterDb('export', values.db, { cwd: io.cwd, create: false });
  const { roster, schools } = await withStore(store, async (s) => {
    if (s.exportRoster === undefined) throw new UsageError('this roster store cannot export.', 'export');
    const districtId = await chooseDistrict('export', s, values.org);
    return { roster: await s.exportRoster(districtId), schools: page === undefined ? [] : await districtSchools(s, districtId) };
  });
  const paint = createPaint(colorEnabled(io));
  if (page === undefined) {
    if (values.json === true) printJson(io, roster);
    else printText(io, formatExportText(roster, paint));
    return EXIT_CODES.ok;
  }
  const html = renderRosterHtml(roster, { schools, exportedAt: new Date().toISOString() });
  await writePrivateFile(page.path, html, page.shown);
  // The page replaces the account-by-account text, which at district size only scrolls by.
  if (values.json === true) printJson(io, roster);
  else printText(io, formatExportHeadline(roster, paint));
  printText(io, formatPageWritten(roster, page.shown, Buffer.byteLength(html, 'utf8')));
  return EXIT_CODES.ok;
}

/** The district's schools with their names, for the page; none when the store cannot list orgs. */
async function districtSchools(store: RosterStore, districtId: string): Promise<RosterPageSchool[]> {
  if (store.listOrgs === undefined) return [];
  return (await store.listOrgs()).filter((o) => o.type === 'school' && o.parentId === districtId).map((o) => ({ id: o.id, name: o.name }));
}

/**
 * Resolves `--html` and makes sure a page can be written there, creating its folder when
 * missing (as `sync --report` does). `shown` is the path as typed, for messages.
 * @throws UsageError when the path is empty or a folder, or its folder cannot be created or written.
 */
async function prepareHtmlFile(shown: string, cwd: string): Promise<string> {
  if (shown.trim() === '') throw new UsageError('--html needs a file name, e.g. --html family-roster.html.', 'export');
  const path = resolve(cwd, shown);
  if ((await stat(path).catch(() => null))?.isDirectory() === true) {
    throw new UsageError(`--html ${shown} is a folder: give a file name for the page, e.g. --html ${join(shown, 'family-roster.html')}.`, 'export');
  }
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`--html ${shown}: its folder could not be created (${fsCode(error)}): check the path, or give another one.`, 'export');
  }
  // Permissions alone do not say it (root, ACLs, a read-only mount): write, then remove, a file.
  const probe = join(dir, `.guardian-sync-probe-${process.pid}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw new UsageError(`--html ${shown}: its folder cannot be written (${fsCode(error)}): make it writable by this user, or give another path.`, 'export');
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return path;
}

/**
 * Writes the page under a temporary name and renames it, so a reader never opens half a
 * page, with permissions for its owner only: it holds guardians' contacts, and a shared
 * folder's default would let every local user read them.
 */
async function writePrivateFile(path: string, content: string, shown: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(temp, content, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`the family roster page could not be written to ${shown} (${fsCode(error)}).`);
  }
}

/** The file system's code (EACCES, ENOSPC…), never its whole message. */
function fsCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

/** What `--html` wrote, and who may read it. User values are made terminal-safe. */
function formatPageWritten(roster: RosterExport, shown: string, bytes: number): string {
  return [
    `Family roster page of district ${toTerminalSafe(roster.districtId)} written: ${toTerminalSafe(shown)} (${formatBytes(bytes)}, ${formatCount(roster.students.length)} students).`,
    "It holds guardians' names, emails and mobile numbers: give it only to district staff who may see this district's roster, never to parents.",
  ].join('\n');
}

/** One district's roster for reading: one block per account. User values are made terminal-safe. */
export function formatExportText(roster: RosterExport, paint: Paint): string {
  const out = [formatExportHeadline(roster, paint)];
  for (const account of roster.accounts) out.push('', ...formatAccount(account, paint));
  return out.join('\n');
}

/** The first line of the export text: the district and its counts (with `--html`, the only line of it printed). */
export function formatExportHeadline(roster: RosterExport, paint: Paint): string {
  const guardians = roster.accounts.filter((a) => a.roles.some((r) => r.role === 'guardian' && r.status === 'active')).length;
  return paint.bold(
    `Roster of district ${toTerminalSafe(roster.districtId)}: ${formatCount(roster.accounts.length)} accounts (${formatCount(guardians)} active guardians), ${formatCount(roster.students.length)} students`,
  );
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
