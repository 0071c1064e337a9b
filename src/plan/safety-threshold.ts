// docs/identity-rules.md §6: a run that would remove or archive too much holds removals and
// archives back and says so, instead of trusting a truncated file; one that would change or
// clear the logins of too many guardians holds those login changes back, instead of trusting
// a shifted column or an Excel-mangled phone column to lock a district's parents out.
import { createIssue, type Issue } from '../errors/issue.js';
import type { ThresholdResult } from '../model/plan.js';

export interface ThresholdInput {
  readonly linkRemoves: number;
  readonly managedLinks: number;
  readonly archives: number;
  readonly managedGuardians: number;
  /** Stored accounts whose email or mobile the plan would change or clear (filling an empty one is neither). */
  readonly loginChanges: number;
  readonly maxRemovalRatio: number;
  readonly force: boolean;
}

export interface ThresholdDecision {
  readonly threshold: ThresholdResult;
  /** True when removals and archives must be left out of the plan. */
  readonly hold: boolean;
  /** True when stored logins must be kept as they are (the plan is made again with them held). */
  readonly holdLogins: boolean;
  /** THRESHOLD_EXCEEDED, when anything is held. */
  readonly issue: Issue | null;
}

/** Ratios are 0 when nothing was managed before (a first run removes nothing). */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function checkSafetyThreshold(input: ThresholdInput): ThresholdDecision {
  const removalRatio = ratio(input.linkRemoves, input.managedLinks);
  const archiveRatio = ratio(input.archives, input.managedGuardians);
  const loginChangeRatio = ratio(input.loginChanges, input.managedGuardians);
  const max = input.maxRemovalRatio;
  const removalOver = removalRatio > max;
  const archiveOver = archiveRatio > max;
  const loginsOver = loginChangeRatio > max;
  const exceeded = removalOver || archiveOver || loginsOver;
  const threshold: ThresholdResult = { maxRemovalRatio: max, removalRatio, archiveRatio, loginChangeRatio, exceeded, forced: exceeded && input.force };
  if (!exceeded || input.force) return { threshold, hold: false, holdLogins: false, issue: null };
  const hold = removalOver || archiveOver;
  const parts: string[] = [];
  if (removalOver) parts.push(`remove ${percent(removalRatio)} of the links this sync manages (${input.linkRemoves} of ${input.managedLinks})`);
  if (archiveOver) parts.push(`archive ${percent(archiveRatio)} of the guardians it manages (${input.archives} of ${input.managedGuardians})`);
  if (loginsOver) parts.push(`change or clear the email or mobile phone of ${percent(loginChangeRatio)} of the guardians it manages (${input.loginChanges} of ${input.managedGuardians})`);
  const heldBack: string[] = [];
  if (hold) heldBack.push('no link is removed and no guardian archived');
  if (loginsOver) heldBack.push('every stored email and mobile phone stays as it is');
  const checks: string[] = [];
  if (hold) checks.push('that the file is complete');
  if (loginsOver) checks.push('that the email and mobile columns hold what their headers say');
  // Worded for a dry run and a real run alike: the same plan is both.
  const message =
    `This run would ${parts.join(', and ')}, above the safety threshold of ${percent(max)}: ` +
    `${heldBack.join(', and ')} (new accounts, other updates and new links go ahead). ` +
    `Check ${checks.join(' and ')}; if the changes are intended, run again with force (the CLI's --force) or a higher threshold.`;
  return { threshold, hold, holdLogins: loginsOver, issue: createIssue('THRESHOLD_EXCEEDED', message) };
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}
