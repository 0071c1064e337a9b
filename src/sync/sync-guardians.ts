// The orchestrator: the only stage that does I/O. One run of a guardian sync for one scope:
// lock → fetch → decode → parse → resolve → plan → guard → apply → save report → unlock.
// It never throws for a failed run (the report says why); it throws only for bad options.
import { randomUUID } from 'node:crypto';
import { GuardianSyncError, isGuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Issue } from '../errors/issue.js';
import { applyPlan, isApplyFailure, type ApplyFailure } from '../apply/apply-plan.js';
import { EMPTY_APPLY_RESULT } from '../apply/plan-writes.js';
import type { ApplyResult, LockHolder } from '../contracts/roster-store.js';
import { isEmptyPlan, type SyncCounts, type SyncPlan } from '../model/plan.js';
import { EMPTY_COUNTS, REPORT_CHANGE_FIELDS, type FileSummary, type ReportChange, type SyncReport } from '../model/report.js';
import { scopeKey, type ResolvedScope, type RosterSnapshot, type SnapshotLogins } from '../model/roster.js';
import { buildPlan } from '../plan/build-plan.js';
import { snapshotLogins } from '../plan/snapshot-logins.js';
import { fileCounts, idleThreshold, mergeRowOutcomes, orderIssues, reportThreshold, statusOf } from './assemble-report.js';
import { fetchGuardianInput } from './fetch-guardian-input.js';
import { appliedChanges, buildReportChanges } from './report-changes.js';
import type { GuardianInput } from '../input/guardian-input.js';
import { assertHasValidRows } from '../input/no-valid-rows.js';
import { resolveSyncOptions, type ResolvedSyncOptions } from './resolve-sync-options.js';
import { ScopeLease, type LeaseAttempt } from './scope-lease.js';
import { untilAborted } from './until-aborted.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';
import type { SyncGuardiansOptions, SyncPhase } from './sync-options.js';

/**
 * Runs one guardian sync and returns its report (also saved to the store's run history).
 * @throws GuardianSyncError INVALID_CONFIGURATION when the options are invalid; nothing is read then.
 */
export async function syncGuardians(options: SyncGuardiansOptions): Promise<SyncReport> {
  const config = resolveSyncOptions(options);
  const run = new SyncRun(config);
  return run.execute();
}

class SyncRun {
  private readonly runId: string;
  private readonly startedAt = new Date();
  private file: FileSummary | null = null;
  /** The source file's `markProcessed`, kept after the connection is closed, for after apply. */
  private pendingMark: (() => Promise<void>) | undefined;
  /** What this run's apply left in the roster: nothing until it starts, 'unknown' while it runs. */
  private written: ApplyResult | 'unknown' = EMPTY_APPLY_RESULT;

  constructor(private readonly config: ResolvedSyncOptions) {
    this.runId = config.runId ?? randomUUID();
  }

  async execute(): Promise<SyncReport> {
    const { config } = this;
    if (!config.enabled) {
      this.log('info', { status: 'disabled' }, 'guardian sync is disabled for this scope; nothing read');
      return this.finish(this.emptyReport('disabled', []));
    }
    let scope: ResolvedScope | null;
    try {
      scope = await untilAborted(config.store.resolveScope(config.scope), config.signal, 'reading the scope');
    } catch (error) {
      return this.finish(this.failedReport(asStoreError(error, 'reading the scope')));
    }
    if (scope === null) return this.finish(this.failedReport(await this.scopeNotFound()));

    this.progress('lock');
    const lockKey = scopeKey(config.scope);
    let attempt: LeaseAttempt;
    try {
      attempt = await ScopeLease.acquire({
        store: config.store,
        key: lockKey,
        owner: this.runId,
        ttlMs: config.lockTtlMs,
        onRenewError: (error) => this.log('warn', { error: safeErrorMessage(error) }, 'could not renew the scope lock; retrying'),
      });
    } catch (error) {
      return this.finish(this.failedReport(asStoreError(error, 'taking the scope lock')));
    }
    if (!attempt.held) return this.finish(this.failedReport(syncInProgress(`${config.scope.level} ${config.scope.orgId}`, attempt.holder)));
    const { lease } = attempt;
    try {
      await this.recordStart();
      return await this.finish(await this.guardedRun(scope, lease));
    } finally {
      await lease.release().catch((error: unknown) => {
        this.log('warn', { error: safeErrorMessage(error) }, 'could not release the scope lock; it ends with its lease or session');
      });
    }
  }

  /**
   * SCOPE_NOT_FOUND, saying what the id is when it is an org of the other level: a school
   * sync given a district's id is a level mistake, not a missing org.
   */
  private async scopeNotFound(): Promise<GuardianSyncError> {
    const { level, orgId } = this.config.scope;
    const other = level === 'district' ? 'school' : 'district';
    let isOther = false;
    try {
      isOther = (await untilAborted(this.config.store.resolveScope({ level: other, orgId }), this.config.signal, 'reading the scope')) !== null;
    } catch {
      // Only wording depends on it: the plain message is still true.
    }
    const message = isOther
      ? `"${orgId}" is a ${other} of the roster, not a ${level}: sync it at level ${other}, or give the id of a ${level}.`
      : `No ${level} with id "${orgId}" in the roster: check the ${level} id the sync is configured for (ids are case-sensitive).`;
    return new GuardianSyncError('SCOPE_NOT_FOUND', message);
  }

  /**
   * Saves the run as `running` once it holds the lock, so a run killed on the way leaves a
   * trace in the history; runs of this scope still `running` can no longer be (this run holds
   * the lock), so they are marked `interrupted`.
   */
  private async recordStart(): Promise<void> {
    const { store } = this.config;
    try {
      for (const run of await store.listRuns({ scope: this.config.scope, limit: 20 })) {
        if (run.status !== 'running' || run.runId === this.runId) continue;
        const saved = await store.getRun(run.runId);
        if (saved !== null) await store.saveRun({ ...saved, status: 'interrupted' });
      }
      await store.saveRun({ ...this.emptyReport('succeeded', []), status: 'running' });
    } catch (error) {
      // History is for people; a store that cannot write it must not stop the sync.
      this.log('warn', { error: safeErrorMessage(error) }, 'could not record the run start in the history');
    }
  }

  /**
   * `lockedRun`, with a bug anywhere in it (also while a failure report is being built) turned
   * into a failed run: the lock is still released and the run saved, never a throw.
   */
  private async guardedRun(scope: ResolvedScope, lease: ScopeLease): Promise<SyncReport> {
    try {
      return await this.lockedRun(scope, lease);
    } catch (error) {
      // Each stage catches its own failures: what reaches here failed while a report was built.
      const report = this.emptyReport('failed', [this.internalError(error, 'assembling the report').toIssue()]);
      return this.written === 'unknown' ? report : { ...report, counts: appliedCounts(report.counts, this.written) };
    }
  }

  private async lockedRun(scope: ResolvedScope, lease: ScopeLease): Promise<SyncReport> {
    const { config } = this;
    let input: GuardianInput;
    try {
      input = await this.fetchAndRead();
    } catch (error) {
      // Until the bytes are in (`this.file` set), the source is at work; after, our reading.
      return this.failedReport(this.file === null ? this.sourceError(error) : this.ownError(error, 'reading the file'));
    }
    try {
      assertHasValidRows(input, this.file?.name ?? 'the file', config.format);
    } catch (error) {
      // The rows' own issues stay in the report: they are why no row could be used.
      return this.failedReport(this.ownError(error, 'reading the file'), input);
    }

    let logins: SnapshotLogins;
    try {
      await this.checkAborted();
      this.progress('resolve');
      logins = snapshotLogins(input.rows);
    } catch (error) {
      return this.failedReport(this.ownError(error, 'planning the changes'), input);
    }
    let snapshot: RosterSnapshot;
    try {
      snapshot = await untilAborted(config.store.loadSnapshot(scope, { logins, signal: config.signal }), config.signal, 'loading the roster');
    } catch (error) {
      return this.failedReport(asStoreError(error, 'loading the roster'), input);
    }
    let plan: SyncPlan;
    let changes: ReportChange[];
    try {
      await this.checkAborted();
      this.progress('plan');
      plan = buildPlan({
        rows: input.rows,
        skippedRows: input.rejected,
        snapshot,
        settings: {
          source: config.linkSource,
          updateClaimedAccounts: config.updateClaimedAccounts,
          maxRemovalRatio: config.maxRemovalRatio,
          force: config.force,
          mode: input.mode,
        },
      });
      // Now, while the snapshot is at hand: it names the stored accounts the plan changes.
      changes = buildReportChanges(plan, snapshot.accounts);
    } catch (error) {
      return this.failedReport(this.ownError(error, 'planning the changes'), input);
    }

    const issues = orderIssues([...input.issues, ...plan.issues]);
    if (config.dryRun) {
      const report = this.reportOf(plan, input, issues, changes);
      this.log('info', { status: report.status }, 'dry run: nothing applied');
      return report;
    }
    let applied: ApplyResult = EMPTY_APPLY_RESULT;
    if (!isEmptyPlan(plan)) {
      try {
        this.progress('apply');
        await this.checkAborted();
        lease.assertHeld();
        // Not raced against the signal like the reads: giving up on a store that is still
        // writing would release the lock under it. applyPlan stops between write calls.
        this.written = 'unknown';
        applied = await applyPlan(config.store, plan, {
          signal: config.signal,
          beforeWrite: async () => {
            await yieldToEventLoop();
            lease.assertHeld();
          },
        });
        this.written = applied;
      } catch (error) {
        // A failed apply fails the run and reports what the store holds: nothing for an
        // atomic store; for another, what landed before it stopped (a re-run converges).
        const failure = isApplyFailure(error) ? error : undefined;
        if (failure !== undefined) this.written = failure.applied;
        const cause = failure?.code === 'INTERNAL_ERROR' ? this.internalError(failure, 'applying the changes') : asStoreError(error, 'applying the changes');
        return this.failedApplyReport(cause, input, plan, changes, failure);
      }
    }
    const report = this.reportOf(plan, input, issues, changes, applied);
    // An unchanged file is processed too: it is archived like any other.
    if (report.status === 'succeeded' || report.status === 'succeeded-with-warnings') {
      await this.markProcessed();
    }
    return report;
  }

  private async fetchAndRead(): Promise<GuardianInput> {
    const { config } = this;
    this.progress('fetch');
    const fetched = await fetchGuardianInput(config.source, {
      format: config.format,
      maxBytes: config.maxFileBytes,
      encoding: config.encoding,
      legacyEncoding: config.legacyEncoding,
      columns: config.columns,
      defaultRegion: config.defaultRegion,
      signal: config.signal,
      onBytes: (done, total) => this.progress('fetch', { bytesDone: done, bytesTotal: total }),
      onFile: (file) => {
        this.file = file;
        this.progress('decode');
      },
      onRecords: (records) => this.progress('parse', { rowsDone: records }),
    });
    this.file = fetched.file;
    this.pendingMark = fetched.markProcessed;
    return fetched.input;
  }

  private async markProcessed(): Promise<void> {
    if (this.pendingMark === undefined) return;
    try {
      await this.pendingMark();
    } catch (error) {
      // The roster is already updated; a file left in place is processed again next time,
      // which changes nothing (idempotent), so this is a warning in the log only.
      this.log('warn', { error: safeErrorMessage(error) }, 'could not move the processed file to the archive folder');
    }
  }

  /** The report of a plan: its counts are what the store applied (`applied`), or the plan's for a dry run. */
  private reportOf(plan: SyncPlan, input: GuardianInput, issues: Issue[], changes: readonly ReportChange[], applied?: ApplyResult): SyncReport {
    const counts = fileCounts(plan, input.rejected.length);
    return {
      ...this.reportHead(),
      status: statusOf(issues, plan.threshold),
      counts: applied === undefined ? counts : appliedCounts(counts, applied),
      threshold: reportThreshold(plan.threshold),
      issues,
      rows: mergeRowOutcomes(plan.rows, input.rejected, input.issues),
      changeFields: REPORT_CHANGE_FIELDS,
      changes,
    };
  }

  /**
   * A run whose apply failed: counts are what the store holds from it, rows whose changes
   * did not land read UNCHANGED with result ERROR (an atomic store: every row with a change),
   * and changes are those whose lines landed.
   */
  private failedApplyReport(error: GuardianSyncError, input: GuardianInput, plan: SyncPlan, changes: readonly ReportChange[], failure: ApplyFailure | undefined): SyncReport {
    const report = this.emptyReport('failed', orderIssues([error.toIssue(), ...input.issues, ...plan.issues]), input, plan);
    const applied = failure?.applied ?? EMPTY_APPLY_RESULT;
    const unapplied = failure?.unappliedLines;
    return {
      ...report,
      counts: appliedCounts(report.counts, applied),
      changes: appliedChanges(changes, unapplied),
      rows: report.rows.map((row) =>
        (unapplied === undefined || unapplied.has(row.line)) && row.action !== 'UNCHANGED' && row.action !== 'SKIPPED' ? { ...row, action: 'UNCHANGED', result: 'ERROR' } : row,
      ),
    };
  }

  /** A run that stopped: the error is its first issue; what was read so far is kept. */
  private failedReport(error: GuardianSyncError, input?: GuardianInput, plan?: SyncPlan): SyncReport {
    const issues = orderIssues([error.toIssue(), ...(input?.issues ?? []), ...(plan?.issues ?? [])]);
    return this.emptyReport('failed', issues, input, plan);
  }

  private emptyReport(status: SyncReport['status'], issues: Issue[], input?: GuardianInput, plan?: SyncPlan): SyncReport {
    return {
      ...this.reportHead(),
      status,
      counts:
        plan !== undefined && input !== undefined
          ? fileCounts(plan, input.rejected.length)
          : { ...EMPTY_COUNTS, rows: input?.records ?? 0, rowsSkipped: input?.rejected.length ?? 0 },
      threshold: reportThreshold(plan?.threshold ?? idleThreshold(this.config.maxRemovalRatio)),
      issues,
      rows: input !== undefined ? mergeRowOutcomes(plan?.rows ?? [], input.rejected, input.issues) : [],
      changeFields: REPORT_CHANGE_FIELDS,
      changes: [],
    };
  }

  private reportHead(): Pick<SyncReport, 'formatVersion' | 'runId' | 'startedAt' | 'finishedAt' | 'dryRun' | 'scope' | 'file'> {
    return {
      formatVersion: 1,
      runId: this.runId,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      dryRun: this.config.dryRun,
      scope: { level: this.config.scope.level, orgId: this.config.scope.orgId },
      file: this.file,
    };
  }

  private async finish(built: SyncReport): Promise<SyncReport> {
    // Stamped here, after apply, so the run's duration covers the changes.
    const report: SyncReport = { ...built, finishedAt: new Date().toISOString() };
    this.progress('report');
    try {
      await this.config.store.saveRun(this.wasCancelled(report) ? { ...report, status: 'cancelled' } : report);
    } catch (error) {
      // The changes (if any) are applied; losing the history entry must not turn a good
      // run into a failure that someone "fixes" by re-running with force.
      this.log('error', { runId: this.runId, error: safeErrorMessage(error) }, 'could not save the run report');
    }
    this.progress('done');
    this.log(report.status === 'failed' ? 'error' : 'info', { runId: report.runId, status: report.status, counts: report.counts }, 'guardian sync finished');
    return report;
  }

  /**
   * A run its signal stopped is `cancelled` in the history: it failed on purpose, and a
   * reader of `runs` must not go looking for a fault. The report returned stays `failed`
   * with its ABORTED error (a SyncReport's statuses are a run's outcomes; this is not one).
   */
  private wasCancelled(report: SyncReport): boolean {
    return report.status === 'failed' && this.config.signal?.aborted === true && report.issues.some((i) => i.code === 'ABORTED' && i.severity === 'error');
  }

  /** A failure of our own code (a stage without I/O): our errors (NO_VALID_ROWS, ABORTED) pass through; anything else is a bug. */
  private ownError(error: unknown, stage: InternalStage): GuardianSyncError {
    return knownError(error, stage) ?? this.internalError(error, stage);
  }

  /**
   * A failure while the source fetched the file. Its GuardianSyncErrors pass through; any
   * other error breaks the source's contract (src/contracts/file-source.ts) and is named by
   * its class only: a source's own errors can carry hosts and credentials.
   */
  private sourceError(error: unknown): GuardianSyncError {
    return (
      knownError(error, 'fetching the file') ??
      new GuardianSyncError(
        'SOURCE_UNAVAILABLE',
        `The file source failed while fetching the file, with an error of its own (${errorName(error)}) instead of a GuardianSyncError; its message is not shown, as it may carry a host or a credential. Nothing was changed. Check the source, then run again.`,
      )
    );
  }

  /**
   * INTERNAL_ERROR: a bug in guardian-sync, so the message says so, names the stage and the
   * run id, says what the roster holds and asks for a report; never `transient`, as running
   * again meets the same bug. It keeps the error's class and message (bounded), which is what
   * locates a bug, and which our pure stages do not build from a row's values; the stack (the
   * host's paths) goes to the host's log only, never to the report or the run history.
   */
  private internalError(error: unknown, stage: InternalStage): GuardianSyncError {
    this.log('error', { stage, error: safeErrorMessage(error), stack: error instanceof Error ? error.stack : undefined }, 'internal error in guardian-sync');
    if (isGuardianSyncError(error) && error.code === 'INTERNAL_ERROR') {
      // Worded already by the stage that met the bug (applyPlan, which knows what it wrote): add the run id.
      return new GuardianSyncError('INTERNAL_ERROR', `${error.message} Please report it to the guardian-sync maintainers with the run id ${this.runId}.`);
    }
    return new GuardianSyncError(
      'INTERNAL_ERROR',
      `Internal error in guardian-sync while ${stage} (run ${this.runId}): ${safeErrorMessage(error)}. This is a bug in guardian-sync, not a problem with the file or the roster store. ${rosterAfter(this.written)} Please report it to the guardian-sync maintainers with the run id ${this.runId}.`,
    );
  }

  /** A step boundary: the event loop gets a turn (so a signal can fire), then an aborted run stops. */
  private async checkAborted(): Promise<void> {
    await yieldToEventLoop();
    if (this.config.signal?.aborted === true) throw new GuardianSyncError('ABORTED', 'The sync was cancelled before it finished; nothing more was changed.');
  }

  private progress(phase: SyncPhase, extra: { rowsDone?: number; bytesDone?: number; bytesTotal?: number } = {}): void {
    const listener = this.config.onProgress;
    if (listener === undefined) return;
    try {
      listener({ phase, ...extra });
    } catch {
      // A broken progress bar must not break a sync.
    }
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', data: Record<string, unknown>, message: string): void {
    this.config.logger?.[level]({ runId: this.runId, scope: scopeKey(this.config.scope), ...data }, message);
  }
}

/** SYNC_IN_PROGRESS naming the scope (`district D1`), the run that holds its lock and when its lease ends. */
function syncInProgress(scope: string, holder: LockHolder | null): GuardianSyncError {
  const who =
    holder === null
      ? 'another run holds its lock'
      : holder.expiresAt === null
        ? `run ${holder.owner} holds its lock for as long as its connection lives`
        : `run ${holder.owner} holds its lock; the lease ends at ${holder.expiresAt} unless that run renews it`;
  return new GuardianSyncError('SYNC_IN_PROGRESS', `Another sync of ${scope} is running (${who}); this run read and changed nothing. Run it again when that one finishes.`, {
    transient: true,
  });
}

/** The file's counts with the change counts replaced by what the store applied. */
function appliedCounts(counts: SyncCounts, applied: ApplyResult): SyncCounts {
  return {
    ...counts,
    accountsCreated: applied.accountsCreated,
    accountsUpdated: applied.accountsUpdated,
    rolesAdded: applied.rolesAdded,
    linksAdded: applied.linksAdded,
    linksRemoved: applied.linksRemoved,
    guardiansArchived: applied.guardiansArchived,
    guardiansRestored: applied.guardiansRestored,
  };
}

/** The stages of a run without I/O: an exception there that is not one of ours is a bug. */
type InternalStage = 'reading the file' | 'planning the changes' | 'applying the changes' | 'assembling the report';

/** Our own errors pass through, and a foreign AbortError is a cancel; undefined for any other error. */
function knownError(error: unknown, during: string): GuardianSyncError | undefined {
  if (isGuardianSyncError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return new GuardianSyncError('ABORTED', `The sync was cancelled while ${during}; nothing more was changed.`);
  return undefined;
}

/** A failure of a store call: our errors pass through; anything else is a store failure with a safe message. */
function asStoreError(error: unknown, during: string): GuardianSyncError {
  return knownError(error, during) ?? storeFailure(during, error);
}

/** What the roster holds from a run an internal error stopped, as its message says it. */
function rosterAfter(written: ApplyResult | 'unknown'): string {
  if (written === 'unknown') return 'Some of its changes may have been applied before it stopped.';
  return Object.values(written).some((count) => count > 0) ? 'The changes this report counts were applied to the roster.' : 'Nothing was changed in the roster.';
}

/**
 * A foreign error from the store. Whether running again helps depends on the cause (a lost
 * connection yes, a read-only database no), which a foreign error does not say: so the
 * message says what running again does, not that it will work.
 */
function storeFailure(during: string, error: unknown): GuardianSyncError {
  return new GuardianSyncError(
    'STORE_FAILED',
    `The roster store failed while ${during}: ${safeErrorMessage(error)}. Once the cause is fixed, running the sync again finishes the work (it converges).`,
    { transient: true },
  );
}

/** A foreign error's class, for messages that must not quote it. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** A foreign error's message, bounded; foreign objects are never logged whole. */
function safeErrorMessage(error: unknown): string {
  if (isGuardianSyncError(error)) return error.message;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
