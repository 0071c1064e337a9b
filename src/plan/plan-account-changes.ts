// The account side of a plan: which guardians get a new account, which accounts are updated
// (§2, §3, §4), and which gain the guardian role, a new SIS id, or come back from archive.
// Accounts the file does not own (§4.2: staff, or active in another district) and claimed
// accounts (§4) keep their names and contacts; only an empty language is filled.
import { createIssue, type Issue } from '../errors/issue.js';
import type { AccountCreate, AccountUpdate, FieldChange, RoleAdd, RoleStatusChange } from '../model/plan.js';
import { keepsField } from '../model/guardian-row.js';
import { guardianRoleOf, isSharedAccount, type Account } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { CredentialSolver, type CredentialRequests } from '../resolve/credential-solver.js';
import { fieldsOf, type FileGuardian } from '../resolve/group-rows-into-guardians.js';
import type { RosterIndex } from '../resolve/roster-index.js';
import { inHandOverOrder } from './hand-over-order.js';
import type { LinkLines } from './link-lines.js';
import { settleIndistinguishableGuardians } from './settle-indistinguishable-guardians.js';

export interface AccountChangesInput {
  readonly guardians: readonly FileGuardian[];
  /** Lines of each guardian's rows that ask for a link (known, in-scope students), by index; none = nothing to add. */
  readonly linkLines: LinkLines;
  /** Matched account of each guardian, by index. */
  readonly matched: readonly (Account | null)[];
  readonly index: RosterIndex;
  /** The scope's district: the guardian role planned is this district's. */
  readonly districtId: string;
  readonly updateClaimedAccounts: boolean;
  /**
   * The safety threshold holds login changes back (§6): every stored account keeps the email
   * and mobile it has; only an empty one may be filled.
   */
  readonly holdLoginChanges?: boolean | undefined;
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

/**
 * Plans creates, updates, role adds and restores for every guardian with at least one row
 * asking for a link. Guardians in first-line order; items come out in that order.
 */
export function planAccountChanges(input: AccountChangesInput): AccountChanges {
  const { guardians, linkLines, matched, index } = input;
  // Requests by position in `guardians`: those with a link to add (no list of them is built,
  // each pass over a million guardians costs its memory reads).
  const present = (i: number): boolean => linkLines.count(guardians[i]!.index) > 0;
  const accountOf = (i: number): Account | null => matched[guardians[i]!.index] ?? null;
  const { districtId } = input;
  const holdLogins = input.holdLoginChanges === true;
  const claimedLock = (account: Account): boolean => account.claimed && !input.updateClaimedAccounts;
  // A locked account asks for no login: it keeps its own, and an empty one stays empty.
  const locked = (account: Account | null): boolean => account !== null && (claimedLock(account) || isSharedAccount(account, districtId));
  const requests: CredentialRequests = {
    length: guardians.length,
    present,
    guardian: (i) => guardians[i]!,
    account: accountOf,
    locked: (i) => locked(accountOf(i)),
    // A login the file does not know stays as stored; so does every stored login the
    // threshold holds back (an empty one may still be filled).
    ignores: (i, field) => keepsField(guardians[i]!, field) || (holdLogins && (accountOf(i)?.[field] ?? null) !== null),
  };
  const logins = new CredentialSolver(requests, index);
  // A guardian without id whose remaining logins would make it indistinguishable from
  // another guardian stops asking for them (see settleIndistinguishableGuardians).
  const collidedWith = settleIndistinguishableGuardians(requests, logins);

  const out = noAccountChanges(guardians.length, logins.issues());
  for (let i = 0; i < guardians.length; i++) {
    const g = guardians[i]!;
    if (linkLines.count(g.index) === 0) continue;
    const lines = linkLines.of(g.index);
    const account = matched[g.index] ?? null;
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    if (email === null && mobilePhone === null) {
      out.effects[g.index] = 'skipped';
      out.issues.push(noContactCredentialIssue(g, collidedWith.get(g.index)));
      continue;
    }
    if (account === null) {
      // It is given a login of its own fields, so it has a contact key.
      const accountId = input.newAccountId(g.sisIds[0] ?? g.key!);
      out.creates.push({ accountId, fields: { ...fieldsOf(g), email, mobilePhone }, guardianSisIds: [...g.sisIds], lines });
      out.accountIds[g.index] = accountId;
      out.effects[g.index] = 'created';
      continue;
    }

    out.accountIds[g.index] = account.id;
    let changed = false;
    const isLocked = locked(account);
    const changes = isLocked ? lockedFieldChanges(account, g) : fieldChanges(account, g, email, mobilePhone);
    if (changes !== null) {
      out.updates.push({ accountId: account.id, changes, lines });
      changed = true;
    }
    if (isLocked) {
      const kept = protectedFieldChanges(account, g);
      if (kept !== null) {
        if (isSharedAccount(account, districtId)) for (const change of kept) out.issues.push(sharedAccountIssue(g, change.field));
        else out.issues.push(claimedAccountIssue(g));
      }
    }
    if (planRoleChanges(out, account, g, lines, districtId)) changed = true;
    out.effects[g.index] = changed ? 'changed' : 'same';
  }
  out.updates = inHandOverOrder(out.updates, handOvers(requests, logins));
  return out;
}

/** The hand-overs of this plan: for each updated account, the accounts whose login it takes over. */
function handOvers(requests: CredentialRequests, logins: CredentialSolver): Map<string, readonly string[]> {
  const before = new Map<string, readonly string[]>();
  // Only a request that asked for something can take a login over.
  for (const i of logins.askingRequests()) {
    const account = requests.account(i);
    if (account === null) continue;
    const list = logins.after(i);
    if (list.length > 0) before.set(account.id, list);
  }
  return before;
}

/**
 * Field changes that bring `account` to the guardian's fields, with the logins it ends with
 * (`email`, `mobilePhone`), in ACCOUNT_FIELDS order; a field the file does not know (kept)
 * stays as stored. Logins compare case-insensitively (emails). Null when nothing changes:
 * most accounts of a daily file are as the file says, and get no array. Plain property reads
 * and an identity check before folding, as this runs once per matched guardian.
 */
function fieldChanges(account: Account, g: FileGuardian, email: string | null, mobilePhone: string | null): FieldChange[] | null {
  const { fields } = g;
  let changes = plainChange(null, 'firstName', account.firstName, fields.firstName);
  changes = plainChange(changes, 'lastName', account.lastName, fields.lastName);
  changes = loginChange(changes, 'email', account.email ?? null, email, emailKey);
  changes = loginChange(changes, 'mobilePhone', account.mobilePhone ?? null, mobilePhone, mobileKey);
  if (!keepsField(g, 'homePhone')) changes = plainChange(changes, 'homePhone', account.homePhone ?? null, fields.homePhone ?? null);
  return languageChange(changes, account, g);
}

/**
 * The changes a locked (claimed or shared) account takes: a language only where it has none
 * (its owner, or another district, may have chosen one). Null when none.
 */
function lockedFieldChanges(account: Account, g: FileGuardian): FieldChange[] | null {
  return account.language !== null ? null : languageChange(null, account, g);
}

/** `changes` with the file's language, unless the file does not know it (kept). */
function languageChange(changes: FieldChange[] | null, account: Account, g: FileGuardian): FieldChange[] | null {
  if (keepsField(g, 'language')) return changes;
  return plainChange(changes, 'language', account.language ?? null, g.fields.language ?? null);
}

/** The file's names and contacts that differ from the account's (what a locked account does not take); null when none. Kept fields say nothing. */
function protectedFieldChanges(account: Account, g: FileGuardian): FieldChange[] | null {
  const { fields } = g;
  let changes = plainChange(null, 'firstName', account.firstName, fields.firstName);
  changes = plainChange(changes, 'lastName', account.lastName, fields.lastName);
  if (!keepsField(g, 'email')) changes = loginChange(changes, 'email', account.email ?? null, fields.email ?? null, emailKey);
  if (!keepsField(g, 'mobilePhone')) changes = loginChange(changes, 'mobilePhone', account.mobilePhone ?? null, fields.mobilePhone ?? null, mobileKey);
  return keepsField(g, 'homePhone') ? changes : plainChange(changes, 'homePhone', account.homePhone ?? null, fields.homePhone ?? null);
}

function plainChange(changes: FieldChange[] | null, field: FieldChange['field'], before: string | null, after: string | null): FieldChange[] | null {
  if (before === after) return changes;
  (changes ??= []).push({ field, before, after });
  return changes;
}

function loginChange(
  changes: FieldChange[] | null,
  field: FieldChange['field'],
  before: string | null,
  after: string | null,
  fold: (value: string | null) => string | null,
): FieldChange[] | null {
  if (before === after || fold(before) === fold(after)) return changes;
  (changes ??= []).push({ field, before, after });
  return changes;
}

/** The guardian's ids the role does not hold yet, in the guardian's order; null when none. */
function missingIds(ids: readonly string[], held: readonly string[]): string[] | null {
  let missing: string[] | null = null;
  for (const id of ids) if (!held.includes(id)) (missing ??= []).push(id);
  return missing;
}

/**
 * NO_CONTACT_CREDENTIAL for a guardian left without a login: none of its own at all, or,
 * when `indistinguishableFrom` is given, only one that would make it that guardian's twin.
 */
export function noContactCredentialIssue(g: FileGuardian, indistinguishableFrom: FileGuardian | undefined): Issue {
  const lines = g.rows.map((r) => r.line);
  if (indistinguishableFrom !== undefined) {
    return createIssue(
      'NO_CONTACT_CREDENTIAL',
      `The guardian on line ${g.fieldsLine} has no guardianSisId, and the only login left to them (the other belongs to another person) would make them indistinguishable from the guardian on line ${indistinguishableFrom.fieldsLine}: they were not added. Give them a guardianSisId or a login of their own.`,
      { line: g.fieldsLine, lines },
    );
  }
  return createIssue(
    'NO_CONTACT_CREDENTIAL',
    `The guardian on line ${g.fieldsLine} has no email or mobile phone of their own to log in with, so they were not added. Add one in the SIS; the next sync adds them.`,
    { line: g.fieldsLine, column: g.fields.email !== null ? 'email' : 'mobilePhone', lines },
  );
}

/** CLAIMED_ACCOUNT_NOT_UPDATED: the file's names and contacts were not applied (§4). */
export function claimedAccountIssue(g: FileGuardian): Issue {
  return createIssue(
    'CLAIMED_ACCOUNT_NOT_UPDATED',
    `The guardian on line ${g.fieldsLine} manages their own account: the names and contacts in the file were not applied to it (links and roles still are).`,
    { line: g.fieldsLine },
  );
}

/**
 * SHARED_ACCOUNT_NOT_UPDATED for one field (§4.2). Names the line and the field, never the
 * other district or person.
 */
export function sharedAccountIssue(g: FileGuardian, field: FieldChange['field']): Issue {
  return createIssue(
    'SHARED_ACCOUNT_NOT_UPDATED',
    `The guardian on line ${g.fieldsLine} is a person whose account is also staff or a guardian in another district: its ${field} was not changed by this file (links and the guardian role still are).`,
    { line: g.fieldsLine, column: field },
  );
}

/**
 * The guardian role of a matched account in the district: added when missing, new SIS ids
 * added, restored from archive. Pushes onto `out`; true when anything changes.
 */
export function planRoleChanges(
  out: Pick<AccountChanges, 'roleAdds' | 'restores'>,
  account: Account,
  g: FileGuardian,
  lines: readonly number[],
  districtId: string,
): boolean {
  const role = guardianRoleOf(account, districtId);
  if (role === undefined) {
    out.roleAdds.push({ accountId: account.id, role: 'guardian', sisIds: [...g.sisIds], reason: 'new-role', lines });
    return true;
  }
  let changed = false;
  const missing = missingIds(g.sisIds, role.sisIds);
  if (missing !== null) {
    out.roleAdds.push({ accountId: account.id, role: 'guardian', sisIds: missing, reason: 'new-sis-id', lines });
    changed = true;
  }
  if (role.status === 'archived') {
    out.restores.push({ accountId: account.id, role: 'guardian', lines });
    changed = true;
  }
  return changed;
}

/** Account changes with nothing in them yet, for `guardianCount` guardians. */
export function noAccountChanges(guardianCount: number, issues: Issue[]): AccountChanges {
  return {
    creates: [],
    updates: [],
    roleAdds: [],
    restores: [],
    accountIds: new Array<string | null>(guardianCount).fill(null),
    effects: new Array<GuardianEffect>(guardianCount).fill('absent'),
    issues,
  };
}
