// The words and number formats the text and HTML reports share, so a status, a count or
// a ratio reads the same in a terminal as in report.html.
import type { SyncCounts, ThresholdResult } from '../model/plan.js';
import type { IssueCode } from '../errors/issue-codes.js';
import type { ReportChange, ReportChangeKind, RunStatus, SavedReport, SyncReport } from '../model/report.js';

export interface StatusWording {
  /** Short label, e.g. `Succeeded with warnings`. */
  readonly label: string;
  /** One sentence: what the status means for the roster. */
  readonly meaning: string;
  /** For colors and CSS classes: good, warn or bad. */
  readonly tone: 'good' | 'warn' | 'bad' | 'neutral';
}

export const STATUS_WORDING: Readonly<Record<RunStatus, StatusWording>> = {
  succeeded: { label: 'Succeeded', meaning: 'The sync ran and found nothing to warn about.', tone: 'good' },
  'succeeded-with-warnings': {
    label: 'Succeeded with warnings',
    meaning: 'The sync ran; some rows were skipped or used in part (see the issues).',
    tone: 'warn',
  },
  failed: {
    label: 'Failed',
    meaning: 'The run failed (see the errors below).',
    tone: 'bad',
  },
  'failed-threshold': {
    label: 'Held back by the safety threshold',
    meaning: 'Too many removals: creates, updates and new links go ahead, but no link is removed and no guardian archived.',
    tone: 'bad',
  },
  disabled: { label: 'Disabled', meaning: 'The sync is turned off for this scope; nothing was read or changed.', tone: 'neutral' },
  running: { label: 'Running', meaning: 'The run holds its scope lock and has not finished yet.', tone: 'neutral' },
  interrupted: {
    label: 'Interrupted',
    meaning: 'The run never finished (its process stopped); a later run of the scope took over. Changes it made, if any, are converged by that run.',
    tone: 'bad',
  },
  cancelled: {
    label: 'Cancelled',
    meaning: 'The run was stopped on request (Ctrl-C, a shutdown or a deadline) and released its lock. Run the sync again when ready: it converges.',
    tone: 'neutral',
  },
};

export const DRY_RUN_NOTE = 'Dry run: nothing was changed; the counts show what a real run would do.';

/** Labels of the counts, in the order the reports show them. */
export const COUNT_LABELS = {
  rows: 'Rows read',
  rowsSkipped: 'Rows skipped',
  guardians: 'Guardians',
  accountsCreated: 'Accounts created',
  accountsUpdated: 'Accounts updated',
  rolesAdded: 'Guardian roles added',
  linksAdded: 'Links added',
  linksRemoved: 'Links removed',
  guardiansArchived: 'Guardians archived',
  guardiansRestored: 'Guardians restored',
  unchanged: 'Unchanged',
} as const satisfies Record<keyof SyncCounts, string>;

export const COUNT_KEYS = Object.keys(COUNT_LABELS) as readonly (keyof SyncCounts)[];

/** Labels of the kinds of change, as the counts name the same changes. */
export const CHANGE_KIND_LABELS = {
  created: 'Accounts created',
  updated: 'Accounts updated',
  'role-added': 'Guardian roles added',
  restored: 'Guardians restored',
  archived: 'Guardians archived',
  linked: 'Links added',
  unlinked: 'Links removed',
  'id-removed': 'Guardian ids moved away',
} as const satisfies Record<ReportChangeKind, string>;

/** One sentence per kind of change: what it did to the roster. */
export const CHANGE_KIND_MEANINGS = {
  created: 'A new account for a guardian the roster did not have.',
  updated: 'Names, contacts or language of an existing account changed: the fields are named, their values are not shown.',
  'role-added': 'An existing account (a teacher, a parent from another district) became a guardian here, or its guardian role got new guardian ids.',
  restored: 'An archived guardian is in the file again: the same account is active again.',
  archived: 'A guardian the file no longer names has no links left: the account is archived, not deleted.',
  linked: 'A guardian is now linked to a student.',
  unlinked: 'A link the file no longer has was removed.',
  'id-removed': 'A guardian id now belongs to another account (a person split from a merged duplicate), so this account gave it up.',
} as const satisfies Record<ReportChangeKind, string>;

/** What a change carries beyond its account: the fields an update changed, or the student of a link; '' otherwise. */
export function changeDetail(change: ReportChange): string {
  if (change.kind === 'updated') return change.fields.join(', ');
  if (change.kind === 'linked' || change.kind === 'unlinked') return change.studentSisId;
  return '';
}

/** `changeDetail` in words, for a line of text: `email, mobilePhone`, `student S001`. */
export function describeChangeDetail(change: ReportChange): string {
  const detail = changeDetail(change);
  return change.kind === 'linked' || change.kind === 'unlinked' ? `student ${detail}` : detail;
}

/** A change's lines: `2, 3`, the first `max` then `…+N`, or '' for a change no line asks for. */
export function formatChangeLines(lines: readonly number[], max = 5): string {
  if (lines.length <= max) return lines.join(', ');
  return `${lines.slice(0, max).join(', ')} …+${formatCount(lines.length - max)}`;
}

/** `1234567` → `1,234,567` (fixed locale: reports must not depend on the host's). */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
}

/** A ratio as a percentage with at most one decimal: `0.1` → `10%`, `0.125` → `12.5%`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  if (ratio === 0) return '0%';
  const pct = ratio * 100;
  if (pct > 0 && pct < 0.1) return '<0.1%';
  const rounded = Math.round(pct * 10) / 10;
  return `${Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1)}%`;
}

/** Binary units, labelled as such (KiB, MiB, GiB): `--max-file-size` takes the same words. */
export function formatBytes(size: number): string {
  if (size < 1024) return `${formatCount(size)} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  if (size < 1024 * 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(size / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = {
  ',': 'comma (,)',
  ';': 'semicolon (;)',
  '\t': 'tab',
  '|': 'pipe (|)',
};

export function formatDelimiter(delimiter: string): string {
  return DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter);
}

/** Wall time between two ISO-8601 stamps, or null when either does not parse. */
export function formatDuration(startedAt: string, finishedAt: string): string | null {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

export interface RatioReading {
  /** `removals` or `archives`. */
  readonly name: string;
  /** What the ratio counts, e.g. `of managed links`. */
  readonly of: string;
  readonly ratio: number;
  readonly maxRatio: number;
  /** This ratio alone is above the maximum. */
  readonly above: boolean;
  /** e.g. `removals 40% of managed links (maximum 10%)`. */
  readonly text: string;
}

export interface ThresholdReading {
  readonly removal: RatioReading;
  readonly archive: RatioReading;
  /** Login changes (email or mobile changed or cleared), absent in reports saved before the ratio existed. */
  readonly logins: RatioReading | null;
  /** Every ratio the report has, in the order the reports show them. */
  readonly ratios: readonly RatioReading[];
  readonly exceeded: boolean;
  readonly forced: boolean;
  /** One sentence: what the threshold did in this run. */
  readonly verdict: string;
}

/**
 * Two ratios as percentages that differ whenever the ratios do (up to 6 decimals): a ratio
 * just above its maximum must not read "10% (maximum 10%) exceeded".
 */
export function formatRatioPair(ratio: number, other: number): [string, string] {
  let a = formatRatio(ratio);
  let b = formatRatio(other);
  for (let digits = 2; a === b && ratio !== other && digits <= 6; digits++) {
    a = `${(ratio * 100).toFixed(digits)}%`;
    b = `${(other * 100).toFixed(digits)}%`;
  }
  return [a, b];
}

function readRatio(name: string, of: string, ratio: number, maxRatio: number): RatioReading {
  const [shown, max] = formatRatioPair(ratio, maxRatio);
  return { name, of, ratio, maxRatio, above: ratio > maxRatio, text: `${name} ${shown} ${of} (maximum ${max})` };
}

/**
 * How to read the safety threshold (docs/identity-rules.md §6): every ratio is held against
 * the one maximum; above it, what it counts is held back unless the run was forced.
 */
export function readThreshold(report: Pick<SyncReport, 'threshold' | 'dryRun' | 'status'>): ThresholdReading {
  const t: SyncReport['threshold'] | ThresholdResult = report.threshold;
  const forced = t.forced === true;
  const removal = readRatio('Removals', 'of managed links', t.removalRatio, t.maxRemovalRatio);
  const archive = readRatio('Archives', 'of managed guardians', t.archiveRatio, t.maxRemovalRatio);
  const logins = t.loginChangeRatio === undefined ? null : readRatio('Login changes', 'of managed guardians', t.loginChangeRatio, t.maxRemovalRatio);
  const ratios = logins === null ? [removal, archive] : [removal, archive, logins];
  const would = report.dryRun ? 'would be' : 'were';
  let verdict: string;
  if (t.exceeded && forced) verdict = `Exceeded, but forced: ${forcedChanges(logins)} ${would} applied.`;
  else if (t.exceeded) verdict = `Exceeded: ${heldBack(removal, archive, logins, { dryRun: report.dryRun })}. If the changes are intended, run again with --force or a higher --max-removal.`;
  else if (ratios.every((r) => r.ratio === 0)) verdict = 'Within the threshold: no removals, archives or login changes were planned.';
  else verdict = 'Within the threshold.';
  return { removal, archive, logins, ratios, exceeded: t.exceeded, forced, verdict };
}

/** What a forced run let through: everything the threshold would have held back (the headline says which ratios went over). */
function forcedChanges(logins: RatioReading | null): string {
  return logins === null ? 'the removals and archives' : 'the removals, archives and login changes';
}

/** What the threshold held back (docs/identity-rules.md §6: removals and archives together; logins on their own). */
function heldBack(removal: RatioReading, archive: RatioReading, logins: RatioReading | null, { dryRun }: { readonly dryRun: boolean }): string {
  const parts: string[] = [];
  // Removals and archives are named when they are what went over (or nothing says what did).
  if (removal.above || archive.above || logins?.above !== true) parts.push(`no link ${dryRun ? 'would be' : 'was'} removed and no guardian archived`);
  if (logins?.above === true) parts.push(`no stored email or mobile phone ${dryRun ? 'would be' : 'was'} changed`);
  return parts.join(', and ');
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The ratios a forced run went over, in words: `removals 50% of managed links and archives
 * 50% of managed guardians, above the maximum of 10%`; null when the run was not forced past the
 * threshold. Shared by the report headline and the run history.
 */
export function describeForced(threshold: SyncReport['threshold'] | ThresholdResult | undefined): string | null {
  if (threshold === undefined || threshold.forced !== true || !threshold.exceeded) return null;
  const over = readThreshold({ threshold, dryRun: false, status: 'succeeded' }).ratios.filter((r) => r.above);
  const max = formatRatioPair(over[0]?.ratio ?? threshold.maxRemovalRatio, threshold.maxRemovalRatio)[1];
  const parts = over.map((r) => `${r.name.toLowerCase()} ${formatRatioPair(r.ratio, r.maxRatio)[0]} ${r.of}`);
  return `${parts.length === 0 ? 'the changes' : joinWords(parts)}, above the maximum of ${max}`;
}

/**
 * The headline of a report or a saved run: its status's label, meaning and tone, made exact
 * for the run. A run forced past the threshold says so and by how much (never a plain green
 * "Succeeded"); a failed run says what kind of error stopped it (the file, its configuration,
 * another run holding the lock, the source, the store), because only a file error means
 * "fix the file".
 */
export function describeOutcome(report: Pick<SavedReport, 'status' | 'dryRun' | 'issues'> & { readonly threshold?: SavedReport['threshold'] | undefined }): StatusWording {
  const base = STATUS_WORDING[report.status];
  const forced = report.status === 'succeeded' || report.status === 'succeeded-with-warnings' ? describeForced(report.threshold) : null;
  if (forced !== null) {
    const warnings = report.status === 'succeeded-with-warnings' ? ' Some rows were skipped or used in part (see the issues).' : '';
    return {
      label: `${base.label}, forced past the safety threshold`,
      meaning: `Forced past the safety threshold: ${forced}, ${report.dryRun ? 'would be' : 'were'} applied.${warnings}`,
      tone: 'warn',
    };
  }
  if (report.status === 'failed') {
    const stop = report.issues.find((i) => i.severity === 'error' && i.line === null && i.code !== 'THRESHOLD_EXCEEDED');
    const meaning = stop === undefined ? undefined : FAILURE_MEANING[stop.code];
    if (meaning !== undefined) return { ...base, meaning };
  }
  return base;
}

const FILE_FAILURE = 'The file could not be used (see the error below): the run stopped before any change.';
const FETCH_FAILURE = 'The file could not be fetched or read (see the error below): nothing was changed.';

/** What a failed run's first run-level error means for the roster, by its code. */
const FAILURE_MEANING: Readonly<Partial<Record<IssueCode, string>>> = {
  FILE_NOT_FOUND: FETCH_FAILURE,
  FILE_EMPTY: FILE_FAILURE,
  FILE_TOO_LARGE: FILE_FAILURE,
  FILE_UNSTABLE: 'The file was still being written: the run stopped before any change. The next run picks it up once it is complete.',
  BINARY_FILE: FILE_FAILURE,
  UNDECODABLE: FILE_FAILURE,
  MALFORMED_CSV: FILE_FAILURE,
  MISSING_REQUIRED_COLUMN: FILE_FAILURE,
  DUPLICATE_COLUMN: FILE_FAILURE,
  NO_VALID_ROWS: 'No row of the file could be used (see the row errors below): the run stopped before any change.',
  UNSAFE_ARCHIVE: FILE_FAILURE,
  SOURCE_UNAVAILABLE: FETCH_FAILURE,
  HOST_KEY_MISMATCH: FETCH_FAILURE,
  AUTH_FAILED: FETCH_FAILURE,
  SCOPE_NOT_FOUND: 'The district or school this sync is for is not in the roster (see the error below): nothing was read or changed.',
  INVALID_CONFIGURATION: 'The sync is configured wrong (see the error below): nothing was read or changed.',
  SYNC_IN_PROGRESS: 'Another sync of the same district or school was running, so this run read and changed nothing. Run it again when that one has finished.',
  LOCK_LOST: 'The run lost its lock to another run and stopped before its next write (see the error below). The counts show what it applied.',
  STORE_FAILED: 'The roster store failed (see the error below). The counts show what it applied before it stopped.',
  ABORTED: 'The run was cancelled before it finished. The counts show what it applied before it stopped.',
  INTERNAL_ERROR: 'guardian-sync met a bug (see the error below, which says whether anything was changed). Report it with the run id.',
};
