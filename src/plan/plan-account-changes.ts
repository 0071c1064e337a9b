// The account side of a plan: which guardians get a new account, which accounts are updated
// (§2, §3, §4), and which gain the guardian role, a new SIS id, or come back from archive.
import { createIssue, type Issue } from '../errors/issue.js';
import type { AccountCreate, AccountUpdate, FieldChange, RoleAdd, RoleStatusChange } from '../model/plan.js';
import type { Account, AccountFields } from '../model/roster.js';
import { assignCredentials, type CredentialAssignment, type CredentialField, type CredentialRequest } from '../resolve/assign-credentials.js';
import { contactKey, emailKey, mobileKey } from '../resolve/contact-key.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import { guardianRoleOf, type RosterIndex } from '../resolve/roster-index.js';

export interface AccountChangesInput {
  readonly guardians: readonly FileGuardian[];
  /** Lines of each guardian's rows that ask for a link (known, in-scope students), by index; empty = nothing to add. */
  readonly linkLines: readonly (readonly number[])[];
  /** Matched account of each guardian, by index. */
  readonly matched: readonly (Account | null)[];
  readonly index: RosterIndex;
  readonly updateClaimedAccounts: boolean;
  readonly newAccountId: (guardianKey: string) => string;
}

export interface AccountChanges {
  readonly creates: AccountCreate[];
  updates: AccountUpdate[];
  readonly roleAdds: RoleAdd[];
  readonly restores: RoleStatusChange[];
  /** The account each guardian ends with, by index; null when the guardian is not added. */
  readonly accountIds: (string | null)[];
  /** Per guardian: 'created', 'changed' (update, role or restore), 'same', or 'skipped' (not added). */
  readonly effects: GuardianEffect[];
  readonly issues: Issue[];
}

export type GuardianEffect = 'created' | 'changed' | 'same' | 'skipped' | 'absent';

const PROTECTED: readonly (keyof AccountFields)[] = ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone'];

/**
 * Plans creates, updates, role adds and restores for every guardian with at least one row
 * asking for a link. Guardians in first-line order; items come out in that order.
 */
export function planAccountChanges(input: AccountChangesInput): AccountChanges {
  const { guardians, linkLines, matched, index } = input;
  const active = guardians.filter((g) => (linkLines[g.index]?.length ?? 0) > 0);
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
  const ignored = new Map<number, Set<CredentialField>>();
  const collidedWith = new Map<number, FileGuardian>();
  let requests: CredentialRequest[];
  let assigned: CredentialAssignment;
  for (;;) {
    requests = active.map((g) => {
      const account = matched[g.index] ?? null;
      return { guardian: g, account, locked: account !== null && account.claimed && !input.updateClaimedAccounts, ignore: ignored.get(g.index) };
    });
    assigned = assignCredentials(requests, index);
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
      const set = ignored.get(g.index) ?? new Set<CredentialField>();
      if (c.email !== null) set.add('email');
      if (c.mobilePhone !== null) set.add('mobilePhone');
      ignored.set(g.index, set);
      collidedWith.set(g.index, guardians[owner]!);
      more = true;
    }
    if (!more) break;
  }
  const out: AccountChanges = {
    creates: [],
    updates: [],
    roleAdds: [],
    restores: [],
    accountIds: new Array<string | null>(guardians.length).fill(null),
    effects: new Array<GuardianEffect>(guardians.length).fill('absent'),
    issues: [...assigned.issues],
  };
  requests.forEach((request, i) => {
    const { guardian: g, account, locked } = request;
    const credentials = assigned.credentials[i]!;
    const lines = linkLines[g.index]!;
    if (credentials.email === null && credentials.mobilePhone === null) {
      out.effects[g.index] = 'skipped';
      const other = collidedWith.get(g.index);
      if (other !== undefined) {
        out.issues.push(
          createIssue(
            'NO_CONTACT_CREDENTIAL',
            `The guardian on line ${g.fieldsLine} has no guardianSisId, and the only login left to them (the other belongs to another person) would make them indistinguishable from the guardian on line ${other.fieldsLine}: they were not added. Give them a guardianSisId or a login of their own.`,
            { line: g.fieldsLine, lines: g.rows.map((r) => r.line) },
          ),
        );
        return;
      }
      out.issues.push(
        createIssue(
          'NO_CONTACT_CREDENTIAL',
          `The guardian on line ${g.fieldsLine} has no email or mobile phone of their own to log in with, so they were not added. Add one in the SIS; the next sync adds them.`,
          { line: g.fieldsLine, column: g.fields.email !== null ? 'email' : 'mobilePhone', lines: g.rows.map((r) => r.line) },
        ),
      );
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
    const changes = fieldChanges(account, wanted, locked ? ['language'] : ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language']);
    if (changes.length > 0) {
      out.updates.push({ accountId: account.id, changes, lines });
      changed = true;
    }
    if (locked && fieldChanges(account, { ...g.fields }, PROTECTED).length > 0) {
      out.issues.push(
        createIssue(
          'CLAIMED_ACCOUNT_NOT_UPDATED',
          `The guardian on line ${g.fieldsLine} manages their own account: the names and contacts in the file were not applied to it (links and roles still are).`,
          { line: g.fieldsLine },
        ),
      );
    }
    const role = guardianRoleOf(account);
    if (role === undefined) {
      out.roleAdds.push({ accountId: account.id, role: 'guardian', sisIds: [...g.sisIds], reason: 'new-role', lines });
      changed = true;
    } else {
      const missing = g.sisIds.filter((id) => !role.sisIds.includes(id));
      if (missing.length > 0) {
        out.roleAdds.push({ accountId: account.id, role: 'guardian', sisIds: missing, reason: 'new-sis-id', lines });
        changed = true;
      }
      if (role.status === 'archived') {
        out.restores.push({ accountId: account.id, role: 'guardian', lines });
        changed = true;
      }
    }
    out.effects[g.index] = changed ? 'changed' : 'same';
  });
  out.updates = inHandOverOrder(out.updates, requests, assigned.after);
  return out;
}

/**
 * Updates ordered so that an account giving a login up is updated before the account taking
 * it over (a store applying items one by one, with unique logins, never sees two holders).
 * Stable: otherwise first-line order. Chains are acyclic: swaps are refused.
 */
function inHandOverOrder(updates: AccountUpdate[], requests: readonly CredentialRequest[], after: readonly (readonly string[])[]): AccountUpdate[] {
  const before = new Map<string, readonly string[]>();
  requests.forEach((r, i) => {
    const list = after[i];
    if (r.account !== null && list !== undefined && list.length > 0) before.set(r.account.id, list);
  });
  if (before.size === 0) return updates;
  const rank = new Map<string, number>();
  const rankOf = (start: string): number => {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack[stack.length - 1]!;
      if (rank.has(id)) {
        stack.pop();
        continue;
      }
      const preds = before.get(id) ?? [];
      const pending = preds.filter((p) => !rank.has(p));
      if (pending.length > 0) {
        // Hand-over chains are acyclic (swaps are refused); the bound only keeps a bug finite.
        if (stack.length > 2 * updates.length + 2) break;
        stack.push(...pending);
        continue;
      }
      rank.set(id, preds.reduce((m, p) => Math.max(m, (rank.get(p) ?? 0) + 1), 0));
      stack.pop();
    }
    return rank.get(start) ?? 0;
  };
  return updates
    .map((u, i) => ({ u, i, r: rankOf(u.accountId) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.u);
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
