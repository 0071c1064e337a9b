// Role arithmetic shared by the shipped stores. Roles are kept sorted by name and their SIS
// ids sorted and unique, so two stores holding the same roster hold equal values.
import type { Account, AccountRole, RoleName, RoleStatus } from '../model/roster.js';

/** Sorted, unique SIS ids. */
export function sortedSisIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareText);
}

/** Code-unit order: stable, locale-free, and the same order SQLite's BINARY collation uses. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function findRole(account: Account, role: RoleName): AccountRole | undefined {
  return account.roles.find((r) => r.role === role);
}

/**
 * The account's roles with `role` holding the union of its SIS ids and `sisIds`, with
 * `status`; the role is added when missing. Other roles are untouched.
 */
export function unionRole(roles: readonly AccountRole[], role: RoleName, sisIds: readonly string[], status: RoleStatus): AccountRole[] {
  const current = roles.find((r) => r.role === role);
  const next: AccountRole = { role, sisIds: sortedSisIds([...(current?.sisIds ?? []), ...sisIds]), status };
  return sortRoles([...roles.filter((r) => r.role !== role), next]);
}

/** The account's roles with `role`'s status set; undefined when the account lacks the role. */
export function withRoleStatus(roles: readonly AccountRole[], role: RoleName, status: RoleStatus): AccountRole[] | undefined {
  if (!roles.some((r) => r.role === role)) return undefined;
  return roles.map((r) => (r.role === role ? { role: r.role, sisIds: r.sisIds, status } : r));
}

export function sortRoles(roles: readonly AccountRole[]): AccountRole[] {
  return [...roles].sort((a, b) => compareText(a.role, b.role));
}

export function sameRoles(a: readonly AccountRole[], b: readonly AccountRole[]): boolean {
  if (a.length !== b.length) return false;
  const left = sortRoles(a);
  const right = sortRoles(b);
  return left.every((role, i) => {
    const other = right[i];
    return (
      other !== undefined &&
      role.role === other.role &&
      role.status === other.status &&
      role.sisIds.length === other.sisIds.length &&
      sortedSisIds(role.sisIds).every((id, j) => id === sortedSisIds(other.sisIds)[j])
    );
  });
}

/** True when the two accounts hold the same fields, claim and roles. */
export function sameAccount(a: Account, b: Account): boolean {
  return (
    a.id === b.id &&
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.email === b.email &&
    a.mobilePhone === b.mobilePhone &&
    a.homePhone === b.homePhone &&
    a.language === b.language &&
    a.claimed === b.claimed &&
    sameRoles(a.roles, b.roles)
  );
}
