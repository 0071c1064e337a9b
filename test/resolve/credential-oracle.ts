// TEST ORACLE for the credential rounds (docs/identity-rules.md §3 with §2's "one more
// login" match): the original algorithm (planAccountChanges and assignCredentials as they
// were before the incremental rounds), kept verbatim apart from names. Not used by the
// library. Its `for (;;)` loop re-assigns every login once per settled guardian:
// O(k × guardians). test/plan/credential-rounds.test.ts proves the library's
// planAccountChanges and CredentialSolver give exactly its results.
import { createIssue, type Issue } from '../../src/errors/issue.js';
import type { FieldChange } from '../../src/model/plan.js';
import { isSharedAccount, type Account, type AccountFields } from '../../src/model/roster.js';
import { inHandOverOrder } from '../../src/plan/hand-over-order.js';
import {
  claimedAccountIssue,
  noAccountChanges,
  noContactCredentialIssue,
  planRoleChanges,
  sharedAccountIssue,
  type AccountChanges,
  type AccountChangesInput,
} from '../../src/plan/plan-account-changes.js';
import { contactKey, emailKey, mobileKey } from '../../src/resolve/contact-key.js';
import type { FileGuardian } from '../../src/resolve/group-rows-into-guardians.js';
import { first, lookup, type MultiMap, type RosterIndex } from '../../src/resolve/roster-index.js';

export type OracleField = 'email' | 'mobilePhone';
export interface OracleRequest {
  readonly guardian: FileGuardian;
  readonly account: Account | null;
  readonly locked: boolean;
  readonly ignore?: ReadonlySet<OracleField> | undefined;
}
export interface OracleCredentials {
  readonly email: string | null;
  readonly mobilePhone: string | null;
}
export interface OracleAssignment {
  readonly credentials: readonly OracleCredentials[];
  readonly after: readonly (readonly string[])[];
  readonly issues: readonly Issue[];
}
const REFUSED = -1;
const PROTECTED: readonly (keyof AccountFields)[] = ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone'];

export function oraclePlanAccountChanges(input: AccountChangesInput): AccountChanges {
  const { guardians, linkLines, matched, index } = input;
  const active = guardians.filter((g) => linkLines.count(g.index) > 0);
  // A guardian without an id is found again next run by the logins its new account ends
  // with. When refusing one of them leaves the contact key another guardian of the file
  // matches by (its own key, or one with a login left blank: matching's pass 4), that other
  // guardian would take the account next run. Such a guardian stops asking for the login it
  // was given, and logins are assigned again: it may get the other one now, or nothing (and
  // is not added). Rare; each round settles one login for good.
  let keyOwners: Map<string, number[]> | null = null;
  // Built only when a guardian without id is left with part of its key (rare).
  const ownersOf = (key: string): readonly number[] => {
    if (keyOwners === null) {
      const owners = new Map<string, number[]>();
      const own = (k: string | null, gi: number): void => {
        if (k === null) return;
        const list = owners.get(k);
        if (list === undefined) owners.set(k, [gi]);
        else list.push(gi);
      };
      for (const g of active) {
        own(g.key, g.index);
        const { firstName, lastName, email, mobilePhone } = g.fields;
        if (email !== null && mobilePhone !== null) {
          own(contactKey({ firstName, lastName, email: null, mobilePhone }), g.index);
          own(contactKey({ firstName, lastName, email, mobilePhone: null }), g.index);
        }
      }
      keyOwners = owners;
    }
    return keyOwners.get(key) ?? [];
  };
  const ignored = new Map<number, Set<OracleField>>();
  const collidedWith = new Map<number, FileGuardian>();
  let requests: OracleRequest[];
  let assigned: OracleAssignment;
  for (;;) {
    requests = active.map((g) => {
      const account = matched[g.index] ?? null;
      return { guardian: g, account, locked: account !== null && ((account.claimed && !input.updateClaimedAccounts) || isSharedAccount(account, input.districtId)), ignore: ignored.get(g.index) };
    });
    assigned = oracleAssignCredentials(requests, index);
    // One guardian per round, the last by line first: what a later guardian stops asking
    // for may free a login an earlier one (who has priority) then gets whole.
    let more = false;
    for (let i = requests.length - 1; i >= 0 && !more; i--) {
      const r = requests[i]!;
      const g = r.guardian;
      if (g.sisIds.length > 0 || r.account !== null) continue;
      const c = assigned.credentials[i]!;
      const ended = contactKey({ firstName: g.fields.firstName, lastName: g.fields.lastName, email: c.email, mobilePhone: c.mobilePhone });
      if (ended === null || ended === g.key) continue;
      const owner = ownersOf(ended).find((o) => o !== g.index);
      if (owner === undefined) continue;
      const set = ignored.get(g.index) ?? new Set<OracleField>();
      if (c.email !== null) set.add('email');
      if (c.mobilePhone !== null) set.add('mobilePhone');
      ignored.set(g.index, set);
      collidedWith.set(g.index, guardians[owner]!);
      more = true;
    }
    if (!more) break;
  }
  const out: AccountChanges = noAccountChanges(guardians.length, [...assigned.issues]);
  requests.forEach((request, i) => {
    const { guardian: g, account, locked } = request;
    const credentials = assigned.credentials[i]!;
    const lines = linkLines.of(g.index);
    if (credentials.email === null && credentials.mobilePhone === null) {
      out.effects[g.index] = 'skipped';
      out.issues.push(noContactCredentialIssue(g, collidedWith.get(g.index)));
      return;
    }
    if (account === null) {
      const accountId = input.newAccountId(g.sisIds[0] ?? g.key ?? `line:${g.firstLine}`);
      out.creates.push({ accountId, fields: { ...g.fields, ...credentials }, guardianSisIds: [...g.sisIds], lines });
      out.accountIds[g.index] = accountId;
      out.effects[g.index] = 'created';
      return;
    }

    out.accountIds[g.index] = account.id;
    let changed = false;
    const wanted: AccountFields = { ...g.fields, ...credentials };
    // A locked account (claimed, or shared: §4.2) only has an empty language filled.
    const changes = fieldChanges(account, wanted, locked ? (account.language === null ? ['language'] : []) : ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language']);
    if (changes.length > 0) {
      out.updates.push({ accountId: account.id, changes, lines });
      changed = true;
    }
    const kept = locked ? fieldChanges(account, { ...g.fields }, PROTECTED) : [];
    if (kept.length > 0) {
      if (isSharedAccount(account, input.districtId)) for (const change of kept) out.issues.push(sharedAccountIssue(g, change.field));
      else out.issues.push(claimedAccountIssue(g));
    }
    if (planRoleChanges(out, account, g, lines, input.districtId)) changed = true;
    out.effects[g.index] = changed ? 'changed' : 'same';
  });
  out.updates = inHandOverOrder(out.updates, oracleHandOvers(requests, assigned.after));
  return out;
}

/** The oracle's hand-overs; the ordering itself is the shared `inHandOverOrder`, which this change did not touch. */
function oracleHandOvers(requests: readonly OracleRequest[], after: readonly (readonly string[])[]): Map<string, readonly string[]> {
  const before = new Map<string, readonly string[]>();
  requests.forEach((r, i) => {
    const list = after[i];
    if (r.account !== null && list !== undefined && list.length > 0) before.set(r.account.id, list);
  });
  return before;
}

/** Field changes that bring `account` to `wanted`; logins compare case-insensitively (emails). */
function fieldChanges(account: Account, wanted: AccountFields, fields: readonly (keyof AccountFields)[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const before = account[field] ?? null;
    const after = wanted[field] ?? null;
    const same =
      field === 'email' ? emailKey(before) === emailKey(after) : field === 'mobilePhone' ? mobileKey(before) === mobileKey(after) : before === after;
    if (!same) changes.push({ field, before, after });
  }
  return changes;
}

export function oracleAssignCredentials(requests: readonly OracleRequest[], index: RosterIndex): OracleAssignment {
  const n = requests.length;
  const cur: Record<OracleField, (string | null)[]> = {
    email: requests.map((r) => (r.account === null ? null : emailKey(r.account.email))),
    mobilePhone: requests.map((r) => (r.account === null ? null : mobileKey(r.account.mobilePhone))),
  };
  // What each request wants its account to end with; a locked (claimed) account wants what it has.
  const want: Record<OracleField, (string | null)[]> = {
    email: requests.map((r, i) => (r.locked || r.ignore?.has('email') === true ? cur.email[i]! : r.guardian.fields.email)),
    mobilePhone: requests.map((r, i) => (r.locked || r.ignore?.has('mobilePhone') === true ? cur.mobilePhone[i]! : r.guardian.fields.mobilePhone)),
  };
  const holders: Record<OracleField, MultiMap<Account>> = { email: index.accountsByEmail, mobilePhone: index.accountsByMobile };
  const askers = new Map<string, number[]>();
  const requestOfAccount = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const account = requests[i]!.account;
    if (account !== null) requestOfAccount.set(account.id, i);
    for (const f of FIELDS) {
      const w = want[f][i]!;
      if (w === null || w === cur[f][i]) continue;
      const node = nodeOf(f, w);
      const list = askers.get(node);
      if (list === undefined) askers.set(node, [i]);
      else list.push(i);
    }
  }

  // winner(node) = the request that gets the value, or REFUSED. The holder of a value gives
  // it up only when its own request gets another value (or keeps another login while the
  // file clears this one): each node depends on at most one other, a functional graph walked
  // with an explicit stack (a long chain of hand-overs must not overflow the call stack).
  const winner = new Map<string, number>();
  const onPath = new Set<string>();
  const firstAsker = (node: string): number => askers.get(node)?.[0] ?? REFUSED;
  /** What decides whether the holder of `value` gives it up: settled, or another node to decide first. */
  const dependency = (f: OracleField, value: string): { readonly released: boolean } | { readonly node: string; readonly holder: number } => {
    const holderAccount = first(holders[f], value);
    if (holderAccount === undefined) return { released: true };
    // Damaged data (two accounts already share the login): nobody else is given it.
    if (lookup(holders[f], value).length > 1) return { released: false };
    const holder = requestOfAccount.get(holderAccount.id);
    if (holder === undefined || requests[holder]!.locked) return { released: false };
    const next = want[f][holder]!;
    if (next === value) return { released: false };
    if (next !== null) return { node: nodeOf(f, next), holder };
    // The file clears this field: the holder gives it up when it keeps a login in the other.
    const g = other(f);
    if (cur[g][holder] !== null) return { released: true };
    const otherWant = want[g][holder]!;
    return otherWant === null ? { released: false } : { node: nodeOf(g, otherWant), holder };
  };
  const decide = (start: string): void => {
    const stack = [start];
    while (stack.length > 0) {
      const node = stack[stack.length - 1]!;
      if (winner.has(node)) {
        stack.pop();
        onPath.delete(node);
        continue;
      }
      const [f, value] = splitNode(node);
      const dep = dependency(f, value);
      if ('released' in dep) {
        winner.set(node, dep.released ? firstAsker(node) : REFUSED);
        continue;
      }
      const decided = winner.get(dep.node);
      if (decided !== undefined) {
        winner.set(node, decided === dep.holder ? firstAsker(node) : REFUSED);
        continue;
      }
      if (onPath.has(dep.node)) {
        // A cycle of hand-overs: refused as a whole (see above).
        winner.set(node, REFUSED);
        continue;
      }
      onPath.add(node);
      stack.push(dep.node);
    }
  };

  const final: Record<OracleField, (string | null)[]> = { email: new Array<string | null>(n).fill(null), mobilePhone: new Array<string | null>(n).fill(null) };
  const issues: Issue[] = [];
  const after: (string[] | undefined)[] = new Array<string[] | undefined>(n);
  for (let i = 0; i < n; i++) {
    const r = requests[i]!;
    for (const f of FIELDS) {
      const w = want[f][i]!;
      if (w === null || w === cur[f][i]) {
        final[f][i] = cur[f][i]!;
        continue;
      }
      const node = nodeOf(f, w);
      if (!winner.has(node)) decide(node);
      if (winner.get(node) === i) {
        final[f][i] = w;
        const holder = first(holders[f], w);
        if (holder !== undefined) (after[i] ??= []).push(holder.id);
        continue;
      }
      final[f][i] = cur[f][i]!;
      const what = f === 'email' ? 'email address' : 'mobile phone';
      const kept = r.account === null ? 'the account was created without it' : 'the account keeps its current one';
      issues.push(
        createIssue('CREDENTIAL_IN_USE', `The ${what} on line ${r.guardian.fieldsLine} is already the login of another person: it was not given to this guardian (${kept}). Correct it in the SIS.`, {
          line: r.guardian.fieldsLine,
          column: f,
        }),
      );
    }
    // A blank in the file clears a login only when the account keeps the other one.
    for (const f of FIELDS) {
      if (want[f][i] === null && final[other(f)][i] !== null) final[f][i] = null;
    }
  }
  const credentials = requests.map((_, i): OracleCredentials => ({ email: final.email[i]!, mobilePhone: final.mobilePhone[i]! }));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { credentials, after: after.map((a) => a ?? []), issues };
}

const FIELDS: readonly OracleField[] = ['email', 'mobilePhone'];

function other(f: OracleField): OracleField {
  return f === 'email' ? 'mobilePhone' : 'email';
}

// Node keys: a field and a value (emails contain '@' and phones start with '+', but the
// prefix keeps the two graphs apart whatever the values are).
function nodeOf(f: OracleField, value: string): string {
  return `${f === 'email' ? 'e' : 'm'}:${value}`;
}

function splitNode(node: string): [OracleField, string] {
  return [node.startsWith('e:') ? 'email' : 'mobilePhone', node.slice(2)];
}
