// `guardian-sync sync`: one guardian sync against the SQLite roster, from a local file or
// SFTP, at district or school level; prints the report (text on stderr, or the report JSON
// on stdout with --json), optionally writes report files, and exits 0 / 1 / 2 / 3.
import { resolve } from 'node:path';
import type { GuardianFileSource } from '../../contracts/file-source.js';
import type { SyncCounts } from '../../model/plan.js';
import type { SyncReport } from '../../model/report.js';
import type { ProgressEvent } from '../../sync/sync-options.js';
import { formatReportText } from '../../report/format-report-text.js';
import { writeReportFiles } from '../../report/write-report-files.js';
import { syncGuardians } from '../../sync/sync-guardians.js';
import { buildSftpSource } from '../build-sftp-source.js';
import { colorEnabled, printJson, printText, progressEnabled, type CliIo } from '../cli-io.js';
import { findDefaultOrg } from '../default-org.js';
import { localInputSource } from '../local-input-source.js';
import { EXIT_CODES, exitCodeForOutcome, exitCodeForSignal, type ExitCode } from '../exit-codes.js';
import type { InterruptSignal } from '../interrupt-trap.js';
import { prepareReportFolder } from '../report-folder.js';
import { checkSyncOrg } from '../check-sync-org.js';
import { openRosterDb, withStore } from '../open-roster-db.js';
import { expectPositionals, parseByteSize, parseColumnMappings, parseCommandArgs, parseFormat, parseLevel, parsePercent, parseSeconds } from '../parse-cli-args.js';
import { createPhaseTimings, type PhaseTimings } from '../phase-timings.js';
import { createProgressBar } from '../progress-bar.js';
import { UsageError } from '../usage-error.js';

export const SYNC_HELP = `Usage: guardian-sync sync --db <roster> (--file <path> | --sftp <url>) [options]

Runs one guardian sync against the roster: reads the file, works out who each
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
  --max-file-size <size>        refuse a larger file (default 200MiB; e.g. 500MiB, 1GiB)
  --settle <seconds>            the file must be unchanged this long before it is read, so
                                one still being written is refused (default 2 for --file,
                                5 for --sftp; 0: no wait)
  --require-done-marker         take the file only once <file>.done, written after it,
                                is next to it (without it the marker is used when present)

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
                                (created if missing; checked before the run)
  --timings                     after the run, print on stderr the wall time of each phase
                                (startup, read, plan, output, …) and the total, in ms
  -h, --help                    show this help

Ctrl-C (or SIGTERM) stops the run at its next step, releases its lock and saves it as
cancelled; a second one exits at once.

Exit codes: 0 done (warnings allowed), 1 the run failed, 2 usage or configuration error
            (an --org the roster does not have, a --report folder that cannot be written),
            3 removals held back by the threshold (failed-threshold), 4 done but the
            --report files could not be written, 130 stopped by Ctrl-C (143 by SIGTERM).
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
  'max-file-size': { type: 'string' },
  settle: { type: 'string' },
  'require-done-marker': { type: 'boolean' },
  level: { type: 'string' },
  org: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'max-removal': { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  timings: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runSync(args: readonly string[], io: CliIo): Promise<ExitCode> {
  // Started first, so that `setup` counts all the command does before the sync begins.
  const clock = createPhaseTimings();
  const { values, positionals } = parseCommandArgs('sync', args, SYNC_OPTIONS);
  const timings = values.timings === true ? clock : undefined;
  if (values.help === true) {
    io.stdout(SYNC_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('sync', positionals, [], 0);
  const format = parseFormat('sync', values.format);
  const level = parseLevel('sync', values.level);
  const columns = parseColumnMappings('sync', values.column);
  const maxRemovalRatio = parsePercent('sync', '--max-removal', values['max-removal']);
  const maxFileBytes = parseByteSize('sync', '--max-file-size', values['max-file-size']);
  const stableCheckMs = parseSeconds('sync', '--settle', values.settle, 3600);
  const doneMarker = values['require-done-marker'] === true ? 'require' : undefined;
  if ((values.file === undefined) === (values.sftp === undefined)) {
    throw new UsageError('give exactly one input: --file <path> or --sftp <url>.', 'sync');
  }
  const sftpOnly = (['host-key', 'password-env', 'key', 'passphrase-env'] as const).filter((flag) => values[flag] !== undefined);
  if (values.sftp === undefined && sftpOnly.length > 0) throw new UsageError(`--${sftpOnly[0]} is only for --sftp.`, 'sync');

  // The report folder too: a run that applies changes must be able to write its report.
  const reportDir = values.report === undefined ? undefined : resolve(io.cwd, values.report);
  if (reportDir !== undefined) await prepareReportFolder('sync', reportDir, values.report as string);

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
            stableCheckMs,
            doneMarker,
          },
          io.env,
          io.cwd,
        )
      : await localInputSource('sync', resolve(io.cwd, values.file as string), format, { stableCheckMs, doneMarker });

  const store = await openRosterDb('sync', values.db, { cwd: io.cwd, create: false });
  // From here the run may hold the scope's lock: Ctrl-C must release it, not kill the process.
  const trap = io.trapInterrupts?.();
  let report: SyncReport | null;
  try {
    report = await withStore(store, async (s) => {
      const orgId = values.org ?? (await findDefaultOrg('sync', s, level));
      if (values.org !== undefined) await checkSyncOrg(s, level, orgId);
      // Stopped while the roster was being opened: nothing was locked or read.
      if (trap?.signal.aborted === true) return null;
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
          maxFileBytes,
          force: values.force === true,
          dryRun: values['dry-run'] === true,
          signal: trap?.signal,
          onProgress: combineListeners(progress?.onProgress, timings?.onProgress),
        });
      } finally {
        progress?.stop();
      }
    });
  } finally {
    trap?.release();
  }

  const interrupt = trap?.received();
  if (interrupt !== undefined && (report === null || wasStopped(report))) {
    // One line, as for any interrupted command; the report is in the run history, as `cancelled`.
    timings?.mark('output');
    if (values.json === true && report !== null) printJson(io, report);
    printText(io, report === null ? `guardian-sync sync: stopped by ${interrupt} before the run began; nothing was read or changed.` : cancelledLine(report, interrupt));
    printTimings(io, timings);
    return exitCodeForSignal(interrupt);
  }
  if (report === null) throw new Error('The sync did not run although no signal stopped it.');

  let code = exitCodeForOutcome(report.status, report.issues);
  let reportNote: string | undefined;
  if (reportDir !== undefined) {
    timings?.mark('report-files');
    try {
      const paths = await writeReportFiles(reportDir, report);
      reportNote = `Report written: ${paths.html}`;
    } catch (error) {
      // The folder was writable a moment ago (checked before the run). The run is finished and
      // saved, so exit 1 ("nothing changed") would be a lie: 4 says "done, but no files".
      reportNote =
        `guardian-sync sync: the run finished (run ${report.runId}, saved in the roster's run history), but its report files could not be written into ` +
        `${values.report} (${fsCode(error)}). Do not run the sync again for this: check the folder, and use --json or another --report folder next time.`;
      if (code === EXIT_CODES.ok) code = EXIT_CODES.reportNotWritten;
    }
  }

  timings?.mark('output');
  if (values.json === true) printJson(io, report);
  else printText(io, formatReportText(report, { color: colorEnabled(io) }));
  if (interrupt !== undefined) printText(io, `guardian-sync sync: ${interrupt} came after the run had finished; its outcome above stands.`);
  if (reportNote !== undefined) printText(io, reportNote);
  printTimings(io, timings);
  return code;
}

/** Both listeners (the progress bar's and --timings'), or the one there is. */
function combineListeners(...listeners: (((event: ProgressEvent) => void) | undefined)[]): ((event: ProgressEvent) => void) | undefined {
  const present = listeners.filter((l) => l !== undefined);
  if (present.length <= 1) return present[0];
  return (event) => {
    for (const listener of present) listener(event);
  };
}

/** `--timings`: the phase lines, last on stderr. */
function printTimings(io: CliIo, timings: PhaseTimings | undefined): void {
  if (timings !== undefined) printText(io, timings.lines().join('\n'));
}

/** The run stopped because of the signal (ABORTED), rather than finishing before it could stop. */
function wasStopped(report: SyncReport): boolean {
  return report.status === 'failed' && report.issues.some((i) => i.code === 'ABORTED' && i.severity === 'error');
}

/** What a cancelled run did, where, and that the next run may start: one line. */
function cancelledLine(report: SyncReport, interrupt: InterruptSignal): string {
  const aborted = report.issues.find((i) => i.code === 'ABORTED');
  // The ABORTED message says where it stopped and that nothing more changed; only a store
  // without atomic applies can have kept part of a plan.
  const partial = CHANGE_KEYS.some((key) => report.counts[key] > 0) ? ' What it applied before it stopped is counted in its report; the next run converges.' : '';
  return (
    `guardian-sync sync: stopped by ${interrupt}: ${aborted?.message ?? 'the run was cancelled.'}${partial} ` +
    `The lock on ${report.scope.level} ${report.scope.orgId} is released, and "guardian-sync runs" lists run ${report.runId} as cancelled.`
  );
}

/** The counts that are changes to the roster (the others count the file). */
const CHANGE_KEYS = ['accountsCreated', 'accountsUpdated', 'rolesAdded', 'linksAdded', 'linksRemoved', 'guardiansArchived', 'guardiansRestored'] as const satisfies readonly (keyof SyncCounts)[];

/** The file system's code (EACCES, ENOSPC, …), never its whole message. */
function fsCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}
