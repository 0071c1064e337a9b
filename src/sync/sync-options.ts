// Options of `syncGuardians`: the one entry point a host calls from its daily sync job.
import type { GuardianFileSource } from '../contracts/file-source.js';
import type { RosterStore } from '../contracts/roster-store.js';
import type { Logger } from '../contracts/logger.js';
import type { ReadingSettings } from '../input/input-options.js';
import type { SyncLevel, SyncScope } from '../model/roster.js';

export type SyncPhase = 'lock' | 'fetch' | 'decode' | 'parse' | 'resolve' | 'plan' | 'apply' | 'report' | 'done';

export interface ProgressEvent {
  readonly phase: SyncPhase;
  readonly rowsDone?: number | undefined;
  readonly bytesDone?: number | undefined;
  readonly bytesTotal?: number | undefined;
}

export interface SyncGuardiansOptions extends ReadingSettings {
  /** Where the sync runs. @example { level: 'district', orgId: 'D1' } */
  readonly scope: SyncScope;
  /**
   * The level the platform's daily roster sync runs at. A guardian sync configured at
   * another level is refused (INVALID_CONFIGURATION) before anything is read.
   * @default scope.level
   */
  readonly rosterSyncLevel?: SyncLevel | undefined;
  /** The scope's "Guardians Sync Enabled" toggle. Off: status `disabled`, nothing read. @default true */
  readonly enabled?: boolean | undefined;
  readonly source: GuardianFileSource;
  readonly store: RosterStore;
  /** The link source this sync manages. @default 'guardian-file' (or 'oneroster') */
  readonly linkSource?: string | undefined;
  /** Removal and archive ratio above which removals are held back. @default 0.1 */
  readonly maxRemovalRatio?: number | undefined;
  /** Apply removals even above the threshold. @default false */
  readonly force?: boolean | undefined;
  /** Plan and report, change nothing. @default false */
  readonly dryRun?: boolean | undefined;
  /** Let the sync change names and contacts of claimed accounts. @default false */
  readonly updateClaimedAccounts?: boolean | undefined;
  /** Files over this size fail with FILE_TOO_LARGE before being read. @default 200 MiB */
  readonly maxFileBytes?: number | undefined;
  /**
   * The scope lock's lease: the run renews it every third of this while it works, and stops
   * before its next write (LOCK_LOST) if it could not. How long a killed worker's lock blocks
   * the scope, on stores whose locks are leases. @default 60 seconds
   */
  readonly lockTtlMs?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** @default crypto.randomUUID() */
  readonly runId?: string | undefined;
}
