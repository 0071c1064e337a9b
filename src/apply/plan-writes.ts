// What applying a plan means, as one pure function: from the rows a plan touches (as the
// store holds them now) to the rows to write, phase by phase, in the one order that is safe
// for every store. `applyPlan` drives a store's writer with it; `applyPlanToSnapshot` and the
// conformance suite's model apply it to plain values. There is no other definition.
import type { ApplyResult, NewAccount, StoredAccount, StoredRole } from '../contracts/roster-store.js';
import type { FieldChange, SyncPlan } from '../model/plan.js';
import type { AccountFields, GuardianLink } from '../model/roster.js';
import { emailKey } from '../resolve/contact-key.js';
import { pickAccountFields, sameAccountFields, sortedSisIds } from '../model/account-roles.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { describeStep, type PlanStep } from './plan-steps.js';

/** The rows of the store a plan touches, read before anything is written. */
export interface TouchedRows {
  /** The plan's accounts that exist (by id). */
  readonly accounts: ReadonlyMap<string, StoredAccount>;
  /** Their guardian roles in the plan's district (by account id). */
  readonly guardianRoles: ReadonlyMap<string, StoredRole>;
  /** Which SIS ids the plan links to are students of the district. */
  readonly students: ReadonlySet<string>;
}

/** The ids a plan's reads need: every account it names, and every student it links to. */
export interface TouchedKeys {
  readonly accountIds: readonly string[];
  readonly studentSisIds: readonly string[];
}

/** A counter of `ApplyResult` that a row write adds one to (null: counted elsewhere). */
export type WriteCounter = Exclude<keyof ApplyResult, 'linksAdded' | 'linksRemoved'> | null;

export interface RowWrite<Row> {
  readonly row: Row;
  readonly counter: WriteCounter;
  /** File lines of the plan items this write carries out (for the report of a failed apply). */
  readonly lines: readonly number[];
}

/** An account update, with the logins (email keys, mobiles) it gives up and takes. */
export interface AccountWrite extends RowWrite<StoredAccount> {
  readonly releases: readonly string[];
  readonly takes: readonly string[];
}

/**
 * The writes of a plan, one kind of row per phase, in apply order. Within a phase a row key
 * appears once (a second item for the same row is folded into the first), so one set-based
 * statement can write a whole batch.
 */
export type WritePhase =
  | { readonly kind: 'update-accounts'; readonly writes: readonly AccountWrite[] }
  | { readonly kind: 'insert-accounts'; readonly writes: readonly RowWrite<NewAccount>[] }
  | { readonly kind: 'put-roles'; readonly writes: readonly RowWrite<StoredRole>[] }
  | { readonly kind: 'insert-links'; readonly writes: readonly RowWrite<GuardianLink>[] }
  | { readonly kind: 'delete-links'; readonly writes: readonly RowWrite<GuardianLink>[] };

/** A plan item that cannot be applied to the store as it is: nothing is written then. */
export interface UnappliableItem {
  readonly step: PlanStep;
  readonly reason: string;
}

/** A plan that does not fit the store as it is now; `problem` names the first item that does not. */
export class UnappliablePlanError extends GuardianSyncError {
  constructor(readonly problem: UnappliableItem) {
    super(
      'STORE_FAILED',
      `Cannot apply the ${describeStep(problem.step)}: ${problem.reason}. Nothing of the plan was applied: the roster changed since it was read; run the sync again to re-plan.`,
    );
  }
}

export type PlanWrites = { readonly ok: true; readonly phases: readonly WritePhase[] } | { readonly ok: false; readonly problem: UnappliableItem };

export const EMPTY_APPLY_RESULT: ApplyResult = Object.freeze({
  accountsCreated: 0,
  accountsUpdated: 0,
  rolesAdded: 0,
  idsRemoved: 0,
  guardiansArchived: 0,
  guardiansRestored: 0,
  linksAdded: 0,
  linksRemoved: 0,
});

/** Every account id and linked student the plan names, each once, in first-seen order. */
export function touchedKeys(plan: SyncPlan): TouchedKeys {
  const accounts = new Set<string>();
  for (const list of [plan.updates, plan.idRemoves, plan.creates, plan.roleAdds, plan.restores, plan.archives, plan.linkAdds, plan.linkRemoves]) {
    for (const item of list) accounts.add(item.accountId);
  }
  const students = new Set<string>();
  for (const add of plan.linkAdds) students.add(add.studentSisId);
  return { accountIds: [...accounts], studentSisIds: [...students] };
}

/**
 * The rows to write for `plan` given the rows it touches. The phases, in order:
 * 1. account updates, in plan order (an account giving a login up comes before the one
 *    taking it, so unique logins hold after every statement);
 * 2. guardian roles giving SIS ids up (id removes), so an id is never on two accounts;
 * 3. new accounts, each with its guardian role (one write: never an account without it);
 * 4. role adds, 5. restores, 6. archives (guardian roles of the district);
 * 7. link inserts, 8. link deletes: archives come before link deletes, so a run that dies
 *    in between is planned again and converges (the reverse would leave a guardian active
 *    with no links and nothing to plan).
 * A create of an id that exists, an id remove on a role that is gone and a link delete of a
 * link that is gone are no-ops. An update, role add, status change or link add naming an
 * account that does not exist, a link add naming a student that does not exist, or a status
 * change on an account without the district's guardian role cannot be applied: the result
 * is then `ok: false` and nothing may be written.
 */
export function planWrites(plan: SyncPlan, touched: TouchedRows): PlanWrites {
  const { districtId } = plan.scope;
  const accounts = new Map(touched.accounts);
  const roles = new Map(touched.guardianRoles);
  const phases: WritePhase[] = [];

  const updates = new PhaseRows<AccountWrite>();
  for (const update of plan.updates) {
    const current = accounts.get(update.accountId);
    if (current === undefined) return unappliable({ kind: 'update', item: update }, 'no account with this id');
    const next = withChanges(current, update.changes);
    accounts.set(next.id, next);
    if (sameAccountFields(current, next)) continue;
    const earlier = updates.get(next.id);
    const first = earlier?.row ?? current;
    updates.put(next.id, { row: next, counter: 'accountsUpdated', lines: merged(earlier?.lines, update.lines), ...loginMoves(first, next) });
  }
  phases.push({ kind: 'update-accounts', writes: updates.list() });

  const idRemoves = new PhaseRows<RowWrite<StoredRole>>();
  for (const remove of plan.idRemoves) {
    const role = roles.get(remove.accountId);
    if (role === undefined) continue;
    const gone = new Set(remove.sisIds);
    const kept = role.sisIds.filter((id) => !gone.has(id));
    if (kept.length === role.sisIds.length) continue;
    const next: StoredRole = { ...role, sisIds: kept };
    roles.set(remove.accountId, next);
    idRemoves.put(remove.accountId, { row: next, counter: 'idsRemoved', lines: merged(idRemoves.get(remove.accountId)?.lines, remove.lines) });
  }
  phases.push({ kind: 'put-roles', writes: idRemoves.list() });

  // No fold needed: a second create of an id finds it in `accounts` and is skipped.
  const creates: RowWrite<NewAccount>[] = [];
  for (const create of plan.creates) {
    if (accounts.has(create.accountId)) continue;
    const account: StoredAccount = { id: create.accountId, ...pickAccountFields(create.fields), claimed: false };
    const role: StoredRole = { accountId: create.accountId, districtId, role: 'guardian', status: 'active', sisIds: sortedSisIds(create.guardianSisIds) };
    accounts.set(account.id, account);
    roles.set(account.id, role);
    creates.push({ row: { account, roles: [role] }, counter: 'accountsCreated', lines: create.lines });
  }
  phases.push({ kind: 'insert-accounts', writes: creates });

  const roleAdds = new PhaseRows<RowWrite<StoredRole>>();
  for (const add of plan.roleAdds) {
    if (!accounts.has(add.accountId)) return unappliable({ kind: 'role-add', item: add }, 'no account with this id');
    const role = roles.get(add.accountId);
    const next: StoredRole = { accountId: add.accountId, districtId, role: 'guardian', status: 'active', sisIds: sortedSisIds([...(role?.sisIds ?? []), ...add.sisIds]) };
    if (role !== undefined && role.status === 'active' && next.sisIds.length === role.sisIds.length) continue;
    roles.set(add.accountId, next);
    roleAdds.put(add.accountId, { row: next, counter: 'rolesAdded', lines: merged(roleAdds.get(add.accountId)?.lines, add.lines) });
  }
  phases.push({ kind: 'put-roles', writes: roleAdds.list() });

  for (const [kind, items, status, counter] of [
    ['restore', plan.restores, 'active', 'guardiansRestored'],
    ['archive', plan.archives, 'archived', 'guardiansArchived'],
  ] as const) {
    const changes = new PhaseRows<RowWrite<StoredRole>>();
    for (const item of items) {
      if (!accounts.has(item.accountId)) return unappliable({ kind, item }, 'no account with this id');
      const role = roles.get(item.accountId);
      if (role === undefined) return unappliable({ kind, item }, `the account has no guardian role in district "${districtId}"`);
      if (role.status === status) continue;
      const next: StoredRole = { ...role, status };
      roles.set(item.accountId, next);
      changes.put(item.accountId, { row: next, counter, lines: item.lines });
    }
    phases.push({ kind: 'put-roles', writes: changes.list() });
  }

  // Links are the bulk of a day-1 plan: a Set of keys drops a repeated item (a plan from the
  // planner has none) without the bookkeeping of a fold.
  const linkAdds: RowWrite<GuardianLink>[] = [];
  const added = new Set<string>();
  for (const add of plan.linkAdds) {
    if (!accounts.has(add.accountId)) return unappliable({ kind: 'link-add', item: add }, 'no account with this id');
    if (!touched.students.has(add.studentSisId)) return unappliable({ kind: 'link-add', item: add }, `no student with this SIS id in district "${districtId}"`);
    const link: GuardianLink = { accountId: add.accountId, districtId, studentSisId: add.studentSisId, source: plan.source };
    if (addOnce(added, link)) linkAdds.push({ row: link, counter: null, lines: add.lines });
  }
  phases.push({ kind: 'insert-links', writes: linkAdds });

  const linkRemoves: RowWrite<GuardianLink>[] = [];
  const removed = new Set<string>();
  for (const remove of plan.linkRemoves) {
    const link: GuardianLink = { accountId: remove.accountId, districtId, studentSisId: remove.studentSisId, source: plan.source };
    if (addOnce(removed, link)) linkRemoves.push({ row: link, counter: null, lines: remove.lines });
  }
  phases.push({ kind: 'delete-links', writes: linkRemoves });

  return { ok: true, phases: phases.filter((phase) => phase.writes.length > 0) };
}

/** Key of a link row: account, district, student, source. */
export function linkKey(link: GuardianLink): string {
  return `${link.accountId}\u0000${link.districtId}\u0000${link.studentSisId}\u0000${link.source}`;
}

/** Adds the link's key to `seen`; false when it was there already. */
function addOnce(seen: Set<string>, link: GuardianLink): boolean {
  const key = linkKey(link);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** Rows of one phase by key, in first-seen order; a later write of the same key replaces the row in place. */
class PhaseRows<W> {
  private readonly index = new Map<string, number>();
  private readonly rows: W[] = [];

  get(key: string): W | undefined {
    const at = this.index.get(key);
    return at === undefined ? undefined : this.rows[at];
  }

  put(key: string, write: W): void {
    const at = this.index.get(key);
    if (at === undefined) {
      this.index.set(key, this.rows.length);
      this.rows.push(write);
    } else {
      this.rows[at] = write;
    }
  }

  list(): readonly W[] {
    return this.rows;
  }
}

function unappliable(step: PlanStep, reason: string): PlanWrites {
  return { ok: false, problem: { step, reason } };
}

function merged(a: readonly number[] | undefined, b: readonly number[]): readonly number[] {
  return a === undefined || a.length === 0 ? b : [...a, ...b];
}

function withChanges(account: StoredAccount, changes: readonly FieldChange[]): StoredAccount {
  const next = { ...account } as { -readonly [K in keyof StoredAccount]: StoredAccount[K] };
  for (const change of changes) {
    // Names are never null in the model: a cleared name is the empty string.
    if (change.field === 'firstName' || change.field === 'lastName') next[change.field] = change.after ?? '';
    else next[change.field] = change.after;
  }
  return next;
}



/** The logins (email keys prefixed `e:`, mobiles `m:`) an update gives up and takes. */
function loginMoves(before: AccountFields, after: AccountFields): { releases: string[]; takes: string[] } {
  const releases: string[] = [];
  const takes: string[] = [];
  const emailBefore = emailKey(before.email);
  const emailAfter = emailKey(after.email);
  if (emailBefore !== emailAfter) {
    if (emailBefore !== null) releases.push(`e:${emailBefore}`);
    if (emailAfter !== null) takes.push(`e:${emailAfter}`);
  }
  if (before.mobilePhone !== after.mobilePhone) {
    if (before.mobilePhone !== null) releases.push(`m:${before.mobilePhone}`);
    if (after.mobilePhone !== null) takes.push(`m:${after.mobilePhone}`);
  }
  return { releases, takes };
}
