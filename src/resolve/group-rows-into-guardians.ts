// docs/identity-rules.md §1: the rows of one file grouped into guardians (people). Pure; linear in
// the number of rows: one Map lookup per row with an id, two per person for the contact key.
import { compareIssueLines } from '../errors/compare-issue-lines.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { keepsField, type GuardianRow, type KeptField } from '../model/guardian-row.js';
import type { AccountFields } from '../model/roster.js';
import { contactKey, emailKey, hasLogin, mobileKey, sameContactKey, sameEmail, sameMobile, sameName } from './contact-key.js';

/** One person of the file, with every row that belongs to them. */
export interface FileGuardian {
  /** Position in first-line order (0 = the guardian whose first row comes first). */
  readonly index: number;
  /** Guardian SIS ids of this person, in order of first appearance (two when §1.4 merged them). */
  readonly sisIds: readonly string[];
  /**
   * Names and contacts: those of the first row (by line) of the first id, or of the first row.
   * Email and mobile are folded (`emailKey`, `mobileKey`), as `sameContactKey` expects.
   */
  readonly fields: AccountFields;
  /** Fields of `fields` the row they come from does not know (invalid, or no column): the account keeps its own. Absent: none. */
  readonly kept?: readonly KeptField[] | undefined;
  /** Contact key of `fields`; null when the rows carry neither email nor mobile. */
  readonly key: string | null;
  /** The line whose values `fields` holds (named in issues about them). */
  readonly fieldsLine: number;
  /** Every row of this person, in line order. */
  readonly rows: readonly GuardianRow[];
  readonly firstLine: number;
}

export interface GroupedGuardians {
  readonly guardians: readonly FileGuardian[];
  /** CONFLICTING_GUARDIAN_ROWS and DUPLICATE_IDENTITY warnings, in line order. */
  readonly issues: readonly Issue[];
}

/** What the planner needs besides the guardians, so that it never indexes the file twice. */
export interface GroupedRows extends GroupedGuardians {
  /** The rows in line order (the input itself when it already was). */
  readonly ordered: readonly GuardianRow[];
  /** For each row of `ordered`, the index of its guardian. */
  readonly guardianOfRow: Int32Array;
  /** The guardian holding a guardianSisId of the file. */
  guardianIndexOfId(sisId: string): number | undefined;
}

/** The fields whose disagreement between rows of one id is reported (§1.3). */
const COMPARED_FIELDS = ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone'] as const;
type ComparedField = (typeof COMPARED_FIELDS)[number];

/**
 * A person being grouped, and the FileGuardian the planner reads: one object per person,
 * which is also its own `fields` (a million guardians need no second object each). The
 * contact key is made on first use (most of a district's guardians are matched by SIS id and
 * never need their key as a string).
 */
class Draft implements FileGuardian, AccountFields {
  index = -1;
  /** Filled once every row has its person (see placeRows): exactly sized, in line order. */
  rows: readonly GuardianRow[] = NO_ROWS;
  firstLine: number;
  /** Lines that disagree with `first`, and on which fields (null while none do). */
  conflicts: { lines: number[]; fields: Set<ComparedField> } | null = null;
  /** The person this draft was merged into (§1.4), if any. */
  mergedInto: Draft | null = null;
  // The account fields: those of the first row, logins folded (the contact key is found by
  // the email, or the mobile when the email is blank).
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly language: string | null;
  readonly kept: readonly KeptField[];
  private cachedKey: string | null | undefined;

  constructor(
    readonly first: GuardianRow,
    readonly sisIds: string[],
    /** Creation number (position in `drafts`). */
    readonly num: number,
  ) {
    this.firstLine = first.line;
    this.firstName = first.firstName;
    this.lastName = first.lastName;
    this.email = emailKey(first.email);
    this.mobilePhone = mobileKey(first.mobilePhone);
    this.homePhone = first.homePhone;
    this.language = first.language;
    this.kept = first.kept ?? NOTHING_KEPT;
  }

  get key(): string | null {
    if (this.cachedKey === undefined) this.cachedKey = contactKey(this.first);
    return this.cachedKey;
  }

  /** The draft itself: read its six fields by name, never spread it (see {@link fieldsOf} for a copy). */
  get fields(): AccountFields {
    return this;
  }

  get fieldsLine(): number {
    return this.first.line;
  }
}

const NOTHING_KEPT: readonly KeptField[] = Object.freeze([]);
const NO_ROWS: readonly GuardianRow[] = Object.freeze([]);

/** Rows sorted by line (a copy only when the caller's order is not already line order). */
export function inLineOrder(rows: readonly GuardianRow[]): readonly GuardianRow[] {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.line > rows[i]!.line) return [...rows].sort((a, b) => a.line - b.line);
  }
  return rows;
}

/**
 * Groups valid rows into guardians: by `guardianSisId` (first row by line wins for the
 * fields, conflicts reported), ids with equal contact keys merged into one person
 * (`DUPLICATE_IDENTITY`), and rows without an id joined to the guardian with the same
 * contact key. Guardians come back in order of their first line, whatever the row order.
 */
export function groupRowsIntoGuardians(rows: readonly GuardianRow[]): GroupedGuardians {
  const { guardians, issues } = groupRows(rows);
  // Plain objects for callers (the planner reads the lazy ones of groupRows).
  return {
    guardians: guardians.map((g) => ({
      index: g.index,
      sisIds: g.sisIds,
      fields: fieldsOf(g),
      kept: g.kept,
      key: g.key,
      fieldsLine: g.fieldsLine,
      rows: g.rows,
      firstLine: g.firstLine,
    })),
    issues,
  };
}

/** {@link groupRowsIntoGuardians}, with the row → guardian and id → guardian maps the planner reuses. */
export function groupRows(rows: readonly GuardianRow[]): GroupedRows {
  const ordered = inLineOrder(rows);
  const byId = new Map<string, Draft>();
  const drafts: Draft[] = [];
  const draftOfRow = new Int32Array(ordered.length);
  const idless: number[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const id = row.guardianSisId;
    if (id === null || id === '') {
      idless.push(i);
      continue;
    }
    const draft = byId.get(id);
    if (draft === undefined) {
      const created = new Draft(row, [id], drafts.length);
      draftOfRow[i] = created.num;
      drafts.push(created);
      byId.set(id, created);
      continue;
    }
    draftOfRow[i] = draft.num;
    const differing = differingFields(draft.first, row);
    if (differing !== null) {
      draft.conflicts ??= { lines: [], fields: new Set() };
      draft.conflicts.lines.push(row.line);
      for (const field of differing) draft.conflicts.fields.add(field);
    }
  }

  const issues: Issue[] = [];
  for (const draft of drafts) {
    if (draft.conflicts !== null) issues.push(conflictIssue(draft));
  }

  // §1.4: ids whose (winning) contact keys are equal are one person. Drafts are in order of
  // their first line, so the earlier id is the one that keeps the fields.
  const people: Draft[] = [];
  const byKey = new KeyedDrafts();
  for (const draft of drafts) {
    const owner = byKey.findOrAdd(draft);
    if (owner === undefined) {
      people.push(draft);
      continue;
    }
    issues.push(
      createIssue(
        'DUPLICATE_IDENTITY',
        `Guardian ids "${owner.sisIds[0]!}" (line ${owner.first.line}) and "${draft.sisIds[0]!}" (line ${draft.first.line}) have the same name, email and mobile phone: they are treated as one person with one account, holding both ids.`,
        { line: draft.first.line, column: 'guardianSisId', lines: [owner.first.line, draft.first.line] },
      ),
    );
    owner.sisIds.push(...draft.sisIds);
    draft.mergedInto = owner;
  }

  // §1.2 and §1.5: a row without an id joins the guardian (with or without ids) that has its
  // contact key; rows without any credential never join anyone.
  const firstIdless = people.length;
  for (const i of idless) {
    const row = ordered[i]!;
    const draft = new Draft(row, [], drafts.length);
    const owner = byKey.findOrAdd(draft);
    if (owner === undefined) {
      draftOfRow[i] = draft.num;
      drafts.push(draft);
      people.push(draft);
      continue;
    }
    draftOfRow[i] = owner.num;
    if (row.line < owner.firstLine) owner.firstLine = row.line;
  }

  const guardians = inFirstLineOrder(people, firstIdless);
  for (let index = 0; index < guardians.length; index++) guardians[index]!.index = index;
  const guardianOfRow = draftOfRow;
  for (let i = 0; i < guardianOfRow.length; i++) {
    let d = drafts[guardianOfRow[i]!]!;
    while (d.mergedInto !== null) d = d.mergedInto;
    guardianOfRow[i] = d.index;
  }
  placeRows(guardians, ordered, guardianOfRow);
  issues.sort(compareIssueLines);
  return {
    guardians,
    issues,
    ordered,
    guardianOfRow,
    guardianIndexOfId: (sisId) => {
      let d = byId.get(sisId);
      if (d === undefined) return undefined;
      while (d.mergedInto !== null) d = d.mergedInto;
      return d.index;
    },
  };
}

/**
 * Drafts by contact key, found through the login the key carries (the email, or the mobile
 * when the email is blank) and then compared whole: a Map keyed by the login string the row
 * already holds is cheaper than one keyed by a freshly built composite key.
 */
class KeyedDrafts {
  private readonly byEmail = new Map<string, Draft | Draft[]>();
  private readonly byMobile = new Map<string, Draft | Draft[]>();

  /** The draft with the same contact key, or undefined after adding this one (one Map lookup either way). */
  findOrAdd(draft: Draft): Draft | undefined {
    if (!hasLogin(draft)) return undefined;
    const map = draft.email !== null ? this.byEmail : this.byMobile;
    const login = draft.email ?? draft.mobilePhone!;
    const found = map.get(login);
    if (found === undefined) {
      map.set(login, draft);
      return undefined;
    }
    if (!Array.isArray(found)) {
      if (sameContactKey(found, draft)) return found;
      map.set(login, [found, draft]);
      return undefined;
    }
    const same = found.find((d) => sameContactKey(d, draft));
    if (same === undefined) found.push(draft);
    return same;
  }
}

/**
 * People in order of their first line. Those with ids come in that order already (unless an
 * earlier row without id joined one), those without ids after them, also in order: a merge
 * of the two runs, and a sort only when either is out of order.
 */
function inFirstLineOrder(people: readonly Draft[], split: number): Draft[] {
  const sortedRun = (from: number, to: number): boolean => {
    for (let i = from + 1; i < to; i++) if (people[i - 1]!.firstLine > people[i]!.firstLine) return false;
    return true;
  };
  if (!sortedRun(0, split) || !sortedRun(split, people.length)) return [...people].sort((a, b) => a.firstLine - b.firstLine);
  const out: Draft[] = new Array<Draft>(people.length);
  let i = 0;
  let j = split;
  let k = 0;
  while (i < split && j < people.length) out[k++] = people[i]!.firstLine <= people[j]!.firstLine ? people[i++]! : people[j++]!;
  while (i < split) out[k++] = people[i++]!;
  while (j < people.length) out[k++] = people[j++]!;
  return out;
}

/** A plain copy of a guardian's fields, in ACCOUNT_FIELDS order (for callers that keep or spread them). */
export function fieldsOf(g: FileGuardian): AccountFields {
  const { firstName, lastName, email, mobilePhone, homePhone, language } = g.fields;
  return { firstName, lastName, email, mobilePhone, homePhone, language };
}

/** The compared fields two rows of one id disagree on; a field either row does not know (§ Values: kept) is no disagreement. */
function differingFields(a: GuardianRow, b: GuardianRow): ComparedField[] | null {
  let out: ComparedField[] | null = null;
  const known = (field: ComparedField & KeptField): boolean => !keepsField(a, field) && !keepsField(b, field);
  if (!sameName(a.firstName, b.firstName)) (out ??= []).push('firstName');
  if (!sameName(a.lastName, b.lastName)) (out ??= []).push('lastName');
  if (!sameEmail(a.email, b.email) && known('email')) (out ??= []).push('email');
  if (!sameMobile(a.mobilePhone, b.mobilePhone) && known('mobilePhone')) (out ??= []).push('mobilePhone');
  if ((a.homePhone ?? null) !== (b.homePhone ?? null) && known('homePhone')) (out ??= []).push('homePhone');
  return out;
}

function conflictIssue(draft: Draft): Issue {
  const conflicts = draft.conflicts!;
  const fields = COMPARED_FIELDS.filter((f) => conflicts.fields.has(f));
  const lines = [draft.first.line, ...conflicts.lines];
  return createIssue(
    'CONFLICTING_GUARDIAN_ROWS',
    `Rows of guardian "${draft.sisIds[0]!}" disagree on ${fields.join(', ')} (lines ${lines.join(', ')}): the values of line ${draft.first.line} were used; every row's student is still linked.`,
    { line: conflicts.lines[0]!, column: fields[0]!, lines },
  );
}

/**
 * Gives each guardian its rows, in line order (`ordered` is). Counted first, then each
 * array made at its size: grown by push, an array of two rows takes room for seventeen, and
 * a million-row file's guardians kept about 60 MiB of empty room that way.
 */
function placeRows(guardians: readonly Draft[], ordered: readonly GuardianRow[], guardianOfRow: Int32Array): void {
  const counts = new Int32Array(guardians.length);
  for (let i = 0; i < guardianOfRow.length; i++) counts[guardianOfRow[i]!]!++;
  const lists: GuardianRow[][] = new Array<GuardianRow[]>(guardians.length);
  for (let g = 0; g < guardians.length; g++) lists[g] = new Array<GuardianRow>(counts[g]!);
  const filled = counts.fill(0);
  for (let i = 0; i < ordered.length; i++) {
    const g = guardianOfRow[i]!;
    lists[g]![filled[g]!++] = ordered[i]!;
  }
  for (let g = 0; g < guardians.length; g++) guardians[g]!.rows = lists[g]!;
}
