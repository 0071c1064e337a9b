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
  return { id: row[0], firstName: row[1], lastName: row[2], email: row[3], mobilePhone: row[4], homePhone: row[5], language: row[6], claimed: row[7] === true || row[7] === 1 };
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
    if (row[0] !== lastId) {
      lastId = row[0];
      roles = [];
      accounts.push({ id: row[0], firstName: row[1], lastName: row[2], email: row[3], mobilePhone: row[4], homePhone: row[5], language: row[6], claimed: row[7] === true || row[7] === 1, roles });
    }
    const districtId = row[8];
    const role = row[9];
    const status = row[10];
    const sisIds = row[11];
    if (districtId !== null && role !== null && status !== null) roles.push({ role, districtId, sisIds: sisIds === null ? [] : sisIdsOf(sisIds), status });
  }
  return accounts;
}
