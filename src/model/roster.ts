// The roster model a store holds and a plan changes: orgs, students, accounts with roles,
// and guardian–student links tagged with the source that manages them.

export type OrgType = 'district' | 'school';

export interface Org {
  readonly id: string;
  readonly name: string;
  readonly type: OrgType;
  /** The district of a school; null for a district. */
  readonly parentId: string | null;
}

export interface Student {
  readonly sisId: string;
  readonly schoolId: string;
  readonly firstName: string;
  readonly lastName: string;
}

export type RoleName = 'guardian' | 'staff';
export type RoleStatus = 'active' | 'archived';

export interface AccountRole {
  readonly role: RoleName;
  /** SIS ids this person is known by in this role (a guardian renumbered or deduplicated may hold several). */
  readonly sisIds: readonly string[];
  readonly status: RoleStatus;
}

/** The fields of an account that a sync may set. */
export interface AccountFields {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly language: string | null;
}

export const ACCOUNT_FIELDS = ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language'] as const satisfies readonly (keyof AccountFields)[];

export interface Account extends AccountFields {
  readonly id: string;
  /** The owner has logged in and set a password: the sync leaves names and contacts alone. */
  readonly claimed: boolean;
  readonly roles: readonly AccountRole[];
}

/** Link sources shipped with the package; hosts may use their own strings. */
export const LINK_SOURCES = { guardianFile: 'guardian-file', oneRoster: 'oneroster', manual: 'manual' } as const;

export interface GuardianLink {
  readonly accountId: string;
  readonly studentSisId: string;
  /** Who manages the link: a sync only removes links of its own source. */
  readonly source: string;
}

export type SyncLevel = 'district' | 'school';

/** Where a sync runs: a district (all its schools) or one school. */
export interface SyncScope {
  readonly level: SyncLevel;
  readonly orgId: string;
}

/** A scope as the store knows it. */
export interface ResolvedScope extends SyncScope {
  readonly districtId: string;
  /** The schools whose students this sync may link and unlink. */
  readonly schoolIds: readonly string[];
}

/** Stable key of a scope, for locks and run history. */
export function scopeKey(scope: SyncScope): string {
  return `${scope.level}:${scope.orgId}`;
}

/**
 * What a plan needs from the store for one scope. Loaded once per run.
 * - `students`: every student of the scope's district (so a student of another school is
 *   "out of scope", not "unknown").
 * - `accounts`: every account whose identity or credentials could collide with this scope's
 *   guardians (the shipped stores return all accounts), with their roles.
 * - `links`: every guardian link of those accounts, from any source (archiving needs to
 *   know whether a guardian has links left at all).
 */
export interface RosterSnapshot {
  readonly scope: ResolvedScope;
  readonly students: readonly Student[];
  readonly accounts: readonly Account[];
  readonly links: readonly GuardianLink[];
}
