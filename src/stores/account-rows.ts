// Accounts as the SQL stores read them: the `accounts` columns in one order, then, where
// roles are joined in, one role per row (LEFT JOIN: null role columns for an account without
// one), each account's rows together. SQLite and PostgreSQL differ only in how `claimed`
// (0/1 or a boolean) and SIS ids (JSON text or an array) come back.
import type { StoredAccount } from '../contracts/roster-store.js';
import type { Account, AccountRole, RoleName, RoleStatus } from '../model/roster.js';

/** The `accounts` columns, in the order of {@link AccountColumns}. */
export const ACCOUNT_COLUMNS_SQL = 'a.id, a.first_name, a.last_name, a.email, a.mobile_phone, a.home_phone, a.language, a.claimed';
/** The account columns and one role's (`r`), in the order of {@link AccountRoleColumns}. */
export const ACCOUNT_ROLE_COLUMNS_SQL = `${ACCOUNT_COLUMNS_SQL}, r.district_id, r.role, r.status, r.sis_ids`;

/** A row of {@link ACCOUNT_COLUMNS_SQL}. */
export type AccountColumns = readonly [
  id: string,
  firstName: string,
  lastName: string,
  email: string | null,
  mobilePhone: string | null,
  homePhone: string | null,
  language: string | null,
  claimed: number | boolean,
];

/** A row of {@link ACCOUNT_ROLE_COLUMNS_SQL}; `SisIds` is how the backend returns the ids. */
export type AccountRoleColumns<SisIds> = readonly [
  ...AccountColumns,
  districtId: string | null,
  role: RoleName | null,
  status: RoleStatus | null,
  sisIds: SisIds | null,
];

/** The account of a row (SQLite's 0/1 `claimed` as a boolean). */
export function accountFromColumns(row: AccountColumns): StoredAccount {
  const [id, firstName, lastName, email, mobilePhone, homePhone, language, claimed] = row;
  return { id, firstName, lastName, email, mobilePhone, homePhone, language, claimed: claimed === true || claimed === 1 };
}

/**
 * Accounts with their roles from rows where each account's rows are consecutive. Builds each
 * object once, without spreads or copies: a district's snapshot groups 650k accounts here.
 */
export function groupAccountRows<SisIds>(rows: Iterable<AccountRoleColumns<SisIds>>, sisIdsOf: (value: SisIds) => readonly string[]): Account[] {
  const accounts: Account[] = [];
  let lastId: string | undefined;
  let roles: AccountRole[] = [];
  for (const row of rows) {
    const [id, firstName, lastName, email, mobilePhone, homePhone, language, claimed, districtId, role, status, sisIds] = row;
    if (id !== lastId) {
      lastId = id;
      roles = [];
      accounts.push({ id, firstName, lastName, email, mobilePhone, homePhone, language, claimed: claimed === true || claimed === 1, roles });
    }
    // An account without a role comes as one row whose role columns are null (the LEFT JOIN).
    if (districtId !== null && role !== null && status !== null) roles.push({ role, districtId, sisIds: sisIds === null ? [] : sisIdsOf(sisIds), status });
  }
  return accounts;
}
