// IDENTITY-RULES.md §3: logins are never shared. Decides, for every guardian that will be
// created or updated, which email and mobile its account ends up with, so that no two
// accounts hold the same one after the plan is applied.
import { createIssue, type Issue } from '../errors/issue.js';
import type { Account } from '../model/roster.js';
import { emailKey, mobileKey } from './contact-key.js';
import type { FileGuardian } from './group-rows-into-guardians.js';
import { first, lookup, type MultiMap, type RosterIndex } from './roster-index.js';

export interface CredentialRequest {
  readonly guardian: FileGuardian;
  /** The matched stored account, or null when the guardian gets a new account. */
  readonly account: Account | null;
  /** A claimed account the sync may not change (§4): it keeps its logins, whatever the file says. */
  readonly locked: boolean;
  /** Logins of the file this guardian does not ask for (their account keeps its value in these fields). */
  readonly ignore?: ReadonlySet<CredentialField> | undefined;
}

export interface Credentials {
  readonly email: string | null;
  readonly mobilePhone: string | null;
}

export interface CredentialAssignment {
  /** The logins each request's account ends with, in request order. */
  readonly credentials: readonly Credentials[];
  /**
   * For each request, the stored accounts whose login it takes over in this plan: their
   * updates must be applied before its own (or its create), so that no two accounts hold
   * one login even for a moment.
   */
  readonly after: readonly (readonly string[])[];
  /** CREDENTIAL_IN_USE warnings (they name the line, never the other person). */
  readonly issues: readonly Issue[];
}

export type CredentialField = 'email' | 'mobilePhone';
const REFUSED = -1;

/**
 * Assigns logins. A guardian asks for a value when the file's value differs from its
 * account's; it gets it when no account holds it, or when the account holding it gives it up
 * in this same plan, and it is the first asker by line. An account gives a value up when its
 * own guardian is given another value, or when the file leaves that field blank and the
 * account keeps another login. Chains of hand-overs are followed; a cycle (two accounts
 * swapping emails) is refused as a whole, as no order of single updates could apply it.
 * A refused value leaves a new account's field empty and an existing account's as it is;
 * a blank in the file clears a login only when the account keeps the other one.
 * Requests must be in first-line order; the result is the same for any row order.
 */
export function assignCredentials(requests: readonly CredentialRequest[], index: RosterIndex): CredentialAssignment {
  const n = requests.length;
  const cur: Record<CredentialField, (string | null)[]> = {
    email: requests.map((r) => (r.account === null ? null : emailKey(r.account.email))),
    mobilePhone: requests.map((r) => (r.account === null ? null : mobileKey(r.account.mobilePhone))),
  };
  // What each request wants its account to end with; a locked (claimed) account wants what it has.
  const want: Record<CredentialField, (string | null)[]> = {
    email: requests.map((r, i) => (r.locked || r.ignore?.has('email') === true ? cur.email[i]! : r.guardian.fields.email)),
    mobilePhone: requests.map((r, i) => (r.locked || r.ignore?.has('mobilePhone') === true ? cur.mobilePhone[i]! : r.guardian.fields.mobilePhone)),
  };
  const holders: Record<CredentialField, MultiMap<Account>> = { email: index.accountsByEmail, mobilePhone: index.accountsByMobile };
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
  const dependency = (f: CredentialField, value: string): { readonly released: boolean } | { readonly node: string; readonly holder: number } => {
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

  const final: Record<CredentialField, (string | null)[]> = { email: new Array<string | null>(n).fill(null), mobilePhone: new Array<string | null>(n).fill(null) };
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
  const credentials = requests.map((_, i): Credentials => ({ email: final.email[i]!, mobilePhone: final.mobilePhone[i]! }));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { credentials, after: after.map((a) => a ?? []), issues };
}

const FIELDS: readonly CredentialField[] = ['email', 'mobilePhone'];

function other(f: CredentialField): CredentialField {
  return f === 'email' ? 'mobilePhone' : 'email';
}

// Node keys: a field and a value (emails contain '@' and phones start with '+', but the
// prefix keeps the two graphs apart whatever the values are).
function nodeOf(f: CredentialField, value: string): string {
  return `${f === 'email' ? 'e' : 'm'}:${value}`;
}

function splitNode(node: string): [CredentialField, string] {
  return [node.startsWith('e:') ? 'email' : 'mobilePhone', node.slice(2)];
}
