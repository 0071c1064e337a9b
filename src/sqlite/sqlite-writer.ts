// The SQLite store's `RosterWriter`: keyed reads and set-based writes of one transaction. The
// library decides every row (`applyPlan`); this file only maps each call onto statements
// over the batch, inside the transaction the store opened.
//
// Loop of prepared statements or one json_each statement per call? Measured on a 100,000-row
// batch in one transaction (a file roster of 100,000 accounts, roles, students and links;
// WAL, 128 MiB cache; median of 5, better-sqlite3 12.11 / SQLite 3.53, 2 CPUs):
//
//   call            loop     json_each   kept
//   readAccounts    365 ms   277 ms      json_each
//   readRoles       259 ms   250 ms      json_each
//   readStudentIds  123 ms    80 ms      json_each
//   deleteLinks     444 ms   356 ms      json_each
//   insertAccounts  904 ms   925 ms      loop   (with one role and SIS id each; the account
//                                                rows alone: 299 vs 386 ms, JSON for every field)
//   updateAccounts  435 ms   594 ms      loop   (UPDATE … FROM json_each, same reason)
//   insertLinks     375 ms   402 ms      loop   (and a refused row is known: the error names it)
//   putRoles        838 ms   778 ms      loop   (json_each needs a temp table and three statements
//                                                for 7%; the loop diffs each role's ids in JS)
//
// Reads and deletes send their keys as one JSON array (`IN (SELECT value FROM json_each(?))`:
// one statement, duplicates folded, the table searched in key order); inserts and updates
// run one prepared statement per row. Writes that can be refused (a foreign key, a key that
// exists) are the loops, so an error names the exact row.
import type { RosterWriter, StoredRole } from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { accountFromColumns, type AccountColumns } from '../stores/account-rows.js';
import type { GuardianLink, RoleName, RoleStatus } from '../model/roster.js';
import { asRowFailure } from './sqlite-errors.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

/**
 * Rows per writer call (`RosterStore.writeBatchSize`). SQLite has no round trips, so a batch
 * only bounds memory and how long one call holds the event loop (better-sqlite3 is
 * synchronous; the lease heartbeat and abort signals wait for it): 1,000 rows take 1–9 ms
 * per call on the machine above. The table above run as 100 calls of 1,000 rows, or 20 of
 * 5,000, moved each write by under 10% either way (reads got faster: 204 ms for
 * readAccounts, less garbage than one 100,000-row call), so nothing is won above 1,000.
 */
export const SQLITE_WRITE_BATCH_SIZE = 1_000;

const ACCOUNT_COLUMNS = 'id, first_name, last_name, email, mobile_phone, home_phone, language, claimed';

// Rows of the raw statements below, column by column in SELECT order (`accounts` reads
// ACCOUNT_COLUMNS: `AccountColumns`).
/** `roles`: SIS ids as JSON text. */
type RoleRow = readonly [accountId: string, status: RoleStatus, sisIds: string];
/** `studentIds`. */
type StudentIdRow = readonly [sisId: string];
/** `roleIds`: JSON text. */
type RoleIdsRow = readonly [sisIds: string];

export type SqliteWriterStatements = ReturnType<typeof prepareWriterStatements>;

export function prepareWriterStatements(db: SqliteDatabase) {
  const raw = (sql: string): SqliteStatement => db.prepare(sql).raw(true);
  return {
    accounts: raw(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id IN (SELECT value FROM json_each(?))`),
    roles: raw('SELECT account_id, status, sis_ids FROM account_roles WHERE district_id = ? AND role = ? AND account_id IN (SELECT value FROM json_each(?))'),
    studentIds: raw('SELECT sis_id FROM students WHERE district_id = ? AND sis_id IN (SELECT value FROM json_each(?))'),
    // No ON CONFLICT: the library read that none of these ids exists, so one that does is an error.
    insertAccount: db.prepare(`INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    // `claimed` is not among the columns: a sync never changes it.
    updateAccount: db.prepare('UPDATE accounts SET first_name = ?, last_name = ?, email = ?, mobile_phone = ?, home_phone = ?, language = ? WHERE id = ?'),
    roleIds: raw('SELECT sis_ids FROM account_roles WHERE account_id = ? AND district_id = ? AND role = ?'),
    insertRole: db.prepare('INSERT INTO account_roles (account_id, district_id, role, status, sis_ids) VALUES (?, ?, ?, ?, ?)'),
    putRole: db.prepare(
      'INSERT INTO account_roles (account_id, district_id, role, status, sis_ids) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (account_id, district_id, role) DO UPDATE SET status = excluded.status, sis_ids = excluded.sis_ids',
    ),
    insertRoleSisId: db.prepare('INSERT INTO role_sis_ids (district_id, role, sis_id, account_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteRoleSisId: db.prepare('DELETE FROM role_sis_ids WHERE district_id = ? AND role = ? AND sis_id = ? AND account_id = ?'),
    insertLink: db.prepare('INSERT INTO links (account_id, district_id, student_sis_id, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteLinks: db.prepare(
      'DELETE FROM links WHERE (account_id, district_id, student_sis_id, source) IN ' +
        '(SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(?) j)',
    ),
  };
}

/**
 * The writer of one transaction. `isOpen` says whether that transaction is still pending: a
 * writer kept past its transaction would write outside any, so it refuses instead.
 */
export function createSqliteWriter(sql: SqliteWriterStatements, isOpen: () => boolean): RosterWriter {
  const check = (method: string): void => {
    if (!isOpen()) {
      throw new GuardianSyncError('STORE_FAILED', `RosterWriter.${method} was called after its transaction ended: a writer is valid only inside the body it was given to.`);
    }
  };
  return {
    async readAccounts(ids) {
      check('readAccounts');
      return (sql.accounts.all(JSON.stringify(ids)) as AccountColumns[]).map(accountFromColumns);
    },

    async readRoles(districtId, role, accountIds) {
      check('readRoles');
      return (sql.roles.all(districtId, role, JSON.stringify(accountIds)) as RoleRow[]).map(
        ([accountId, status, sisIds]): StoredRole => ({ accountId, districtId, role, status, sisIds: JSON.parse(sisIds) as string[] }),
      );
    },

    async readStudentIds(districtId, sisIds) {
      check('readStudentIds');
      return (sql.studentIds.all(districtId, JSON.stringify(sisIds)) as StudentIdRow[]).map(([sisId]) => sisId);
    },

    async insertAccounts(accounts) {
      check('insertAccounts');
      // Each account with its roles, in the one transaction: never an account without them. A
      // new account has no roles yet (they refer to it), so they are inserted, not diffed.
      for (const { account: a, roles } of accounts) {
        try {
          sql.insertAccount.run(a.id, a.firstName, a.lastName, a.email, a.mobilePhone, a.homePhone, a.language, a.claimed ? 1 : 0);
          for (const r of roles) {
            sql.insertRole.run(a.id, r.districtId, r.role, r.status, JSON.stringify(r.sisIds));
            for (const id of r.sisIds) sql.insertRoleSisId.run(r.districtId, r.role, id, a.id);
          }
        } catch (error) {
          throw asRowFailure(error, `the new account "${a.id}"`);
        }
      }
    },

    async updateAccounts(accounts) {
      check('updateAccounts');
      // Row by row, in the order given. No row of a call takes a login another row of it
      // gives up: the library cuts its batches there (RosterWriter.updateAccounts).
      for (const a of accounts) {
        try {
          sql.updateAccount.run(a.firstName, a.lastName, a.email, a.mobilePhone, a.homePhone, a.language, a.id);
        } catch (error) {
          throw asRowFailure(error, `the fields of account "${a.id}"`);
        }
      }
    },

    async putRoles(roles) {
      check('putRoles');
      for (const r of roles) {
        try {
          putRole(sql, r.accountId, r.districtId, r.role, r.status, r.sisIds);
        } catch (error) {
          throw asRowFailure(error, `the ${r.role} role of account "${r.accountId}" in district "${r.districtId}"`);
        }
      }
    },

    async insertLinks(links) {
      check('insertLinks');
      let inserted = 0;
      for (const l of links) {
        try {
          inserted += sql.insertLink.run(l.accountId, l.districtId, l.studentSisId, l.source).changes;
        } catch (error) {
          throw asRowFailure(error, describeLink(l));
        }
      }
      return inserted;
    },

    async deleteLinks(links) {
      check('deleteLinks');
      if (links.length === 0) return 0;
      try {
        return sql.deleteLinks.run(JSON.stringify(links.map((l) => [l.accountId, l.districtId, l.studentSisId, l.source]))).changes;
      } catch (error) {
        throw asRowFailure(error, `${links.length} links of district "${links[0]?.districtId ?? ''}"`);
      }
    },
  };
}

/**
 * Writes a role whole and keeps `role_sis_ids` (the lookup by SIS id) equal to it: ids the
 * role no longer holds leave the table, new ones enter it. Also used by the roster import.
 */
export function putRole(sql: SqliteWriterStatements, accountId: string, districtId: string, role: RoleName, status: RoleStatus, sisIds: readonly string[]): void {
  const [storedIds] = (sql.roleIds.get(accountId, districtId, role) as RoleIdsRow | undefined) ?? [];
  const before = storedIds === undefined ? [] : (JSON.parse(storedIds) as string[]);
  sql.putRole.run(accountId, districtId, role, status, JSON.stringify(sisIds));
  const after = new Set(sisIds);
  const held = new Set(before);
  for (const id of before) if (!after.has(id)) sql.deleteRoleSisId.run(districtId, role, id, accountId);
  for (const id of sisIds) if (!held.has(id)) sql.insertRoleSisId.run(districtId, role, id, accountId);
}

function describeLink(l: GuardianLink): string {
  return `the "${l.source}" link of account "${l.accountId}" to student "${l.studentSisId}" of district "${l.districtId}"`;
}
