// The stored roster's accounts by login, built only for the logins a plan looks up: a
// district's file against a roster of a million accounts matches nearly everyone by SIS id
// and asks for a few thousand logins, so indexing every account's email and mobile (two Map
// entries per account) would cost more than the whole rest of the plan.
import type { Account } from '../model/roster.js';
import { emailKey, hasContactKey, mobileKey, sameName } from './contact-key.js';

/** One value per key, or a list when several share the key (rare). */
export type MultiMap<V> = ReadonlyMap<string, V | readonly V[]>;

/** Stored accounts by login (email lower-cased, mobile E.164). */
export interface RosterIndex {
  /** Usually one account per login, as logins are never shared. */
  readonly accountsByEmail: MultiMap<Account>;
  readonly accountsByMobile: MultiMap<Account>;
}

/**
 * A {@link RosterIndex} that holds, for every login it was asked to {@link LoginIndex.cover},
 * every stored account holding that login, and nothing else. Each `cover` with new logins is
 * one pass over the accounts with a lookup in a small set; the logins of each account are
 * folded once.
 */
export class LoginIndex implements RosterIndex {
  readonly accountsByEmail = new Map<string, Account | Account[]>();
  readonly accountsByMobile = new Map<string, Account | Account[]>();
  private readonly coveredEmails = new Set<string>();
  private readonly coveredMobiles = new Set<string>();
  private readonly positions = new Map<Account, number>();
  private emails: (string | null)[] | null = null;
  private mobiles: (string | null)[] | null = null;

  constructor(private readonly accounts: readonly Account[]) {}

  /** Makes sure the index holds every account with one of these logins (nulls are ignored). */
  cover(emails: Iterable<string | null>, mobiles: Iterable<string | null>): void {
    const newEmails = uncovered(emails, this.coveredEmails);
    const newMobiles = uncovered(mobiles, this.coveredMobiles);
    if (newEmails === null && newMobiles === null) return;
    if (this.emails === null || this.mobiles === null) {
      this.emails = this.accounts.map((a) => emailKey(a.email));
      this.mobiles = this.accounts.map((a) => mobileKey(a.mobilePhone));
    }
    for (let pos = 0; pos < this.accounts.length; pos++) {
      const email = this.emails[pos]!;
      const mobile = this.mobiles[pos]!;
      const account = this.accounts[pos]!;
      if (newEmails !== null && email !== null && newEmails.has(email)) this.add(this.accountsByEmail, email, account, pos);
      if (newMobiles !== null && mobile !== null && newMobiles.has(mobile)) this.add(this.accountsByMobile, mobile, account, pos);
    }
  }

  /** Position in the snapshot's accounts of an account this index holds. */
  positionOf(account: Account): number {
    return this.positions.get(account) ?? -1;
  }

  private add(map: Map<string, Account | Account[]>, key: string, account: Account, pos: number): void {
    this.positions.set(account, pos);
    const found = map.get(key);
    if (found === undefined) map.set(key, account);
    else if (Array.isArray(found)) found.push(account);
    else map.set(key, [found, account]);
  }
}

function uncovered(values: Iterable<string | null>, covered: Set<string>): Set<string> | null {
  let out: Set<string> | null = null;
  for (const value of values) {
    if (value === null || covered.has(value)) continue;
    covered.add(value);
    (out ??= new Set()).add(value);
  }
  return out;
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
 * Accounts whose contact key is made of these names and logins: found through the login the
 * key carries (an equal key means an equal email, or an equal mobile when the email is
 * blank), then compared whole. The index must cover that login.
 */
export function accountsWithKey(index: RosterIndex, firstName: string, lastName: string, email: string | null, mobile: string | null): readonly Account[] {
  const candidates = email !== null ? lookup(index.accountsByEmail, email) : mobile !== null ? lookup(index.accountsByMobile, mobile) : [];
  if (candidates.length === 0) return candidates;
  const key = { firstName, lastName, email, mobilePhone: mobile };
  return candidates.filter((a) => hasContactKey(a, key));
}

/**
 * Accounts with these names and this one login, whatever their other login: for a guardian
 * whose other login the file does not know (an invalid value, or no column). The index must
 * cover the login.
 */
export function accountsWithLogin(index: RosterIndex, firstName: string, lastName: string, field: 'email' | 'mobilePhone', login: string): readonly Account[] {
  const candidates = field === 'email' ? lookup(index.accountsByEmail, login) : lookup(index.accountsByMobile, login);
  return candidates.filter((a) => sameName(a.firstName, firstName) && sameName(a.lastName, lastName));
}
