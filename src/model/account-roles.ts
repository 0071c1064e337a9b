// Role arithmetic shared by the shipped stores. Roles are kept sorted by name and their SIS
// ids sorted and unique, so two stores holding the same roster hold equal values.
import { compareText } from './compare-text.js';
import type { Account, AccountFields, AccountRole, RoleName, RoleStatus } from './roster.js';

/** Sorted, unique SIS ids. */
export function sortedSisIds(ids: Iterable<string>): string[] {
  // Most roles hold one id: nothing to sort or deduplicate.
  if (Array.isArray(ids) && ids.length <= 1) return [...(ids as readonly string[])];
  return [...new Set(ids)].sort(compareText);
}

function isRole(r: AccountRole, role: RoleName, districtId: string): boolean {
  return r.role === role && r.districtId === districtId;
}

/**
 * The account's roles with `role` in `districtId` holding the union of its SIS ids and
 * `sisIds`, with `status`; the role is added when missing. Other roles (other names, other
 * districts) are untouched.
 */
export function unionRole(roles: readonly AccountRole[], role: RoleName, districtId: string, sisIds: readonly string[], status: RoleStatus): AccountRole[] {
  const current = roles.find((r) => isRole(r, role, districtId));
  const next: AccountRole = { role, districtId, sisIds: sortedSisIds([...(current?.sisIds ?? []), ...sisIds]), status };
  return sortRoles([...roles.filter((r) => !isRole(r, role, districtId)), next]);
}

/** The account's roles with `sisIds` taken off `role` in `districtId` (the role stays, maybe with no ids). */
export function withoutRoleIds(roles: readonly AccountRole[], role: RoleName, districtId: string, sisIds: readonly string[]): AccountRole[] {
  return roles.map((r) => (isRole(r, role, districtId) ? { ...r, sisIds: r.sisIds.filter((id) => !sisIds.includes(id)) } : r));
}

/** The account's roles with the status of `role` in `districtId` set; undefined when the account lacks that role. */
export function withRoleStatus(roles: readonly AccountRole[], role: RoleName, districtId: string, status: RoleStatus): AccountRole[] | undefined {
  if (!roles.some((r) => isRole(r, role, districtId))) return undefined;
  return roles.map((r) => (isRole(r, role, districtId) ? { ...r, status } : r));
}

/** Roles by district, then name: the order both shipped stores hold and export them in. */
export function sortRoles(roles: readonly AccountRole[]): AccountRole[] {
  return [...roles].sort((a, b) => compareText(a.districtId, b.districtId) || compareText(a.role, b.role));
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
      role.districtId === other.districtId &&
      role.status === other.status &&
      role.sisIds.length === other.sisIds.length &&
      sortedSisIds(role.sisIds).every((id, j) => id === sortedSisIds(other.sisIds)[j])
    );
  });
}

/** True when the two hold the same values in every field a sync sets, compared exactly (as stored, not folded). */
export function sameAccountFields(a: AccountFields, b: AccountFields): boolean {
  return (
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.email === b.email &&
    a.mobilePhone === b.mobilePhone &&
    a.homePhone === b.homePhone &&
    a.language === b.language
  );
}

/** True when the two accounts hold the same fields, claim and roles. */
export function sameAccount(a: Account, b: Account): boolean {
  return a.id === b.id && sameAccountFields(a, b) && a.claimed === b.claimed && sameRoles(a.roles, b.roles);
}

/** The fields a sync sets, copied alone (a stored value must not carry a caller's extra properties). */
export function pickAccountFields(fields: AccountFields): AccountFields {
  return {
    firstName: fields.firstName,
    lastName: fields.lastName,
    email: fields.email,
    mobilePhone: fields.mobilePhone,
    homePhone: fields.homePhone,
    language: fields.language,
  };
}
