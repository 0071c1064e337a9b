// The CLI's dispatcher: picks the command, runs it, and turns every way a command can end
// into the contract's exit code (0 done, 1 failed, 2 usage or configuration, 3 threshold).
// Commands stay thin: parse arguments, call the library, print, return an exit code.
import packageJson from '../../package.json' with { type: 'json' };
import { isGuardianSyncError } from '../errors/guardian-sync-error.js';
import { printJson, printText, type CliIo } from './cli-io.js';
import { EXIT_CODES, isConfigurationError, type ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const CLI_VERSION: string = packageJson.version;

export const TOP_HELP = `Usage: guardian-sync <command> [options]

Syncs school guardians from a district's guardians.csv (or OneRoster) into a roster.

Commands:
  validate <file>                      self-check a guardian file (no roster needed)
  roster import --db <roster> <users.csv> [orgs.csv]
                                       load a district's students and staff from OneRoster into
                                       the roster (one roster may hold many districts)
  sync --db <roster> (--file <path> | --sftp <url>)
                                       run one guardian sync against the roster
  export --db <roster> [--org <district>] [--json | --html <file>]
                                       print one district's roster: accounts, roles, students
  runs --db <roster>                   list past runs with status and counts

  <roster> is a SQLite file, or postgres://user@host:port/database?schema=name
  (the password from the PGPASSWORD environment variable, never in the URL).

Options:
  -h, --help                           show help (also: guardian-sync <command> --help)
  -v, --version                        show the version

Exit codes: 0 done (warnings allowed), 1 the file or run failed,
            2 usage or configuration error, 3 held back by the removal threshold,
            4 sync done but its --report files not written, 130/143 stopped by SIGINT/SIGTERM.
With --json a command prints exactly one JSON document on stdout; everything meant for
people (summaries, progress, errors) goes to stderr.
`;

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

// Commands load on demand: `--help` or `validate` never pay for SQLite, OneRoster or SFTP.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  validate: async () => (await import('./commands/validate.js')).runValidate,
  sync: async () => (await import('./commands/sync.js')).runSync,
  export: async () => (await import('./commands/export.js')).runExport,
  runs: async () => (await import('./commands/runs.js')).runRuns,
  roster: async () => runRoster,
};

async function runRoster(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  if (sub === 'import') return (await import('./commands/roster-import.js')).runRosterImport(rest, io);
  if (sub === '--help' || sub === '-h') return (await import('./commands/roster-import.js')).runRosterImport(['--help'], io);
  if (sub === undefined) throw new UsageError('missing the roster command; the only one is "roster import".', 'roster import');
  throw new UsageError(`unknown roster command "${sub}"; the only one is "roster import".`, 'roster import');
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  const json = argv.includes('--json');
  try {
    if (name === undefined) {
      io.stderr(TOP_HELP);
      return EXIT_CODES.usage;
    }
    if (name === '--help' || name === '-h') {
      io.stdout(TOP_HELP);
      return EXIT_CODES.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(`${CLI_VERSION}\n`);
      return EXIT_CODES.ok;
    }
    if (name === 'help') {
      const target = rest[0];
      if (target === undefined) {
        io.stdout(TOP_HELP);
        return EXIT_CODES.ok;
      }
      return await runCli(target === 'roster' ? ['roster', 'import', '--help'] : [target, '--help'], io);
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (load === undefined) throw new UsageError(`unknown command "${name}"; the commands are validate, roster import, sync, export, runs.`);
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    return reportFailure(error, io, json);
  }
}

/** Prints why a command stopped (stderr; plus a JSON document with --json) and picks the exit code. */
function reportFailure(error: unknown, io: CliIo, json: boolean): ExitCode {
  if (error instanceof UsageError) {
    const prefix = error.command === undefined ? 'guardian-sync' : `guardian-sync ${error.command}`;
    printText(io, `${prefix}: ${error.message}\nRun "${prefix} --help" for usage.`);
    if (json) printJson(io, { formatVersion: 1, error: { code: 'INVALID_CONFIGURATION', message: error.message } });
    return EXIT_CODES.usage;
  }
  if (isGuardianSyncError(error)) {
    // Library messages are written for users and never carry secrets.
    printText(io, `guardian-sync: ${error.code}: ${error.message}`);
    if (json) printJson(io, { formatVersion: 1, error: { code: error.code, message: error.message } });
    return isConfigurationError(error.code) ? EXIT_CODES.usage : EXIT_CODES.failed;
  }
  // A foreign error (file system, SQLite): its name and a bounded message, never the object.
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  const message = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  printText(io, `guardian-sync: unexpected error: ${message}`);
  if (json) printJson(io, { formatVersion: 1, error: { code: 'UNEXPECTED', message } });
  return EXIT_CODES.failed;
}
