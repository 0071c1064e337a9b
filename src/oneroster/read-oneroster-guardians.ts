// A OneRoster set → guardian rows, the same canonical rows a guardians.csv gives, validated
// and normalized by the same row validator: a district moving from guardians.csv to
// OneRoster keeps every account. Pure.
//
// Who is a guardian: a user with an active `parent`, `guardian` or `relative` role (1.1: the
// users.csv `role`; 1.2: roles.csv, so a teacher who is also a parent is a guardian here and
// staff in the roster import). Which students: `agentSourcedIds`, read in both directions (a
// student listing its guardians, a guardian listing its students) and merged.
import type { Issue } from '../errors/issue.js';
import { createIssue } from '../errors/issue.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import type { GuardianField, GuardianRow, RawGuardianFields } from '../model/guardian-row.js';
import { validateGuardianRow } from '../parse/validate-row.js';
import { ONEROSTER_FILE_NAMES, type OneRosterFiles } from './oneroster-files.js';
import { ONEROSTER_GUARDIAN_ROLES, ONEROSTER_STUDENT_ROLES } from './oneroster-roles.js';
import type { OneRosterMode, OneRosterVersion } from './read-oneroster-manifest.js';
import type { OneRosterDecodeOptions } from './read-oneroster-table.js';
import { hasActiveRole, hasOnlyDeletedRole, readOneRosterUsers, type OneRosterUser, type OneRosterUserSet } from './read-oneroster-users.js';

export interface OneRosterGuardianOptions extends OneRosterDecodeOptions {
  /**
   * Which student field the roster knows students by: the `sourcedId` (what `roster import`
   * stores) or the SIS `identifier`.
   * @default 'sourcedId'
   */
  readonly studentIdField?: 'sourcedId' | 'identifier' | undefined;
  /** Region for phone numbers without a country code (ISO 3166-1 alpha-2). @default 'US' */
  readonly defaultRegion?: string | undefined;
  /** Checked before each file and each user: aborted, the read stops with ABORTED. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called every USERS_PER_PROGRESS users.csv users (guardians or not) with the count gone
   * through so far, for progress bars: counted in the pass that validates the guardians' rows,
   * where a OneRoster read spends its time.
   */
  readonly onRecords?: ((users: number) => void) | undefined;
}

/** How often `onRecords` is called: often enough for a progress bar, rarely enough to cost nothing. */
export const USERS_PER_PROGRESS = 5000;

export interface OneRosterGuardianResult {
  /** Valid rows in users.csv line order; `line` is the guardian's users.csv line (one per student). */
  readonly rows: GuardianRow[];
  /** users.csv lines with a row error (a guardian, or a record that could not be read). */
  readonly rejected: { readonly line: number; readonly issues: Issue[] }[];
  /** Every issue found, in the order found: decoding, file rows, references, row validation. */
  readonly issues: Issue[];
  /** `delta` when manifest.csv declares `file.users` as delta: rows with `delete: true` remove pairs. */
  readonly mode: OneRosterMode;
  readonly version: OneRosterVersion;
  /**
   * Canonical field → the users.csv header it was read from, for the self-check's header
   * report (`studentSisId` is `agentSourcedIds`: the links; `relationship` falls back to `role`).
   */
  readonly header: Partial<Record<GuardianField, string>>;
  readonly file: {
    readonly name: 'users.csv';
    readonly encoding: string;
    /** True when users.csv's encoding is the legacy fallback, not proven (an ENCODING_GUESSED issue may say more). */
    readonly encodingGuessed: boolean;
    readonly delimiter: ',';
    /** Data records of users.csv (all users, not only guardians). */
    readonly rows: number;
  };
}

// Issues of the row validator name canonical fields; a OneRoster user knows them by these.
const ONEROSTER_COLUMN: Readonly<Record<string, string>> = {
  guardianSisId: 'sourcedId',
  studentSisId: 'agentSourcedIds',
  firstName: 'givenName',
  lastName: 'familyName',
  mobilePhone: 'sms',
  homePhone: 'phone',
};

/**
 * Reads the guardians of a OneRoster set. Throws FILE_NOT_FOUND without users.csv, and the
 * whole-file errors of decoding and CSV (MALFORMED_CSV, MISSING_REQUIRED_COLUMN, …).
 *
 * - Bulk (`full`): `tobedeleted` users and roles are simply absent.
 * - Delta: a `tobedeleted` guardian, guardian role or student gives its pairs with
 *   `delete: true`; a student id a delta guardian lists that is not in the delta users.csv
 *   is taken as is (it is unchanged, so not in the file) when students are known by sourcedId.
 * - An id in `agentSourcedIds` that is in no users.csv row: DANGLING_REFERENCE (warning).
 */
export function readOneRosterGuardians(files: OneRosterFiles, options: OneRosterGuardianOptions = {}): OneRosterGuardianResult {
  const set = readOneRosterUsers(files, { encoding: options.encoding, legacyEncoding: options.legacyEncoding, signal: options.signal });
  return guardiansOfUsers(set, options);
}

/**
 * Which students naming a guardian the student side keeps: those the guardian does not list
 * itself (`compact`: the guardian's own list already gives every pair of the others, first),
 * or all of them (`plain`, the version test/oneroster/user-values.test.ts compares it with).
 */
export type StudentSide = 'compact' | 'plain';

/** readOneRosterGuardians on users already read. */
export function guardiansOfUsers(set: OneRosterUserSet, options: OneRosterGuardianOptions = {}, studentSide: StudentSide = 'compact'): OneRosterGuardianResult {
  const { signal, onRecords } = options;
  const delta = set.mode === 'delta';
  const issues: Issue[] = [...set.issues];
  const rejectedByLine = new Map<number, Issue[]>();
  for (const record of set.ragged) {
    rejectedByLine.set(record.line, issues.filter((i) => i.line === record.line && i.code === 'WRONG_FIELD_COUNT'));
  }

  const isStudent = (u: OneRosterUser): boolean => hasActiveRole(u, ONEROSTER_STUDENT_ROLES) || hasOnlyDeletedRole(u, ONEROSTER_STUDENT_ROLES);
  const isGuardian = (u: OneRosterUser): boolean => hasActiveRole(u, ONEROSTER_GUARDIAN_ROLES) || hasOnlyDeletedRole(u, ONEROSTER_GUARDIAN_ROLES);
  /** Gone from the roster: the user, or (for its role set) every such role, is tobedeleted. */
  const isGone = (u: OneRosterUser, roles: ReadonlySet<string>): boolean => u.status === 'tobedeleted' || !hasActiveRole(u, roles);

  // Student side: which students name each guardian. Dangling ids reported on the student's line.
  const studentsByGuardian = new Map<string, OneRosterUser[]>();
  for (const user of set.users) {
    throwIfReadingAborted(signal, ONEROSTER_FILE_NAMES.users);
    if (!isStudent(user)) continue;
    if (!delta && isGone(user, ONEROSTER_STUDENT_ROLES)) continue;
    for (const agentId of user.agentSourcedIds) {
      const agent = set.byId.get(agentId);
      if (agent === undefined) {
        if (!delta && !set.unreadableIds.has(agentId)) issues.push(dangling(user, agentId, 'guardian'));
        continue;
      }
      if (!isGuardian(agent)) continue;
      // A guardian listing this student pairs them from its own list (whatever the student's
      // state, as here), before the students naming it: keeping them here changes nothing.
      if (studentSide === 'compact' && agent.agentSourcedIds.includes(user.sourcedId)) continue;
      const list = studentsByGuardian.get(agentId);
      if (list === undefined) studentsByGuardian.set(agentId, [user]);
      else if (!list.includes(user)) list.push(user);
    }
  }

  const rows: GuardianRow[] = [];
  let usersDone = 0;
  for (const guardian of set.users) {
    throwIfReadingAborted(signal, ONEROSTER_FILE_NAMES.users);
    usersDone++;
    if (onRecords !== undefined && usersDone % USERS_PER_PROGRESS === 0) onRecords(usersDone);
    if (!isGuardian(guardian)) continue;
    const guardianGone = isGone(guardian, ONEROSTER_GUARDIAN_ROLES);
    if (guardianGone && !delta) continue;

    // Pairs: the guardian's own list first, then students naming it, without duplicates.
    const pairs = new Map<string, { studentId: string; deleted: boolean }>();
    const rowIssues: Issue[] = [];
    for (const agentId of guardian.agentSourcedIds) {
      const student = set.byId.get(agentId);
      if (student === undefined) {
        if (set.unreadableIds.has(agentId)) continue;
        if (delta && options.studentIdField !== 'identifier') {
          // Unchanged students are not in a delta file: the id is the student's sourcedId.
          pairs.set(agentId, { studentId: agentId, deleted: guardianGone });
        } else {
          rowIssues.push(dangling(guardian, agentId, 'student'));
        }
        continue;
      }
      if (!isStudent(student)) continue;
      const studentGone = isGone(student, ONEROSTER_STUDENT_ROLES);
      if (studentGone && !delta) continue;
      pairs.set(student.sourcedId, { studentId: studentIdOf(student, options), deleted: guardianGone || studentGone });
    }
    for (const student of studentsByGuardian.get(guardian.sourcedId) ?? []) {
      if (pairs.has(student.sourcedId)) continue;
      const studentGone = isGone(student, ONEROSTER_STUDENT_ROLES);
      pairs.set(student.sourcedId, { studentId: studentIdOf(student, options), deleted: guardianGone || studentGone });
    }

    if (pairs.size === 0 && guardianGone) {
      rowIssues.push(
        createIssue(
          'MISSING_VALUE',
          `users.csv line ${guardian.line}: guardian ${guardian.sourcedId} is to be deleted but lists no students, so its links cannot be removed from this delta file; the next bulk file removes them.`,
          { line: guardian.line, column: 'agentSourcedIds', severity: 'warning' },
        ),
      );
    }

    let failed = false;
    for (const pair of pairs.values()) {
      const raw: RawGuardianFields = {
        studentSisId: pair.studentId,
        guardianSisId: guardian.sourcedId,
        firstName: guardian.givenName,
        lastName: guardian.familyName,
        email: guardian.email,
        mobilePhone: guardian.sms,
        homePhone: guardian.phone,
        language: guardian.language,
        relationship: guardian.relationship !== '' ? guardian.relationship : guardianRoleName(guardian),
      };
      const result = validateGuardianRow(raw, guardian.line, { defaultRegion: options.defaultRegion });
      if (pair.deleted) {
        // A removal needs the two ids only: a delete record's missing names or contacts are not errors.
        const idIssues = result.issues.filter((i) => i.column === 'studentSisId' || i.column === 'guardianSisId');
        addUnique(rowIssues, idIssues.map(toOneRosterColumn));
        if (result.row !== null) rows.push({ ...result.row, delete: true });
        else if (idIssues.length === 0) rows.push(deleteRow(guardian, pair.studentId));
        else failed = true;
        continue;
      }
      addUnique(rowIssues, result.issues.map(toOneRosterColumn));
      if (result.row !== null) rows.push(result.row);
      else failed = true;
    }
    issues.push(...rowIssues);
    if (failed) rejectedByLine.set(guardian.line, rowIssues);
  }

  const rejected = [...rejectedByLine.entries()].sort(([a], [b]) => a - b).map(([line, lineIssues]) => ({ line, issues: lineIssues }));
  return {
    rows,
    rejected,
    issues,
    mode: set.mode,
    version: set.version,
    header: headerMapping(set.usersFile),
    file: { name: 'users.csv', encoding: set.usersFile.encoding, encodingGuessed: set.usersFile.encodingGuessed, delimiter: ',', rows: set.usersFile.rows },
  };
}

const HEADER_SOURCES: readonly (readonly [GuardianField, string])[] = [
  ['studentSisId', 'agentSourcedIds'],
  ['guardianSisId', 'sourcedId'],
  ['firstName', 'givenName'],
  ['lastName', 'familyName'],
  ['email', 'email'],
  ['mobilePhone', 'sms'],
  ['homePhone', 'phone'],
];

function headerMapping(file: OneRosterUserSet['usersFile']): Partial<Record<GuardianField, string>> {
  const found = (name: string): string | undefined => file.header.find((h) => h.toLowerCase() === name.toLowerCase());
  const mapping: Partial<Record<GuardianField, string>> = {};
  for (const [field, column] of HEADER_SOURCES) {
    const header = found(column);
    if (header !== undefined) mapping[field] = header;
  }
  if (file.languageColumn !== undefined) mapping.language = file.languageColumn;
  const relationship = file.relationshipColumn ?? found('role');
  if (relationship !== undefined) mapping.relationship = relationship;
  return mapping;
}

function studentIdOf(student: OneRosterUser, options: OneRosterGuardianOptions): string {
  return options.studentIdField === 'identifier' ? student.identifier : student.sourcedId;
}

function guardianRoleName(user: OneRosterUser): string {
  return user.roles.find((r) => ONEROSTER_GUARDIAN_ROLES.has(r.role))?.role ?? '';
}

function dangling(user: OneRosterUser, id: string, expected: 'student' | 'guardian'): Issue {
  return createIssue(
    'DANGLING_REFERENCE',
    `users.csv line ${user.line}: agentSourcedIds names ${id}, which is in no users.csv row; that ${expected} link is ignored.`,
    { line: user.line, column: 'agentSourcedIds' },
  );
}

function toOneRosterColumn(issue: Issue): Issue {
  const canonical = issue.column;
  const column = canonical !== null ? ONEROSTER_COLUMN[canonical] : undefined;
  if (canonical === null || column === undefined) return issue;
  // The validator's messages start with the canonical field name: say the OneRoster one.
  const message = issue.message.startsWith(`${canonical} `) ? `${column}${issue.message.slice(canonical.length)}` : issue.message;
  return { ...issue, column, message };
}

/** One issue per (code, column, message) per guardian: three children do not triple a warning. */
function addUnique(target: Issue[], found: readonly Issue[]): void {
  for (const issue of found) {
    if (!target.some((t) => t.code === issue.code && t.column === issue.column && t.message === issue.message)) target.push(issue);
  }
}

/**
 * The row of a pair to remove when the delete record carries too little to validate (delta
 * files often send only the ids): names and contacts are not needed to remove a link.
 */
function deleteRow(guardian: OneRosterUser, studentSisId: string): GuardianRow {
  return {
    line: guardian.line,
    studentSisId,
    guardianSisId: guardian.sourcedId,
    firstName: '',
    lastName: '',
    email: null,
    mobilePhone: null,
    homePhone: null,
    language: null,
    relationship: null,
    delete: true,
  };
}
