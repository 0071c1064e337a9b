// .bench/scratch/prof-g.ts
import { readFileSync, writeFileSync } from "node:fs";
import { deserialize } from "node:v8";
import { Session } from "node:inspector/promises";

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
function keyOf(first, last, email, mobile) {
  if (email === null && mobile === null) return null;
  const e = email ?? "";
  const m = mobile ?? "";
  return `${first.length}:${first}${last.length}:${last}${e.length}:${e}${m.length}:${m}`;
}

// src/resolve/group-rows-into-guardians.ts
var COMPARED_FIELDS = ["firstName", "lastName", "email", "mobilePhone", "homePhone"];
var Draft = class {
  constructor(first, sisIds, num) {
    this.first = first;
    this.sisIds = sisIds;
    this.num = num;
    this.rows = [first];
    this.firstLine = first.line;
    this.email = emailKey(first.email);
    this.mobile = mobileKey(first.mobilePhone);
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

// .bench/scratch/prof-g.ts
var { rows } = deserialize(readFileSync(`.bench/plan-inputs-1000000.v8`));
groupRows(rows);
var session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  groupRows(rows);
  console.log((performance.now() - t).toFixed(0));
}
var { profile } = await session.post("Profiler.stop");
writeFileSync(".bench/profiles/g-only.cpuprofile", JSON.stringify(profile));
