// One row's raw cells → a validated, normalized GuardianRow plus its issues (docs/file-format.md,
// "Values"). Shared by guardians.csv and OneRoster input, so it knows nothing about CSV.
// It runs once per row on files of a million rows: checks are field by field, with the
// normalizers' fast paths, and no schema library on the hot path (guardianRowSchema
// describes the result for hosts and tests).
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianRow, KeptField, RawGuardianFields } from '../model/guardian-row.js';
import { normalizeEmail } from '../normalize/normalize-email.js';
import { normalizeId } from '../normalize/normalize-id.js';
import { normalizeLanguage } from '../normalize/normalize-language.js';
import { normalizeName } from '../normalize/normalize-name.js';
import { DEFAULT_PHONE_REGION, normalizePhone } from '../normalize/normalize-phone.js';
import { StringPool } from '../model/string-pool.js';

export interface RowValidationOptions {
  /** Region for phone numbers without a country code (ISO 3166-1 alpha-2). @default 'US' */
  readonly defaultRegion?: string | undefined;
}

export interface RowValidation {
  /** The row, or null when it is skipped (an error, or no contact credential). */
  readonly row: GuardianRow | null;
  readonly issues: Issue[];
  /** The normalized studentSisId ('' when empty), also of a skipped row, whose student the sync still checks. */
  readonly studentSisId: string;
}

/** A value as it may appear in a message: one field, shortened, quoted. */
function shown(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed);
}

function missingValue(field: 'studentSisId' | 'firstName' | 'lastName', line: number): Issue {
  return createIssue('MISSING_VALUE', `${field} is empty: the row is skipped.`, { line, column: field });
}

/**
 * What a row says about one optional field: a value, null for an empty cell (it clears), or
 * KEPT when it says nothing (missing column, invalid value: the stored value stays). A
 * sentinel rather than an object, as this runs four times per row on files of a million.
 */
const KEPT: unique symbol = Symbol('kept');
type Cell = string | null | typeof KEPT;

const valueOf = (cell: Cell): string | null => (cell === KEPT ? null : cell);

/** The stored value a rejected value leaves in place, in the words of an issue. */
const KEEPS: Record<KeptField, string> = {
  email: 'an existing account keeps its stored email, a new account gets none',
  mobilePhone: 'an existing account keeps its stored mobile phone, a new account gets none',
  homePhone: 'an existing account keeps its stored home phone',
  language: 'an existing account keeps its stored language',
};

/** A phone cell that is not empty; `field` names it in an issue and decides the extension. */
function phone(text: string, field: 'mobilePhone' | 'homePhone', line: number, region: string, issues: Issue[]): Cell {
  const result = normalizePhone(text, region);
  if (result.invalid) {
    issues.push(
      createIssue('INVALID_PHONE', `${field} ${shown(text)} is not a valid phone number (default region ${region}): ${KEEPS[field]}.`, {
        line,
        column: field,
      }),
    );
    return KEPT;
  }
  // An extension means nothing to SMS or login; on the home number it helps a person calling.
  if (field === 'homePhone' && result.value !== null && result.extension !== undefined) return `${result.value};ext=${result.extension}`;
  return result.value;
}

/** An email cell that is not empty: the address, or KEPT (reported) when it is none. */
function email(text: string, line: number, issues: Issue[]): Cell {
  const result = normalizeEmail(text);
  if (!result.invalid) return result.value;
  issues.push(createIssue('INVALID_EMAIL', `email ${shown(text)} is not a valid address: ${KEEPS.email}.`, { line, column: 'email' }));
  return KEPT;
}

/** A language cell that is not empty: the tag, null for "no language", or KEPT (reported) when unknown. */
function language(text: string, line: number, issues: Issue[]): Cell {
  const result = normalizeLanguage(text);
  if (!result.invalid) return result.value;
  issues.push(createIssue('UNKNOWN_LANGUAGE', `language ${shown(text)} is not a known language: ${KEEPS.language}.`, { line, column: 'language' }));
  return KEPT;
}

/**
 * The kept-field lists by bit mask (email 1, mobile 2, home 4, language 8): one frozen array
 * per combination, shared by every row, so a file without a language column allocates
 * nothing per row for it.
 */
const KEPT_LISTS: readonly (readonly KeptField[])[] = Array.from({ length: 16 }, (_, mask) =>
  Object.freeze((['email', 'mobilePhone', 'homePhone', 'language'] as const).filter((_, bit) => (mask & (1 << bit)) !== 0)),
);

/**
 * Relationship values, held once for every file read: a district writes a handful
 * (`mother`, `father`, `guardian`…), and the rows keep them (24 MiB of copies on a million).
 */
const relationships = new StringPool({ limit: 256 });

export function validateGuardianRow(raw: RawGuardianFields, line: number, options: RowValidationOptions = {}): RowValidation {
  const issues: Issue[] = [];
  const checked = checkGuardianRow(raw, line, options.defaultRegion ?? DEFAULT_PHONE_REGION, issues);
  return typeof checked === 'string' ? { row: null, issues, studentSisId: checked } : { row: checked, issues, studentSisId: checked.studentSisId };
}

/**
 * validateGuardianRow for a reader of many rows: the row's issues are appended to `issues`,
 * and a skipped row gives its normalized studentSisId ('' when empty) instead of a row, so a
 * row without issues costs no allocation but its own. Straight-line, field by field: a
 * missing column is `undefined` (it says nothing), an empty cell clears, and only a valid
 * value is a value.
 */
export function checkGuardianRow(raw: RawGuardianFields, line: number, region: string, issues: Issue[]): GuardianRow | string {
  const studentSisId = normalizeId(raw.studentSisId ?? '');
  if (studentSisId === '') issues.push(missingValue('studentSisId', line));
  const firstName = normalizeName(raw.firstName ?? '');
  if (firstName === '') issues.push(missingValue('firstName', line));
  const lastName = normalizeName(raw.lastName ?? '');
  if (lastName === '') issues.push(missingValue('lastName', line));

  let guardianSisId: string | null = null;
  const guardianText = raw.guardianSisId;
  if (guardianText !== undefined) {
    guardianSisId = normalizeId(guardianText);
    if (guardianSisId === '') {
      guardianSisId = null;
      issues.push(
        createIssue('MISSING_GUARDIAN_SIS_ID', 'guardianSisId is empty: this guardian is matched by name and contact only.', {
          line,
          column: 'guardianSisId',
        }),
      );
    }
  }

  const emailText = raw.email;
  const emailCell: Cell = emailText === undefined ? KEPT : emailText === '' ? null : email(emailText, line, issues);
  const mobileText = raw.mobilePhone;
  const mobileCell: Cell = mobileText === undefined ? KEPT : mobileText === '' ? null : phone(mobileText, 'mobilePhone', line, region, issues);
  const homeText = raw.homePhone;
  const homeCell: Cell = homeText === undefined ? KEPT : homeText === '' ? null : phone(homeText, 'homePhone', line, region, issues);
  const languageText = raw.language;
  const languageCell: Cell = languageText === undefined ? KEPT : languageText === '' ? null : language(languageText, line, issues);
  const relationshipText = raw.relationship !== undefined ? normalizeName(raw.relationship) : '';
  const relationship = relationshipText === '' ? null : relationships.intern(relationshipText);

  if (studentSisId === '' || firstName === '' || lastName === '') return studentSisId;
  // Both logins blank: the guardian has none to log in with. A login the row does not know
  // (invalid, or no column) is another matter: an existing account keeps its own, so the row
  // goes on, and the plan refuses it only when it would be a new account.
  if (emailCell === null && mobileCell === null) {
    issues.push(
      createIssue('NO_CONTACT_CREDENTIAL', 'The guardian has neither a usable email nor a usable mobile phone: not added until a file has one.', {
        line,
        column: emailText !== undefined ? 'email' : 'mobilePhone',
      }),
    );
    return studentSisId;
  }
  const keptMask = (emailCell === KEPT ? 1 : 0) | (mobileCell === KEPT ? 2 : 0) | (homeCell === KEPT ? 4 : 0) | (languageCell === KEPT ? 8 : 0);
  // Built once and marked in place: a file without a language column keeps it on every row,
  // and a copy per row would double the allocation of a million-row parse.
  const row: { -readonly [K in keyof GuardianRow]: GuardianRow[K] } = {
    line,
    studentSisId,
    guardianSisId,
    firstName,
    lastName,
    email: valueOf(emailCell),
    mobilePhone: valueOf(mobileCell),
    homePhone: valueOf(homeCell),
    language: valueOf(languageCell),
    relationship,
  };
  if (keptMask !== 0) row.kept = KEPT_LISTS[keptMask]!;
  return row;
}
