// The words and number formats the text and HTML reports share, so a status, a count or
// a ratio reads the same in a terminal as in report.html.
import type { SyncCounts, ThresholdResult } from '../model/plan.js';
import type { RunStatus, SyncReport } from '../model/report.js';

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
    meaning: 'The run failed (see the errors below); a whole-file error stops it before any change.',
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

export function formatBytes(size: number): string {
  if (size < 1024) return `${formatCount(size)} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
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
 * How to read the safety threshold (docs/identity-rules.md §6): both ratios are held against
 * the one maximum; above it, nothing is removed or archived unless the run was forced.
 */
export function readThreshold(report: Pick<SyncReport, 'threshold' | 'dryRun' | 'status'>): ThresholdReading {
  const t: SyncReport['threshold'] | ThresholdResult = report.threshold;
  const forced = t.forced === true;
  const removal = readRatio('Removals', 'of managed links', t.removalRatio, t.maxRemovalRatio);
  const archive = readRatio('Archives', 'of managed guardians', t.archiveRatio, t.maxRemovalRatio);
  const would = report.dryRun ? 'would be' : 'were';
  let verdict: string;
  if (t.exceeded && forced) verdict = `Exceeded, but forced: the removals and archives ${would} applied.`;
  else if (t.exceeded)
    verdict = `Exceeded: no link ${report.dryRun ? 'would be' : 'was'} removed and no guardian archived. If the removals are intended, run again with force or a higher threshold.`;
  else if (t.removalRatio === 0 && t.archiveRatio === 0) verdict = 'Within the threshold: no removals or archives were planned.';
  else verdict = 'Within the threshold.';
  return { removal, archive, exceeded: t.exceeded, forced, verdict };
}
