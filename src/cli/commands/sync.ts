// `guardian-sync sync`: one guardian sync against the SQLite roster, from a local file or
// SFTP, at district or school level; prints the report (text on stderr, or the report JSON
// on stdout with --json), optionally writes report files, and exits 0 / 1 / 2 / 3.
import { resolve } from 'node:path';
import type { GuardianFileSource } from '../../contracts/file-source.js';
import { formatReportText } from '../../report/format-report-text.js';
import { writeReportFiles } from '../../report/write-report-files.js';
import { syncGuardians } from '../../sync/sync-guardians.js';
import { buildSftpSource } from '../build-sftp-source.js';
import { colorEnabled, printJson, printText, progressEnabled, type CliIo } from '../cli-io.js';
import { findDefaultOrg } from '../default-org.js';
import { localInputSource } from '../local-input-source.js';
import { EXIT_CODES, exitCodeForOutcome, type ExitCode } from '../exit-codes.js';
import { openRosterDb, withStore } from '../open-roster-db.js';
import { expectPositionals, parseColumnMappings, parseCommandArgs, parseFormat, parseLevel, parsePercent } from '../parse-cli-args.js';
import { createProgressBar } from '../progress-bar.js';
import { UsageError } from '../usage-error.js';

export const SYNC_HELP = `Usage: guardian-sync sync --db <roster> (--file <path> | --sftp <url>) [options]

Runs one guardian sync against the SQLite roster: reads the file, works out who each
guardian is, compares with the roster, applies the difference and reports row by row.

Input:
  --file <path>                 a local guardians.csv (or, with --format oneroster, a
                                OneRoster users.csv, a folder or a .zip holding one)
  --sftp <url>                  sftp://user@host:port/path/guardians.csv
    --host-key SHA256:…         the server's pinned host key (required; repeat to allow
                                a second key while it is rotated)
    --password-env <VAR>        log in with the password held in environment variable VAR
    --key <file>                log in with this private key file
    --passphrase-env <VAR>      passphrase of an encrypted key, from environment variable VAR
  --format guardians|oneroster  the input format (default guardians)
  --encoding <label>            decode with this encoding instead of detecting it
  --column <field>=<Header>     map a header of the file to a field; repeatable

Scope and safety:
  --db <roster>                 the roster: a SQLite file, or postgres://user@host:port/db?schema=name (see "roster import")
  --level district|school       the level of the sync (default district)
  --org <id>                    the district or school id (default: the only one in the
                                roster; required when it holds several)
  --dry-run                     plan and report, change nothing
  --max-removal <percent>       hold back removals above this share of managed links or
                                guardians (default 10)
  --force                       apply removals even above the threshold

Output:
  --json                        print the report JSON (formatVersion 1) on stdout
  --report <dir>                write report.json, issues.csv and report.html into <dir>
  -h, --help                    show this help

Exit codes: 0 done (warnings allowed), 1 the run failed, 2 usage or configuration error,
            3 removals held back by the threshold (failed-threshold).
`;

export const SYNC_OPTIONS = {
  db: { type: 'string' },
  file: { type: 'string' },
  sftp: { type: 'string' },
  'host-key': { type: 'string', multiple: true },
  'password-env': { type: 'string' },
  key: { type: 'string' },
  'passphrase-env': { type: 'string' },
  format: { type: 'string' },
  encoding: { type: 'string' },
  column: { type: 'string', multiple: true },
  level: { type: 'string' },
  org: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'max-removal': { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runSync(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('sync', args, SYNC_OPTIONS);
  if (values.help === true) {
    io.stdout(SYNC_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('sync', positionals, [], 0);
  const format = parseFormat('sync', values.format);
  const level = parseLevel('sync', values.level);
  const columns = parseColumnMappings('sync', values.column);
  const maxRemovalRatio = parsePercent('sync', '--max-removal', values['max-removal']);
  if ((values.file === undefined) === (values.sftp === undefined)) {
    throw new UsageError('give exactly one input: --file <path> or --sftp <url>.', 'sync');
  }
  const sftpOnly = (['host-key', 'password-env', 'key', 'passphrase-env'] as const).filter((flag) => values[flag] !== undefined);
  if (values.sftp === undefined && sftpOnly.length > 0) throw new UsageError(`--${sftpOnly[0]} is only for --sftp.`, 'sync');

  // The input is checked before the roster is opened, so a typo costs nothing.
  const source: GuardianFileSource =
    values.sftp !== undefined
      ? await buildSftpSource(
          'sync',
          {
            url: values.sftp,
            passwordEnv: values['password-env'],
            passphraseEnv: values['passphrase-env'],
            keyFile: values.key,
            hostKeys: values['host-key'] ?? [],
          },
          io.env,
          io.cwd,
        )
      : await localInputSource(resolve(io.cwd, values.file as string), format);

  const store = await openRosterDb('sync', values.db, { cwd: io.cwd, create: false });
  const report = await withStore(store, async (s) => {
    const orgId = values.org ?? (await findDefaultOrg('sync', s, level));
    const progress = progressEnabled(io) ? createProgressBar({ write: io.stderr }) : undefined;
    try {
      return await syncGuardians({
        scope: { level, orgId },
        source,
        store: s,
        format,
        encoding: values.encoding,
        columns,
        maxRemovalRatio,
        force: values.force === true,
        dryRun: values['dry-run'] === true,
        onProgress: progress?.onProgress,
      });
    } finally {
      progress?.stop();
    }
  });

  let code = exitCodeForOutcome(report.status, report.issues);
  let reportNote: string | undefined;
  if (values.report !== undefined) {
    try {
      const paths = await writeReportFiles(resolve(io.cwd, values.report), report);
      reportNote = `Report written: ${paths.html}`;
    } catch (error) {
      reportNote = `guardian-sync sync: could not write the report files into ${values.report}: ${error instanceof Error ? error.message : 'unknown error'}`;
      // The run itself is done and saved in the run history; the missing files still fail the command.
      if (code === EXIT_CODES.ok) code = EXIT_CODES.failed;
    }
  }

  if (values.json === true) printJson(io, report);
  else printText(io, formatReportText(report, { color: colorEnabled(io) }));
  if (reportNote !== undefined) printText(io, reportNote);
  return code;
}
