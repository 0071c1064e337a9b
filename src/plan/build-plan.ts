// plan: the resolved file against the stored roster, as one plain SyncPlan value. Resolve
// (src/resolve/resolve-guardians.ts) says who is who; this stage says what changes.
// Pure and deterministic (apart from the ids of new accounts, which `newAccountId` chooses):
// the same input gives the same plan, which is what a dry run and a real run share.
//
// Built for a million rows against a million accounts: per-row facts live in typed arrays by
// slot (see Slots), the roster is looked up through the file's own maps (SIS ids, logins it
// asks for), and nothing is keyed by a string built per row. See docs/performance.md for
// what each stage costs.
import { randomUUID } from 'node:crypto';
import { compareIssueLines } from '../errors/compare-issue-lines.js';
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import type { AccountUpdate, RoleStatusChange, RowAction, RowOutcome, RowResult, SyncPlan } from '../model/plan.js';
import type { RosterSnapshot } from '../model/roster.js';
import { resolveGuardians, type ResolvedGuardians } from '../resolve/resolve-guardians.js';
import { LinkLines } from './link-lines.js';
import { LinksByAccount } from './links-by-account.js';
import { OwnLinks } from './own-links.js';
import { planAccountChanges, type AccountChanges, type GuardianEffect } from './plan-account-changes.js';
import { planArchives } from './plan-archives.js';
import { planIdRemoves } from './plan-id-removes.js';
import { DEFAULT_MAX_REMOVAL_RATIO, type PlanInput, type PlanSettings } from './plan-input.js';
import { planLinkAdds, type LinkAdds } from './plan-link-adds.js';
import { planLinkRemoves, type LinkRemoves } from './plan-link-removes.js';
import { RowsAsking } from './rows-asking.js';
import { checkSafetyThreshold, type ThresholdDecision } from './safety-threshold.js';
import { Slots } from './slots.js';
import { studentScope, type StudentProblem, type StudentScope } from './student-scope.js';

export type { PlanInput, PlanSettings } from './plan-input.js';

/**
 * Builds the plan of docs/identity-rules.md: rows → guardians (§1) → accounts (§2), logins never
 * shared (§3), claimed accounts left alone (§4), links, archives and restores (§5), the
 * safety threshold (§6), one outcome per row, counts and issues in line order, all in the
 * scope's district (§7): ids are matched, roles planned, links and archives counted there
 * only; contact keys and logins are compared across every account the snapshot holds.
 * Linear in rows + roster size: nothing is scanned per row.
 */
export function buildPlan(input: PlanInput): SyncPlan {
  const planning = startPlanning(input);
  const { snapshot, resolved } = planning;
  const { accounts, links, decision, loginChanges } = planWithinThreshold(planning);
  const ids = planIdRemoves({
    guardians: resolved.guardians,
    accountIds: accounts.accountIds,
    linkLines: planning.linkLines,
    candidates: resolved.idCandidates,
    accounts: snapshot.accounts,
    districtId: snapshot.scope.districtId,
  });
  // Each stage's issues come in line order; the sort by line is stable, so a line's issues keep the order of the stages.
  const issues = [...planning.issues, ...accounts.issues, ...ids.issues, ...(decision.issue === null ? [] : [decision.issue])];
  issues.sort(compareIssueLines);
  const linkRemoves = decision.hold ? [] : links.removes.linkRemoves;
  const archives = decision.hold ? [] : links.archives;
  const outcomes = rowOutcomes(planning, accounts, links, decision, issues);
  return {
    scope: snapshot.scope,
    source: input.settings.source,
    creates: accounts.creates,
    updates: accounts.updates,
    roleAdds: accounts.roleAdds,
    idRemoves: ids.removes,
    linkAdds: links.adds.linkAdds,
    linkRemoves,
    archives,
    restores: accounts.restores,
    held: {
      linkRemoves: decision.hold ? links.removes.linkRemoves.length : 0,
      archives: decision.hold ? links.archives.length : 0,
      loginChanges: decision.holdLogins ? loginChanges : 0,
    },
    threshold: decision.threshold,
    rows: outcomes.rows,
    issues,
    counts: {
      rows: input.rows.length,
      rowsSkipped: outcomes.skipped,
      guardians: resolved.guardians.length,
      accountsCreated: accounts.creates.length,
      accountsUpdated: accounts.updates.length,
      rolesAdded: accounts.roleAdds.length,
      linksAdded: links.adds.linkAdds.length,
      linksRemoved: linkRemoves.length,
      guardiansArchived: archives.length,
      guardiansRestored: accounts.restores.length,
      unchanged: outcomes.unchanged,
    },
  };
}

/**
 * Resolve (once), then what every later stage reads: the slots, the lines asking for links,
 * the link indexes, and the issues so far (§1, the students of skipped rows, §2).
 */
function startPlanning(input: PlanInput): Planning {
  const snapshot = districtView(input.snapshot);
  const students = studentScope(snapshot);
  const resolved = resolveGuardians(input.rows, snapshot.accounts, {
    districtId: snapshot.scope.districtId,
    studentInScope: (sisId) => students.problemOf(sisId) === null,
  });
  const slots = new Slots(resolved);
  return {
    snapshot,
    settings: input.settings,
    resolved,
    slots,
    students,
    linkLines: LinkLines.ofResolved(resolved),
    links: linkIndexes(snapshot, slots, input.settings.source),
    issues: [...resolved.issues.grouping, ...studentIssues(resolved, students, input.skippedRows), ...resolved.issues.matching],
  };
}

/** What every stage after resolve reads. */
interface Planning {
  readonly snapshot: RosterSnapshot;
  readonly settings: PlanSettings;
  readonly resolved: ResolvedGuardians;
  readonly slots: Slots;
  readonly students: StudentScope;
  /** Lines of each guardian's rows that ask for a link (student known and in scope, not a delete row), by index. */
  readonly linkLines: LinkLines;
  readonly links: LinkIndexes;
  /** Issues of resolve and of the students of rows the plan skips, each group in line order. */
  readonly issues: readonly Issue[];
}

/** The stored links by account and the file's rows by student, built once for both plans of §6. */
interface LinkIndexes {
  readonly groups: LinksByAccount;
  readonly own: OwnLinks;
  readonly asking: RowsAsking;
}

interface LinkPlan {
  readonly adds: LinkAdds;
  readonly removes: LinkRemoves;
  readonly archives: RoleStatusChange[];
}

interface ThresholdedPlan {
  readonly accounts: AccountChanges;
  readonly links: LinkPlan;
  readonly decision: ThresholdDecision;
  /** Stored accounts whose email or mobile the plan as the file asks would change or clear. */
  readonly loginChanges: number;
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

/**
 * UNKNOWN_STUDENT and STUDENT_OUT_OF_SCOPE: for each row whose student cannot be linked (the
 * row is skipped), in line order, then for each row the file could not use otherwise, so
 * that a district hears every problem of a row in one run.
 */
function studentIssues(resolved: ResolvedGuardians, students: StudentScope, skippedRows: PlanInput['skippedRows']): Issue[] {
  const issues: Issue[] = [];
  for (let i = 0; i < resolved.ordered.length; i++) {
    if (resolved.inScope[i] === 1) continue;
    const row = resolved.ordered[i]!;
    // Out of scope (resolve asked `studentInScope`): the student has a problem.
    issues.push(studentIssue(row, students.problemOf(row.studentSisId) as Exclude<StudentProblem, null>));
  }
  for (const skipped of skippedRows ?? []) {
    if (skipped.studentSisId === undefined || skipped.studentSisId === '') continue;
    const problem = students.problemOf(skipped.studentSisId);
    if (problem !== null) issues.push(studentIssue({ line: skipped.line, studentSisId: skipped.studentSisId }, problem));
  }
  return issues;
}

function linkIndexes(snapshot: RosterSnapshot, slots: Slots, source: string): LinkIndexes {
  const groups = new LinksByAccount(snapshot.links, snapshot.accounts);
  return { groups, own: new OwnLinks(groups, source), asking: new RowsAsking(slots) };
}

/**
 * §6: the plan as the file asks; when it would change or clear too many stored logins, it
 * is made again with them held (rare: a mangled column), so that §3 decides who gets which
 * login knowing that no stored login moves. Removals and archives over the threshold are
 * left out by the caller (`decision.hold`), and counted as held.
 */
function planWithinThreshold(planning: Planning): ThresholdedPlan {
  const { settings } = planning;
  let { accounts, links } = planAccountsAndLinks(planning, { holdLoginChanges: false });
  const base = {
    managedLinks: links.removes.managedLinks,
    managedGuardians: links.removes.managedGuardians,
    maxRemovalRatio: settings.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO,
    force: settings.force ?? false,
  };
  const loginChanges = countLoginChanges(accounts.updates);
  let decision = checkSafetyThreshold({ ...base, linkRemoves: links.removes.linkRemoves.length, archives: links.archives.length, loginChanges });
  if (decision.holdLogins) {
    ({ accounts, links } = planAccountsAndLinks(planning, { holdLoginChanges: true }));
    // The removal half is decided on the plan that applies; the login half stays as measured.
    const final = checkSafetyThreshold({ ...base, linkRemoves: links.removes.linkRemoves.length, archives: links.archives.length, loginChanges });
    decision = { ...final, threshold: { ...final.threshold, loginChangeRatio: decision.threshold.loginChangeRatio } };
  }
  return { accounts, links, decision, loginChanges };
}

/** §2–§5: account changes (with §3's logins), then the links and archives that follow from which guardian ends on which account. */
function planAccountsAndLinks(planning: Planning, options: { readonly holdLoginChanges: boolean }): { accounts: AccountChanges; links: LinkPlan } {
  const { resolved, settings, snapshot, slots } = planning;
  const { guardians, matches } = resolved;
  const accounts = planAccountChanges({
    guardians,
    linkLines: planning.linkLines,
    matched: matches.accounts,
    index: resolved.logins,
    districtId: snapshot.scope.districtId,
    updateClaimedAccounts: settings.updateClaimedAccounts ?? false,
    holdLoginChanges: options.holdLoginChanges,
    newAccountId: settings.newAccountId ?? (() => randomUUID()),
  });
  const { groups, own, asking } = planning.links;
  const adds = planLinkAdds({ guardians, accountIds: accounts.accountIds, matchedPositions: matches.positions, groups, own, asking, slots });
  const removes = planLinkRemoves({
    guardians,
    keeperOf: adds.keeperOf,
    matchedPositions: matches.positions,
    groups,
    own,
    asking,
    slots,
    students: planning.students,
    source: settings.source,
    mode: settings.mode ?? 'full',
    districtId: snapshot.scope.districtId,
  });
  const keptAccounts = new Set<string>();
  for (const r of accounts.restores) keptAccounts.add(r.accountId);
  for (const r of accounts.roleAdds) keptAccounts.add(r.accountId);
  const archives = planArchives({ groups, emptied: removes.emptied, gainsLink: adds.gainsLink, keptAccounts });
  return { accounts, links: { adds, removes, archives } };
}

/** Stored accounts whose email or mobile phone the updates change or clear (filling an empty login is neither). */
function countLoginChanges(updates: readonly AccountUpdate[]): number {
  let count = 0;
  for (const update of updates) {
    if (update.changes.some((c) => (c.field === 'email' || c.field === 'mobilePhone') && c.before !== null)) count++;
  }
  return count;
}

/** One outcome per row, in line order (`issues` sorted by line), with the number of skipped and unchanged rows. */
function rowOutcomes(planning: Planning, accounts: AccountChanges, links: LinkPlan, decision: ThresholdDecision, issues: readonly Issue[]): { rows: RowOutcome[]; skipped: number; unchanged: number } {
  const { ordered, guardianOfRow } = planning.resolved;
  const { slots } = planning;
  const resultOf = lineResults(issues);
  const rows: RowOutcome[] = new Array<RowOutcome>(ordered.length);
  let skipped = 0;
  let unchanged = 0;
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const slot = slots.ofRow(i);
    let action: RowAction;
    if (!slots.usable(slot)) action = 'SKIPPED';
    else if (row.delete === true) action = !decision.hold && links.removes.removed.has(slot) ? 'UPDATED' : 'UNCHANGED';
    else {
      const effect = accounts.effects[guardianOfRow[i]!]!;
      action = effect === 'same' && links.adds.added.has(slot) ? 'LINKED' : ACTION_OF_EFFECT[effect];
    }
    if (action === 'SKIPPED') skipped++;
    else if (action === 'UNCHANGED') unchanged++;
    rows[i] = { line: row.line, action, result: resultOf(row.line) };
  }
  return { rows, skipped, unchanged };
}

/** A linking row's action by its guardian's effect; a row of a guardian left as it was is LINKED instead when its link is added. */
const ACTION_OF_EFFECT: Readonly<Record<GuardianEffect, RowAction>> = {
  created: 'CREATED',
  changed: 'UPDATED',
  same: 'UNCHANGED',
  skipped: 'SKIPPED',
  absent: 'SKIPPED',
};

const RESULTS: readonly RowResult[] = ['SUCCESS', 'WARNING', 'ERROR'];

/** The worst severity among the issues of each line (an issue's `lines` count as its lines too); a line without any is SUCCESS. */
function lineResults(issues: readonly Issue[]): (line: number) => RowResult {
  const worst = new Map<number, number>();
  const mark = (line: number, result: number): void => {
    if ((worst.get(line) ?? 0) < result) worst.set(line, result);
  };
  for (const issue of issues) {
    if (issue.severity === 'info') continue;
    const result = issue.severity === 'error' ? 2 : 1;
    if (issue.line !== null) mark(issue.line, result);
    for (const line of issue.lines ?? []) mark(line, result);
  }
  return (line) => RESULTS[worst.get(line) ?? 0]!;
}

function studentIssue(row: Pick<GuardianRow, 'line' | 'studentSisId'>, problem: Exclude<StudentProblem, null>): Issue {
  const message =
    problem === 'unknown'
      ? `Student "${row.studentSisId}" on line ${row.line} is not in the roster: the row was skipped. Check the id against the roster sync (leading zeros count).`
      : `Student "${row.studentSisId}" on line ${row.line} belongs to a school this sync does not cover: the row was skipped.`;
  return createIssue(problem === 'unknown' ? 'UNKNOWN_STUDENT' : 'STUDENT_OUT_OF_SCOPE', message, { line: row.line, column: 'studentSisId' });
}
