// The roster import of the PostgreSQL store, inside a transaction the store opened. The
// matching rules are the shared ones (`importStaffRecords`), which ask synchronous
// questions; a database answers asynchronously, so every account a question can be about
// is read first, in three indexed statements (by staff SIS id in the record's district, by
// the records' emails, by their mobiles), and the rules run over those accounts in memory.
// That set is complete: the rules only ever look up a record's own staff id, email and
// mobile. What changed is then written back in a few set-based statements.
import type { DistrictMerge, NewAccount, RosterImport, RosterImportResult, StaffRecord, StoredAccount, StoredRole } from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Account, Org, RoleName, RoleStatus, Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { pickAccountFields } from '../model/account-roles.js';
import { compareText } from '../model/compare-text.js';
import { importStaffRecords } from '../stores/import-staff.js';
import { mergedRole } from '../stores/merge-district-roles.js';
import type { PgQueryable } from './pg-types.js';
import type { PostgresReads } from './postgres-reads.js';
import { createPostgresWriter } from './postgres-writer.js';

/** Rows per write statement of an import (a district's whole staff fits in one or a few). */
const IMPORT_BATCH = 10_000;

/** Imports `data` through `db` (a client inside an open transaction) into the schema `s` (quoted). */
export async function importPostgresRoster(db: PgQueryable, s: string, reads: PostgresReads, data: RosterImport, newAccountId: () => string): Promise<RosterImportResult> {
  await upsertOrgs(db, s, data.orgs);
  // After the orgs (the district merged into is one of them), before the rows, which then
  // update the moved students in place.
  for (const merge of data.mergeDistricts ?? []) await mergeDistrict(db, s, merge);
  await upsertStudents(db, s, data.students);
  const counts = await importStaff(db, s, reads, data.staff, newAccountId);
  return { orgs: data.orgs.length, students: data.students.length, ...counts };
}

async function upsertOrgs(db: PgQueryable, s: string, orgs: readonly Org[]): Promise<void> {
  // One row per id, the last wins: ON CONFLICT DO UPDATE refuses to touch a row twice.
  const rows = [...new Map(orgs.map((o) => [o.id, o])).values()];
  for (const batch of batches(rows)) {
    await db.query({
      text:
        `INSERT INTO ${s}.orgs (id, name, type, parent_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ` +
        'ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, parent_id = excluded.parent_id ' +
        'WHERE (orgs.name, orgs.type, orgs.parent_id) IS DISTINCT FROM (excluded.name, excluded.type, excluded.parent_id)',
      values: [batch.map((o) => o.id), batch.map((o) => o.name), batch.map((o) => o.type), batch.map((o) => o.parentId)],
    });
  }
}

/**
 * Folds district `from` into `into` (`RosterImport.mergeDistricts`): roles merged by the
 * shared rule (read, merged in memory, written whole; the triggers keep `role_sis_ids`), then
 * students, links and schools moved set-based, and org `from` deleted.
 */
async function mergeDistrict(db: PgQueryable, s: string, { from, into }: DistrictMerge): Promise<void> {
  if (from === into) return;
  const roles = await db.query({
    text:
      `SELECT f.account_id, f.role, f.status, f.sis_ids, t.status AS into_status, t.sis_ids AS into_sis_ids FROM ${s}.account_roles f ` +
      `LEFT JOIN ${s}.account_roles t ON t.account_id = f.account_id AND t.district_id = $2 AND t.role = f.role WHERE f.district_id = $1`,
    values: [from, into],
  });
  const merged = (roles.rows as { account_id: string; role: RoleName; status: RoleStatus; sis_ids: string[]; into_status: RoleStatus | null; into_sis_ids: string[] | null }[]).map(
    (row): StoredRole => {
      const intoRole = row.into_status === null ? undefined : { role: row.role, districtId: into, status: row.into_status, sisIds: row.into_sis_ids ?? [] };
      const role = mergedRole({ role: row.role, districtId: from, status: row.status, sisIds: row.sis_ids }, intoRole, into);
      return { accountId: row.account_id, districtId: into, role: role.role, status: role.status, sisIds: role.sisIds };
    },
  );
  const writer = createPostgresWriter(db, s, () => undefined);
  for (const batch of batches(merged)) await writer.putRoles(batch);
  const statements: [string, string[]][] = [
    [`DELETE FROM ${s}.account_roles WHERE district_id = $1`, [from]],
    // Students before links (a link names its student), links before students go (the foreign key).
    [
      `INSERT INTO ${s}.students (district_id, sis_id, school_id, first_name, last_name) SELECT $2, sis_id, school_id, first_name, last_name FROM ${s}.students WHERE district_id = $1 ON CONFLICT DO NOTHING`,
      [from, into],
    ],
    [`INSERT INTO ${s}.links (account_id, district_id, student_sis_id, source) SELECT account_id, $2, student_sis_id, source FROM ${s}.links WHERE district_id = $1 ON CONFLICT DO NOTHING`, [from, into]],
    [`DELETE FROM ${s}.links WHERE district_id = $1`, [from]],
    [`DELETE FROM ${s}.students WHERE district_id = $1`, [from]],
    [`UPDATE ${s}.orgs SET parent_id = $2 WHERE parent_id = $1 AND type = 'school'`, [from, into]],
    [`DELETE FROM ${s}.orgs WHERE id = $1 AND type = 'district'`, [from]],
  ];
  for (const [text, values] of statements) await db.query({ text, values });
}

async function upsertStudents(db: PgQueryable, s: string, students: readonly Student[]): Promise<void> {
  // Keyed by (district, SIS id): another district's student with the same SIS id is another row.
  const rows = [...new Map(students.map((st) => [JSON.stringify([st.districtId, st.sisId]), st])).values()];
  if (rows.length === 0) return;
  // Say which student's school is missing (by ids), rather than let the foreign key say it
  // in a message that quotes values.
  const schools = [...new Set(rows.map((st) => st.schoolId))];
  const missing = await db.query({
    text: `SELECT u.id FROM unnest($1::text[]) AS u (id) WHERE NOT EXISTS (SELECT 1 FROM ${s}.orgs o WHERE o.id = u.id)`,
    values: [schools],
    rowMode: 'array',
  });
  const missingSchool = (missing.rows as [string][])[0]?.[0];
  if (missingSchool !== undefined) {
    const student = rows.find((st) => st.schoolId === missingSchool);
    throw new GuardianSyncError(
      'STORE_FAILED',
      `Roster import: student "${student?.sisId ?? '?'}" of district "${student?.districtId ?? '?'}" belongs to school "${missingSchool}", which is not in the roster; nothing was imported. Import the school's org too.`,
    );
  }
  for (const batch of batches(rows)) {
    await db.query({
      text:
        `INSERT INTO ${s}.students (district_id, sis_id, school_id, first_name, last_name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ` +
        'ON CONFLICT (district_id, sis_id) DO UPDATE SET school_id = excluded.school_id, first_name = excluded.first_name, last_name = excluded.last_name ' +
        'WHERE (students.school_id, students.first_name, students.last_name) IS DISTINCT FROM (excluded.school_id, excluded.first_name, excluded.last_name)',
      values: [batch.map((st) => st.districtId), batch.map((st) => st.sisId), batch.map((st) => st.schoolId), batch.map((st) => st.firstName), batch.map((st) => st.lastName)],
    });
  }
}

async function importStaff(db: PgQueryable, s: string, reads: PostgresReads, staff: readonly StaffRecord[], newAccountId: () => string): Promise<{ staffCreated: number; staffUpdated: number }> {
  if (staff.length === 0) return { staffCreated: 0, staffUpdated: 0 };
  const view = new AccountView();
  const idsByDistrict = new Map<string, Set<string>>();
  for (const record of staff) {
    let ids = idsByDistrict.get(record.districtId);
    if (ids === undefined) idsByDistrict.set(record.districtId, (ids = new Set()));
    ids.add(record.sisId);
  }
  for (const [districtId, ids] of idsByDistrict) view.load(await reads.accountsByRoleSisIds(db, districtId, 'staff', [...ids]));
  view.load(await reads.accountsByEmails(db, unique(staff.map((r) => emailKey(r.email)))));
  view.load(await reads.accountsByMobiles(db, unique(staff.map((r) => mobileKey(r.mobilePhone)))));

  const counts = importStaffRecords(staff, {
    accountByStaffSisId: (districtId, sisId) => view.byStaffSisId(districtId, sisId),
    accountsByEmail: (email) => view.byEmail(email),
    accountsByMobile: (mobile) => view.byMobile(mobile),
    write: (account) => view.write(account),
    newAccountId,
  });
  await writeChanges(db, s, view);
  return counts;
}

/**
 * Writes what the import changed. Logins first: the accounts giving up an email or mobile
 * let go of it (set to null) before any account is written, so that a login passing from
 * one account to another never meets the unique index twice, whatever order the rows of
 * the next statements are written in.
 */
async function writeChanges(db: PgQueryable, s: string, view: AccountView): Promise<void> {
  const created: NewAccount[] = [];
  const updated: StoredAccount[] = [];
  const releasing: { id: string; email: boolean; mobile: boolean }[] = [];
  const roles: StoredRole[] = [];
  for (const account of view.changed()) {
    const before = view.original(account.id);
    const stored: StoredAccount = { id: account.id, ...pickAccountFields(account), claimed: account.claimed };
    const accountRoles = account.roles.map((role): StoredRole => ({ accountId: account.id, districtId: role.districtId, role: role.role, status: role.status, sisIds: role.sisIds }));
    if (before === undefined) {
      created.push({ account: stored, roles: accountRoles });
      continue;
    }
    updated.push(stored);
    // Roles equal to the stored ones are skipped by putRoles itself.
    roles.push(...accountRoles);
    const email = emailKey(before.email) !== null && emailKey(before.email) !== emailKey(account.email);
    const mobile = before.mobilePhone !== null && before.mobilePhone !== account.mobilePhone;
    if (email || mobile) releasing.push({ id: account.id, email, mobile });
  }
  for (const batch of batches(releasing)) {
    await db.query({
      text:
        `UPDATE ${s}.accounts a SET email = CASE WHEN u.email THEN NULL ELSE a.email END, mobile_phone = CASE WHEN u.mobile THEN NULL ELSE a.mobile_phone END ` +
        'FROM unnest($1::text[], $2::boolean[], $3::boolean[]) AS u (id, email, mobile) WHERE a.id = u.id',
      values: [batch.map((r) => r.id), batch.map((r) => r.email), batch.map((r) => r.mobile)],
    });
  }
  // The writer's statements serve the import too (an import never changes `claimed`, which
  // updateAccounts leaves alone). Its guard has nothing to stop: the import runs to the end.
  const writer = createPostgresWriter(db, s, () => undefined);
  for (const batch of batches(updated)) await writer.updateAccounts(batch);
  for (const batch of batches(created)) await writer.insertAccounts(batch);
  for (const batch of batches(roles)) await writer.putRoles(batch);
}

/**
 * The accounts the import may look at, indexed as the rules ask: by staff SIS id in a
 * district, by folded email, by mobile. `write` replaces an account and its index entries.
 */
class AccountView {
  private readonly accounts = new Map<string, Account>();
  private readonly originals = new Map<string, Account>();
  private readonly dirty = new Set<string>();
  private readonly staffIds = new Map<string, Set<string>>();
  private readonly emails = new Map<string, Set<string>>();
  private readonly mobiles = new Map<string, Set<string>>();

  load(accounts: readonly Account[]): void {
    for (const account of accounts) {
      if (this.accounts.has(account.id)) continue;
      this.originals.set(account.id, account);
      this.index(account);
    }
  }

  original(id: string): Account | undefined {
    return this.originals.get(id);
  }

  changed(): Account[] {
    return [...this.dirty].sort(compareText).map((id) => this.accounts.get(id)!);
  }

  byStaffSisId(districtId: string, sisId: string): Account | undefined {
    // The smallest id when several hold it, as the other stores answer.
    const ids = [...(this.staffIds.get(staffKey(districtId, sisId)) ?? [])].sort(compareText);
    return ids[0] === undefined ? undefined : this.accounts.get(ids[0]);
  }

  byEmail(email: string): Account[] {
    const key = emailKey(email);
    return key === null ? [] : this.lookup(this.emails.get(key));
  }

  byMobile(mobile: string): Account[] {
    const key = mobileKey(mobile);
    return key === null ? [] : this.lookup(this.mobiles.get(key));
  }

  write(account: Account): void {
    const before = this.accounts.get(account.id);
    if (before !== undefined) this.unindex(before);
    this.index(account);
    this.dirty.add(account.id);
  }

  private lookup(ids: ReadonlySet<string> | undefined): Account[] {
    return [...(ids ?? [])].sort(compareText).map((id) => this.accounts.get(id)!);
  }

  private index(account: Account): void {
    this.accounts.set(account.id, account);
    for (const key of this.keysOf(account)) add(key.map, key.value, account.id);
  }

  private unindex(account: Account): void {
    for (const key of this.keysOf(account)) key.map.get(key.value)?.delete(account.id);
  }

  private keysOf(account: Account): { map: Map<string, Set<string>>; value: string }[] {
    const keys: { map: Map<string, Set<string>>; value: string }[] = [];
    const email = emailKey(account.email);
    if (email !== null) keys.push({ map: this.emails, value: email });
    const mobile = mobileKey(account.mobilePhone);
    if (mobile !== null) keys.push({ map: this.mobiles, value: mobile });
    for (const role of account.roles) {
      if (role.role === 'staff') for (const sisId of role.sisIds) keys.push({ map: this.staffIds, value: staffKey(role.districtId, sisId) });
    }
    return keys;
  }
}

function staffKey(districtId: string, sisId: string): string {
  return JSON.stringify([districtId, sisId]);
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key);
  if (ids === undefined) map.set(key, (ids = new Set()));
  ids.add(id);
}

function unique(values: readonly (string | null)[]): string[] {
  const out = new Set<string>();
  for (const value of values) if (value !== null) out.add(value);
  return [...out];
}

function* batches<T>(rows: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < rows.length; start += IMPORT_BATCH) yield rows.slice(start, start + IMPORT_BATCH);
}
