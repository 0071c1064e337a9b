// What `buildPlan` takes: the file's valid rows, the stored roster and the scope's settings.
import type { GuardianRow } from '../model/guardian-row.js';
import type { RosterSnapshot } from '../model/roster.js';

export interface PlanSettings {
  /** The link source this sync manages, e.g. `guardian-file`: only its links are ever removed. */
  readonly source: string;
  /**
   * Change names, email and phones of accounts their owners have claimed.
   * @default false
   */
  readonly updateClaimedAccounts?: boolean | undefined;
  /**
   * Highest share of managed links (or managed guardians) a run may remove (or archive)
   * without `force`; strictly above it, removals and archives are held back.
   * @default 0.1
   */
  readonly maxRemovalRatio?: number | undefined;
  /** Apply removals and archives even above the threshold. @default false */
  readonly force?: boolean | undefined;
  /**
   * `full`: the file is the whole truth (absent pairs are removed, guardians left without
   * links archived). `delta` (OneRoster delta files): only rows with `delete: true` remove
   * links; absent rows mean unchanged.
   * @default 'full'
   */
  readonly mode?: 'full' | 'delta' | undefined;
  /**
   * Id of a new account, given a stable key of the guardian (its first guardianSisId, or its
   * contact key when it has none). Tests pass a deterministic one.
   * @default crypto.randomUUID()
   */
  readonly newAccountId?: ((guardianKey: string) => string) | undefined;
}

export interface PlanInput {
  /** Valid, normalized rows, in line order. */
  readonly rows: readonly GuardianRow[];
  /**
   * Rows the file had but could not use (a missing name, no login), with their student id:
   * only the student is checked (UNKNOWN_STUDENT, STUDENT_OUT_OF_SCOPE), so that a district
   * hears every problem of a row in one run instead of one per day.
   */
  readonly skippedRows?: readonly { readonly line: number; readonly studentSisId?: string | undefined }[] | undefined;
  readonly snapshot: RosterSnapshot;
  readonly settings: PlanSettings;
}

export const DEFAULT_MAX_REMOVAL_RATIO = 0.1;
