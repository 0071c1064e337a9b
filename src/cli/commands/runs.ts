// `guardian-sync runs --db <roster>`: the run history, most recent first, with status and
// counts, so an operator can see what the daily syncs did without opening each report.
import type { RunSummary } from '../../model/report.js';
import { toTerminalSafe } from '../../report/format-report-text.js';
import { describeForced, describeOutcome, formatCount } from '../../report/report-wording.js';
import { colorEnabled, printJson, printText, type CliIo } from '../cli-io.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { openRosterDb, withStore } from '../open-roster-db.js';
import { createPaint, type Paint } from '../paint.js';
import { expectPositionals, parseCommandArgs, parsePositiveInt } from '../parse-cli-args.js';

export const RUNS_HELP = `Usage: guardian-sync runs --db <roster> [--limit <n>] [--json]

Lists past sync runs, most recent first: when, scope, status (cancelled, forced past the
threshold and by how much), dry run or not, and counts.

Options:
  --db <roster>   the roster: a SQLite file, or postgres://user@host:port/db?schema=name
  --limit <n>     show at most n runs (default 50)
  --json          print {"formatVersion":1,"runs":[…]} on stdout
  -h, --help      show this help

Exit codes: 0 printed, 1 the history could not be read, 2 usage error.
`;

export const RUNS_OPTIONS = {
  db: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_LIMIT = 50;

export async function runRuns(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('runs', args, RUNS_OPTIONS);
  if (values.help === true) {
    io.stdout(RUNS_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('runs', positionals, [], 0);
  const limit = parsePositiveInt('runs', '--limit', values.limit) ?? DEFAULT_LIMIT;
  const store = await openRosterDb('runs', values.db, { cwd: io.cwd, create: false });
  const runs = await withStore(store, (s) => s.listRuns({ limit }));
  if (values.json === true) printJson(io, { formatVersion: 1, runs });
  else printText(io, formatRunsText(runs, createPaint(colorEnabled(io))));
  return EXIT_CODES.ok;
}

export function formatRunsText(runs: readonly RunSummary[], paint: Paint): string {
  if (runs.length === 0) return 'No runs yet.';
  const out = [paint.bold(`${runs.length} run${runs.length === 1 ? '' : 's'}, most recent first`)];
  for (const run of runs) {
    // A summary has no issues: a failed run reads plain "Failed"; a forced one says by how much.
    const wording = describeOutcome({ ...run, issues: [] });
    const tone = wording.tone === 'good' ? paint.green : wording.tone === 'bad' ? paint.red : wording.tone === 'warn' ? paint.yellow : paint.cyan;
    const forced = run.status === 'succeeded' || run.status === 'succeeded-with-warnings' ? describeForced(run.threshold) : null;
    const c = run.counts;
    out.push(
      '',
      `${run.startedAt}  ${tone(wording.label)}${run.dryRun ? paint.dim(' (dry run)') : ''}  ${run.scope.level} ${toTerminalSafe(run.scope.orgId)}  ${paint.dim(run.runId)}`,
      ...(forced === null ? [] : [`  ${paint.yellow(`forced: ${forced}`)}`]),
      `  rows ${formatCount(c.rows)} (${formatCount(c.rowsSkipped)} skipped) · guardians ${formatCount(c.guardians)} · created ${formatCount(c.accountsCreated)} · updated ${formatCount(c.accountsUpdated)} · roles added ${formatCount(c.rolesAdded)}`,
      `  links +${formatCount(c.linksAdded)} −${formatCount(c.linksRemoved)} · archived ${formatCount(c.guardiansArchived)} · restored ${formatCount(c.guardiansRestored)} · unchanged ${formatCount(c.unchanged)}`,
    );
  }
  return out.join('\n');
}
