// resolve + plan: the file's rows against the stored roster, as one plain SyncPlan value.
// Pure and deterministic (apart from the ids of new accounts, which `newAccountId` chooses):
// the same input gives the same plan, which is what a dry run and a real run share.
import { randomUUID } from 'node:crypto';
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import type { RowAction, RowOutcome, RowResult, SyncCounts, SyncPlan } from '../model/plan.js';
import { groupRowsIntoGuardians, type FileGuardian } from '../resolve/group-rows-into-guardians.js';
import { matchGuardiansToAccounts } from '../resolve/match-guardians-to-accounts.js';
import { indexSnapshot, type RelevantKeys, type RosterIndex } from '../resolve/roster-index.js';
import { planAccountChanges, type GuardianEffect } from './plan-account-changes.js';
import { pairKey, planLinks, type WantedLink } from './plan-links.js';
import { DEFAULT_MAX_REMOVAL_RATIO, type PlanInput } from './plan-input.js';
import { checkSafetyThreshold } from './safety-threshold.js';

export type { PlanInput, PlanSettings } from './plan-input.js';

/** Why a row's student cannot be linked, if it cannot. */
type StudentProblem = 'unknown' | 'out-of-scope' | null;

/**
 * Builds the plan of IDENTITY-RULES.md: rows → guardians (§1) → accounts (§2), logins never
 * shared (§3), claimed accounts left alone (§4), links, archives and restores (§5), the
 * safety threshold (§6), one outcome per row, counts and issues in line order.
 * Linear in rows + roster size: the snapshot is indexed once, nothing is scanned per row.
 */
export function buildPlan(input: PlanInput): SyncPlan {
  const { snapshot, settings } = input;
  const mode = settings.mode ?? 'full';
  const grouped = groupRowsIntoGuardians(input.rows);
  const { guardians } = grouped;
  const index = indexSnapshot(snapshot, relevantKeys(guardians));
  const issues: Issue[] = [...grouped.issues];

  // Students: unknown and out-of-scope rows are skipped with a warning.
  // Per-row facts live in arrays by slot (guardian offset + position of the row), not in
  // Maps keyed by line: a million rows should not cost a million hash entries each.
  const offsets: number[] = [];
  let slots = 0;
  for (const g of guardians) {
    offsets.push(slots);
    slots += g.rows.length;
  }
  const problems: StudentProblem[] = new Array<StudentProblem>(slots).fill(null);
  const linkLines: number[][] = guardians.map(() => []);
  for (const g of guardians) {
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k]!;
      const problem = studentProblem(row, index);
      problems[offsets[g.index]! + k] = problem;
      if (problem !== null) issues.push(studentIssue(row, problem));
      else if (row.delete !== true) linkLines[g.index]!.push(row.line);
    }
  }

  const matches = matchGuardiansToAccounts(guardians, index, (g) => (linkLines[g.index]?.length ?? 0) > 0);
  issues.push(...matches.issues);
  const accounts = planAccountChanges({
    guardians,
    linkLines,
    matched: matches.accounts,
    index,
    updateClaimedAccounts: settings.updateClaimedAccounts ?? false,
    newAccountId: settings.newAccountId ?? (() => randomUUID()),
  });
  issues.push(...accounts.issues);

  // Desired links (one per usable row of an added guardian) and, in delta mode, deletions.
  const desired = new Map<string, WantedLink>();
  const deletions = new Map<string, WantedLink>();
  const rowPair: (string | undefined)[] = new Array<string | undefined>(slots);
  for (const g of guardians) {
    const added = accounts.accountIds[g.index] ?? null;
    const existing = matches.accounts[g.index]?.id ?? null;
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k]!;
      if (problems[offsets[g.index]! + k] !== null) continue;
      const accountId = row.delete === true ? existing : added;
      if (accountId === null) continue;
      const key = pairKey(accountId, row.studentSisId);
      rowPair[offsets[g.index]! + k] = key;
      const target = row.delete === true ? deletions : desired;
      const want = target.get(key);
      if (want === undefined) target.set(key, { accountId, studentSisId: row.studentSisId, lines: [row.line] });
      else want.lines.push(row.line);
    }
  }

  const kept = new Set<string>();
  for (const r of accounts.restores) kept.add(r.accountId);
  for (const r of accounts.roleAdds) kept.add(r.accountId);
  const links = planLinks({
    index,
    links: snapshot.links,
    accounts: snapshot.accounts,
    source: settings.source,
    desired,
    deletions: mode === 'delta' ? deletions : null,
    keptAccounts: kept,
  });

  const maxRemovalRatio = settings.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO;
  const decision = checkSafetyThreshold({
    linkRemoves: links.linkRemoves.length,
    managedLinks: links.managedLinks,
    archives: links.archives.length,
    managedGuardians: links.managedGuardians,
    maxRemovalRatio,
    force: settings.force ?? false,
  });
  if (decision.issue !== null) issues.push(decision.issue);
  const linkRemoves = decision.hold ? [] : links.linkRemoves;
  const archives = decision.hold ? [] : links.archives;

  // Row outcomes.
  const removed = new Set<string>();
  for (const r of linkRemoves) removed.add(pairKey(r.accountId, r.studentSisId));
  const added = new Set<string>();
  for (const a of links.linkAdds) added.add(pairKey(a.accountId, a.studentSisId));

  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const severityOfLine = lineSeverities(issues);
  const rows: RowOutcome[] = [];
  const counted = { skipped: 0, unchanged: 0 };
  for (const g of guardians) {
    const effect = accounts.effects[g.index] ?? 'absent';
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k]!;
      const slot = offsets[g.index]! + k;
      const pair = rowPair[slot];
      let action: RowAction;
      if (problems[slot] !== null) action = 'SKIPPED';
      else if (row.delete === true) action = pair !== undefined && removed.has(pair) ? 'UPDATED' : 'UNCHANGED';
      else action = rowAction(effect, pair !== undefined && added.has(pair));
      rows.push({ line: row.line, action, result: severityOfLine.get(row.line) ?? 'SUCCESS' });
    }
  }
  rows.sort((a, b) => a.line - b.line);
  for (const r of rows) {
    if (r.action === 'SKIPPED') counted.skipped++;
    else if (r.action === 'UNCHANGED') counted.unchanged++;
  }

  const counts: SyncCounts = {
    rows: input.rows.length,
    rowsSkipped: counted.skipped,
    guardians: guardians.length,
    accountsCreated: accounts.creates.length,
    accountsUpdated: accounts.updates.length,
    rolesAdded: accounts.roleAdds.length,
    linksAdded: links.linkAdds.length,
    linksRemoved: linkRemoves.length,
    guardiansArchived: archives.length,
    guardiansRestored: accounts.restores.length,
    unchanged: counted.unchanged,
  };
  return {
    scope: snapshot.scope,
    source: settings.source,
    creates: accounts.creates,
    updates: accounts.updates,
    roleAdds: accounts.roleAdds,
    linkAdds: links.linkAdds,
    linkRemoves,
    archives,
    restores: accounts.restores,
    held: decision.hold ? { linkRemoves: links.linkRemoves.length, archives: links.archives.length } : { linkRemoves: 0, archives: 0 },
    threshold: decision.threshold,
    rows,
    issues,
    counts,
  };
}

/** Ids and logins of the file's guardians: matching and the login guard look up nothing else. */
function relevantKeys(guardians: readonly FileGuardian[]): RelevantKeys {
  const sisIds = new Set<string>();
  const emails = new Set<string>();
  const mobiles = new Set<string>();
  for (const g of guardians) {
    for (const id of g.sisIds) sisIds.add(id);
    if (g.fields.email !== null) emails.add(g.fields.email);
    if (g.fields.mobilePhone !== null) mobiles.add(g.fields.mobilePhone);
  }
  return { sisIds, emails, mobiles };
}

function studentProblem(row: GuardianRow, index: RosterIndex): StudentProblem {
  const student = index.studentsBySisId.get(row.studentSisId);
  if (student === undefined) return 'unknown';
  return index.scopeSchools.has(student.schoolId) ? null : 'out-of-scope';
}

function studentIssue(row: GuardianRow, problem: Exclude<StudentProblem, null>): Issue {
  const message =
    problem === 'unknown'
      ? `Student "${row.studentSisId}" on line ${row.line} is not in the roster: the row was skipped. Check the id against the roster sync (leading zeros count).`
      : `Student "${row.studentSisId}" on line ${row.line} belongs to a school this sync does not cover: the row was skipped.`;
  return createIssue(problem === 'unknown' ? 'UNKNOWN_STUDENT' : 'STUDENT_OUT_OF_SCOPE', message, { line: row.line, column: 'studentSisId' });
}

function rowAction(effect: GuardianEffect, linked: boolean): RowAction {
  switch (effect) {
    case 'created':
      return 'CREATED';
    case 'changed':
      return 'UPDATED';
    case 'skipped':
    case 'absent':
      return 'SKIPPED';
    case 'same':
      return linked ? 'LINKED' : 'UNCHANGED';
  }
}

/** The worst severity among the issues of each line (an issue's `lines` count as its lines too). */
function lineSeverities(issues: readonly Issue[]): Map<number, RowResult> {
  const out = new Map<number, RowResult>();
  const mark = (line: number, result: RowResult): void => {
    const prev = out.get(line);
    if (prev === 'ERROR' || (prev === 'WARNING' && result !== 'ERROR')) return;
    out.set(line, result);
  };
  for (const issue of issues) {
    if (issue.severity === 'info') continue;
    const result: RowResult = issue.severity === 'error' ? 'ERROR' : 'WARNING';
    if (issue.line !== null) mark(issue.line, result);
    for (const line of issue.lines ?? []) mark(line, result);
  }
  return out;
}
