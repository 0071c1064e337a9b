// resolve + plan: the file's rows against the stored roster, as one plain SyncPlan value.
// Pure and deterministic (apart from the ids of new accounts, which `newAccountId` chooses):
// the same input gives the same plan, which is what a dry run and a real run share.
//
// Built for a million rows against a million accounts: per-row facts live in typed arrays by
// slot (a guardian's offset plus the row's position among its rows), the roster is looked up
// through the file's own maps (SIS ids, logins it asks for), and nothing is keyed by a string
// built per row. See docs/performance.md for what each stage costs.
import { randomUUID } from 'node:crypto';
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import type { AccountUpdate, RowAction, RowOutcome, RowResult, SyncCounts, SyncPlan } from '../model/plan.js';
import type { RosterSnapshot } from '../model/roster.js';
import { groupRows } from '../resolve/group-rows-into-guardians.js';
import { findIdCandidates } from '../resolve/id-candidates.js';
import { matchGuardiansToAccounts } from '../resolve/match-guardians-to-accounts.js';
import { LoginIndex } from '../resolve/roster-index.js';
import { planAccountChanges, type AccountChanges, type GuardianEffect } from './plan-account-changes.js';
import { planIdRemoves } from './plan-id-removes.js';
import { planLinks, type LinkPlan } from './plan-links.js';
import { DEFAULT_MAX_REMOVAL_RATIO, type PlanInput } from './plan-input.js';
import { checkSafetyThreshold } from './safety-threshold.js';
import { studentScope, type StudentProblem } from './student-scope.js';

export type { PlanInput, PlanSettings } from './plan-input.js';

const NO_LINES: readonly number[] = [];

/**
 * Builds the plan of docs/identity-rules.md: rows → guardians (§1) → accounts (§2), logins never
 * shared (§3), claimed accounts left alone (§4), links, archives and restores (§5), the
 * safety threshold (§6), one outcome per row, counts and issues in line order, all in the
 * scope's district (§7): ids are matched, roles planned, links and archives counted there
 * only; contact keys and logins are compared across every account the snapshot holds.
 * Linear in rows + roster size: nothing is scanned per row.
 */
export function buildPlan(input: PlanInput): SyncPlan {
  const { settings } = input;
  const snapshot = districtView(input.snapshot);
  const { districtId } = snapshot.scope;
  const mode = settings.mode ?? 'full';
  const grouped = groupRows(input.rows);
  const { guardians, ordered, guardianOfRow } = grouped;
  const issues: Issue[] = [...grouped.issues];

  // Slots: the rows of guardian g are slots slotOffsets[g] … slotOffsets[g + 1] - 1, in
  // g.rows order; slotOfRow maps a row of `ordered` (line order) to its slot.
  const slotOffsets = new Int32Array(guardians.length + 1);
  for (const g of guardians) slotOffsets[g.index + 1] = slotOffsets[g.index]! + g.rows.length;
  const slotOfRow = new Int32Array(ordered.length);
  const seen = new Int32Array(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const gi = guardianOfRow[i]!;
    slotOfRow[i] = slotOffsets[gi]! + seen[gi]!++;
  }

  // Students: unknown and out-of-scope rows are skipped with a warning.
  const students = studentScope(snapshot);
  const usable = new Uint8Array(ordered.length);
  const linkLines: number[][] = new Array<number[]>(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const problem = students.problemOf(row.studentSisId);
    if (problem !== null) {
      issues.push(studentIssue(row, problem));
      continue;
    }
    usable[slotOfRow[i]!] = 1;
    if (row.delete === true) continue;
    const gi = guardianOfRow[i]!;
    (linkLines[gi] ??= []).push(row.line);
  }
  const hasLinks = (gi: number): boolean => linkLines[gi] !== undefined;
  for (const skipped of input.skippedRows ?? []) {
    if (skipped.studentSisId === undefined || skipped.studentSisId === '') continue;
    const problem = students.problemOf(skipped.studentSisId);
    if (problem !== null) issues.push(studentIssue({ line: skipped.line, studentSisId: skipped.studentSisId }, problem));
  }

  const logins = new LoginIndex(snapshot.accounts);
  const candidates = findIdCandidates(snapshot.accounts, districtId, guardians.length, grouped.guardianIndexOfId);
  const matches = matchGuardiansToAccounts({
    guardians,
    accounts: snapshot.accounts,
    districtId,
    candidates,
    logins,
    guardianOfId: grouped.guardianIndexOfId,
    isActive: (g) => hasLinks(g.index),
  });
  issues.push(...matches.issues);

  // §3 looks up the holders of every login a guardian asks for: one it has not got yet.
  const asked = { emails: [] as string[], mobiles: [] as string[] };
  for (const g of guardians) {
    if (!hasLinks(g.index)) continue;
    const account = matches.accounts[g.index] ?? null;
    const { email, mobilePhone } = g.fields;
    if (email !== null && (account === null || account.email !== email)) asked.emails.push(email);
    if (mobilePhone !== null && (account === null || account.mobilePhone !== mobilePhone)) asked.mobiles.push(mobilePhone);
  }
  logins.cover(asked.emails, asked.mobiles);

  const linkLinesOf = guardians.map((g) => linkLines[g.index] ?? NO_LINES);
  const planAccountsAndLinks = (holdLoginChanges: boolean): { accounts: AccountChanges; links: LinkPlan } => {
    const accounts = planAccountChanges({
      guardians,
      linkLines: linkLinesOf,
      matched: matches.accounts,
      index: logins,
      districtId,
      updateClaimedAccounts: settings.updateClaimedAccounts ?? false,
      holdLoginChanges,
      newAccountId: settings.newAccountId ?? (() => randomUUID()),
    });
    const kept = new Set<string>();
    for (const r of accounts.restores) kept.add(r.accountId);
    for (const r of accounts.roleAdds) kept.add(r.accountId);
    const links = planLinks({
      guardians,
      slotOffsets,
      usable,
      added: accounts.accountIds,
      matched: matches.accounts,
      matchedPositions: matches.positions,
      links: snapshot.links,
      accounts: snapshot.accounts,
      districtId,
      source: settings.source,
      delta: mode === 'delta',
      keptAccounts: kept,
      students,
    });
    return { accounts, links };
  };

  // §6: the plan as the file asks; when it would change or clear too many stored logins, it
  // is made again with them held (rare: a mangled column), so that §3 decides who gets which
  // login knowing that no stored login moves.
  let { accounts, links } = planAccountsAndLinks(false);
  const maxRemovalRatio = settings.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO;
  const thresholdInput = { managedLinks: links.managedLinks, managedGuardians: links.managedGuardians, maxRemovalRatio, force: settings.force ?? false };
  const loginChanges = countLoginChanges(accounts.updates);
  let decision = checkSafetyThreshold({ ...thresholdInput, linkRemoves: links.linkRemoves.length, archives: links.archives.length, loginChanges });
  if (decision.holdLogins) {
    ({ accounts, links } = planAccountsAndLinks(true));
    // The removal half is decided on the plan that applies; the login half stays as measured.
    const final = checkSafetyThreshold({ ...thresholdInput, linkRemoves: links.linkRemoves.length, archives: links.archives.length, loginChanges });
    decision = { ...final, threshold: { ...final.threshold, loginChangeRatio: decision.threshold.loginChangeRatio } };
  }
  issues.push(...accounts.issues);

  const { removes: idRemoves, issues: idIssues } = planIdRemoves({ guardians, accountIds: accounts.accountIds, linkLines: linkLinesOf, candidates, accounts: snapshot.accounts, districtId });
  issues.push(...idIssues);

  if (decision.issue !== null) issues.push(decision.issue);
  const linkRemoves = decision.hold ? [] : links.linkRemoves;
  const archives = decision.hold ? [] : links.archives;

  // Row outcomes, in line order.
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const severityOfLine = lineSeverities(issues, ordered.length, ordered.length === 0 ? 0 : ordered[ordered.length - 1]!.line);
  const rows: RowOutcome[] = new Array<RowOutcome>(ordered.length);
  let skipped = 0;
  let unchanged = 0;
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const slot = slotOfRow[i]!;
    let action: RowAction;
    if (usable[slot] !== 1) action = 'SKIPPED';
    else if (row.delete === true) action = !decision.hold && links.removedSlots[slot] === 1 ? 'UPDATED' : 'UNCHANGED';
    else action = rowAction(accounts.effects[guardianOfRow[i]!] ?? 'absent', links.addedSlots[slot] === 1);
    if (action === 'SKIPPED') skipped++;
    else if (action === 'UNCHANGED') unchanged++;
    rows[i] = { line: row.line, action, result: severityOfLine(row.line) };
  }

  const counts: SyncCounts = {
    rows: input.rows.length,
    rowsSkipped: skipped,
    guardians: guardians.length,
    accountsCreated: accounts.creates.length,
    accountsUpdated: accounts.updates.length,
    rolesAdded: accounts.roleAdds.length,
    linksAdded: links.linkAdds.length,
    linksRemoved: linkRemoves.length,
    guardiansArchived: archives.length,
    guardiansRestored: accounts.restores.length,
    unchanged,
  };
  return {
    scope: snapshot.scope,
    source: settings.source,
    creates: accounts.creates,
    updates: accounts.updates,
    roleAdds: accounts.roleAdds,
    idRemoves,
    linkAdds: links.linkAdds,
    linkRemoves,
    archives,
    restores: accounts.restores,
    held: {
      linkRemoves: decision.hold ? links.linkRemoves.length : 0,
      archives: decision.hold ? links.archives.length : 0,
      loginChanges: decision.holdLogins ? loginChanges : 0,
    },
    threshold: decision.threshold,
    rows,
    issues,
    counts,
  };
}

/**
 * The snapshot with only the scope district's students and links. A store returns nothing
 * else (the RosterSnapshot contract); a host's store that returns more must not make
 * another district's student with an equal SIS id look like this district's. One pass of
 * string comparisons; the arrays are reused when nothing is left out.
 */
function districtView(snapshot: RosterSnapshot): RosterSnapshot {
  const { districtId } = snapshot.scope;
  const students = snapshot.students.every((s) => s.districtId === districtId) ? snapshot.students : snapshot.students.filter((s) => s.districtId === districtId);
  const links = snapshot.links.every((l) => l.districtId === districtId) ? snapshot.links : snapshot.links.filter((l) => l.districtId === districtId);
  return students === snapshot.students && links === snapshot.links ? snapshot : { ...snapshot, students, links };
}

/** Stored accounts whose email or mobile phone the updates change or clear (filling an empty login is neither). */
function countLoginChanges(updates: readonly AccountUpdate[]): number {
  let count = 0;
  for (const update of updates) {
    if (update.changes.some((c) => (c.field === 'email' || c.field === 'mobilePhone') && c.before !== null)) count++;
  }
  return count;
}

function studentIssue(row: Pick<GuardianRow, 'line' | 'studentSisId'>, problem: Exclude<StudentProblem, null>): Issue {
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

const RESULTS: readonly RowResult[] = ['SUCCESS', 'WARNING', 'ERROR'];

/**
 * The worst severity among the issues of each line (an issue's `lines` count as its lines
 * too). Row lines are dense (a file's physical lines), so a typed array by line serves, and a
 * million rows cost no Map lookup each; rows numbered sparsely by a caller get a Map.
 */
function lineSeverities(issues: readonly Issue[], rowCount: number, maxLine: number): (line: number) => RowResult {
  const dense = maxLine <= 4 * rowCount + 1024;
  const byLine = dense ? new Uint8Array(maxLine + 1) : null;
  const sparse = dense ? null : new Map<number, number>();
  const mark = (line: number, result: number): void => {
    if (byLine !== null) {
      if (line >= 0 && line <= maxLine && byLine[line]! < result) byLine[line] = result;
    } else if ((sparse!.get(line) ?? 0) < result) sparse!.set(line, result);
  };
  for (const issue of issues) {
    if (issue.severity === 'info') continue;
    const result = issue.severity === 'error' ? 2 : 1;
    if (issue.line !== null) mark(issue.line, result);
    for (const line of issue.lines ?? []) mark(line, result);
  }
  return byLine !== null ? (line) => RESULTS[byLine[line] ?? 0]! : (line) => RESULTS[sparse!.get(line) ?? 0]!;
}
