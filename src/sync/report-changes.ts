// The report's `changes`: one entry per item of a plan, in line order then kind, with the
// guardian's display name for report.html. Pure: the plan and the stored accounts in, the
// entries out. A day-1 run of a million rows has two million entries (a create and a link
// per guardian), so an entry holds only references: the plan item's own `lines` array, one
// name string per account shared by all its entries, one frozen `fields` array per set of
// field names.
import type { FieldChange, FieldName, SyncPlan } from '../model/plan.js';
import { REPORT_CHANGE_KINDS, type ReportChange, type ReportChangeKind } from '../model/report.js';
import { ACCOUNT_FIELDS, type Account } from '../model/roster.js';

/** What the entries need of a stored account: its id and its names. */
export type NamedAccount = Pick<Account, 'id' | 'firstName' | 'lastName'>;

/**
 * The changes a plan makes, one entry per item: creates, updates (field names only), role
 * adds, restores, archives, links added and removed, ids removed. Items the safety threshold
 * held back are not in a plan, so not here. `accounts` are the stored accounts the plan was
 * built from (the snapshot's): they give the names of accounts the plan does not create.
 */
export function buildReportChanges(plan: SyncPlan, accounts: readonly NamedAccount[]): ReportChange[] {
  const names = new AccountNames(plan, accounts);
  const byKind: Record<ReportChangeKind, ReportChange[]> = {
    created: plan.creates.map((c) => ({ kind: 'created', lines: c.lines, accountId: c.accountId, name: names.of(c.accountId, c.lines) })),
    updated: plan.updates.map((u) => ({ kind: 'updated', lines: u.lines, accountId: u.accountId, fields: fieldNames(u.changes), name: names.of(u.accountId, u.lines) })),
    'role-added': plan.roleAdds.map((r) => ({ kind: 'role-added', lines: r.lines, accountId: r.accountId, name: names.of(r.accountId, r.lines) })),
    restored: plan.restores.map((r) => ({ kind: 'restored', lines: r.lines, accountId: r.accountId, name: names.of(r.accountId, r.lines) })),
    archived: plan.archives.map((a) => ({ kind: 'archived', lines: a.lines, accountId: a.accountId, name: names.of(a.accountId, a.lines) })),
    linked: plan.linkAdds.map((l) => ({ kind: 'linked', lines: l.lines, accountId: l.accountId, studentSisId: l.studentSisId, name: names.of(l.accountId, l.lines) })),
    unlinked: plan.linkRemoves.map((l) => ({ kind: 'unlinked', lines: l.lines, accountId: l.accountId, studentSisId: l.studentSisId, name: names.of(l.accountId, l.lines) })),
    'id-removed': plan.idRemoves.map((r) => ({ kind: 'id-removed', lines: r.lines, accountId: r.accountId, name: names.of(r.accountId, r.lines) })),
  };
  return inLineOrder(REPORT_CHANGE_KINDS.map((kind) => byKind[kind]));
}

/**
 * The changes of a failed apply that the store holds: those whose every line landed.
 * `unappliedLines` is `ApplyFailure.unappliedLines` (undefined: nothing is known to have
 * landed). Entries without lines (archives, most link removals) are left out: a failure says
 * which lines did not land, not which of those did; the counts say how many landed.
 */
export function appliedChanges(changes: readonly ReportChange[], unappliedLines: ReadonlySet<number> | undefined): ReportChange[] {
  if (unappliedLines === undefined) return [];
  return changes.filter((c) => c.lines.length > 0 && c.lines.every((line) => !unappliedLines.has(line)));
}

/**
 * Entries by first line, the kinds of one line in `lists` order; entries without lines at the
 * end, by kind: a stable sort by first line of the lists one after the other (the property
 * test in test/sync/report-changes.test.ts holds it to that), done as a counting sort. On the
 * 1,616,004 changes of a 1M-row day 1, buildReportChanges took 0.75 s with it and 1.0 s with
 * `Array.prototype.sort`.
 */
function inLineOrder(lists: readonly (readonly ReportChange[])[]): ReportChange[] {
  let maxLine = 0;
  let lined = 0;
  let total = 0;
  for (const list of lists) {
    total += list.length;
    for (const change of list) {
      const first = change.lines[0];
      if (first === undefined) continue;
      lined++;
      if (first > maxLine) maxLine = first;
    }
  }
  const next = new Int32Array(maxLine + 2);
  for (const list of lists) for (const change of list) if (change.lines.length > 0) next[change.lines[0]! + 1]! += 1;
  for (let line = 1; line < next.length; line++) next[line]! += next[line - 1]!;
  const out = new Array<ReportChange>(total);
  let lineless = lined;
  for (const list of lists) {
    for (const change of list) {
      const first = change.lines[0];
      if (first === undefined) out[lineless++] = change;
      else out[next[first]!++] = change;
    }
  }
  return out;
}

const FIELD_BITS: ReadonlyMap<FieldName, number> = new Map(ACCOUNT_FIELDS.map((field, i) => [field, 1 << i]));
/** One frozen array per set of fields (at most 64), in ACCOUNT_FIELDS order: updates share them. */
const FIELD_SETS: (readonly FieldName[] | undefined)[] = [];

function fieldNames(changes: readonly FieldChange[]): readonly FieldName[] {
  let mask = 0;
  for (const change of changes) mask |= FIELD_BITS.get(change.field) ?? 0;
  return (FIELD_SETS[mask] ??= Object.freeze(ACCOUNT_FIELDS.filter((field) => (mask & FIELD_BITS.get(field)!) !== 0)));
}

/**
 * Display names by account: a created account's from the plan, a stored one's as the plan
 * leaves it (its new first or last name when an update changes it). One string per account,
 * made the first time an entry asks. A day-1 run creates most accounts and links each of
 * them: those entries find their create by their first line (every line of a link is a line
 * of its guardian, so of its create), in an array by line rather than a Map of a million ids.
 */
class AccountNames {
  private readonly creates: SyncPlan['creates'];
  /** The create each file line belongs to, by position in `creates` (-1: none). */
  private readonly createAt: Int32Array;
  private readonly createNames: (string | undefined)[];
  private readonly stored = new Map<string, NamedAccount>();
  private readonly storedNames = new Map<string, string>();
  private readonly renamed = new Map<string, readonly FieldChange[]>();
  private createById: Map<string, number> | null = null;

  constructor(plan: SyncPlan, accounts: readonly NamedAccount[]) {
    this.creates = plan.creates;
    let maxLine = 0;
    for (const c of plan.creates) for (const line of c.lines) if (line > maxLine) maxLine = line;
    this.createAt = new Int32Array(plan.creates.length === 0 ? 0 : maxLine + 1).fill(-1);
    plan.creates.forEach((c, i) => {
      for (const line of c.lines) this.createAt[line] = i;
    });
    this.createNames = new Array<string | undefined>(plan.creates.length);
    // Only the stored accounts the plan names are kept: a day-2 run touches few of a million.
    const wanted = new Set<string>();
    for (const list of [plan.updates, plan.roleAdds, plan.restores, plan.archives, plan.linkAdds, plan.linkRemoves, plan.idRemoves]) {
      for (const item of list) if (this.createOf(item.accountId, item.lines) === -1) wanted.add(item.accountId);
    }
    if (wanted.size > 0) for (const account of accounts) if (wanted.has(account.id)) this.stored.set(account.id, account);
    for (const u of plan.updates) if (u.changes.some((c) => c.field === 'firstName' || c.field === 'lastName')) this.renamed.set(u.accountId, u.changes);
  }

  /** The name of the account an item with these lines names, or undefined when the plan neither creates it nor was given it. */
  of(accountId: string, lines: readonly number[]): string | undefined {
    const i = this.createOf(accountId, lines);
    if (i !== -1) return this.createdName(i);
    const known = this.storedNames.get(accountId);
    if (known !== undefined) return known;
    const account = this.stored.get(accountId);
    if (account === undefined) return this.createdByIdName(accountId);
    const changes = this.renamed.get(accountId);
    const name = displayName(nameAfter(changes, 'firstName') ?? account.firstName, nameAfter(changes, 'lastName') ?? account.lastName);
    this.storedNames.set(accountId, name);
    return name;
  }

  /**
   * A created account named by an item whose first line is not one of its create's: a plan
   * never makes one, so the index by id is built only if it does.
   */
  private createdByIdName(accountId: string): string | undefined {
    this.createById ??= new Map(this.creates.map((c, i) => [c.accountId, i]));
    const i = this.createById.get(accountId);
    return i === undefined ? undefined : this.createdName(i);
  }

  private createdName(i: number): string {
    const { fields } = this.creates[i]!;
    return (this.createNames[i] ??= displayName(fields.firstName, fields.lastName));
  }

  /** The position in `creates` of the create of `accountId` that holds the first of `lines` (-1: none). */
  private createOf(accountId: string, lines: readonly number[]): number {
    const first = lines[0];
    if (first === undefined || first >= this.createAt.length) return -1;
    const i = this.createAt[first]!;
    return i !== -1 && this.creates[i]!.accountId === accountId ? i : -1;
  }
}

function nameAfter(changes: readonly FieldChange[] | undefined, field: 'firstName' | 'lastName'): string | undefined {
  const change = changes?.find((c) => c.field === field);
  return change === undefined ? undefined : (change.after ?? '');
}

function displayName(firstName: string, lastName: string): string {
  return firstName === '' ? lastName : lastName === '' ? firstName : `${firstName} ${lastName}`;
}
