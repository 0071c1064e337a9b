// The plan: the difference between the stored roster and what the file says, as a plain,
// serializable value. A store applies it (idempotently: every item is keyed by stable ids);
// a report describes it. Every item says why and which file lines it came from.
import type { Issue } from '../errors/issue.js';
import type { AccountFields, ResolvedScope } from './roster.js';

export type FieldName = keyof AccountFields;

export interface FieldChange {
  readonly field: FieldName;
  readonly before: string | null;
  readonly after: string | null;
}

export interface AccountCreate {
  /** The new account's id, chosen by the planner (stable: a re-applied create is a no-op). */
  readonly accountId: string;
  readonly fields: AccountFields;
  /** Guardian SIS ids the new account's guardian role holds (may be empty). */
  readonly guardianSisIds: readonly string[];
  readonly lines: readonly number[];
}

export interface AccountUpdate {
  readonly accountId: string;
  readonly changes: readonly FieldChange[];
  readonly lines: readonly number[];
}

export type RoleAddReason = 'new-role' | 'new-sis-id';

/** Adds the guardian role to an existing account, or new guardian SIS ids to its role. */
export interface RoleAdd {
  readonly accountId: string;
  readonly role: 'guardian';
  readonly sisIds: readonly string[];
  readonly reason: RoleAddReason;
  readonly lines: readonly number[];
}

/**
 * Takes guardian SIS ids off an account's guardian role in the plan's district: an id is
 * held by at most one account of a district (docs/identity-rules.md §2.1), so when the plan gives an
 * id to another account (a person split from a merged duplicate), it takes it from here.
 */
export interface RoleIdRemove {
  readonly accountId: string;
  readonly role: 'guardian';
  readonly sisIds: readonly string[];
  readonly lines: readonly number[];
}

export interface LinkChange {
  readonly accountId: string;
  readonly studentSisId: string;
  /** File lines that asked for the link (empty for removals). */
  readonly lines: readonly number[];
}

export interface RoleStatusChange {
  readonly accountId: string;
  readonly role: 'guardian';
  readonly lines: readonly number[];
}

export type RowAction = 'CREATED' | 'UPDATED' | 'LINKED' | 'UNCHANGED' | 'SKIPPED';
export type RowResult = 'SUCCESS' | 'WARNING' | 'ERROR';

export interface RowOutcome {
  readonly line: number;
  readonly action: RowAction;
  readonly result: RowResult;
}

export interface SyncCounts {
  readonly rows: number;
  readonly rowsSkipped: number;
  readonly guardians: number;
  readonly accountsCreated: number;
  readonly accountsUpdated: number;
  readonly rolesAdded: number;
  readonly linksAdded: number;
  readonly linksRemoved: number;
  readonly guardiansArchived: number;
  readonly guardiansRestored: number;
  readonly unchanged: number;
}

export interface ThresholdResult {
  readonly maxRemovalRatio: number;
  /** Links this plan removes (or tried to) / managed links before the run. */
  readonly removalRatio: number;
  /** Guardian roles archived (or tried to) / managed guardians before the run. */
  readonly archiveRatio: number;
  /**
   * Stored accounts whose email or mobile phone the plan changes or clears (or tried to) /
   * managed guardians before the run. Filling an empty login is not counted.
   */
  readonly loginChangeRatio: number;
  readonly exceeded: boolean;
  /** True when `force` let an exceeded plan through. */
  readonly forced: boolean;
}

/**
 * Every item concerns the plan's district (`scope.districtId`): a role add, id remove,
 * archive or restore changes the account's guardian role in that district (creating it for
 * a role add), a link change names a student of that district. Roles and links in other
 * districts are never touched.
 */
export interface SyncPlan {
  readonly scope: ResolvedScope;
  /** Link source this plan manages (e.g. `guardian-file`). */
  readonly source: string;
  readonly creates: readonly AccountCreate[];
  readonly updates: readonly AccountUpdate[];
  readonly roleAdds: readonly RoleAdd[];
  /** Guardian SIS ids moved off an account because another account of the plan now holds them. */
  readonly idRemoves: readonly RoleIdRemove[];
  readonly linkAdds: readonly LinkChange[];
  /** Empty when the threshold held removals back (see `held`). */
  readonly linkRemoves: readonly LinkChange[];
  /** Empty when the threshold held archives back (see `held`). */
  readonly archives: readonly RoleStatusChange[];
  readonly restores: readonly RoleStatusChange[];
  /**
   * What the safety threshold held back; the counts in `counts` are what the plan applies.
   * `loginChanges`: accounts whose stored email or mobile the plan keeps instead of changing.
   */
  readonly held: { readonly linkRemoves: number; readonly archives: number; readonly loginChanges: number };
  readonly threshold: ThresholdResult;
  readonly rows: readonly RowOutcome[];
  readonly issues: readonly Issue[];
  readonly counts: SyncCounts;
}

/** True when applying the plan would change nothing in the store. */
export function isEmptyPlan(plan: SyncPlan): boolean {
  return (
    plan.creates.length === 0 &&
    plan.updates.length === 0 &&
    plan.roleAdds.length === 0 &&
    plan.idRemoves.length === 0 &&
    plan.linkAdds.length === 0 &&
    plan.linkRemoves.length === 0 &&
    plan.archives.length === 0 &&
    plan.restores.length === 0
  );
}
