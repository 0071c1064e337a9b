// The stored roster indexed once per run, so that resolving a million rows against a million
// accounts is a handful of Map lookups per guardian, never a scan.
import type { Account, GuardianLink, RosterSnapshot, Student } from '../model/roster.js';
import { emailKey, keyOf, mobileKey, nameKey } from './contact-key.js';

export interface RosterIndex {
  readonly accountsById: ReadonlyMap<string, Account>;
  /** Accounts whose guardian role (active or archived) holds the SIS id; usually one. */
  readonly accountsBySisId: ReadonlyMap<string, readonly Account[]>;
  /** Accounts by contact key (any role); usually one. */
  readonly accountsByKey: ReadonlyMap<string, readonly Account[]>;
  /** Which account holds each email (lower-cased) and mobile: logins are never shared. */
  readonly emailHolder: ReadonlyMap<string, string>;
  readonly mobileHolder: ReadonlyMap<string, string>;
  readonly studentsBySisId: ReadonlyMap<string, Student>;
  readonly scopeSchools: ReadonlySet<string>;
  /** Every link of an account, from any source. */
  readonly linksByAccount: ReadonlyMap<string, readonly GuardianLink[]>;
}

/** Indexes a snapshot in one pass over accounts, students and links. */
export function indexSnapshot(snapshot: RosterSnapshot): RosterIndex {
  const accountsById = new Map<string, Account>();
  const accountsBySisId = new Map<string, Account[]>();
  const accountsByKey = new Map<string, Account[]>();
  const emailHolder = new Map<string, string>();
  const mobileHolder = new Map<string, string>();
  for (const account of snapshot.accounts) {
    accountsById.set(account.id, account);
    for (const role of account.roles) {
      if (role.role !== 'guardian') continue;
      for (const sisId of role.sisIds) push(accountsBySisId, sisId, account);
    }
    const key = accountKey(account);
    if (key !== null) push(accountsByKey, key, account);
    const email = emailKey(account.email);
    if (email !== null && !emailHolder.has(email)) emailHolder.set(email, account.id);
    const mobile = mobileKey(account.mobilePhone);
    if (mobile !== null && !mobileHolder.has(mobile)) mobileHolder.set(mobile, account.id);
  }
  const studentsBySisId = new Map<string, Student>();
  for (const student of snapshot.students) studentsBySisId.set(student.sisId, student);
  const linksByAccount = new Map<string, GuardianLink[]>();
  for (const link of snapshot.links) push(linksByAccount, link.accountId, link);
  return {
    accountsById,
    accountsBySisId,
    accountsByKey,
    emailHolder,
    mobileHolder,
    studentsBySisId,
    scopeSchools: new Set(snapshot.scope.schoolIds),
    linksByAccount,
  };
}

/** Contact key of a stored account (names folded, email lower-cased). */
export function accountKey(account: Account): string | null {
  return keyOf(nameKey(account.firstName), nameKey(account.lastName), emailKey(account.email), mobileKey(account.mobilePhone));
}

/** The guardian role of an account, if it has one. */
export function guardianRoleOf(account: Account): Account['roles'][number] | undefined {
  return account.roles.find((r) => r.role === 'guardian');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
