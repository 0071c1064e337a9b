// .bench/scratch/prof-d.ts
import { readFileSync, writeFileSync } from "node:fs";
import { deserialize } from "node:v8";
import { Session } from "node:inspector/promises";

// src/plan/build-plan.ts
import { randomUUID } from "node:crypto";

// src/errors/issue-codes.ts
var ISSUE_SEVERITY = {
  FILE_NOT_FOUND: "error",
  FILE_EMPTY: "error",
  FILE_TOO_LARGE: "error",
  FILE_UNSTABLE: "error",
  BINARY_FILE: "error",
  UNDECODABLE: "error",
  MALFORMED_CSV: "error",
  MISSING_REQUIRED_COLUMN: "error",
  DUPLICATE_COLUMN: "error",
  NO_VALID_ROWS: "error",
  SCOPE_NOT_FOUND: "error",
  SYNC_IN_PROGRESS: "error",
  SOURCE_UNAVAILABLE: "error",
  HOST_KEY_MISMATCH: "error",
  AUTH_FAILED: "error",
  UNSAFE_ARCHIVE: "error",
  STORE_FAILED: "error",
  ABORTED: "error",
  INVALID_CONFIGURATION: "error",
  MISSING_VALUE: "error",
  WRONG_FIELD_COUNT: "error",
  INVALID_EMAIL: "warning",
  INVALID_PHONE: "warning",
  UNKNOWN_LANGUAGE: "warning",
  NO_CONTACT_CREDENTIAL: "warning",
  UNKNOWN_STUDENT: "warning",
  STUDENT_OUT_OF_SCOPE: "warning",
  CONFLICTING_GUARDIAN_ROWS: "warning",
  DUPLICATE_IDENTITY: "warning",
  CREDENTIAL_IN_USE: "warning",
  MISSING_GUARDIAN_SIS_ID: "warning",
  DANGLING_REFERENCE: "warning",
  CLAIMED_ACCOUNT_NOT_UPDATED: "info",
  THRESHOLD_EXCEEDED: "error",
  UNKNOWN_COLUMN: "warning",
  ENCODING_GUESSED: "warning"
};

// src/errors/issue.ts
function createIssue(code, message, where = {}) {
  const issue = {
    severity: where.severity ?? ISSUE_SEVERITY[code],
    code,
    line: where.line ?? null,
    column: where.column ?? null,
    message
  };
  return where.lines !== void 0 ? { ...issue, lines: where.lines } : issue;
}

// src/resolve/contact-key.ts
function nameKey(name) {
  return (NON_ASCII.test(name) ? name.normalize("NFC") : name).toLowerCase();
}
function emailKey(email) {
  if (email === null || email === void 0) return null;
  const trimmed = email.trim();
  if (trimmed === "") return null;
  return (NON_ASCII.test(trimmed) ? trimmed.normalize("NFC") : trimmed).toLowerCase();
}
var NON_ASCII = /[^\u0000-\u007f]/u;
function mobileKey(mobile) {
  if (mobile === null || mobile === void 0) return null;
  const trimmed = mobile.trim();
  return trimmed === "" ? null : trimmed;
}
function contactKey(fields) {
  const email = emailKey(fields.email);
  const mobile = mobileKey(fields.mobilePhone);
  return keyOf(nameKey(fields.firstName), nameKey(fields.lastName), email, mobile);
}
function keyOf(first2, last, email, mobile) {
  if (email === null && mobile === null) return null;
  const e = email ?? "";
  const m = mobile ?? "";
  return `${first2.length}:${first2}${last.length}:${last}${e.length}:${e}${m.length}:${m}`;
}

// src/resolve/group-rows-into-guardians.ts
var COMPARED_FIELDS = ["firstName", "lastName", "email", "mobilePhone", "homePhone"];
var Draft = class {
  constructor(first2, sisIds, num) {
    this.first = first2;
    this.sisIds = sisIds;
    this.num = num;
    this.rows = [first2];
    this.firstLine = first2.line;
    this.email = emailKey(first2.email);
    this.mobile = mobileKey(first2.mobilePhone);
  }
  first;
  sisIds;
  num;
  index = -1;
  rows;
  firstLine;
  /** Lines that disagree with `first`, and on which fields (null while none do). */
  conflicts = null;
  /** The person this draft was merged into (§1.4), if any. */
  mergedInto = null;
  /** The logins of the first row, folded: the key is found by the email, or the mobile when the email is blank. */
  email;
  mobile;
  cachedKey;
  cachedFields;
  get key() {
    if (this.cachedKey === void 0) this.cachedKey = contactKey(this.first);
    return this.cachedKey;
  }
  get fields() {
    return this.cachedFields ??= fieldsOf(this.first, this.email, this.mobile);
  }
  get fieldsLine() {
    return this.first.line;
  }
  /** Equal contact keys (§1.4), compared field by field. */
  sameKeyAs(other) {
    if (this.email === null && this.mobile === null) return false;
    return this.email === other.email && this.mobile === other.mobile && sameName(this.first.firstName, other.first.firstName) && sameName(this.first.lastName, other.first.lastName);
  }
};
function sameName(a, b) {
  return a === b || nameKey(a) === nameKey(b);
}
function inLineOrder(rows2) {
  for (let i = 1; i < rows2.length; i++) {
    if (rows2[i - 1].line > rows2[i].line) return [...rows2].sort((a, b) => a.line - b.line);
  }
  return rows2;
}
function groupRows(rows2) {
  const ordered = inLineOrder(rows2);
  const byId = /* @__PURE__ */ new Map();
  const drafts = [];
  const draftOfRow = new Int32Array(ordered.length);
  const idless = [];
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    const id = row.guardianSisId;
    if (id === null || id === "") {
      idless.push(i);
      continue;
    }
    const draft = byId.get(id);
    if (draft === void 0) {
      const created = new Draft(row, [id], drafts.length);
      draftOfRow[i] = created.num;
      drafts.push(created);
      byId.set(id, created);
      continue;
    }
    draftOfRow[i] = draft.num;
    draft.rows.push(row);
    const differing = differingFields(draft.first, row);
    if (differing !== null) {
      draft.conflicts ??= { lines: [], fields: /* @__PURE__ */ new Set() };
      draft.conflicts.lines.push(row.line);
      for (const field of differing) draft.conflicts.fields.add(field);
    }
  }
  const issues = [];
  for (const draft of drafts) {
    if (draft.conflicts !== null) issues.push(conflictIssue(draft));
  }
  const people = [];
  const byKey = new KeyedDrafts();
  for (const draft of drafts) {
    const owner = byKey.findOrAdd(draft);
    if (owner === void 0) {
      people.push(draft);
      continue;
    }
    issues.push(
      createIssue(
        "DUPLICATE_IDENTITY",
        `Guardian ids "${owner.sisIds[0] ?? ""}" (line ${owner.first.line}) and "${draft.sisIds[0] ?? ""}" (line ${draft.first.line}) have the same name, email and mobile phone: they are treated as one person with one account, holding both ids.`,
        { line: draft.first.line, column: "guardianSisId", lines: [owner.first.line, draft.first.line] }
      )
    );
    owner.sisIds.push(...draft.sisIds);
    owner.rows = mergeByLine(owner.rows, draft.rows);
    draft.mergedInto = owner;
  }
  const firstIdless = people.length;
  for (const i of idless) {
    const row = ordered[i];
    const draft = new Draft(row, [], drafts.length);
    const owner = byKey.findOrAdd(draft);
    if (owner === void 0) {
      draftOfRow[i] = draft.num;
      drafts.push(draft);
      people.push(draft);
      continue;
    }
    draftOfRow[i] = owner.num;
    if (owner.rows[owner.rows.length - 1].line < row.line) owner.rows.push(row);
    else owner.rows = mergeByLine(owner.rows, [row]);
    if (row.line < owner.firstLine) owner.firstLine = row.line;
  }
  const guardians = inFirstLineOrder(people, firstIdless);
  for (let index = 0; index < guardians.length; index++) guardians[index].index = index;
  const guardianOfRow = draftOfRow;
  for (let i = 0; i < guardianOfRow.length; i++) {
    let d = drafts[guardianOfRow[i]];
    while (d.mergedInto !== null) d = d.mergedInto;
    guardianOfRow[i] = d.index;
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    guardians,
    issues,
    ordered,
    guardianOfRow,
    guardianIndexOfId: (sisId) => {
      let d = byId.get(sisId);
      if (d === void 0) return void 0;
      while (d.mergedInto !== null) d = d.mergedInto;
      return d.index;
    }
  };
}
var KeyedDrafts = class {
  byEmail = /* @__PURE__ */ new Map();
  byMobile = /* @__PURE__ */ new Map();
  /** The draft with the same contact key, or undefined after adding this one (one Map lookup either way). */
  findOrAdd(draft) {
    if (draft.email === null && draft.mobile === null) return void 0;
    const map = draft.email !== null ? this.byEmail : this.byMobile;
    const login = draft.email ?? draft.mobile;
    const found = map.get(login);
    if (found === void 0) {
      map.set(login, draft);
      return void 0;
    }
    if (!Array.isArray(found)) {
      if (found.sameKeyAs(draft)) return found;
      map.set(login, [found, draft]);
      return void 0;
    }
    const same = found.find((d) => d.sameKeyAs(draft));
    if (same === void 0) found.push(draft);
    return same;
  }
};
function inFirstLineOrder(people, split) {
  const sortedRun = (from, to) => {
    for (let i2 = from + 1; i2 < to; i2++) if (people[i2 - 1].firstLine > people[i2].firstLine) return false;
    return true;
  };
  if (!sortedRun(0, split) || !sortedRun(split, people.length)) return [...people].sort((a, b) => a.firstLine - b.firstLine);
  const out = new Array(people.length);
  let i = 0;
  let j = split;
  let k = 0;
  while (i < split && j < people.length) out[k++] = people[i].firstLine <= people[j].firstLine ? people[i++] : people[j++];
  while (i < split) out[k++] = people[i++];
  while (j < people.length) out[k++] = people[j++];
  return out;
}
function fieldsOf(row, email, mobilePhone) {
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    email,
    mobilePhone,
    homePhone: row.homePhone,
    language: row.language
  };
}
function differingFields(a, b) {
  let out = null;
  if (a.firstName !== b.firstName && nameKey(a.firstName) !== nameKey(b.firstName)) (out ??= []).push("firstName");
  if (a.lastName !== b.lastName && nameKey(a.lastName) !== nameKey(b.lastName)) (out ??= []).push("lastName");
  if (a.email !== b.email && emailKey(a.email) !== emailKey(b.email)) (out ??= []).push("email");
  if (a.mobilePhone !== b.mobilePhone && mobileKey(a.mobilePhone) !== mobileKey(b.mobilePhone)) (out ??= []).push("mobilePhone");
  if ((a.homePhone ?? null) !== (b.homePhone ?? null)) (out ??= []).push("homePhone");
  return out;
}
function conflictIssue(draft) {
  const conflicts = draft.conflicts;
  const fields = COMPARED_FIELDS.filter((f) => conflicts.fields.has(f));
  const lines = [draft.first.line, ...conflicts.lines];
  return createIssue(
    "CONFLICTING_GUARDIAN_ROWS",
    `Rows of guardian "${draft.sisIds[0] ?? ""}" disagree on ${fields.join(", ")} (lines ${lines.join(", ")}): the values of line ${draft.first.line} were used; every row's student is still linked.`,
    { line: conflicts.lines[0], column: fields[0] ?? null, lines }
  );
}
function mergeByLine(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i].line <= b[j].line ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

// src/resolve/roster-index.ts
var LoginIndex = class {
  constructor(accounts) {
    this.accounts = accounts;
  }
  accounts;
  accountsByEmail = /* @__PURE__ */ new Map();
  accountsByMobile = /* @__PURE__ */ new Map();
  coveredEmails = /* @__PURE__ */ new Set();
  coveredMobiles = /* @__PURE__ */ new Set();
  positions = /* @__PURE__ */ new Map();
  emails = null;
  mobiles = null;
  /** Makes sure the index holds every account with one of these logins (nulls are ignored). */
  cover(emails, mobiles) {
    const newEmails = uncovered(emails, this.coveredEmails);
    const newMobiles = uncovered(mobiles, this.coveredMobiles);
    if (newEmails === null && newMobiles === null) return;
    if (this.emails === null || this.mobiles === null) {
      this.emails = this.accounts.map((a) => emailKey(a.email));
      this.mobiles = this.accounts.map((a) => mobileKey(a.mobilePhone));
    }
    for (let pos = 0; pos < this.accounts.length; pos++) {
      const email = this.emails[pos];
      const mobile = this.mobiles[pos];
      const account = this.accounts[pos];
      if (newEmails !== null && email !== null && newEmails.has(email)) this.add(this.accountsByEmail, email, account, pos);
      if (newMobiles !== null && mobile !== null && newMobiles.has(mobile)) this.add(this.accountsByMobile, mobile, account, pos);
    }
  }
  /** Position in the snapshot's accounts of an account this index holds. */
  positionOf(account) {
    return this.positions.get(account) ?? -1;
  }
  add(map, key, account, pos) {
    this.positions.set(account, pos);
    const found = map.get(key);
    if (found === void 0) map.set(key, account);
    else if (Array.isArray(found)) found.push(account);
    else map.set(key, [found, account]);
  }
};
function uncovered(values, covered) {
  let out = null;
  for (const value of values) {
    if (value === null || covered.has(value)) continue;
    covered.add(value);
    (out ??= /* @__PURE__ */ new Set()).add(value);
  }
  return out;
}
function lookup(map, key) {
  const found = map.get(key);
  if (found === void 0) return [];
  return Array.isArray(found) ? found : [found];
}
function first(map, key) {
  const found = map.get(key);
  return Array.isArray(found) ? found[0] : found;
}
function hasContactKey(account, firstName, lastName, email, mobile) {
  if (email === null && mobile === null) return false;
  return emailKey(account.email) === email && mobileKey(account.mobilePhone) === mobile && sameName2(account.firstName, firstName) && sameName2(account.lastName, lastName);
}
function sameName2(a, b) {
  return a === b || nameKey(a) === nameKey(b);
}
function accountsWithKey(index, firstName, lastName, email, mobile) {
  const candidates = email !== null ? lookup(index.accountsByEmail, email) : mobile !== null ? lookup(index.accountsByMobile, mobile) : [];
  return candidates.filter((a) => hasContactKey(a, firstName, lastName, email, mobile));
}
function guardianRoleOf(account) {
  const roles = account.roles;
  for (let i = 0; i < roles.length; i++) if (roles[i].role === "guardian") return roles[i];
  return void 0;
}

// src/resolve/id-candidates.ts
function findIdCandidates(accounts, guardianCount, guardianOfId) {
  const single = new Int32Array(guardianCount).fill(-1);
  const more = /* @__PURE__ */ new Map();
  for (let pos = 0; pos < accounts.length; pos++) {
    const role = guardianRoleOf(accounts[pos]);
    if (role === void 0) continue;
    for (const sisId of role.sisIds) {
      const gi = guardianOfId(sisId);
      if (gi === void 0) continue;
      const held = single[gi];
      if (held === -1) single[gi] = pos;
      else if (held !== pos) {
        const list = more.get(gi);
        if (list === void 0) more.set(gi, [held, pos]);
        else if (!list.includes(pos)) list.push(pos);
      }
    }
  }
  return {
    single: (gi) => more.has(gi) ? -2 : single[gi],
    several: (gi) => more.get(gi) ?? []
  };
}

// src/resolve/match-guardians-to-accounts.ts
function matchGuardiansToAccounts(input) {
  const { guardians, accounts: stored, candidates, logins } = input;
  const isActive = input.isActive ?? (() => true);
  const accounts = new Array(guardians.length).fill(null);
  const positions = new Int32Array(guardians.length).fill(-1);
  const rules = new Array(guardians.length).fill(null);
  const taken = new Uint8Array(stored.length);
  const issues = [];
  const take = (g, pos, rule) => {
    accounts[g.index] = stored[pos];
    positions[g.index] = pos;
    rules[g.index] = rule;
    taken[pos] = 1;
  };
  const byIds = (g) => {
    const single = candidates.single(g.index);
    if (single === -1) return [];
    if (single >= 0) return taken[single] === 1 ? [] : [single];
    const all = candidates.several(g.index);
    const found = [];
    for (const id of g.sisIds) {
      const holders = all.filter((pos) => guardianRoleOf(stored[pos])?.sisIds.includes(id) === true);
      holders.sort((a, b) => compare(stored[a].id, stored[b].id));
      for (const pos of holders) if (taken[pos] === 0 && !found.includes(pos)) found.push(pos);
    }
    return found;
  };
  const heldByOther = (g, account) => {
    const role = guardianRoleOf(account);
    if (role === void 0) return void 0;
    for (const id of role.sisIds) {
      if (g.sisIds.includes(id)) continue;
      const oi = input.guardianOfId(id);
      const other = oi === void 0 ? void 0 : guardians[oi];
      if (other !== void 0 && other.key !== g.key) return other;
    }
    return void 0;
  };
  const reported = /* @__PURE__ */ new Set();
  const byKey = (g, email, mobile) => {
    const found = accountsWithKey(logins, g.fields.firstName, g.fields.lastName, email, mobile);
    for (const account of found.length < 2 ? found : [...found].sort((a, b) => compare(a.id, b.id))) {
      const other = heldByOther(g, account);
      const pos = logins.positionOf(account);
      if (other === void 0) {
        if (taken[pos] === 1) continue;
        return pos;
      }
      if (!reported.has(g.index)) {
        reported.add(g.index);
        issues.push(
          createIssue(
            "DUPLICATE_IDENTITY",
            `The guardian on line ${g.firstLine} has the same name, email and mobile phone as an existing account that belongs to the guardian id on line ${other.firstLine}, whose details differ: the two were not merged. Correct the ids or contacts in the SIS.`,
            { line: g.firstLine, column: "guardianSisId", lines: [g.firstLine, other.firstLine] }
          )
        );
      }
    }
    return void 0;
  };
  const pick = (g, test) => {
    const single = candidates.single(g.index);
    if (single === -1) return -1;
    if (single >= 0) return taken[single] === 0 && test(g, stored[single]) ? single : -1;
    for (const pos of byIds(g)) if (test(g, stored[pos])) return pos;
    return -1;
  };
  const runPasses = (list) => {
    for (const g of list) {
      if (g.sisIds.length === 0 || !hasLogin(g)) continue;
      const exact = pick(g, sameContactKey);
      if (exact !== -1) take(g, exact, "sis-id");
    }
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const sharing = pick(g, sharesLogin);
      if (sharing !== -1) take(g, sharing, "sis-id");
    }
    for (const g of list) {
      if (g.sisIds.length === 0 || accounts[g.index] !== null) continue;
      const any = pick(g, anyAccount);
      if (any !== -1) take(g, any, "sis-id");
    }
    const open = list.filter((g) => accounts[g.index] === null && hasLogin(g));
    if (open.length === 0) return;
    logins.cover(
      open.map((g) => g.fields.email),
      open.map((g) => g.fields.mobilePhone)
    );
    for (const g of open) {
      const found = byKey(g, g.fields.email, g.fields.mobilePhone);
      if (found !== void 0) take(g, found, "contact-key");
    }
    for (const g of open) {
      if (accounts[g.index] !== null) continue;
      const { email, mobilePhone } = g.fields;
      if (email === null || mobilePhone === null) continue;
      const found = byKey(g, null, mobilePhone) ?? byKey(g, email, null);
      if (found !== void 0) take(g, found, "contact-key");
    }
  };
  runPasses(guardians.filter((g) => isActive(g)));
  runPasses(guardians.filter((g) => !isActive(g)));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { accounts, positions, rules, issues };
}
function sameContactKey(g, account) {
  const { firstName, lastName, email, mobilePhone } = g.fields;
  return hasContactKey(account, firstName, lastName, email, mobilePhone);
}
function hasLogin(g) {
  return g.fields.email !== null || g.fields.mobilePhone !== null;
}
function anyAccount() {
  return true;
}
function sharesLogin(g, account) {
  const { email, mobilePhone } = g.fields;
  return email !== null && emailKey(account.email) === email || mobilePhone !== null && mobileKey(account.mobilePhone) === mobilePhone;
}
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/resolve/assign-credentials.ts
var EMAIL = 0;
var MOBILE = 1;
var FIELD_NAMES = ["email", "mobilePhone"];
var REFUSED = -1;
var NO_NODE = -1;
var UNDECIDED = -2;
var DEP_UNKNOWN = 0;
var DEP_RELEASED = 1;
var DEP_KEPT = 2;
var DEP_NODE = 3;
var LOCKED = 1;
var IGNORES_EMAIL = 2;
var IGNORES_MOBILE = 4;
var NO_LOGINS = Object.freeze([]);
var CredentialSolver = class {
  constructor(requests, index) {
    this.requests = requests;
    const n = requests.length;
    this.n = n;
    this.holders = [index.accountsByEmail, index.accountsByMobile];
    const curEmail = new Array(n);
    const curMobile = new Array(n);
    this.cur = [curEmail, curMobile];
    this.accountIds = new Array(n);
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
      if (requests.ignores(i, "email")) flags |= IGNORES_EMAIL;
      if (requests.ignores(i, "mobilePhone")) flags |= IGNORES_MOBILE;
      this.flags[i] = flags;
      const fields = requests.guardian(i).fields;
      const askedEmail = this.noteAsk(i, EMAIL, fields.email, curEmail[i], (flags & (LOCKED | IGNORES_EMAIL)) !== 0);
      const askedMobile = this.noteAsk(i, MOBILE, fields.mobilePhone, curMobile[i], (flags & (LOCKED | IGNORES_MOBILE)) !== 0);
      if (askedEmail || askedMobile) this.asking.push(i);
    }
    this.findHolders();
    this.decideAll();
  }
  requests;
  n;
  /** The logins each request's account has now (folded), by field. */
  cur;
  /** Each request's account id (null: a new account, or no request), read with its logins so that finding holders touches no account again. */
  accountIds;
  flags;
  /** The node each request asks for, by field; NO_NODE when it asks for nothing there. */
  asks;
  /** Requests that ask for anything, in order. */
  asking = [];
  nodesByValue = [/* @__PURE__ */ new Map(), /* @__PURE__ */ new Map()];
  nodeField = [];
  nodeValue = [];
  /** Askers of each node in request order (withdrawn ones stay listed; `firstAsker` skips them). */
  nodeAskers = [];
  holders;
  /** Requests whose file value differs from their account's but who do not ask for it (locked, or ignored). */
  unasked = [null, null];
  /** Requests of the accounts that hold an asked value (several only in damaged data). */
  requestsOfHolder = /* @__PURE__ */ new Map();
  /** Nodes whose holder is a request, by that request: they depend on what it asks for. */
  dependents = /* @__PURE__ */ new Map();
  winner = new Int32Array(0);
  open = new Uint8Array(0);
  cursor = new Int32Array(0);
  depKind = new Uint8Array(0);
  depNode = new Int32Array(0);
  depHolder = new Int32Array(0);
  /** The email request `i`'s account ends with. */
  email(i) {
    const email = this.kept(i, EMAIL);
    return this.wantsNothing(i, EMAIL) && this.kept(i, MOBILE) !== null ? null : email;
  }
  /** The mobile request `i`'s account ends with (the email is settled first, as a blank email may go). */
  mobilePhone(i) {
    const mobile = this.kept(i, MOBILE);
    return this.wantsNothing(i, MOBILE) && this.email(i) !== null ? null : mobile;
  }
  /** The stored accounts whose login request `i` takes over (their updates go first). */
  after(i) {
    let out = null;
    for (let k = 0; k < 2; k++) {
      const f = k;
      const node = this.asks[f][i];
      if (node === NO_NODE || this.winner[node] !== i) continue;
      const holder = first(this.holders[f], this.nodeValue[node]);
      if (holder !== void 0) (out ??= []).push(holder.id);
    }
    return out ?? NO_LOGINS;
  }
  /** Requests that asked for anything when the assignment was made, in request order. */
  askingRequests() {
    return this.asking;
  }
  /** CREDENTIAL_IN_USE for every ask not granted, in line order (stable: request order within a line). */
  issues() {
    const issues = [];
    for (const i of this.asking) {
      for (let k = 0; k < 2; k++) {
        const f = k;
        const node = this.asks[f][i];
        if (node === NO_NODE || this.winner[node] === i) continue;
        const r = this.requests.guardian(i);
        const what = f === EMAIL ? "email address" : "mobile phone";
        const kept = this.requests.account(i) === null ? "the account was created without it" : "the account keeps its current one";
        issues.push(
          createIssue("CREDENTIAL_IN_USE", `The ${what} on line ${r.fieldsLine} is already the login of another person: it was not given to this guardian (${kept}). Correct it in the SIS.`, {
            line: r.fieldsLine,
            column: FIELD_NAMES[f]
          })
        );
      }
    }
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return issues;
  }
  /**
   * Calls `visit` with every request whose file value of `field` is `value` (each once, in no
   * particular order): those asking for it, those whose account holds it, and those not
   * asking for it although the file gives it (locked or ignored). Complete when `value` was
   * asked for and the index holds every stored account with that login; returns false,
   * visiting nothing, when `value` was not asked for.
   */
  forEachRequestWithLogin(field, value, visit) {
    const f = field === "email" ? EMAIL : MOBILE;
    const node = this.nodesByValue[f].get(value);
    if (node === void 0) return false;
    for (const i of this.nodeAskers[node]) visit(i);
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
  withdraw(i, field, changed) {
    if (this.requests.account(i) !== null) throw new Error("CredentialSolver.withdraw: only a request for a new account can withdraw an ask");
    const f = field === "email" ? EMAIL : MOBILE;
    this.flags[i] = this.flags[i] | (f === EMAIL ? IGNORES_EMAIL : IGNORES_MOBILE);
    const node = this.asks[f][i];
    if (node === NO_NODE) return;
    this.asks[f][i] = NO_NODE;
    changed.push(i);
    if (this.winner[node] !== i) return;
    const next = this.firstAsker(node);
    this.winner[node] = next;
    if (next === REFUSED) return;
    changed.push(next);
    this.propagate(node, changed);
  }
  // --- building -------------------------------------------------------------------------
  /** Records what request `i` asks for in field `f`; true when it asks. */
  noteAsk(i, f, fileValue, cur, notAsking) {
    if (fileValue === null || fileValue === cur) return false;
    if (notAsking) {
      const byValue = this.unasked[f] ??= /* @__PURE__ */ new Map();
      const list = byValue.get(fileValue);
      if (list === void 0) byValue.set(fileValue, [i]);
      else list.push(i);
      return false;
    }
    const nodes = this.nodesByValue[f];
    let node = nodes.get(fileValue);
    if (node === void 0) {
      node = this.nodeValue.length;
      nodes.set(fileValue, node);
      this.nodeField.push(f);
      this.nodeValue.push(fileValue);
      this.nodeAskers.push([i]);
    } else {
      this.nodeAskers[node].push(i);
    }
    this.asks[f][i] = node;
    return true;
  }
  /** Maps the accounts holding asked values to their requests: one pass, only when some asked value is held. */
  findHolders() {
    const held = /* @__PURE__ */ new Set();
    for (let node = 0; node < this.nodeValue.length; node++) {
      for (const account of lookup(this.holders[this.nodeField[node]], this.nodeValue[node])) held.add(account.id);
    }
    if (held.size === 0) return;
    for (let i = 0; i < this.n; i++) {
      const id = this.accountIds[i];
      if (id === null || !held.has(id)) continue;
      const list = this.requestsOfHolder.get(id);
      if (list === void 0) this.requestsOfHolder.set(id, [i]);
      else list.push(i);
    }
  }
  decideAll() {
    const count = this.nodeValue.length;
    this.winner = new Int32Array(count).fill(UNDECIDED);
    this.open = new Uint8Array(count);
    this.cursor = new Int32Array(count);
    this.depKind = new Uint8Array(count);
    this.depNode = new Int32Array(count).fill(NO_NODE);
    this.depHolder = new Int32Array(count).fill(REFUSED);
    const onPath = new Uint8Array(count);
    const stack = [];
    for (let start = 0; start < count; start++) {
      if (this.winner[start] !== UNDECIDED) continue;
      stack.push(start);
      while (stack.length > 0) {
        const node = stack[stack.length - 1];
        if (this.winner[node] !== UNDECIDED) {
          stack.pop();
          onPath[node] = 0;
          continue;
        }
        if (this.depKind[node] === DEP_UNKNOWN) this.dependencyOf(node);
        const kind = this.depKind[node];
        if (kind !== DEP_NODE) {
          this.settle(node, kind === DEP_RELEASED);
          continue;
        }
        const dep = this.depNode[node];
        const decided = this.winner[dep];
        if (decided !== UNDECIDED) {
          this.settle(node, decided === this.depHolder[node]);
          continue;
        }
        if (onPath[dep] === 1) {
          this.settle(node, false);
          continue;
        }
        onPath[node] = 1;
        stack.push(dep);
      }
    }
  }
  settle(node, open) {
    this.open[node] = open ? 1 : 0;
    this.winner[node] = open ? this.firstAsker(node) : REFUSED;
  }
  /**
   * What decides whether the holder of a node's value gives it up: nobody holds it
   * (released), the holder keeps it, or the node the holder's request asks for instead.
   */
  dependencyOf(node) {
    const f = this.nodeField[node];
    const value = this.nodeValue[node];
    const found = this.holders[f].get(value);
    const holderAccount = Array.isArray(found) ? found[0] : found;
    if (holderAccount === void 0) return this.depends(node, DEP_RELEASED);
    if (Array.isArray(found) && found.length > 1) return this.depends(node, DEP_KEPT);
    const list = this.requestsOfHolder.get(holderAccount.id);
    const holder = list === void 0 ? void 0 : list[list.length - 1];
    if (holder === void 0 || (this.flags[holder] & LOCKED) !== 0) return this.depends(node, DEP_KEPT);
    const next = this.want(holder, f);
    if (next === value) return this.depends(node, DEP_KEPT);
    if (next !== null) return this.dependsOnAsk(node, holder, f, next);
    const g = f === EMAIL ? MOBILE : EMAIL;
    if (this.cur[g][holder] !== null) return this.depends(node, DEP_RELEASED);
    const otherWant = this.want(holder, g);
    if (otherWant === null) return this.depends(node, DEP_KEPT);
    return this.dependsOnAsk(node, holder, g, otherWant);
  }
  depends(node, kind) {
    this.depKind[node] = kind;
  }
  /** The node depends on the holder getting `value` in field `f`, which it can only get by asking for it. */
  dependsOnAsk(node, holder, f, value) {
    const asked = this.asks[f][holder];
    if (asked === NO_NODE || this.nodeValue[asked] !== value) {
      this.depKind[node] = DEP_KEPT;
      return;
    }
    this.depKind[node] = DEP_NODE;
    this.depNode[node] = asked;
    this.depHolder[node] = holder;
    const list = this.dependents.get(holder);
    if (list === void 0) this.dependents.set(holder, [node]);
    else list.push(node);
  }
  // --- reading and updating -------------------------------------------------------------
  /** What request `i` wants its account to end with in field `f`; a locked account or an ignored field wants what it has. */
  want(i, f) {
    const notAsking = (this.flags[i] & (LOCKED | (f === EMAIL ? IGNORES_EMAIL : IGNORES_MOBILE))) !== 0;
    return notAsking ? this.cur[f][i] : this.fileValue(i, f);
  }
  fileValue(i, f) {
    const fields = this.requests.guardian(i).fields;
    return f === EMAIL ? fields.email : fields.mobilePhone;
  }
  wantsNothing(i, f) {
    return this.want(i, f) === null;
  }
  /** The value request `i` ends with in field `f` before the blank rule: the asked one when granted, else the current one. */
  kept(i, f) {
    const node = this.asks[f][i];
    return node !== NO_NODE && this.winner[node] === i ? this.nodeValue[node] : this.cur[f][i];
  }
  /** The first asker by line still asking for the node, or REFUSED. */
  firstAsker(node) {
    const askers = this.nodeAskers[node];
    const f = this.nodeField[node];
    let c = this.cursor[node];
    while (c < askers.length && this.asks[f][askers[c]] !== node) c++;
    this.cursor[node] = c;
    return c < askers.length ? askers[c] : REFUSED;
  }
  /**
   * `node` went to a new winner (from a withdrawn request): nodes held by that winner that
   * depend on `node` open and go to their first asker, and so on up the chain. Nothing ever
   * closes: a winner is only ever taken from a request for a new account, which holds
   * nothing, so withdrawals only open nodes, each at most once over any number of them.
   * That keeps all the withdrawals of a plan linear in all.
   */
  propagate(node, changed) {
    const work = [node];
    while (work.length > 0) {
      const dep = work.pop();
      const holder = this.winner[dep];
      const held = holder < 0 ? void 0 : this.dependents.get(holder);
      if (held === void 0) continue;
      for (const m of held) {
        if (this.depNode[m] !== dep || this.open[m] === 1) continue;
        this.open[m] = 1;
        const next = this.firstAsker(m);
        this.winner[m] = next;
        if (next === REFUSED) continue;
        changed.push(next);
        work.push(m);
      }
    }
  }
};

// src/plan/hand-over-order.ts
function inHandOverOrder(updates, before) {
  if (before.size === 0) return updates;
  const rank = /* @__PURE__ */ new Map();
  const rankOf = (start) => {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack[stack.length - 1];
      if (rank.has(id)) {
        stack.pop();
        continue;
      }
      const preds = before.get(id) ?? [];
      const pending = preds.filter((p) => !rank.has(p));
      if (pending.length > 0) {
        if (stack.length > 2 * updates.length + 2) break;
        stack.push(...pending);
        continue;
      }
      rank.set(id, preds.reduce((m, p) => Math.max(m, (rank.get(p) ?? 0) + 1), 0));
      stack.pop();
    }
    return rank.get(start) ?? 0;
  };
  return updates.map((u, i) => ({ u, i, r: rankOf(u.accountId) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.u);
}

// src/plan/settle-indistinguishable-guardians.ts
function settleIndistinguishableGuardians(requests, logins) {
  const owners = new KeyOwners(requests, logins);
  const collidedWith = /* @__PURE__ */ new Map();
  const ownerOf = /* @__PURE__ */ new Map();
  const queue = new MaxHeap();
  const evaluate = (i) => {
    ownerOf.delete(i);
    const g = requests.guardian(i);
    if (g.sisIds.length > 0 || requests.account(i) !== null) return;
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    const ended = contactKey({ firstName: g.fields.firstName, lastName: g.fields.lastName, email, mobilePhone });
    if (ended === null || ended === g.key) return;
    const owner = owners.firstOwner(ended, i, email, mobilePhone);
    if (owner === void 0) return;
    ownerOf.set(i, owner);
    queue.push(i);
  };
  for (const i of logins.askingRequests()) evaluate(i);
  const changed = [];
  for (let i = queue.pop(); i !== void 0; i = queue.pop()) {
    const owner = ownerOf.get(i);
    if (owner === void 0) continue;
    collidedWith.set(requests.guardian(i).index, requests.guardian(owner));
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    changed.length = 0;
    if (email !== null) logins.withdraw(i, "email", changed);
    if (mobilePhone !== null) logins.withdraw(i, "mobilePhone", changed);
    for (const j of changed) evaluate(j);
  }
  return collidedWith;
}
var KeyOwners = class {
  constructor(requests, logins) {
    this.requests = requests;
    this.logins = logins;
  }
  requests;
  logins;
  /** Per login value: key → the two smallest owning requests. */
  byLogin = { email: /* @__PURE__ */ new Map(), mobilePhone: /* @__PURE__ */ new Map() };
  everyKeyOwners = null;
  /** The first request by line, other than `self`, owning `key` (a key made of `email` and `mobile`). */
  firstOwner(key, self, email, mobile) {
    const owners = this.ownersOf(key, email, mobile);
    for (const o of owners) if (o !== self) return o;
    return void 0;
  }
  ownersOf(key, email, mobile) {
    if (email === null !== (mobile === null)) {
      const field = email !== null ? "email" : "mobilePhone";
      const value = email ?? mobile;
      const stable = field === "email" ? ASCII.test(value) && emailKey(value) === value : mobileKey(value) === value;
      const keys = stable ? this.keysOfLogin(field, value) : void 0;
      if (keys !== void 0) return keys.get(key) ?? NONE;
    }
    return this.everyKey().get(key) ?? NONE;
  }
  keysOfLogin(field, value) {
    const cache = this.byLogin[field];
    const cached = cache.get(value);
    if (cached !== void 0) return cached;
    const keys = /* @__PURE__ */ new Map();
    const complete = this.logins.forEachRequestWithLogin(field, value, (o) => {
      const g = this.requests.guardian(o);
      if (g.key !== null) addOwner(keys, g.key, o);
      const { firstName, lastName, email, mobilePhone } = g.fields;
      if (email === null || mobilePhone === null) return;
      const partial = field === "email" ? contactKey({ firstName, lastName, email, mobilePhone: null }) : contactKey({ firstName, lastName, email: null, mobilePhone });
      if (partial !== null) addOwner(keys, partial, o);
    });
    if (!complete) return void 0;
    cache.set(value, keys);
    return keys;
  }
  /** Every request's keys (the plain way, for keys the per-login index cannot answer). */
  everyKey() {
    if (this.everyKeyOwners !== null) return this.everyKeyOwners;
    const owners = /* @__PURE__ */ new Map();
    const own = (k, i) => {
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
};
var ASCII = /^[\u0000-\u007f]*$/u;
var NONE = Object.freeze([]);
function addOwner(map, key, i) {
  const list = map.get(key);
  if (list === void 0) {
    map.set(key, [i]);
    return;
  }
  if (list.includes(i)) return;
  list.push(i);
  list.sort((a, b) => a - b);
  if (list.length > 2) list.length = 2;
}
var MaxHeap = class {
  items = [];
  push(value) {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = i - 1 >> 1;
      if (items[parent] >= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }
  pop() {
    const items = this.items;
    if (items.length === 0) return void 0;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      let i = 0;
      for (; ; ) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right] > items[left] ? right : left;
        if (items[child] <= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
};

// src/plan/plan-account-changes.ts
function planAccountChanges(input) {
  const { guardians, linkLines, matched, index } = input;
  const present = (i) => (linkLines[guardians[i].index]?.length ?? 0) > 0;
  const accountOf = (i) => matched[guardians[i].index] ?? null;
  const locked = (account) => account !== null && account.claimed && !input.updateClaimedAccounts;
  const requests = {
    length: guardians.length,
    present,
    guardian: (i) => guardians[i],
    account: accountOf,
    locked: (i) => locked(accountOf(i)),
    ignores: () => false
  };
  const logins = new CredentialSolver(requests, index);
  const collidedWith = settleIndistinguishableGuardians(requests, logins);
  const out = noAccountChanges(guardians.length, logins.issues());
  for (let i = 0; i < guardians.length; i++) {
    const g = guardians[i];
    const lines = linkLines[g.index];
    if (lines === void 0 || lines.length === 0) continue;
    const account = matched[g.index] ?? null;
    const email = logins.email(i);
    const mobilePhone = logins.mobilePhone(i);
    if (email === null && mobilePhone === null) {
      out.effects[g.index] = "skipped";
      out.issues.push(noContactCredentialIssue(g, collidedWith.get(g.index)));
      continue;
    }
    if (account === null) {
      const accountId = input.newAccountId(g.sisIds[0] ?? g.key ?? `line:${g.firstLine}`);
      out.creates.push({ accountId, fields: { ...g.fields, email, mobilePhone }, guardianSisIds: [...g.sisIds], lines });
      out.accountIds[g.index] = accountId;
      out.effects[g.index] = "created";
      continue;
    }
    out.accountIds[g.index] = account.id;
    let changed = false;
    const isLocked = locked(account);
    const changes = fieldChanges(account, g.fields, email, mobilePhone, isLocked);
    if (changes !== null) {
      out.updates.push({ accountId: account.id, changes, lines });
      changed = true;
    }
    if (isLocked && protectedFieldsDiffer(account, g.fields)) out.issues.push(claimedAccountIssue(g));
    if (planRoleChanges(out, account, g, lines)) changed = true;
    out.effects[g.index] = changed ? "changed" : "same";
  }
  out.updates = inHandOverOrder(out.updates, handOvers(requests, logins));
  return out;
}
function handOvers(requests, logins) {
  const before = /* @__PURE__ */ new Map();
  for (const i of logins.askingRequests()) {
    const account = requests.account(i);
    if (account === null) continue;
    const list = logins.after(i);
    if (list.length > 0) before.set(account.id, list);
  }
  return before;
}
function fieldChanges(account, fields, email, mobilePhone, locked) {
  let changes = null;
  if (!locked) {
    changes = plainChange(changes, "firstName", account.firstName ?? null, fields.firstName ?? null);
    changes = plainChange(changes, "lastName", account.lastName ?? null, fields.lastName ?? null);
    changes = loginChange(changes, "email", account.email ?? null, email, emailKey);
    changes = loginChange(changes, "mobilePhone", account.mobilePhone ?? null, mobilePhone, mobileKey);
    changes = plainChange(changes, "homePhone", account.homePhone ?? null, fields.homePhone ?? null);
  }
  return plainChange(changes, "language", account.language ?? null, fields.language ?? null);
}
function protectedFieldsDiffer(account, fields) {
  let changes = plainChange(null, "firstName", account.firstName ?? null, fields.firstName ?? null);
  changes = plainChange(changes, "lastName", account.lastName ?? null, fields.lastName ?? null);
  changes = loginChange(changes, "email", account.email ?? null, fields.email ?? null, emailKey);
  changes = loginChange(changes, "mobilePhone", account.mobilePhone ?? null, fields.mobilePhone ?? null, mobileKey);
  changes = plainChange(changes, "homePhone", account.homePhone ?? null, fields.homePhone ?? null);
  return changes !== null;
}
function plainChange(changes, field, before, after) {
  if (before === after) return changes;
  (changes ??= []).push({ field, before, after });
  return changes;
}
function loginChange(changes, field, before, after, fold) {
  if (before === after || fold(before) === fold(after)) return changes;
  (changes ??= []).push({ field, before, after });
  return changes;
}
function missingIds(ids, held) {
  let missing = null;
  for (const id of ids) if (!held.includes(id)) (missing ??= []).push(id);
  return missing;
}
function noContactCredentialIssue(g, indistinguishableFrom) {
  const lines = g.rows.map((r) => r.line);
  if (indistinguishableFrom !== void 0) {
    return createIssue(
      "NO_CONTACT_CREDENTIAL",
      `The guardian on line ${g.fieldsLine} has no guardianSisId, and the only login left to them (the other belongs to another person) would make them indistinguishable from the guardian on line ${indistinguishableFrom.fieldsLine}: they were not added. Give them a guardianSisId or a login of their own.`,
      { line: g.fieldsLine, lines }
    );
  }
  return createIssue(
    "NO_CONTACT_CREDENTIAL",
    `The guardian on line ${g.fieldsLine} has no email or mobile phone of their own to log in with, so they were not added. Add one in the SIS; the next sync adds them.`,
    { line: g.fieldsLine, column: g.fields.email !== null ? "email" : "mobilePhone", lines }
  );
}
function claimedAccountIssue(g) {
  return createIssue(
    "CLAIMED_ACCOUNT_NOT_UPDATED",
    `The guardian on line ${g.fieldsLine} manages their own account: the names and contacts in the file were not applied to it (links and roles still are).`,
    { line: g.fieldsLine }
  );
}
function planRoleChanges(out, account, g, lines) {
  const role = guardianRoleOf(account);
  if (role === void 0) {
    out.roleAdds.push({ accountId: account.id, role: "guardian", sisIds: [...g.sisIds], reason: "new-role", lines });
    return true;
  }
  let changed = false;
  const missing = missingIds(g.sisIds, role.sisIds);
  if (missing !== null) {
    out.roleAdds.push({ accountId: account.id, role: "guardian", sisIds: missing, reason: "new-sis-id", lines });
    changed = true;
  }
  if (role.status === "archived") {
    out.restores.push({ accountId: account.id, role: "guardian", lines });
    changed = true;
  }
  return changed;
}
function noAccountChanges(guardianCount, issues) {
  return {
    creates: [],
    updates: [],
    roleAdds: [],
    restores: [],
    accountIds: new Array(guardianCount).fill(null),
    effects: new Array(guardianCount).fill("absent"),
    issues
  };
}

// src/plan/links-by-account.ts
var LOOK_AHEAD = 8;
var LinksByAccount = class {
  constructor(links, accounts) {
    this.links = links;
    this.accounts = accounts;
    this.accountIds = accounts.map((a) => a.id);
    const groupOfLink = new Int32Array(links.length);
    let cursor = 0;
    let group = -1;
    let groupId;
    for (let i = 0; i < links.length; i++) {
      const accountId = links[i].accountId;
      if (accountId !== groupId) {
        groupId = accountId;
        group = -1;
        const until = Math.min(cursor + LOOK_AHEAD, accounts.length);
        for (let p = cursor; p < until; p++) {
          if (this.accountIds[p] === accountId) {
            group = p;
            cursor = p + 1;
            break;
          }
        }
        if (group === -1) {
          group = this.groupOfLinkedId(accountId);
          if (group < accounts.length) cursor = group + 1;
        }
      }
      groupOfLink[i] = group;
    }
    const groups = this.accountIds.length;
    this.start = new Int32Array(groups + 1);
    for (let i = 0; i < links.length; i++) this.start[groupOfLink[i] + 1]++;
    for (let g = 0; g < groups; g++) this.start[g + 1] += this.start[g];
    const next = this.start.slice(0, groups);
    this.order = new Int32Array(links.length);
    for (let i = 0; i < links.length; i++) this.order[next[groupOfLink[i]]++] = i;
  }
  links;
  accounts;
  /**
   * Account id of each group: groups 0 … accounts.length - 1 are the snapshot's accounts by
   * position; any group past them is an account id that links name but no account has.
   */
  accountIds;
  numbers = null;
  /** Group g's links are `links[order[p]]` for p in `start[g]` … `start[g + 1] - 1`, in stored order. */
  start;
  order;
  /** The group of a link's account id: a new group past the accounts when no account has it. */
  groupOfLinkedId(accountId) {
    const found = this.groupOf(accountId);
    if (found !== -1) return found;
    const group = this.accountIds.length;
    this.numbers.set(accountId, group);
    this.accountIds.push(accountId);
    return group;
  }
  /** Number of groups: the snapshot's accounts, then account ids only links name. */
  get size() {
    return this.accountIds.length;
  }
  /** The group of an account id (its position when it is a snapshot account), or -1 when neither an account nor a link has it. */
  groupOf(accountId) {
    if (this.numbers === null) {
      this.numbers = /* @__PURE__ */ new Map();
      for (let pos = this.accounts.length - 1; pos >= 0; pos--) this.numbers.set(this.accountIds[pos], pos);
    }
    return this.numbers.get(accountId) ?? -1;
  }
  /** The snapshot account of a group, or null for an id only links name. */
  accountOf(group) {
    return group < this.accounts.length ? this.accounts[group] : null;
  }
  /** Number of links in a group. */
  countOf(group) {
    return this.start[group + 1] - this.start[group];
  }
  /** The i-th link of a group (0 ≤ i < countOf(group)). */
  linkOf(group, i) {
    return this.links[this.order[this.start[group] + i]];
  }
};

// src/plan/plan-links.ts
function planLinks(input) {
  const { guardians, slotOffsets, usable, source } = input;
  const slots = slotOffsets[guardians.length] ?? 0;
  const addedSlots = new Uint8Array(slots);
  const removedSlots = new Uint8Array(slots);
  const groups = new LinksByAccount(input.links, input.accounts);
  const own = new OwnStudents(groups, source);
  const asking = new RowsAsking(slotOffsets, usable);
  const guardianOf = new Int32Array(groups.size).fill(-1);
  const deleterOf = new Int32Array(groups.size).fill(-1);
  const addsOf = new Int32Array(groups.size);
  const linkAdds = [];
  for (const g of guardians) {
    const accountId = input.added[g.index] ?? null;
    const matched = input.matched[g.index] ?? null;
    const matchedGroup = matched === null ? -1 : input.matchedPositions[g.index];
    if (input.delta && matchedGroup !== -1) deleterOf[matchedGroup] = g.index;
    if (accountId === null) continue;
    const group = matched !== null && matched.id === accountId ? matchedGroup : groups.groupOf(accountId);
    if (group !== -1) guardianOf[group] = g.index;
    let adds = 0;
    const base = slotOffsets[g.index];
    for (let k = 0; k < g.rows.length; k++) {
      const row = g.rows[k];
      if (usable[base + k] !== 1 || row.delete === true) continue;
      const student = row.studentSisId;
      if (asking.firstSlot(g, false, student) !== base + k) continue;
      if (group !== -1 && own.has(group, student)) continue;
      const asked = asking.slots(g, false, student);
      for (const slot of asked) addedSlots[slot] = 1;
      linkAdds.push({ accountId, studentSisId: student, lines: asked.map((slot) => g.rows[slot - base].line) });
      adds++;
    }
    if (group !== -1) addsOf[group] = adds;
  }
  const linkRemoves = [];
  let managedLinks = 0;
  let managedGuardians = 0;
  const withRemovals = [];
  for (let group = 0; group < groups.size; group++) {
    const count = groups.countOf(group);
    if (count === 0) continue;
    const accountId = groups.accountIds[group];
    let managedHere = 0;
    let removed = null;
    const seen = count > SCAN_LIMIT ? /* @__PURE__ */ new Set() : null;
    for (let l = 0; l < count; l++) {
      const link = groups.linkOf(group, l);
      if (link.source !== source) continue;
      const student = link.studentSisId;
      if (seen !== null ? seen.size === seen.add(student).size : l > 0 && ownLinkBefore(groups, group, source, student, l)) continue;
      const guardian = guardianOf[group];
      if (guardian !== -1 && asking.firstSlot(guardians[guardian], false, student) !== -1) {
        managedHere++;
        continue;
      }
      if (input.students.problemOf(student) !== null) continue;
      managedHere++;
      if (input.delta) {
        const deleterIndex = deleterOf[group];
        if (deleterIndex === -1) continue;
        const deleter = guardians[deleterIndex];
        const asked = asking.slots(deleter, true, student);
        if (asked.length === 0) continue;
        for (const slot of asked) removedSlots[slot] = 1;
        const base = slotOffsets[deleter.index];
        linkRemoves.push({ accountId, studentSisId: student, lines: asked.map((slot) => deleter.rows[slot - base].line) });
      } else {
        linkRemoves.push({ accountId, studentSisId: student, lines: [] });
      }
      (removed ??= new StudentSet()).add(student);
    }
    managedLinks += managedHere;
    if (managedHere === 0) continue;
    const account = groups.accountOf(group);
    if (account !== null && isActiveGuardian(account)) {
      managedGuardians++;
      if (removed !== null) withRemovals.push({ group, removed });
    }
  }
  linkRemoves.sort(byPair);
  const archives = [];
  for (const { group, removed } of withRemovals) {
    const accountId = groups.accountIds[group];
    if (addsOf[group] > 0 || input.keptAccounts.has(accountId)) continue;
    let left = false;
    for (let l = 0; l < groups.countOf(group) && !left; l++) {
      const link = groups.linkOf(group, l);
      left = !(link.source === source && removed.has(link.studentSisId));
    }
    if (!left) archives.push({ accountId, role: "guardian", lines: [] });
  }
  archives.sort((a, b) => compare2(a.accountId, b.accountId));
  return { linkAdds, linkRemoves, archives, managedLinks, managedGuardians, addedSlots, removedSlots };
}
function isActiveGuardian(account) {
  return guardianRoleOf(account)?.status === "active";
}
function ownLinkBefore(groups, group, source, student, at) {
  for (let l = 0; l < at; l++) {
    const link = groups.linkOf(group, l);
    if (link.source === source && link.studentSisId === student) return true;
  }
  return false;
}
var OwnStudents = class {
  constructor(groups, source) {
    this.groups = groups;
    this.source = source;
  }
  groups;
  source;
  large = /* @__PURE__ */ new Map();
  has(group, student) {
    const count = this.groups.countOf(group);
    if (count > SCAN_LIMIT) {
      let set = this.large.get(group);
      if (set === void 0) {
        set = /* @__PURE__ */ new Set();
        for (let l = 0; l < count; l++) {
          const link = this.groups.linkOf(group, l);
          if (link.source === this.source) set.add(link.studentSisId);
        }
        this.large.set(group, set);
      }
      return set.has(student);
    }
    for (let l = 0; l < count; l++) {
      const link = this.groups.linkOf(group, l);
      if (link.source === this.source && link.studentSisId === student) return true;
    }
    return false;
  }
};
var SCAN_LIMIT = 16;
var RowsAsking = class {
  constructor(slotOffsets, usable) {
    this.slotOffsets = slotOffsets;
    this.usable = usable;
  }
  slotOffsets;
  usable;
  large = /* @__PURE__ */ new Map();
  /** The first slot asking (-1: none). */
  firstSlot(g, deletes, student) {
    const base = this.slotOffsets[g.index];
    if (g.rows.length > SCAN_LIMIT) return this.index(g, deletes).get(student)?.[0] ?? -1;
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, deletes, student)) return base + k;
    return -1;
  }
  /** Every slot asking, in line order. */
  slots(g, deletes, student) {
    const base = this.slotOffsets[g.index];
    if (g.rows.length > SCAN_LIMIT) return this.index(g, deletes).get(student) ?? [];
    const out = [];
    for (let k = 0; k < g.rows.length; k++) if (this.asks(g, base, k, deletes, student)) out.push(base + k);
    return out;
  }
  asks(g, base, k, deletes, student) {
    const row = g.rows[k];
    return this.usable[base + k] === 1 && row.delete === true === deletes && row.studentSisId === student;
  }
  index(g, deletes) {
    const key = g.index * 2 + (deletes ? 1 : 0);
    let found = this.large.get(key);
    if (found === void 0) {
      found = /* @__PURE__ */ new Map();
      const base = this.slotOffsets[g.index];
      for (let k = 0; k < g.rows.length; k++) {
        const row = g.rows[k];
        if (this.usable[base + k] !== 1 || row.delete === true !== deletes) continue;
        const list = found.get(row.studentSisId);
        if (list === void 0) found.set(row.studentSisId, [base + k]);
        else list.push(base + k);
      }
      this.large.set(key, found);
    }
    return found;
  }
};
var StudentSet = class {
  list = [];
  set = null;
  add(student) {
    if (this.set !== null) this.set.add(student);
    else if (this.list.length < SCAN_LIMIT) {
      if (!this.list.includes(student)) this.list.push(student);
    } else {
      this.set = new Set(this.list);
      this.set.add(student);
    }
  }
  has(student) {
    return this.set !== null ? this.set.has(student) : this.list.includes(student);
  }
};
function compare2(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function byPair(a, b) {
  return compare2(a.accountId, b.accountId) || compare2(a.studentSisId, b.studentSisId);
}

// src/plan/plan-input.ts
var DEFAULT_MAX_REMOVAL_RATIO = 0.1;

// src/plan/safety-threshold.ts
function ratio(part, whole) {
  return whole === 0 ? 0 : part / whole;
}
function checkSafetyThreshold(input) {
  const removalRatio = ratio(input.linkRemoves, input.managedLinks);
  const archiveRatio = ratio(input.archives, input.managedGuardians);
  const max = input.maxRemovalRatio;
  const removalOver = removalRatio > max;
  const archiveOver = archiveRatio > max;
  const exceeded = removalOver || archiveOver;
  const threshold = { maxRemovalRatio: max, removalRatio, archiveRatio, exceeded, forced: exceeded && input.force };
  if (!exceeded || input.force) return { threshold, hold: false, issue: null };
  const parts = [];
  if (removalOver) parts.push(`remove ${percent(removalRatio)} of the links this sync manages (${input.linkRemoves} of ${input.managedLinks})`);
  if (archiveOver) parts.push(`archive ${percent(archiveRatio)} of the guardians it manages (${input.archives} of ${input.managedGuardians})`);
  const message = `This run would ${parts.join(" and ")}, above the safety threshold of ${percent(max)}: no link was removed and no guardian archived (new accounts, updates and new links were applied). Check that the file is complete; if the removals are intended, run again with force or a higher threshold.`;
  return { threshold, hold: true, issue: createIssue("THRESHOLD_EXCEEDED", message) };
}
function percent(value) {
  return `${Math.round(value * 1e3) / 10}%`;
}

// src/plan/student-scope.ts
function studentScope(snapshot2) {
  const schools = new Set(snapshot2.scope.schoolIds);
  const inScope = /* @__PURE__ */ new Map();
  for (const student of snapshot2.students) inScope.set(student.sisId, schools.has(student.schoolId));
  let lastId;
  let lastProblem = null;
  return {
    problemOf: (sisId) => {
      if (sisId === lastId) return lastProblem;
      const found = inScope.get(sisId);
      lastId = sisId;
      lastProblem = found === void 0 ? "unknown" : found ? null : "out-of-scope";
      return lastProblem;
    }
  };
}

// src/plan/build-plan.ts
var NO_LINES = [];
function buildPlan(input) {
  const { snapshot: snapshot2, settings } = input;
  const mode = settings.mode ?? "full";
  const __t = [performance.now()];
  const __m = (n) => {
    const t = performance.now();
    if (process.env["PHASES"]) console.log(n.padEnd(14), (t - __t[0]).toFixed(0));
    __t[0] = t;
  };
  const grouped = groupRows(input.rows);
  __m("groupRows");
  const { guardians, ordered, guardianOfRow } = grouped;
  const issues = [...grouped.issues];
  const slotOffsets = new Int32Array(guardians.length + 1);
  for (const g of guardians) slotOffsets[g.index + 1] = slotOffsets[g.index] + g.rows.length;
  const slotOfRow = new Int32Array(ordered.length);
  const seen = new Int32Array(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const gi = guardianOfRow[i];
    slotOfRow[i] = slotOffsets[gi] + seen[gi]++;
  }
  __m("slots");
  const students = studentScope(snapshot2);
  const usable = new Uint8Array(ordered.length);
  const linkLines = new Array(guardians.length);
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    const problem = students.problemOf(row.studentSisId);
    if (problem !== null) {
      issues.push(studentIssue(row, problem));
      continue;
    }
    usable[slotOfRow[i]] = 1;
    if (row.delete === true) continue;
    const gi = guardianOfRow[i];
    (linkLines[gi] ??= []).push(row.line);
  }
  __m("students");
  const hasLinks = (gi) => linkLines[gi] !== void 0;
  const logins = new LoginIndex(snapshot2.accounts);
  const matches = matchGuardiansToAccounts({
    guardians,
    accounts: snapshot2.accounts,
    candidates: findIdCandidates(snapshot2.accounts, guardians.length, grouped.guardianIndexOfId),
    logins,
    guardianOfId: grouped.guardianIndexOfId,
    isActive: (g) => hasLinks(g.index)
  });
  issues.push(...matches.issues);
  __m("match");
  const asked = { emails: [], mobiles: [] };
  for (const g of guardians) {
    if (!hasLinks(g.index)) continue;
    const account = matches.accounts[g.index] ?? null;
    const { email, mobilePhone } = g.fields;
    if (email !== null && (account === null || account.email !== email)) asked.emails.push(email);
    if (mobilePhone !== null && (account === null || account.mobilePhone !== mobilePhone)) asked.mobiles.push(mobilePhone);
  }
  logins.cover(asked.emails, asked.mobiles);
  __m("cover");
  const accounts = planAccountChanges({
    guardians,
    linkLines: guardians.map((g) => linkLines[g.index] ?? NO_LINES),
    matched: matches.accounts,
    index: logins,
    updateClaimedAccounts: settings.updateClaimedAccounts ?? false,
    newAccountId: settings.newAccountId ?? (() => randomUUID())
  });
  issues.push(...accounts.issues);
  __m("accounts");
  const kept = /* @__PURE__ */ new Set();
  for (const r of accounts.restores) kept.add(r.accountId);
  for (const r of accounts.roleAdds) kept.add(r.accountId);
  const links = planLinks({
    guardians,
    slotOffsets,
    usable,
    added: accounts.accountIds,
    matched: matches.accounts,
    matchedPositions: matches.positions,
    links: snapshot2.links,
    accounts: snapshot2.accounts,
    source: settings.source,
    delta: mode === "delta",
    keptAccounts: kept,
    students
  });
  __m("links");
  const maxRemovalRatio = settings.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO;
  const decision = checkSafetyThreshold({
    linkRemoves: links.linkRemoves.length,
    managedLinks: links.managedLinks,
    archives: links.archives.length,
    managedGuardians: links.managedGuardians,
    maxRemovalRatio,
    force: settings.force ?? false
  });
  if (decision.issue !== null) issues.push(decision.issue);
  const linkRemoves = decision.hold ? [] : links.linkRemoves;
  const archives = decision.hold ? [] : links.archives;
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const severityOfLine = lineSeverities(issues);
  const rows2 = new Array(ordered.length);
  let skipped = 0;
  let unchanged = 0;
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i];
    const slot = slotOfRow[i];
    let action;
    if (usable[slot] !== 1) action = "SKIPPED";
    else if (row.delete === true) action = !decision.hold && links.removedSlots[slot] === 1 ? "UPDATED" : "UNCHANGED";
    else action = rowAction(accounts.effects[guardianOfRow[i]] ?? "absent", links.addedSlots[slot] === 1);
    if (action === "SKIPPED") skipped++;
    else if (action === "UNCHANGED") unchanged++;
    rows2[i] = { line: row.line, action, result: severityOfLine.get(row.line) ?? "SUCCESS" };
  }
  __m("outcomes");
  const counts = {
    rows: input.rows.length,
    rowsSkipped: skipped,
    guardians: guardians.length,
    accountsCreated: accounts.creates.length,
    accountsUpdated: accounts.updates.length,
    rolesAdded: accounts.roleAdds.length,
    linksAdded: links.linkAdds.length,
    linksRemoved: linkRemoves.length,
    guardiansArchived: archives.length,
    guardiansRestored: accounts.restores.length,
    unchanged
  };
  return {
    scope: snapshot2.scope,
    source: settings.source,
    creates: accounts.creates,
    updates: accounts.updates,
    roleAdds: accounts.roleAdds,
    linkAdds: links.linkAdds,
    linkRemoves,
    archives,
    restores: accounts.restores,
    held: decision.hold ? { linkRemoves: links.linkRemoves.length, archives: links.archives.length } : { linkRemoves: 0, archives: 0 },
    threshold: decision.threshold,
    rows: rows2,
    issues,
    counts
  };
}
function studentIssue(row, problem) {
  const message = problem === "unknown" ? `Student "${row.studentSisId}" on line ${row.line} is not in the roster: the row was skipped. Check the id against the roster sync (leading zeros count).` : `Student "${row.studentSisId}" on line ${row.line} belongs to a school this sync does not cover: the row was skipped.`;
  return createIssue(problem === "unknown" ? "UNKNOWN_STUDENT" : "STUDENT_OUT_OF_SCOPE", message, { line: row.line, column: "studentSisId" });
}
function rowAction(effect, linked) {
  switch (effect) {
    case "created":
      return "CREATED";
    case "changed":
      return "UPDATED";
    case "skipped":
    case "absent":
      return "SKIPPED";
    case "same":
      return linked ? "LINKED" : "UNCHANGED";
  }
}
function lineSeverities(issues) {
  const out = /* @__PURE__ */ new Map();
  const mark = (line, result) => {
    const prev = out.get(line);
    if (prev === "ERROR" || prev === "WARNING" && result !== "ERROR") return;
    out.set(line, result);
  };
  for (const issue of issues) {
    if (issue.severity === "info") continue;
    const result = issue.severity === "error" ? "ERROR" : "WARNING";
    if (issue.line !== null) mark(issue.line, result);
    for (const line of issue.lines ?? []) mark(line, result);
  }
  return out;
}

// .bench/scratch/prof-d.ts
var { snapshot, rows } = deserialize(readFileSync(`.bench/plan-inputs-1000000.v8`));
buildPlan({ rows, snapshot, settings: { source: "guardian-file" } });
var session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
buildPlan({ rows, snapshot, settings: { source: "guardian-file" } });
var { profile } = await session.post("Profiler.stop");
writeFileSync(".bench/profiles/d-only.cpuprofile", JSON.stringify(profile));
