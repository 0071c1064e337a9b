// The scope lock of one run, held as a lease: taken once, renewed by a heartbeat while the run
// works, released at the end. A run whose lease was lost (the store refused a renewal, or no
// renewal succeeded before the lease would have ended) must not write again: `assertHeld`
// is called before every write and throws LOCK_LOST.
import type { LockHolder, RosterStore } from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

export interface ScopeLeaseOptions {
  readonly store: RosterStore;
  readonly key: string;
  readonly owner: string;
  readonly ttlMs: number;
  /** Clock of the local lease bound, in epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Told when a renewal fails (a warning for the log); the lease may still be valid. */
  readonly onRenewError?: ((error: unknown) => void) | undefined;
}

export type LeaseAttempt = { readonly held: true; readonly lease: ScopeLease } | { readonly held: false; readonly holder: LockHolder | null };

/**
 * A lease on a scope. Renewed every third of its TTL, so two renewals can fail before it
 * ends. The local bound (`validUntil`) is measured from when a renewal was *sent*, so it
 * never outlives the store's own expiry; a store with session locks is checked at each
 * renewal instead.
 */
export class ScopeLease {
  private validUntil: number;
  private lost: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  private constructor(
    private readonly options: ScopeLeaseOptions,
    sentAt: number,
  ) {
    this.validUntil = this.boundFrom(sentAt);
  }

  /** Takes the lock; when it is held by another owner, says who holds it. */
  static async acquire(options: ScopeLeaseOptions): Promise<LeaseAttempt> {
    const now = options.now ?? Date.now;
    const sentAt = now();
    const attempt = await options.store.acquireLock(options.key, { owner: options.owner, ttlMs: options.ttlMs });
    if (!attempt.acquired) return { held: false, holder: attempt.holder };
    const lease = new ScopeLease(options, sentAt);
    lease.startHeartbeat();
    return { held: true, lease };
  }

  /** Throws LOCK_LOST when the lease was lost or may have ended: the run must not write. */
  assertHeld(): void {
    const now = (this.options.now ?? Date.now)();
    if (this.lost === null && now >= this.validUntil) this.lost = 'no renewal of the lock succeeded before its lease ended';
    if (this.lost !== null) {
      throw new GuardianSyncError(
        'LOCK_LOST',
        `This run lost the lock of ${this.options.key} (${this.lost}) and stopped before its next write, so two runs never write one scope at once. Run the sync again.`,
        { transient: true },
      );
    }
  }

  /** Stops the heartbeat and releases the lock (only if this run still holds it). */
  async release(): Promise<void> {
    this.stopHeartbeat();
    // A renewal still in flight is not awaited (it may hang with the store): landing after the
    // release it finds another owner or no lock, and the contract has it change nothing then.
    await this.options.store.releaseLock(this.options.key, this.options.owner);
  }

  private startHeartbeat(): void {
    const every = Math.max(10, Math.floor(this.options.ttlMs / 3));
    this.timer = setInterval(() => {
      if (this.renewing === undefined) this.renewing = this.renew().finally(() => (this.renewing = undefined));
    }, every);
    // The heartbeat alone must not keep a host process alive.
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.lost !== null) return;
    const sentAt = (this.options.now ?? Date.now)();
    try {
      const held = await this.options.store.renewLock(this.options.key, { owner: this.options.owner, ttlMs: this.options.ttlMs });
      if (held) {
        this.validUntil = this.boundFrom(sentAt);
      } else {
        this.lost = 'the store says another run holds it now, or its session ended';
        this.stopHeartbeat();
      }
    } catch (error) {
      this.options.onRenewError?.(error);
      // A session lock lives in its connection: when that fails, the lock is gone with it.
      // A lease is not lost by one failed renewal: the bound decides, the next beat retries.
      if (this.options.store.capabilities.lockKind === 'session') {
        this.lost = 'the connection holding it failed';
        this.stopHeartbeat();
      }
    }
  }

  /** Session locks do not end by time; leases end `ttlMs` after the request that set them. */
  private boundFrom(sentAt: number): number {
    return this.options.store.capabilities.lockKind === 'session' ? Number.POSITIVE_INFINITY : sentAt + this.options.ttlMs;
  }
}
