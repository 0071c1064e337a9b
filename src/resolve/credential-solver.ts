// docs/identity-rules.md §3: logins are never shared. Decides, for every guardian that will be
// created or updated, which email and mobile its account ends up with, so that no two
// accounts hold the same one after the plan is applied.
import { compareIssueLines } from '../errors/compare-issue-lines.js';
import { createIssue, type Issue } from '../errors/issue.js';
import type { Account } from '../model/roster.js';
import { emailKey, mobileKey } from './contact-key.js';
import type { FileGuardian } from './group-rows-into-guardians.js';
import { first, lookup, type MultiMap, type RosterIndex } from './roster-index.js';

/**
 * The requests as {@link CredentialSolver} reads them, by position (first-line order), so a
 * caller with a million guardians need not build a request object, or even a list, of them.
 */
export interface CredentialRequests {
  readonly length: number;
  /** False for a position that is no request (a guardian the plan does not add): it asks for, holds and gets nothing. */
  present(i: number): boolean;
  guardian(i: number): FileGuardian;
  account(i: number): Account | null;
  locked(i: number): boolean;
  /** True when request `i` does not ask for the file's value of `field`: its account keeps its value there. */
  ignores(i: number, field: CredentialField): boolean;
}

export type CredentialField = 'email' | 'mobilePhone';

const EMAIL = 0;
const MOBILE = 1;
type Field = typeof EMAIL | typeof MOBILE;
const FIELD_NAMES: readonly CredentialField[] = ['email', 'mobilePhone'];

/** The winner of a value nobody may take, and "no ask" in the per-request ask arrays. */
const REFUSED = -1;
const NO_NODE = -1;
const UNDECIDED = -2;

// What decides whether the holder of a node's value gives it up (see `dependencyOf`).
const DEP_UNKNOWN = 0;
const DEP_RELEASED = 1;
const DEP_KEPT = 2;
const DEP_NODE = 3;

// Request flags.
const LOCKED = 1;
const IGNORES_EMAIL = 2;
const IGNORES_MOBILE = 4;
const NO_LOGINS: readonly string[] = Object.freeze([]);

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
 *
 * The assignment is kept live: a request for a new account can withdraw an ask, and the
 * assignment is brought to exactly what a fresh assignment with that ask ignored would be,
 * touching only what the withdrawal changes.
 *
 * Asked values are the nodes of a graph. The value's holder (a stored account) gives it up
 * according to one other node at most (the value its own guardian asks for instead), so
 * each node depends on at most one other: a functional graph. A node is open when its holder
 * gives the value up (or there is none); an open node goes to its first asker by line.
 * Withdrawing asks never changes who depends on whom (a request for a new account holds
 * nothing), only first askers; the new winner of a node may open the nodes it holds, and so
 * on up the chain (see `propagate`).
 *
 * Cost: one pass over the requests (no Map operation for a request that asks nothing), a
 * few Map operations per asked value, and a Set lookup per request with an account only
 * when some asked value is held by a stored account. All withdrawals together: linear in
 * the asks, as each node opens at most once and its first asker only moves forward.
 */
export class CredentialSolver {
  private readonly n: number;
  /** The logins each request's account has now (folded), by field. */
  private readonly cur: readonly [(string | null)[], (string | null)[]];
  /** Each request's account id (null: a new account, or no request), read with its logins so that finding holders touches no account again. */
  private readonly accountIds: (string | null)[];
  private readonly flags: Uint8Array;
  /** The node each request asks for, by field; NO_NODE when it asks for nothing there. */
  private readonly asks: readonly [Int32Array, Int32Array];
  /** Requests that ask for anything, in order. */
  private readonly asking: number[] = [];
  private readonly nodesByValue: readonly [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  private readonly nodeField: Field[] = [];
  private readonly nodeValue: string[] = [];
  /** Askers of each node in request order (withdrawn ones stay listed; `firstAsker` skips them). */
  private readonly nodeAskers: number[][] = [];
  private readonly holders: readonly [MultiMap<Account>, MultiMap<Account>];
  /** Requests whose file value differs from their account's but who do not ask for it (locked, or ignored). */
  private readonly unasked: [Map<string, number[]> | null, Map<string, number[]> | null] = [null, null];
  /** Requests of the accounts that hold an asked value (several only in damaged data). */
  private readonly requestsOfHolder = new Map<string, number[]>();
  /** Nodes whose holder is a request, by that request: they depend on what it asks for. */
  private readonly dependents = new Map<number, number[]>();
  private winner: Int32Array = new Int32Array(0);
  private open: Uint8Array = new Uint8Array(0);
  private cursor: Int32Array = new Int32Array(0);
  private depKind: Uint8Array = new Uint8Array(0);
  private depNode: Int32Array = new Int32Array(0);
  private depHolder: Int32Array = new Int32Array(0);

  constructor(
    private readonly requests: CredentialRequests,
    index: RosterIndex,
  ) {
    const n = requests.length;
    this.n = n;
    this.holders = [index.accountsByEmail, index.accountsByMobile];
    const curEmail = new Array<string | null>(n);
    const curMobile = new Array<string | null>(n);
    this.cur = [curEmail, curMobile];
    this.accountIds = new Array<string | null>(n);
    this.flags = new Uint8Array(n);
    this.asks = [new Int32Array(n).fill(NO_NODE), new Int32Array(n).fill(NO_NODE)];
    for (let i = 0; i < n; i++) {
      if (!requests.present(i)) {
        curEmail[i] = null;
        curMobile[i] = null;
        this.accountIds[i] = null;
        continue;
      }
      const account = requests.account(i);
      this.accountIds[i] = account === null ? null : account.id;
      curEmail[i] = account === null ? null : emailKey(account.email);
      curMobile[i] = account === null ? null : mobileKey(account.mobilePhone);
      let flags = 0;
      if (requests.locked(i)) flags |= LOCKED;
      if (requests.ignores(i, 'email')) flags |= IGNORES_EMAIL;
      if (requests.ignores(i, 'mobilePhone')) flags |= IGNORES_MOBILE;
      this.flags[i] = flags;
      const fields = requests.guardian(i).fields;
      const askedEmail = this.noteAsk(i, EMAIL, fields.email, curEmail[i]!, (flags & (LOCKED | IGNORES_EMAIL)) !== 0);
      const askedMobile = this.noteAsk(i, MOBILE, fields.mobilePhone, curMobile[i]!, (flags & (LOCKED | IGNORES_MOBILE)) !== 0);
      if (askedEmail || askedMobile) this.asking.push(i);
    }
    this.findHolders();
    this.decideAll();
  }

  /** The email request `i`'s account ends with. */
  email(i: number): string | null {
    const email = this.kept(i, EMAIL);
    // A blank in the file clears a login only when the account keeps the other one.
    return this.wantsNothing(i, EMAIL) && this.kept(i, MOBILE) !== null ? null : email;
  }

  /** The mobile request `i`'s account ends with (the email is settled first, as a blank email may go). */
  mobilePhone(i: number): string | null {
    const mobile = this.kept(i, MOBILE);
    return this.wantsNothing(i, MOBILE) && this.email(i) !== null ? null : mobile;
  }

  /** The stored accounts whose login request `i` takes over (their updates go first). */
  after(i: number): readonly string[] {
    let out: string[] | null = null;
    for (let k = 0; k < 2; k++) {
      const f = k as Field;
      const node = this.asks[f][i]!;
      if (node === NO_NODE || this.winner[node] !== i) continue;
      const holder = first(this.holders[f], this.nodeValue[node]!);
      if (holder !== undefined) (out ??= []).push(holder.id);
    }
    return out ?? NO_LOGINS;
  }

  /** Requests that asked for anything when the assignment was made, in request order. */
  askingRequests(): readonly number[] {
    return this.asking;
  }

  /** CREDENTIAL_IN_USE for every ask not granted, in line order (stable: request order within a line). */
  issues(): Issue[] {
    const issues: Issue[] = [];
    for (const i of this.asking) {
      for (let k = 0; k < 2; k++) {
        const f = k as Field;
        const node = this.asks[f][i]!;
        if (node === NO_NODE || this.winner[node] === i) continue;
        const r = this.requests.guardian(i);
        const what = f === EMAIL ? 'email address' : 'mobile phone';
        const kept = this.requests.account(i) === null ? 'the account was created without it' : 'the account keeps its current one';
        issues.push(
          createIssue('CREDENTIAL_IN_USE', `The ${what} on line ${r.fieldsLine} is already the login of another person: it was not given to this guardian (${kept}). Correct it in the SIS.`, {
            line: r.fieldsLine,
            column: FIELD_NAMES[f]!,
          }),
        );
      }
    }
    issues.sort(compareIssueLines);
    return issues;
  }

  /**
   * Calls `visit` with every request whose file value of `field` is `value` (each once, in no
   * particular order): those asking for it, those whose account holds it, and those not
   * asking for it although the file gives it (locked or ignored). Complete when `value` was
   * asked for and the index holds every stored account with that login; returns false,
   * visiting nothing, when `value` was not asked for.
   */
  forEachRequestWithLogin(field: CredentialField, value: string, visit: (i: number) => void): boolean {
    const f: Field = field === 'email' ? EMAIL : MOBILE;
    const node = this.nodesByValue[f].get(value);
    if (node === undefined) return false;
    for (const i of this.nodeAskers[node]!) visit(i);
    for (const i of this.unasked[f]?.get(value) ?? []) visit(i);
    for (const account of lookup(this.holders[f], value)) {
      for (const i of this.requestsOfHolder.get(account.id) ?? []) {
        if (this.cur[f][i] === value && this.fileValue(i, f) === value) visit(i);
      }
    }
    return true;
  }

  /**
   * Request `i` (for a new account) stops asking for the file's value of `field`, as if it
   * had been given with `ignore`. Pushes onto `changed` every request whose logins may have
   * changed (`i` included).
   */
  withdraw(i: number, field: CredentialField, changed: number[]): void {
    // A request with an account may hold a value others depend on; withdrawing its ask would
    // change the graph itself, which this incremental update does not do.
    if (this.requests.account(i) !== null) throw new Error('CredentialSolver.withdraw: only a request for a new account can withdraw an ask');
    const f: Field = field === 'email' ? EMAIL : MOBILE;
    this.flags[i] = this.flags[i]! | (f === EMAIL ? IGNORES_EMAIL : IGNORES_MOBILE);
    const node = this.asks[f][i]!;
    if (node === NO_NODE) return;
    this.asks[f][i] = NO_NODE;
    changed.push(i);
    // Only a withdrawn winner changes anything: a later asker or a refused value stays as is.
    if (this.winner[node] !== i) return;
    const next = this.firstAsker(node);
    this.winner[node] = next;
    if (next === REFUSED) return;
    changed.push(next);
    this.propagate(node, changed);
  }

  // --- building -------------------------------------------------------------------------

  /** Records what request `i` asks for in field `f`; true when it asks. */
  private noteAsk(i: number, f: Field, fileValue: string | null, cur: string | null, notAsking: boolean): boolean {
    if (fileValue === null || fileValue === cur) return false;
    if (notAsking) {
      // Not an ask, but the request still has this login in the file: owners of a login
      // (forEachRequestWithLogin) must find it.
      const byValue = (this.unasked[f] ??= new Map<string, number[]>());
      const list = byValue.get(fileValue);
      if (list === undefined) byValue.set(fileValue, [i]);
      else list.push(i);
      return false;
    }
    const nodes = this.nodesByValue[f];
    let node = nodes.get(fileValue);
    if (node === undefined) {
      node = this.nodeValue.length;
      nodes.set(fileValue, node);
      this.nodeField.push(f);
      this.nodeValue.push(fileValue);
      this.nodeAskers.push([i]);
    } else {
      this.nodeAskers[node]!.push(i);
    }
    this.asks[f][i] = node;
    return true;
  }

  /** Maps the accounts holding asked values to their requests: one pass, only when some asked value is held. */
  private findHolders(): void {
    const held = new Set<string>();
    for (let node = 0; node < this.nodeValue.length; node++) {
      for (const account of lookup(this.holders[this.nodeField[node]!], this.nodeValue[node]!)) held.add(account.id);
    }
    if (held.size === 0) return;
    for (let i = 0; i < this.n; i++) {
      const id = this.accountIds[i]!;
      if (id === null || !held.has(id)) continue;
      const list = this.requestsOfHolder.get(id);
      if (list === undefined) this.requestsOfHolder.set(id, [i]);
      else list.push(i);
    }
  }

  private decideAll(): void {
    const count = this.nodeValue.length;
    this.winner = new Int32Array(count).fill(UNDECIDED);
    this.open = new Uint8Array(count);
    this.cursor = new Int32Array(count);
    this.depKind = new Uint8Array(count);
    this.depNode = new Int32Array(count).fill(NO_NODE);
    this.depHolder = new Int32Array(count).fill(REFUSED);
    const onPath = new Uint8Array(count);
    const stack: number[] = [];
    for (let start = 0; start < count; start++) {
      if (this.winner[start] !== UNDECIDED) continue;
      // Explicit stack: a long chain of hand-overs must not overflow the call stack.
      stack.push(start);
      while (stack.length > 0) {
        const node = stack[stack.length - 1]!;
        if (this.winner[node] !== UNDECIDED) {
          stack.pop();
          onPath[node] = 0;
          continue;
        }
        if (this.depKind[node] === DEP_UNKNOWN) this.dependencyOf(node);
        const kind = this.depKind[node]!;
        if (kind !== DEP_NODE) {
          this.settle(node, kind === DEP_RELEASED);
          continue;
        }
        const dep = this.depNode[node]!;
        const decided = this.winner[dep]!;
        if (decided !== UNDECIDED) {
          this.settle(node, decided === this.depHolder[node]);
          continue;
        }
        if (onPath[dep] === 1) {
          // A cycle of hand-overs: refused as a whole (see the class comment).
          this.settle(node, false);
          continue;
        }
        onPath[node] = 1;
        stack.push(dep);
      }
    }
  }

  private settle(node: number, open: boolean): void {
    this.open[node] = open ? 1 : 0;
    this.winner[node] = open ? this.firstAsker(node) : REFUSED;
  }

  /**
   * What decides whether the holder of a node's value gives it up: nobody holds it
   * (released), the holder keeps it, or the node the holder's request asks for instead.
   */
  private dependencyOf(node: number): void {
    const f = this.nodeField[node]!;
    const value = this.nodeValue[node]!;
    const found = this.holders[f].get(value);
    const holderAccount = Array.isArray(found) ? (found as readonly Account[])[0] : (found as Account | undefined);
    if (holderAccount === undefined) return this.depends(node, DEP_RELEASED);
    // Damaged data (two accounts already share the login): nobody else is given it.
    if (Array.isArray(found) && found.length > 1) return this.depends(node, DEP_KEPT);
    const list = this.requestsOfHolder.get(holderAccount.id);
    // The last request of the account decides (as a map from account to request would).
    const holder = list === undefined ? undefined : list[list.length - 1]!;
    if (holder === undefined || (this.flags[holder]! & LOCKED) !== 0) return this.depends(node, DEP_KEPT);
    const next = this.want(holder, f);
    if (next === value) return this.depends(node, DEP_KEPT);
    if (next !== null) return this.dependsOnAsk(node, holder, f);
    // The file clears this field: the holder gives it up when it keeps a login in the other.
    const g: Field = f === EMAIL ? MOBILE : EMAIL;
    if (this.cur[g][holder] !== null) return this.depends(node, DEP_RELEASED);
    if (this.want(holder, g) === null) return this.depends(node, DEP_KEPT);
    return this.dependsOnAsk(node, holder, g);
  }

  private depends(node: number, kind: typeof DEP_RELEASED | typeof DEP_KEPT): void {
    this.depKind[node] = kind;
  }

  /**
   * The node depends on the holder getting the value it asks for in field `f`. It does ask:
   * `dependencyOf` found it wanting a value there that its account does not hold, and a
   * request that does not ask for a field (locked, or ignoring it) wants what it holds.
   */
  private dependsOnAsk(node: number, holder: number, f: Field): void {
    const asked = this.asks[f][holder]!;
    this.depKind[node] = DEP_NODE;
    this.depNode[node] = asked;
    this.depHolder[node] = holder;
    const list = this.dependents.get(holder);
    if (list === undefined) this.dependents.set(holder, [node]);
    else list.push(node);
  }

  // --- reading and updating -------------------------------------------------------------

  /** What request `i` wants its account to end with in field `f`; a locked account or an ignored field wants what it has. */
  private want(i: number, f: Field): string | null {
    const notAsking = (this.flags[i]! & (LOCKED | (f === EMAIL ? IGNORES_EMAIL : IGNORES_MOBILE))) !== 0;
    return notAsking ? this.cur[f][i]! : this.fileValue(i, f);
  }

  private fileValue(i: number, f: Field): string | null {
    const fields = this.requests.guardian(i).fields;
    return f === EMAIL ? fields.email : fields.mobilePhone;
  }

  private wantsNothing(i: number, f: Field): boolean {
    return this.want(i, f) === null;
  }

  /** The value request `i` ends with in field `f` before the blank rule: the asked one when granted, else the current one. */
  private kept(i: number, f: Field): string | null {
    const node = this.asks[f][i]!;
    return node !== NO_NODE && this.winner[node] === i ? this.nodeValue[node]! : this.cur[f][i]!;
  }

  /** The first asker by line still asking for the node, or REFUSED. */
  private firstAsker(node: number): number {
    const askers = this.nodeAskers[node]!;
    const f = this.nodeField[node]!;
    let c = this.cursor[node]!;
    while (c < askers.length && this.asks[f][askers[c]!] !== node) c++;
    this.cursor[node] = c;
    return c < askers.length ? askers[c]! : REFUSED;
  }

  /**
   * `node` went to a new winner (from a withdrawn request): nodes held by that winner that
   * depend on `node` open and go to their first asker, and so on up the chain. Nothing ever
   * closes: a winner is only ever taken from a request for a new account, which holds
   * nothing, so withdrawals only open nodes, each at most once over any number of them.
   * That keeps all the withdrawals of a plan linear in all.
   */
  private propagate(node: number, changed: number[]): void {
    const work = [node];
    while (work.length > 0) {
      const dep = work.pop()!;
      // Only nodes given to a request are pushed: `holder` is a request, never REFUSED.
      const held = this.dependents.get(this.winner[dep]!);
      if (held === undefined) continue;
      for (const m of held) {
        if (this.depNode[m] !== dep || this.open[m] === 1) continue;
        // It was closed (its holder did not win `dep`), so nobody had it.
        this.open[m] = 1;
        const next = this.firstAsker(m);
        this.winner[m] = next;
        if (next === REFUSED) continue;
        changed.push(next);
        work.push(m);
      }
    }
  }
}
