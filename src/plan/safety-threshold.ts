// docs/identity-rules.md §6: a run that would remove or archive too much holds removals and
// archives back and says so, instead of trusting a truncated file.
import { createIssue, type Issue } from '../errors/issue.js';
import type { ThresholdResult } from '../model/plan.js';

export interface ThresholdInput {
  readonly linkRemoves: number;
  readonly managedLinks: number;
  readonly archives: number;
  readonly managedGuardians: number;
  readonly maxRemovalRatio: number;
  readonly force: boolean;
}

export interface ThresholdDecision {
  readonly threshold: ThresholdResult;
  /** True when removals and archives must be left out of the plan. */
  readonly hold: boolean;
  /** THRESHOLD_EXCEEDED, when held. */
  readonly issue: Issue | null;
}

/** Ratios are 0 when nothing was managed before (a first run removes nothing). */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function checkSafetyThreshold(input: ThresholdInput): ThresholdDecision {
  const removalRatio = ratio(input.linkRemoves, input.managedLinks);
  const archiveRatio = ratio(input.archives, input.managedGuardians);
  const max = input.maxRemovalRatio;
  const removalOver = removalRatio > max;
  const archiveOver = archiveRatio > max;
  const exceeded = removalOver || archiveOver;
  const threshold: ThresholdResult = { maxRemovalRatio: max, removalRatio, archiveRatio, exceeded, forced: exceeded && input.force };
  if (!exceeded || input.force) return { threshold, hold: false, issue: null };
  const parts: string[] = [];
  if (removalOver) parts.push(`remove ${percent(removalRatio)} of the links this sync manages (${input.linkRemoves} of ${input.managedLinks})`);
  if (archiveOver) parts.push(`archive ${percent(archiveRatio)} of the guardians it manages (${input.archives} of ${input.managedGuardians})`);
  const message =
    `This run would ${parts.join(' and ')}, above the safety threshold of ${percent(max)}: ` +
    'no link was removed and no guardian archived (new accounts, updates and new links were applied). ' +
    'Check that the file is complete; if the removals are intended, run again with force or a higher threshold.';
  return { threshold, hold: true, issue: createIssue('THRESHOLD_EXCEEDED', message) };
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}
