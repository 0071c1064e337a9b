// Applies a plan to a store through its primitives: read the rows the plan touches, decide
// every row with `planWrites` (the one definition of what applying means), and write them
// phase by phase, in batches, inside the store's transaction. The store never sees the plan.
import type { ApplyResult, NewAccount, RosterStore, RosterWriter, StoredAccount, StoredRole } from '../contracts/roster-store.js';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import type { SyncPlan } from '../model/plan.js';
import { EMPTY_APPLY_RESULT, UnappliablePlanError, planWrites, touchedKeys, type AccountWrite, type PlanWrites, type RowWrite, type TouchedRows, type WritePhase } from './plan-writes.js';

export interface ApplyPlanOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * Called before every write call, and awaited; throwing stops the apply there (an atomic
   * store then rolls everything back). The sync uses it to stop a run whose scope lock was
   * lost, and to let the event loop run between batches (timers, a Ctrl-C handler), so the
   * signal can fire during a long apply.
   */
  readonly beforeWrite?: (() => void | Promise<void>) | undefined;
}

type Counts = { -readonly [K in keyof ApplyResult]: number };

/**
 * Thrown by `applyPlan` when it stops: the cause's code and message, plus what the store
 * holds from this apply (`applied`: zero for an atomic store, whose transaction rolled back)
 * and the file lines whose changes are not (all) in the store (`unappliedLines`).
 */
export class ApplyFailure extends GuardianSyncError {
  constructor(
    cause: GuardianSyncError,
    readonly applied: ApplyResult,
    readonly unappliedLines: ReadonlySet<number>,
  ) {
    super(cause.code, cause.message, { transient: cause.transient }, { cause });
  }
}

export function isApplyFailure(error: unknown): error is ApplyFailure {
  return isGuardianSyncError(error) && 'applied' in error && 'unappliedLines' in error;
}

/**
 * Applies `plan` to `store` and returns what changed now (a second apply of the same plan
 * counts 0). Every item concerns the plan's district. A plan that cannot be applied to the
 * store as it is (an item naming an account or student that does not exist) fails before
 * anything is written, whatever the store.
 * @throws ApplyFailure with code STORE_FAILED (the store failed, or the plan does not fit
 *   the store), ABORTED (the signal fired), INTERNAL_ERROR (a bug in deciding the writes,
 *   before any) or whatever `beforeWrite` threw (LOCK_LOST).
 */
export async function applyPlan(store: RosterStore, plan: SyncPlan, options: ApplyPlanOptions = {}): Promise<ApplyResult> {
  const atomic = store.capabilities.atomicApply;
  const batchSize = Math.max(1, store.writeBatchSize);
  const counts: Counts = { ...EMPTY_APPLY_RESULT };
  // Where the writes stand: phases before `phaseAt`, and the first `writtenInPhase` writes
  // of that phase, have landed (read only on failure, to name the lines not applied).
  let phases: readonly WritePhase[] = [];
  let phaseAt = 0;
  let writtenInPhase = 0;
  let done = 0;
  let total = 0;
  try {
    if (options.signal?.aborted === true) throw aborted({ done: 0, total: 0, atomic });
    await store.transaction(async (writer) => {
      const touched = await readTouched(writer, plan, batchSize);
      const writes = decideWrites(plan, touched);
      if (!writes.ok) throw new UnappliablePlanError(writes.problem);
      phases = atomic ? inWriteOrder(writes.phases) : writes.phases;
      total = phases.reduce((sum, phase) => sum + phase.writes.length, 0);
      for (phaseAt = 0; phaseAt < phases.length; phaseAt++) {
        const phase = phases[phaseAt]!;
        writtenInPhase = 0;
        for (const batch of batchesOf(phase, batchSize)) {
          await options.beforeWrite?.();
          if (options.signal?.aborted === true) throw aborted({ done, total, atomic });
          await writeBatch(writer, phase.kind, batch, counts);
          done += batch.length;
          writtenInPhase += batch.length;
        }
      }
    }, { signal: options.signal });
    return { ...counts };
  } catch (error) {
    const cause = asStoreError(error, { done, total, atomic });
    // An atomic store rolled back, and nothing is written before the rows are decided:
    // nothing of this apply is in the store.
    if (atomic || phases.length === 0) throw new ApplyFailure(cause, EMPTY_APPLY_RESULT, new Set(planLines(plan)));
    throw new ApplyFailure(cause, { ...counts }, linesNotWritten(phases, phaseAt, writtenInPhase));
  }
}

/**
 * `planWrites` is our own pure code, run before any write: an exception from it is a bug in
 * guardian-sync (INTERNAL_ERROR, never retried as a store failure), with the error's class and
 * bounded message, which locate the bug and hold no row values.
 */
function decideWrites(plan: SyncPlan, touched: TouchedRows): PlanWrites {
  try {
    return planWrites(plan, touched);
  } catch (error) {
    if (isGuardianSyncError(error)) throw error;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
    throw new GuardianSyncError(
      'INTERNAL_ERROR',
      `Internal error in guardian-sync while deciding the rows to write (${text.length > 200 ? `${text.slice(0, 200)}…` : text}). This is a bug in guardian-sync, not a problem with the file or the roster store; nothing of the plan was written.`,
    );
  }
}

/**
 * The phases in the order `applyPlan` writes them to a store that applies atomically: new
 * accounts by id, every other phase as `planWrites` gave it. New accounts are distinct rows
 * no earlier write touches, and nothing is seen before the commit, so their order changes
 * nothing stored; in id order a B-tree store (SQLite, PostgreSQL) fills its account and role
 * pages one after another instead of all over the tree. The 599,965 new accounts of the 1M
 * bench district (random UUIDs) took 12.9–14.4 s of CPU in SQLite so, against 18.7–19.2 s
 * in plan order; the sort costs about 1.6 s. A store without transactions keeps the plan's
 * (line) order: an apply that stops halfway leaves the file's first new guardians, and the
 * memory store's accounts stay in the order of creation its snapshot's links follow.
 */
export function inWriteOrder(phases: readonly WritePhase[]): readonly WritePhase[] {
  return phases.map((phase) => (phase.kind === 'insert-accounts' ? { kind: phase.kind, writes: byAccountId(phase.writes) } : phase));
}

/** Sorted through an array of the ids (1.6 s for 600,000 writes here, 2.6–4 s comparing `write.row.account.id` in place). */
function byAccountId(writes: readonly RowWrite<NewAccount>[]): RowWrite<NewAccount>[] {
  const ids = writes.map((write) => write.row.account.id);
  const order = ids.map((_, at) => at).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  return order.map((at) => writes[at]!);
}

/**
 * The rows the plan touches, read in batches of the store's size. Roles are read only for
 * the accounts that exist (a role belongs to its account): on a first sync nearly every
 * account is new, and reading their roles found nothing.
 */
async function readTouched(writer: RosterWriter, plan: SyncPlan, batchSize: number): Promise<TouchedRows> {
  const { accountIds, studentSisIds } = touchedKeys(plan);
  const { districtId } = plan.scope;
  const accounts = new Map<string, StoredAccount>();
  const guardianRoles = new Map<string, StoredRole>();
  const students = new Set<string>();
  const existing: string[] = [];
  for (const ids of chunks(accountIds, batchSize)) {
    for (const account of await writer.readAccounts(ids)) {
      accounts.set(account.id, account);
      existing.push(account.id);
    }
  }
  for (const ids of chunks(existing, batchSize)) for (const role of await writer.readRoles(districtId, 'guardian', ids)) guardianRoles.set(role.accountId, role);
  for (const ids of chunks(studentSisIds, batchSize)) for (const id of await writer.readStudentIds(districtId, ids)) students.add(id);
  return { accounts, guardianRoles, students };
}

async function writeBatch(writer: RosterWriter, kind: WritePhase['kind'], batch: readonly RowWrite<unknown>[], counts: Counts): Promise<void> {
  const rows = batch.map((write) => write.row);
  switch (kind) {
    case 'update-accounts':
      await writer.updateAccounts(rows as StoredAccount[]);
      break;
    case 'insert-accounts':
      await writer.insertAccounts(rows as NewAccount[]);
      break;
    case 'put-roles':
      await writer.putRoles(rows as StoredRole[]);
      break;
    case 'insert-links':
      counts.linksAdded += await writer.insertLinks(rows as never);
      return;
    case 'delete-links':
      counts.linksRemoved += await writer.deleteLinks(rows as never);
      return;
  }
  for (const write of batch) if (write.counter !== null) counts[write.counter] += 1;
}

/**
 * Batches of at most `size` writes. Account updates are also cut where a row takes a login
 * that an earlier row of the same batch gives up: the giver's statement runs first, so a
 * unique index on logins never sees two holders, even checked row by row.
 */
function* batchesOf(phase: WritePhase, size: number): Generator<readonly RowWrite<unknown>[]> {
  if (phase.kind !== 'update-accounts') {
    yield* chunks<RowWrite<unknown>>(phase.writes, size);
    return;
  }
  let batch: AccountWrite[] = [];
  let released = new Set<string>();
  for (const write of phase.writes) {
    if (batch.length >= size || write.takes.some((login) => released.has(login))) {
      yield batch;
      batch = [];
      released = new Set();
    }
    batch.push(write);
    for (const login of write.releases) released.add(login);
  }
  if (batch.length > 0) yield batch;
}

function* chunks<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Lines of the writes from `writtenInPhase` of phase `phaseAt` on: a line is applied only when all its writes landed. */
function linesNotWritten(phases: readonly WritePhase[], phaseAt: number, writtenInPhase: number): Set<number> {
  const lines = new Set<number>();
  for (let p = phaseAt; p < phases.length; p++) {
    const writes = phases[p]!.writes;
    for (let w = p === phaseAt ? writtenInPhase : 0; w < writes.length; w++) for (const line of writes[w]!.lines) lines.add(line);
  }
  return lines;
}

function planLines(plan: SyncPlan): number[] {
  const lines: number[] = [];
  for (const list of [plan.updates, plan.idRemoves, plan.creates, plan.roleAdds, plan.restores, plan.archives, plan.linkAdds, plan.linkRemoves]) {
    for (const item of list) lines.push(...item.lines);
  }
  return lines;
}

/** Where an apply stands when it stops: row writes done of the total, and whether the store rolls them back. */
interface ApplyProgress {
  readonly done: number;
  readonly total: number;
  readonly atomic: boolean;
}

function aborted({ done, total, atomic }: ApplyProgress): GuardianSyncError {
  const state = atomic ? 'nothing was applied' : `${done} of ${total} row writes were applied`;
  return new GuardianSyncError('ABORTED', `Applying the plan was cancelled (${state}); run the sync again to finish.`, { transient: true });
}

/** Our errors pass through; a foreign error (the store's driver) is named by its class and code only: its message can quote values. */
function asStoreError(error: unknown, progress: ApplyProgress): GuardianSyncError {
  const { done, total, atomic } = progress;
  if (isGuardianSyncError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return aborted(progress);
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : 'unknown error';
  const after = atomic
    ? 'nothing of the plan was applied'
    : `${done} of ${total} row writes were applied; the rest converges when the sync runs again`;
  return new GuardianSyncError('STORE_FAILED', `The roster store failed while applying the plan (${name}${typeof code === 'string' ? ` ${code}` : ''}); ${after}. Run the sync again.`, {
    transient: true,
  });
}
