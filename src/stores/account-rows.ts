// Accounts as the SQL stores read them: the `accounts` columns in one order, then, where
// roles are joined in, one role per row (LEFT JOIN: null role columns for an account without
// one), each account's rows together. SQLite and PostgreSQL differ only in how `claimed`
// (0/1 or a boolean) and SIS ids (JSON text or an array) come back.
import type { StoredAccount } from '../contracts/roster-store.js';
import type { Account, AccountRole, RoleName, RoleStatus } from '../model/roster.js';
import type { StringPool } from '../model/string-pool.js';

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
 * Strings of account rows that repeat from account to account, interned while grouping (see
 * src/model/string-pool.ts): without them a district's snapshot of 640k accounts held 640k
 * copies of its own district id, and one of each language per account speaking it.
 */
export interface AccountRowStrings {
  /** A role's district. */
  readonly districts: StringPool;
  /** An account's language. */
  readonly languages: StringPool;
  /** Names (first and last), when the caller reads enough accounts for them to repeat. */
  readonly names?: StringPool | undefined;
}

export interface GroupAccountRowsOptions {
  /** Appends the accounts to this array (a read in pages) and returns it. */
  readonly into?: Account[] | undefined;
  readonly strings?: AccountRowStrings | undefined;
}

/**
 * Accounts with their roles from rows where each account's rows are consecutive (an account's
 * rows never continue in a later call: a paged read must page by account). Builds each object
 * once, without spreads or copies: a district's snapshot groups 650k accounts here.
 *
 * Each `roles` array is made at its final length: an array grown by `push` from empty gets
 * room for 17 elements on V8 (152 bytes) where one role needs one (24 bytes), which was 80 MiB
 * of a 640k-account snapshot. Role names and statuses are the constants of the model (one
 * string each, instead of one per role read).
 */
export function groupAccountRows<SisIds>(
  rows: readonly AccountRoleColumns<SisIds>[],
  sisIdsOf: (value: SisIds) => readonly string[],
  options: GroupAccountRowsOptions = {},
): Account[] {
  const accounts = options.into ?? [];
  const strings = options.strings;
  const names = strings?.names;
  const count = rows.length;
  let start = 0;
  while (start < count) {
    const first = rows[start]!;
    const id = first[0];
    let end = start + 1;
    while (end < count && rows[end]![0] === id) end += 1;
    let roles: AccountRole[];
    if (end - start === 1) {
      // Nearly every account: one role (or none, the LEFT JOIN's row of null role columns).
      const role = roleOf(first, sisIdsOf, strings);
      roles = role === undefined ? [] : [role];
    } else {
      const grown: AccountRole[] = [];
      for (let i = start; i < end; i++) {
        const role = roleOf(rows[i]!, sisIdsOf, strings);
        if (role !== undefined) grown.push(role);
      }
      roles = grown.slice();
    }
    const [, firstName, lastName, email, mobilePhone, homePhone, language, claimed] = first;
    accounts.push({
      id,
      firstName: names === undefined ? firstName : names.intern(firstName),
      lastName: names === undefined ? lastName : names.intern(lastName),
      email,
      mobilePhone,
      homePhone,
      language: strings === undefined ? language : strings.languages.internNullable(language),
      claimed: claimed === true || claimed === 1,
      roles,
    });
    start = end;
  }
  return accounts;
}

/** The role of a row; undefined for the LEFT JOIN's row of an account without roles. */
function roleOf<SisIds>(row: AccountRoleColumns<SisIds>, sisIdsOf: (value: SisIds) => readonly string[], strings: AccountRowStrings | undefined): AccountRole | undefined {
  const districtId = row[8];
  const role = row[9];
  const status = row[10];
  if (districtId === null || role === null || status === null) return undefined;
  const sisIds = row[11];
  return {
    role: role === 'guardian' ? 'guardian' : role === 'staff' ? 'staff' : role,
    districtId: strings === undefined ? districtId : strings.districts.intern(districtId),
    sisIds: sisIds === null ? [] : sisIdsOf(sisIds),
    status: status === 'active' ? 'active' : status === 'archived' ? 'archived' : status,
  };
}
