// The stored roster indexed once per run, so that resolving a million rows against a million
// accounts is a handful of Map lookups per guardian, never a scan. Built for size: one Map
// entry per account and login, no array per entry (a list only where data is damaged and
// two accounts share an id or a login), no contact-key string per stored account.
import type { Account, GuardianLink, RosterSnapshot, Student } from '../model/roster.js';
import { emailKey, keyOf, mobileKey, nameKey } from './contact-key.js';

/** One value per key, or a list when several share the key (rare). */
export type MultiMap<V> = ReadonlyMap<string, V | readonly V[]>;

export interface RosterIndex {
  /** Accounts whose guardian role (active or archived) holds the SIS id; usually one. */
  readonly accountsBySisId: MultiMap<Account>;
  /** Accounts by login (email lower-cased, mobile E.164); usually one, as logins are never shared. */
  readonly accountsByEmail: MultiMap<Account>;
  readonly accountsByMobile: MultiMap<Account>;
  readonly studentsBySisId: ReadonlyMap<string, Student>;
  readonly scopeSchools: ReadonlySet<string>;
  /** Every link of an account, from any source. */
  readonly linksByAccount: MultiMap<GuardianLink>;
}

/** The ids and logins a file mentions: only accounts holding one of them can matter. */
export interface RelevantKeys {
  readonly sisIds: ReadonlySet<string>;
  readonly emails: ReadonlySet<string>;
  readonly mobiles: ReadonlySet<string>;
}

/**
 * Indexes a snapshot in one pass over accounts, students and links. With `relevant`, only
 * accounts holding one of its ids or logins are indexed by id and login (a school's file
 * against a district of a million accounts indexes a few thousand).
 */
export function indexSnapshot(snapshot: RosterSnapshot, relevant?: RelevantKeys): RosterIndex {
  const accountsBySisId = new Map<string, Account | Account[]>();
  const accountsByEmail = new Map<string, Account | Account[]>();
  const accountsByMobile = new Map<string, Account | Account[]>();
  for (const account of snapshot.accounts) {
    const email = emailKey(account.email);
    const mobile = mobileKey(account.mobilePhone);
    if (relevant !== undefined && !isRelevant(account, email, mobile, relevant)) continue;
    for (const role of account.roles) {
      if (role.role !== 'guardian') continue;
      for (const sisId of role.sisIds) add(accountsBySisId, sisId, account);
    }
    if (email !== null) add(accountsByEmail, email, account);
    if (mobile !== null) add(accountsByMobile, mobile, account);
  }
  const studentsBySisId = new Map<string, Student>();
  for (const student of snapshot.students) studentsBySisId.set(student.sisId, student);
  const linksByAccount = new Map<string, GuardianLink | GuardianLink[]>();
  for (const link of snapshot.links) add(linksByAccount, link.accountId, link);
  return {
    accountsBySisId,
    accountsByEmail,
    accountsByMobile,
    studentsBySisId,
    scopeSchools: new Set(snapshot.scope.schoolIds),
    linksByAccount,
  };
}

/** The values under a key of a MultiMap (empty when none). */
export function lookup<V>(map: MultiMap<V>, key: string): readonly V[] {
  const found = map.get(key);
  if (found === undefined) return [];
  return Array.isArray(found) ? (found as readonly V[]) : [found as V];
}

/** The first value under a key (the holder of a login), or undefined. */
export function first<V>(map: MultiMap<V>, key: string): V | undefined {
  const found = map.get(key);
  return Array.isArray(found) ? (found as readonly V[])[0] : (found as V | undefined);
}

/**
 * Accounts whose contact key is `key`: found through the login the key carries (an equal key
 * means an equal email, or an equal mobile when the email is blank), then compared whole.
 */
export function accountsWithKey(index: RosterIndex, key: string | null, email: string | null, mobile: string | null): readonly Account[] {
  if (key === null) return [];
  const candidates = email !== null ? lookup(index.accountsByEmail, email) : mobile !== null ? lookup(index.accountsByMobile, mobile) : [];
  return candidates.filter((a) => accountKey(a) === key);
}

/** Contact key of a stored account (names folded, email lower-cased). */
export function accountKey(account: Account): string | null {
  return keyOf(nameKey(account.firstName), nameKey(account.lastName), emailKey(account.email), mobileKey(account.mobilePhone));
}

/** The guardian role of an account, if it has one. */
export function guardianRoleOf(account: Account): Account['roles'][number] | undefined {
  return account.roles.find((r) => r.role === 'guardian');
}

function isRelevant(account: Account, email: string | null, mobile: string | null, relevant: RelevantKeys): boolean {
  if (email !== null && relevant.emails.has(email)) return true;
  if (mobile !== null && relevant.mobiles.has(mobile)) return true;
  for (const role of account.roles) {
    if (role.role !== 'guardian') continue;
    for (const sisId of role.sisIds) if (relevant.sisIds.has(sisId)) return true;
  }
  return false;
}

function add<V>(map: Map<string, V | V[]>, key: string, value: V): void {
  const found = map.get(key);
  if (found === undefined) map.set(key, value);
  else if (Array.isArray(found)) found.push(value);
  else map.set(key, [found, value]);
}
