// How a roster import turns staff records into accounts, shared by the shipped stores over
// a small synchronous lookup interface (each store answers it from its own indexes).
//
// The rules, kept simple on purpose (docs/adapters.md):
// 1. An account whose staff role in the record's district holds the record's SIS id is that
//    person (staff SIS ids are unique only inside a district).
// 2. Else an account with an equal contact key (docs/identity-rules.md: first and last name
//    case-insensitively, email case-insensitively, mobile, at least one of email/mobile
//    present) is that person, whatever its roles: a parent who is also a teacher keeps one
//    account. Never on email or phone alone.
// 3. Else a new account.
// The staff role gets the SIS id and is active. Names and contacts are set unless the
// account is claimed. An email or mobile another account already logs in with is not given
// (a new account leaves it empty; an existing one keeps its own): logins are never shared.
// Records are passed over again while a pass changes something (a login freed by a later
// record), so that importing the same data twice ends as importing it once.
import type { StaffRecord } from '../contracts/roster-store.js';
import type { Account } from '../model/roster.js';
import { sameAccount, unionRole } from '../model/account-roles.js';

export interface StaffImportAccess {
  /** The account whose staff role in `districtId` holds `sisId` (the smallest id when several do). */
  accountByStaffSisId(districtId: string, sisId: string): Account | undefined;
  /** Accounts whose email equals `email` case-insensitively. */
  accountsByEmail(email: string): readonly Account[];
  accountsByMobile(mobilePhone: string): readonly Account[];
  /** Stores the account (created or replaced); later lookups must see it. */
  write(account: Account): void;
  newAccountId(): string;
}

export interface StaffImportCounts {
  readonly staffCreated: number;
  readonly staffUpdated: number;
}

/** Passes at most: enough for chains of freed logins in one import, bounded whatever the data. */
const MAX_PASSES = 4;

export function importStaffRecords(staff: Iterable<StaffRecord>, access: StaffImportAccess): StaffImportCounts {
  const records = [...staff];
  const created = new Set<string>();
  const updated = new Set<string>();
  // A record may want a login that a later record frees (a number reassigned from one
  // teacher to another): another pass gives it, so importing the same data again changes
  // nothing. Passes stop as soon as one changes nothing.
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    if (!importPass(records, access, created, updated)) break;
  }
  for (const id of created) updated.delete(id);
  return { staffCreated: created.size, staffUpdated: updated.size };
}

/** One pass over the records; true when it changed anything. */
function importPass(records: readonly StaffRecord[], access: StaffImportAccess, created: Set<string>, updated: Set<string>): boolean {
  let changed = false;
  for (const record of records) {
    const existing = access.accountByStaffSisId(record.districtId, record.sisId) ?? matchByContactKey(record, access);
    if (existing === undefined) {
      const id = access.newAccountId();
      access.write({
        id,
        firstName: record.firstName,
        lastName: record.lastName,
        email: freeCredential(record.email, undefined, access.accountsByEmail.bind(access)),
        mobilePhone: freeCredential(record.mobilePhone, undefined, access.accountsByMobile.bind(access)),
        homePhone: record.homePhone,
        language: null,
        claimed: false,
        roles: unionRole([], 'staff', record.districtId, [record.sisId], 'active'),
      });
      created.add(id);
      changed = true;
      continue;
    }
    const next: Account = {
      ...existing,
      ...(existing.claimed
        ? {}
        : {
            firstName: record.firstName,
            lastName: record.lastName,
            // The SIS's value, unless another account logs in with it: then keep our own.
            email: blankToNull(record.email) === null ? null : (freeCredential(record.email, existing, access.accountsByEmail.bind(access)) ?? existing.email),
            mobilePhone:
              blankToNull(record.mobilePhone) === null ? null : (freeCredential(record.mobilePhone, existing, access.accountsByMobile.bind(access)) ?? existing.mobilePhone),
            homePhone: record.homePhone,
          }),
      roles: unionRole(existing.roles, 'staff', record.districtId, [record.sisId], 'active'),
    };
    if (!sameAccount(existing, next)) {
      access.write(next);
      updated.add(next.id);
      changed = true;
    }
  }
  return changed;
}

function blankToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

/** The credential when no other account holds it; null when it is empty or taken. */
function freeCredential(value: string | null, self: Account | undefined, holders: (value: string) => readonly Account[]): string | null {
  if (value === null || value === '') return null;
  return holders(value).some((a) => a.id !== self?.id) ? null : value;
}

function matchByContactKey(record: StaffRecord, access: StaffImportAccess): Account | undefined {
  const candidates =
    record.email !== null && record.email !== ''
      ? access.accountsByEmail(record.email)
      : record.mobilePhone !== null && record.mobilePhone !== ''
        ? access.accountsByMobile(record.mobilePhone)
        : [];
  const matches = candidates.filter(
    (a) =>
      foldName(a.firstName) === foldName(record.firstName) &&
      foldName(a.lastName) === foldName(record.lastName) &&
      foldEmail(a.email) === foldEmail(record.email) &&
      (a.mobilePhone ?? null) === (record.mobilePhone === '' ? null : record.mobilePhone),
  );
  return matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

/** Case-insensitive, accent-sensitive (José ≠ Jose), NFC so composed and decomposed agree. */
function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

function foldEmail(email: string | null): string | null {
  return email === null || email === '' ? null : email.toLowerCase();
}
