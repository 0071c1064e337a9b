// IDENTITY-RULES.md §1: the rows of one file grouped into guardians (people). Pure; linear in
// the number of rows (one Map lookup per row, one contact key per guardian and id-less row).
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianRow } from '../model/guardian-row.js';
import type { AccountFields } from '../model/roster.js';
import { contactKey, emailKey, mobileKey, nameKey } from './contact-key.js';

/** One person of the file, with every row that belongs to them. */
export interface FileGuardian {
  /** Position in first-line order (0 = the guardian whose first row comes first). */
  readonly index: number;
  /** Guardian SIS ids of this person, in order of first appearance (two when §1.4 merged them). */
  readonly sisIds: readonly string[];
  /** Names and contacts: those of the first row (by line) of the first id, or of the first row. */
  readonly fields: AccountFields;
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

/** The fields whose disagreement between rows of one id is reported (§1.3). */
const COMPARED_FIELDS = ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone'] as const;
type ComparedField = (typeof COMPARED_FIELDS)[number];

interface Draft {
  sisIds: string[];
  first: GuardianRow;
  rows: GuardianRow[];
  key: string | null;
  /** Lines that disagree with `first`, and on which fields (null while none do). */
  conflicts: { lines: number[]; fields: Set<ComparedField> } | null;
}

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
  const ordered = inLineOrder(rows);
  const byId = new Map<string, Draft>();
  const idless: GuardianRow[] = [];
  for (const row of ordered) {
    const id = row.guardianSisId;
    if (id === null || id === '') {
      idless.push(row);
      continue;
    }
    const draft = byId.get(id);
    if (draft === undefined) {
      byId.set(id, { sisIds: [id], first: row, rows: [row], key: contactKey(row), conflicts: null });
      continue;
    }
    draft.rows.push(row);
    const differing = differingFields(draft.first, row);
    if (differing !== null) {
      draft.conflicts ??= { lines: [], fields: new Set() };
      draft.conflicts.lines.push(row.line);
      for (const field of differing) draft.conflicts.fields.add(field);
    }
  }

  const issues: Issue[] = [];
  for (const draft of byId.values()) {
    if (draft.conflicts !== null) issues.push(conflictIssue(draft));
  }

  // §1.4: ids whose (winning) contact keys are equal are one person. Drafts iterate in
  // order of their first line, so the earlier id is the one that keeps the fields.
  const people: Draft[] = [];
  const byKey = new Map<string, Draft>();
  for (const draft of byId.values()) {
    const owner = draft.key === null ? undefined : byKey.get(draft.key);
    if (owner === undefined) {
      people.push(draft);
      if (draft.key !== null) byKey.set(draft.key, draft);
      continue;
    }
    issues.push(
      createIssue(
        'DUPLICATE_IDENTITY',
        `Guardian ids "${owner.sisIds[0] ?? ''}" (line ${owner.first.line}) and "${draft.sisIds[0] ?? ''}" (line ${draft.first.line}) have the same name, email and mobile phone: they are treated as one person with one account, holding both ids.`,
        { line: draft.first.line, column: 'guardianSisId', lines: [owner.first.line, draft.first.line] },
      ),
    );
    owner.sisIds.push(...draft.sisIds);
    owner.rows = mergeByLine(owner.rows, draft.rows);
  }

  // §1.2 and §1.5: a row without an id joins the guardian (with or without ids) that has its
  // contact key; rows without any credential never join anyone.
  for (const row of idless) {
    const key = contactKey(row);
    const owner = key === null ? undefined : byKey.get(key);
    if (owner === undefined) {
      const draft: Draft = { sisIds: [], first: row, rows: [row], key, conflicts: null };
      people.push(draft);
      if (key !== null) byKey.set(key, draft);
    } else if (owner.rows[owner.rows.length - 1]!.line < row.line) {
      owner.rows.push(row);
    } else {
      owner.rows = mergeByLine(owner.rows, [row]);
    }
  }

  const firstLine = (d: Draft): number => d.rows[0]!.line;
  people.sort((a, b) => firstLine(a) - firstLine(b));
  const guardians = people.map(
    (d, index): FileGuardian => ({
      index,
      sisIds: d.sisIds,
      fields: fieldsOf(d.first),
      key: d.key,
      fieldsLine: d.first.line,
      rows: d.rows,
      firstLine: firstLine(d),
    }),
  );
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { guardians, issues };
}

function fieldsOf(row: GuardianRow): AccountFields {
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    email: emailKey(row.email),
    mobilePhone: mobileKey(row.mobilePhone),
    homePhone: row.homePhone,
    language: row.language,
  };
}

function differingFields(a: GuardianRow, b: GuardianRow): ComparedField[] | null {
  let out: ComparedField[] | null = null;
  const add = (field: ComparedField): void => {
    (out ??= []).push(field);
  };
  if (a.firstName !== b.firstName && nameKey(a.firstName) !== nameKey(b.firstName)) add('firstName');
  if (a.lastName !== b.lastName && nameKey(a.lastName) !== nameKey(b.lastName)) add('lastName');
  if (emailKey(a.email) !== emailKey(b.email)) add('email');
  if (mobileKey(a.mobilePhone) !== mobileKey(b.mobilePhone)) add('mobilePhone');
  if ((a.homePhone ?? null) !== (b.homePhone ?? null)) add('homePhone');
  return out;
}

function conflictIssue(draft: Draft): Issue {
  const conflicts = draft.conflicts!;
  const fields = COMPARED_FIELDS.filter((f) => conflicts.fields.has(f));
  const lines = [draft.first.line, ...conflicts.lines];
  return createIssue(
    'CONFLICTING_GUARDIAN_ROWS',
    `Rows of guardian "${draft.sisIds[0] ?? ''}" disagree on ${fields.join(', ')} (lines ${lines.join(', ')}): the values of line ${draft.first.line} were used; every row's student is still linked.`,
    { line: conflicts.lines[0]!, column: fields[0] ?? null, lines },
  );
}

function mergeByLine(a: readonly GuardianRow[], b: readonly GuardianRow[]): GuardianRow[] {
  const out: GuardianRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.line <= b[j]!.line ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
