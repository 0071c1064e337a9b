// A guardian without an id is found again next run by the logins its new account ends with.
// When refusing one of its logins leaves it with the contact key another guardian of the file
// matches by (that guardian's own key, or its key with one login left blank: matching's pass
// 4), the other guardian would take the account next run. Such a guardian stops asking for
// the logins it was given, and logins are assigned again: it may get the other one now, or
// nothing (and is not added).
import { contactKey, emailKey, mobileKey } from '../resolve/contact-key.js';
import type { CredentialField, CredentialRequests, CredentialSolver } from '../resolve/credential-solver.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';

/**
 * Makes every guardian without id and without account that would end indistinguishable from
 * another guardian of the file stop asking for the logins it was given, one at a time, the
 * last by line first (what a later guardian stops asking for may free a login an earlier
 * one, who has priority, then gets whole), until none is left. `logins` is the assignment
 * of `requests`, updated in place.
 *
 * The result is that of assigning all logins again after each guardian settled (one round
 * per guardian), but only the guardians whose logins a withdrawal changed are looked at
 * again, and owners of a contact key are looked up among the guardians sharing its login.
 *
 * Returns, by guardian index, the guardian each settled guardian would have been
 * indistinguishable from (when it settled last).
 */
export function settleIndistinguishableGuardians(requests: CredentialRequests, logins: CredentialSolver): Map<number, FileGuardian> {
  const owners = new KeyOwners(requests, logins);
  const collidedWith = new Map<number, FileGuardian>();
  // Requests that must stop asking now, with the request whose key they would take; the
  // queue may hold stale or repeated entries, this map says which are current.
  const ownerOf = new Map<number, number>();
  const queue = new MaxHeap();
  const evaluate = (i: number): void => {
    ownerOf.delete(i);
    const g = requests.guardian(i);
    if (g.sisIds.length > 0 || requests.account(i) !== null) return;
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    const ended = contactKey({ firstName: g.fields.firstName, lastName: g.fields.lastName, email, mobilePhone });
    if (ended === null || ended === g.key) return;
    const owner = owners.firstOwner(ended, i, email, mobilePhone);
    if (owner === undefined) return;
    ownerOf.set(i, owner);
    queue.push(i);
  };
  // A request for a new account that asks for nothing has no login at all: it ends with no key.
  for (const i of logins.askingRequests()) evaluate(i);
  const changed: number[] = [];
  for (let i = queue.pop(); i !== undefined; i = queue.pop()) {
    const owner = ownerOf.get(i);
    if (owner === undefined) continue;
    collidedWith.set(requests.guardian(i).index, requests.guardian(owner));
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    changed.length = 0;
    if (email !== null) logins.withdraw(i, 'email', changed);
    if (mobilePhone !== null) logins.withdraw(i, 'mobilePhone', changed);
    for (const j of changed) evaluate(j);
  }
  return collidedWith;
}

/**
 * Which requests own a contact key: their own key, or their key with one login left blank
 * when they have both. Built lazily, per login, from the requests that have that login in
 * the file, so a file with one such guardian does not pay for three keys per guardian.
 */
class KeyOwners {
  /** Per login value: key → the two smallest owning requests. */
  private readonly byLogin: Record<CredentialField, Map<string, Map<string, number[]>>> = { email: new Map(), mobilePhone: new Map() };
  private everyKeyOwners: Map<string, number[]> | null = null;

  constructor(
    private readonly requests: CredentialRequests,
    private readonly logins: CredentialSolver,
  ) {}

  /** The first request by line, other than `self`, owning `key` (a key made of `email` and `mobile`). */
  firstOwner(key: string, self: number, email: string | null, mobile: string | null): number | undefined {
    const owners = this.ownersOf(key, email, mobile);
    for (const o of owners) if (o !== self) return o;
    return undefined;
  }

  private ownersOf(key: string, email: string | null, mobile: string | null): readonly number[] {
    // A key with one login can only be owned by a request that has that login in the file:
    // its own key (the other login blank) or its key with the other login left out. Logins
    // of the file are folded already, so "has the login" is string equality, as long as the
    // value is one folding leaves as it is (an ASCII email, any E.164 mobile): a non-ASCII
    // email folds to non-ASCII. Anything else takes the slow, exact way.
    if ((email === null) !== (mobile === null)) {
      const field: CredentialField = email !== null ? 'email' : 'mobilePhone';
      const value = (email ?? mobile)!;
      const stable = field === 'email' ? ASCII.test(value) && emailKey(value) === value : mobileKey(value) === value;
      const keys = stable ? this.keysOfLogin(field, value) : undefined;
      if (keys !== undefined) return keys.get(key) ?? NONE;
    }
    return this.everyKey().get(key) ?? NONE;
  }

  private keysOfLogin(field: CredentialField, value: string): Map<string, number[]> | undefined {
    const cache = this.byLogin[field];
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
    const keys = new Map<string, number[]>();
    const complete = this.logins.forEachRequestWithLogin(field, value, (o) => {
      const g = this.requests.guardian(o);
      if (g.key !== null) addOwner(keys, g.key, o);
      const { firstName, lastName, email, mobilePhone } = g.fields;
      if (email === null || mobilePhone === null) return;
      // Only the key keeping this login can equal a key made of this login alone.
      const partial = field === 'email' ? contactKey({ firstName, lastName, email, mobilePhone: null }) : contactKey({ firstName, lastName, email: null, mobilePhone });
      if (partial !== null) addOwner(keys, partial, o);
    });
    if (!complete) return undefined;
    cache.set(value, keys);
    return keys;
  }

  /** Every request's keys (the plain way, for keys the per-login index cannot answer). */
  private everyKey(): Map<string, number[]> {
    if (this.everyKeyOwners !== null) return this.everyKeyOwners;
    const owners = new Map<string, number[]>();
    const own = (k: string | null, i: number): void => {
      if (k !== null) addOwner(owners, k, i);
    };
    for (let i = 0; i < this.requests.length; i++) {
      if (!this.requests.present(i)) continue;
      const g = this.requests.guardian(i);
      own(g.key, i);
      const { firstName, lastName, email, mobilePhone } = g.fields;
      if (email !== null && mobilePhone !== null) {
        own(contactKey({ firstName, lastName, email: null, mobilePhone }), i);
        own(contactKey({ firstName, lastName, email, mobilePhone: null }), i);
      }
    }
    this.everyKeyOwners = owners;
    return owners;
  }
}

const ASCII = /^[\u0000-\u007f]*$/u;
const NONE: readonly number[] = Object.freeze([]);

/** Keeps the two smallest owners of a key: the first other than any one request is among them. */
function addOwner(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [i]);
    return;
  }
  if (list.includes(i)) return;
  list.push(i);
  list.sort((a, b) => a - b);
  if (list.length > 2) list.length = 2;
}

/** A binary max-heap of request positions. */
class MaxHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! >= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! > items[left]! ? right : left;
        if (items[child]! <= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
