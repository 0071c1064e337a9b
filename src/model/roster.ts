// The roster model a store holds and a plan changes: orgs, students, accounts with roles,
// and guardian–student links tagged with the source that manages them.
//
// One roster serves many districts (docs/identity-rules.md §7): SIS ids are unique only inside a
// district, so a student is (districtId, sisId) and every role and link names its district;
// accounts (people) and their logins are platform-wide.

export type OrgType = 'district' | 'school';

export interface Org {
  readonly id: string;
  readonly name: string;
  readonly type: OrgType;
  /** The district of a school; null for a district. */
  readonly parentId: string | null;
}

export interface Student {
  /** The district the student's school belongs to: with `sisId`, the student's key. */
  readonly districtId: string;
  readonly sisId: string;
  readonly schoolId: string;
  readonly firstName: string;
  readonly lastName: string;
}

export type RoleName = 'guardian' | 'staff';
export type RoleStatus = 'active' | 'archived';

export interface AccountRole {
  readonly role: RoleName;
  /** The district this role belongs to: an account holds at most one role of each name per district. */
  readonly districtId: string;
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
  /** The district of the student (with `studentSisId`, the student's key). */
  readonly districtId: string;
  readonly studentSisId: string;
  /** Who manages the link: a sync only removes links of its own source. */
  readonly source: string;
}

/** A roster as plain data: what a store is started with (tests, demos, a host's own data) or a harness writes into its backend. */
export interface RosterSeed {
  readonly orgs?: readonly Org[] | undefined;
  readonly students?: readonly Student[] | undefined;
  readonly accounts?: readonly Account[] | undefined;
  readonly links?: readonly GuardianLink[] | undefined;
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

/** The account's role of this name in this district, if it holds one. */
export function roleIn(account: Pick<Account, 'roles'>, role: RoleName, districtId: string): AccountRole | undefined {
  const roles = account.roles;
  for (let i = 0; i < roles.length; i++) {
    const r = roles[i]!;
    if (r.role === role && r.districtId === districtId) return r;
  }
  return undefined;
}

/** The account's guardian role in a district, if it has one (its roles elsewhere are another district's, §7). */
export function guardianRoleOf(account: Pick<Account, 'roles'>, districtId: string): AccountRole | undefined {
  return roleIn(account, 'guardian', districtId);
}

/**
 * docs/identity-rules.md §4.2 and §7: an account the guardian file of `districtId` does not own,
 * because it holds a staff role (its names and contacts come from the roster sync) or an
 * active role in another district (another district's people see it too). Such an account
 * can gain this district's guardian role and links, never changed names or contacts.
 */
export function isSharedAccount(account: Pick<Account, 'roles'>, districtId: string): boolean {
  const roles = account.roles;
  for (let i = 0; i < roles.length; i++) {
    const r = roles[i]!;
    if (r.role === 'staff' || (r.districtId !== districtId && r.status === 'active')) return true;
  }
  return false;
}

/** Stable key of a scope, for locks and run history. */
export function scopeKey(scope: SyncScope): string {
  return `${scope.level}:${scope.orgId}`;
}

/**
 * What a plan needs from the store for one scope, loaded once per run. Keyed: a sync reads
 * only its district and the people its file names, never the whole platform (§7.6).
 * - `students`: every student of the scope's district (so a student of another school of
 *   the district is "out of scope", not "unknown"), and no other district's.
 * - `accounts`: each at most once, with all of its roles (in every district: a role in
 *   another district is how the planner knows the account is shared, §4.2):
 *   1. every account holding a role (guardian or staff, any status) in the scope's district;
 *   2. every account with a link (any source) to a student of the district;
 *   3. every account whose email or mobile is one of the request's logins (emails compared
 *      case-insensitively), whatever district it belongs to.
 *   Other accounts must not be returned: the plan would still be right, but the run would
 *   grow with the platform instead of the district.
 * - `links`: every guardian link to a student of the scope's district, from any source
 *   (archiving needs to know whether a guardian has links left in the district), and no
 *   link to another district's students.
 */
export interface RosterSnapshot {
  readonly scope: ResolvedScope;
  readonly students: readonly Student[];
  readonly accounts: readonly Account[];
  readonly links: readonly GuardianLink[];
}

/** The logins a snapshot must cover (accounts rule 3 of {@link RosterSnapshot}). */
export interface SnapshotLogins {
  /** Emails as `emailKey` folds them: trimmed, NFC, lower-cased. */
  readonly emails: readonly string[];
  /** Mobile phones in E.164. */
  readonly mobiles: readonly string[];
}

export interface SnapshotRequest {
  /** Every email and mobile the file carries; the planner looks up no other login. */
  readonly logins: SnapshotLogins;
  readonly signal?: AbortSignal | undefined;
}
