// The SQLite store's part of a roster import that is not upserting rows: folding a district
// into another (`RosterImport.mergeDistricts`), inside the import's transaction. Rare (the
// placeholder district of an import without orgs.csv, once), so its statements are prepared
// when used rather than kept.
import type { AccountRole, RoleName, RoleStatus } from '../model/roster.js';
import { mergedRole } from '../stores/merge-district-roles.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { putRole, type SqliteWriterStatements } from './sqlite-writer.js';

/** A row of `SELECT status, sis_ids FROM account_roles`: SIS ids as JSON text. */
type IntoRoleRow = readonly [status: RoleStatus, sisIds: string];

/**
 * Moves district `from`'s roles, students, links and schools into `into` and deletes org
 * `from`, by the rules of `RosterImport.mergeDistricts`. Set-based but for roles, whose SIS
 * ids are merged one role at a time through `putRole` (which keeps `role_sis_ids` equal).
 */
export function mergeSqliteDistrict(db: SqliteDatabase, writes: SqliteWriterStatements, from: string, into: string): void {
  if (from === into) return;
  const roles = db.prepare('SELECT account_id, role, status, sis_ids FROM account_roles WHERE district_id = ?').raw(true).all(from) as [accountId: string, role: RoleName, status: RoleStatus, sisIds: string][];
  const intoRole = db.prepare('SELECT status, sis_ids FROM account_roles WHERE account_id = ? AND district_id = ? AND role = ?').raw(true);
  for (const [accountId, role, status, sisIds] of roles) {
    const existing = intoRole.get(accountId, into, role) as IntoRoleRow | undefined;
    const merged = mergedRole(
      { role, districtId: from, status, sisIds: JSON.parse(sisIds) as string[] },
      existing === undefined ? undefined : roleOfRow(existing, role, into),
      into,
    );
    putRole(writes, accountId, into, role, merged.status, merged.sisIds);
  }
  db.prepare('DELETE FROM role_sis_ids WHERE district_id = ?').run(from);
  db.prepare('DELETE FROM account_roles WHERE district_id = ?').run(from);
  // Students before links (a link names its student), links before students go (the foreign key).
  db.prepare(
    'INSERT INTO students (district_id, sis_id, school_id, first_name, last_name) SELECT ?, sis_id, school_id, first_name, last_name FROM students WHERE district_id = ? ON CONFLICT DO NOTHING',
  ).run(into, from);
  db.prepare('INSERT INTO links (account_id, district_id, student_sis_id, source) SELECT account_id, ?, student_sis_id, source FROM links WHERE district_id = ? ON CONFLICT DO NOTHING').run(
    into,
    from,
  );
  db.prepare('DELETE FROM links WHERE district_id = ?').run(from);
  db.prepare('DELETE FROM students WHERE district_id = ?').run(from);
  db.prepare("UPDATE orgs SET parent_id = ? WHERE parent_id = ? AND type = 'school'").run(into, from);
  db.prepare("DELETE FROM orgs WHERE id = ? AND type = 'district'").run(from);
}

/** The role of `into` that a row of `intoRole` holds. */
function roleOfRow([status, sisIds]: IntoRoleRow, role: RoleName, districtId: string): AccountRole {
  return { role, districtId, status, sisIds: JSON.parse(sisIds) as string[] };
}
