// The role rule of a district merge (`RosterImport.mergeDistricts`), shared by the shipped
// stores so that all of them end with equal roles: an account's role in the district that
// goes away joins its role of the same name in the district that stays.
import type { AccountRole } from '../model/roster.js';
import { sortedSisIds, sortRoles } from '../model/account-roles.js';

/**
 * The role of `from`'s `role` moved into `into`: SIS ids united (sorted, unique), active when
 * either was (a guardian archived in one and active in the other is still someone's
 * guardian). `into` is the account's role of that name in the district that stays, if any.
 */
export function mergedRole(from: AccountRole, into: AccountRole | undefined, intoDistrictId: string): AccountRole {
  return {
    role: from.role,
    districtId: intoDistrictId,
    sisIds: sortedSisIds([...(into?.sisIds ?? []), ...from.sisIds]),
    status: from.status === 'active' || into?.status === 'active' ? 'active' : 'archived',
  };
}

/** An account's roles after district `from` is merged into `into`; the same array when it has no role in `from`. */
export function rolesAfterMerge(roles: readonly AccountRole[], from: string, into: string): readonly AccountRole[] {
  if (!roles.some((r) => r.districtId === from)) return roles;
  const kept = roles.filter((r) => r.districtId !== from && !(r.districtId === into && roles.some((m) => m.districtId === from && m.role === r.role)));
  const moved = roles.filter((r) => r.districtId === from).map((r) => mergedRole(r, roles.find((t) => t.districtId === into && t.role === r.role), into));
  return sortRoles([...kept, ...moved]);
}
