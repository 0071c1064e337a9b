// The PostgreSQL store's RosterWriter: each call is one statement over the whole batch, its
// rows passed as parallel arrays and turned back into rows by `unnest($1::text[], …)` (one
// round trip and one plan per call, whatever the batch size; no statement per row).
import type { RosterWriter, StoredAccount, StoredRole } from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { GuardianLink, RoleName, RoleStatus } from '../model/roster.js';
import { sortedSisIds } from '../model/account-roles.js';
import { accountFromColumns, type AccountColumns } from '../stores/account-rows.js';
import type { PgQueryable } from './pg-types.js';
import { pgStoreFailure } from './postgres-errors.js';

// Rows of the statements read as arrays (`writeStatements`), column by column in RETURNING or
// SELECT order (`readAccounts` reads `AccountColumns`).
/** `readRoles`. */
type RoleRow = readonly [accountId: string, status: RoleStatus, sisIds: string[]];
/** `readStudentIds`. */
type StudentIdRow = readonly [sisId: string];
/** `updateAccounts` (RETURNING id). */
type AccountIdRow = readonly [accountId: string];

/**
 * A writer over `db` (a client inside an open transaction) for the schema `s` (quoted).
 * `guard` runs before every statement: it throws once the transaction is over or its signal
 * has fired, so nothing is written after either.
 */
export function createPostgresWriter(db: PgQueryable, s: string, guard: () => void): RosterWriter {
  const sql = writeStatements(s);
  /** Runs one statement, mapping a failure to STORE_FAILED that names what was being done and the SQLSTATE. */
  const run = async (what: string, text: string, values: readonly unknown[], rowMode?: 'array') => {
    guard();
    try {
      return await db.query({ text, values, rowMode });
    } catch (error) {
      throw pgStoreFailure(error, what);
    }
  };

  return {
    async readAccounts(ids) {
      if (ids.length === 0) return [];
      const result = await run('read accounts', sql.readAccounts, [ids], 'array');
      return (result.rows as AccountColumns[]).map(accountFromColumns);
    },

    async readRoles(districtId, role, accountIds) {
      if (accountIds.length === 0) return [];
      const result = await run('read roles', sql.readRoles, [districtId, role, accountIds], 'array');
      return (result.rows as RoleRow[]).map(([accountId, status, sisIds]) => ({ accountId, districtId, role, status, sisIds }));
    },

    async readStudentIds(districtId, sisIds) {
      if (sisIds.length === 0) return [];
      const result = await run('read students', sql.readStudentIds, [districtId, sisIds], 'array');
      return (result.rows as StudentIdRow[]).map(([sisId]) => sisId);
    },

    async insertAccounts(created) {
      if (created.length === 0) return;
      const accounts = created.map((c) => c.account);
      // The accounts and the roles they start with in one statement (a data-modifying WITH):
      // no moment, not even inside the transaction, where an account is without its roles.
      await run('insert accounts', sql.insertAccounts, [...accountColumns(accounts), accounts.map((a) => a.claimed), ...roleColumns(created.flatMap((c) => c.roles))]);
    },

    async updateAccounts(accounts) {
      if (accounts.length === 0) return;
      const result = await run('update accounts', sql.updateAccounts, accountColumns(accounts), 'array');
      // An update of an account that is not there is the library's mistake or a concurrent
      // change: say so rather than succeed at nothing.
      if ((result.rowCount ?? 0) < new Set(accounts.map((a) => a.id)).size) {
        const updated = new Set((result.rows as AccountIdRow[]).map(([accountId]) => accountId));
        const missing = accounts.find((a) => !updated.has(a.id));
        throw new GuardianSyncError('STORE_FAILED', `Cannot update account "${missing?.id ?? '?'}": no account with this id. Nothing of the transaction was applied.`);
      }
    },

    async putRoles(roles) {
      if (roles.length === 0) return;
      // One row per key (the last wins): ON CONFLICT DO UPDATE refuses to touch a row twice in one statement.
      const byKey = new Map<string, StoredRole>();
      for (const role of roles) byKey.set(JSON.stringify([role.accountId, role.districtId, role.role]), role);
      await run('write roles', sql.putRoles, roleColumns([...byKey.values()]));
    },

    async insertLinks(links) {
      if (links.length === 0) return 0;
      const result = await run('insert links', sql.insertLinks, linkColumns(links));
      return result.rowCount ?? 0;
    },

    async deleteLinks(links) {
      if (links.length === 0) return 0;
      const result = await run('delete links', sql.deleteLinks, linkColumns(links));
      return result.rowCount ?? 0;
    },
  };
}

/** The account fields as seven parallel arrays (id first), the parameters of the account statements. */
function accountColumns(accounts: readonly StoredAccount[]): unknown[][] {
  return [
    accounts.map((a) => a.id),
    accounts.map((a) => a.firstName),
    accounts.map((a) => a.lastName),
    accounts.map((a) => a.email),
    accounts.map((a) => a.mobilePhone),
    accounts.map((a) => a.homePhone),
    accounts.map((a) => a.language),
  ];
}

/** Roles as five parallel arrays; each role's SIS ids as one JSON text, since unnest cannot take an array of arrays of different lengths. */
function roleColumns(roles: readonly StoredRole[]): unknown[][] {
  return [
    roles.map((r) => r.accountId),
    roles.map((r) => r.districtId),
    roles.map((r): RoleName => r.role),
    roles.map((r): RoleStatus => r.status),
    roles.map((r) => JSON.stringify(sortedSisIds(r.sisIds))),
  ];
}

function linkColumns(links: readonly GuardianLink[]): unknown[][] {
  return [links.map((l) => l.accountId), links.map((l) => l.districtId), links.map((l) => l.studentSisId), links.map((l) => l.source)];
}

function writeStatements(s: string) {
  const accountArrays = '$1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]';
  const roleRows = (first: number): string =>
    'SELECT u.account_id, u.district_id, u.role, u.status, ' +
    'ARRAY(SELECT e.sis_id FROM jsonb_array_elements_text(u.sis_ids::jsonb) WITH ORDINALITY AS e (sis_id, n) ORDER BY e.n) ' +
    `FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[], $${first + 4}::text[]) AS u (account_id, district_id, role, status, sis_ids)`;
  const linkArrays = 'unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u (account_id, district_id, student_sis_id, source)';
  return {
    // FOR UPDATE: the rows a plan reads are the rows it writes next. Under READ COMMITTED the
    // lock makes a concurrent writer of the same row (another school's sync of the district,
    // a roster import) wait for our commit, and makes us read its committed row if it came
    // first: a read-modify-write is never lost. Id order, so two such transactions lock in
    // the same order and do not deadlock.
    readAccounts: `SELECT id, first_name, last_name, email, mobile_phone, home_phone, language, claimed FROM ${s}.accounts WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE`,
    readRoles: `SELECT account_id, status, sis_ids FROM ${s}.account_roles WHERE district_id = $1 AND role = $2 AND account_id = ANY ($3::text[]) ORDER BY account_id FOR UPDATE`,
    readStudentIds: `SELECT sis_id FROM ${s}.students WHERE district_id = $1 AND sis_id = ANY ($2::text[])`,
    // The roles' foreign key is checked at the end of the statement, when the accounts are in.
    insertAccounts:
      `WITH new_accounts AS (INSERT INTO ${s}.accounts (id, first_name, last_name, email, mobile_phone, home_phone, language, claimed) ` +
      `SELECT * FROM unnest(${accountArrays}, $8::boolean[])) ` +
      `INSERT INTO ${s}.account_roles (account_id, district_id, role, status, sis_ids) ${roleRows(9)}`,
    // `claimed` is not among the columns set: a sync never changes it.
    updateAccounts:
      `UPDATE ${s}.accounts a SET first_name = u.first_name, last_name = u.last_name, email = u.email, mobile_phone = u.mobile_phone, ` +
      `home_phone = u.home_phone, language = u.language ` +
      `FROM unnest(${accountArrays}) AS u (id, first_name, last_name, email, mobile_phone, home_phone, language) WHERE a.id = u.id RETURNING a.id`,
    // A role equal to the stored one is left alone (no new row version, no trigger work);
    // role_sis_ids follows account_roles through the table's triggers.
    putRoles:
      `INSERT INTO ${s}.account_roles (account_id, district_id, role, status, sis_ids) ${roleRows(1)} ` +
      `ON CONFLICT (account_id, district_id, role) DO UPDATE SET status = excluded.status, sis_ids = excluded.sis_ids ` +
      `WHERE (account_roles.status, account_roles.sis_ids) IS DISTINCT FROM (excluded.status, excluded.sis_ids)`,
    insertLinks: `INSERT INTO ${s}.links (account_id, district_id, student_sis_id, source) SELECT * FROM ${linkArrays} ON CONFLICT DO NOTHING`,
    deleteLinks:
      `DELETE FROM ${s}.links l USING ${linkArrays} ` +
      'WHERE l.account_id = u.account_id AND l.district_id = u.district_id AND l.student_sis_id = u.student_sis_id AND l.source = u.source',
  };
}
