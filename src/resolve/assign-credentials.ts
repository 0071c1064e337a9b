// IDENTITY-RULES.md §3: logins are never shared. Decides, for every guardian that will be
// created or updated, which email and mobile its account ends up with, so that no two
// accounts hold the same one after the plan is applied.
import { createIssue, type Issue } from '../errors/issue.js';
import type { Account } from '../model/roster.js';
import { emailKey, mobileKey } from './contact-key.js';
import type { FileGuardian } from './group-rows-into-guardians.js';
import type { RosterIndex } from './roster-index.js';

export interface CredentialRequest {
  readonly guardian: FileGuardian;
  /** The matched stored account, or null when the guardian gets a new account. */
  readonly account: Account | null;
  /** A claimed account the sync may not change (§4): it keeps its logins, whatever the file says. */
  readonly locked: boolean;
}

export interface Credentials {
  readonly email: string | null;
  readonly mobilePhone: string | null;
}

export interface CredentialAssignment {
  /** The logins each request's account ends with, in request order. */
  readonly credentials: readonly Credentials[];
  /** CREDENTIAL_IN_USE warnings (they name the line, never the other person). */
  readonly issues: readonly Issue[];
}

type CredentialField = 'email' | 'mobilePhone';
const REFUSED = -1;

/**
 * Assigns logins. A guardian asks for a value when the file's value differs from its
 * account's; it gets it when no account holds it, or when the account holding it gives it up
 * in this same plan (that account's guardian is given another value), and it is the first
 * asker by line. Chains of hand-overs are followed; a cycle (two accounts swapping emails)
 * is refused as a whole, as no order of single updates could apply it. A refused value
 * leaves a new account's field empty and an existing account's field as it is. A blank
 * value in the file never removes a login an account already has.
 * Requests must be in first-line order; the result is the same for any row order.
 */
export function assignCredentials(requests: readonly CredentialRequest[], index: RosterIndex): CredentialAssignment {
  const email = assignField('email', requests, index.emailHolder);
  const mobile = assignField('mobilePhone', requests, index.mobileHolder);
  const credentials = requests.map((_, i): Credentials => ({ email: email.values[i] ?? null, mobilePhone: mobile.values[i] ?? null }));
  const issues = [...email.issues, ...mobile.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { credentials, issues };
}

const normalizers: Record<CredentialField, (v: string | null | undefined) => string | null> = { email: emailKey, mobilePhone: mobileKey };

function assignField(
  field: CredentialField,
  requests: readonly CredentialRequest[],
  holders: ReadonlyMap<string, string>,
): { values: (string | null)[]; issues: Issue[] } {
  const norm = normalizers[field];
  const current: (string | null)[] = requests.map((r) => (r.account === null ? null : norm(r.account[field])));
  const desired: (string | null)[] = requests.map((r, i) => {
    const want = r.guardian.fields[field];
    return r.locked || want === null || want === current[i] ? null : want;
  });
  const askers = new Map<string, number[]>();
  const requestOfAccount = new Map<string, number>();
  requests.forEach((r, i) => {
    if (r.account !== null) requestOfAccount.set(r.account.id, i);
    const want = desired[i];
    if (want === null || want === undefined) return;
    const list = askers.get(want);
    if (list === undefined) askers.set(want, [i]);
    else list.push(i);
  });

  // winner(value) = the request that gets the value, or REFUSED. The holder of a value
  // gives it up only when its own request gets another value: a functional graph, walked
  // with an explicit stack (a long chain of hand-overs must not overflow the call stack).
  const winner = new Map<string, number>();
  const onPath = new Set<string>();
  const firstAsker = (value: string): number => askers.get(value)?.[0] ?? REFUSED;
  /** The value the holder of `value` asks for instead, when it gives `value` up; null when it keeps it. */
  const handOver = (value: string): { readonly next: string; readonly holder: number } | null => {
    const holderAccount = holders.get(value);
    if (holderAccount === undefined) return null;
    const holder = requestOfAccount.get(holderAccount);
    if (holder === undefined) return null;
    const next = desired[holder];
    return next === null || next === undefined ? null : { next, holder };
  };
  const decide = (start: string): void => {
    const stack = [start];
    while (stack.length > 0) {
      const value = stack[stack.length - 1]!;
      if (winner.has(value)) {
        stack.pop();
        onPath.delete(value);
        continue;
      }
      if (!holders.has(value)) {
        winner.set(value, firstAsker(value));
        continue;
      }
      const step = handOver(value);
      if (step === null) {
        winner.set(value, REFUSED);
        continue;
      }
      const nextWinner = winner.get(step.next);
      if (nextWinner !== undefined) {
        winner.set(value, nextWinner === step.holder ? firstAsker(value) : REFUSED);
        continue;
      }
      if (onPath.has(step.next)) {
        // A cycle of hand-overs: refused as a whole (see above).
        winner.set(value, REFUSED);
        continue;
      }
      onPath.add(value);
      stack.push(step.next);
    }
  };

  const values: (string | null)[] = [];
  const issues: Issue[] = [];
  requests.forEach((r, i) => {
    const want = desired[i];
    if (want === null || want === undefined) {
      values.push(current[i] ?? null);
      return;
    }
    if (!winner.has(want)) decide(want);
    if (winner.get(want) === i) {
      values.push(want);
      return;
    }
    values.push(current[i] ?? null);
    const what = field === 'email' ? 'email address' : 'mobile phone';
    const kept = r.account === null ? 'the account was created without it' : "the account keeps its current one";
    issues.push(
      createIssue('CREDENTIAL_IN_USE', `The ${what} on line ${r.guardian.fieldsLine} is already the login of another person: it was not given to this guardian (${kept}). Correct it in the SIS.`, {
        line: r.guardian.fieldsLine,
        column: field,
      }),
    );
  });
  return { values, issues };
}
