// One row's raw cells → a validated, normalized GuardianRow plus its issues (docs/file-format.md,
// "Values"). Shared by guardians.csv and OneRoster input, so it knows nothing about CSV.
// It runs once per row on files of a million rows: checks are field by field, with the
// normalizers' fast paths, and no schema library on the hot path (guardianRowSchema
// describes the result for hosts and tests).
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianField, GuardianRow, KeptField, RawGuardianFields } from '../model/guardian-row.js';
import { normalizeEmail } from '../normalize/normalize-email.js';
import { normalizeId } from '../normalize/normalize-id.js';
import { normalizeLanguage } from '../normalize/normalize-language.js';
import { normalizeName } from '../normalize/normalize-name.js';
import { DEFAULT_PHONE_REGION, normalizePhone } from '../normalize/normalize-phone.js';

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

function required(raw: RawGuardianFields, field: GuardianField, line: number, issues: Issue[], normalize: (text: string) => string): string {
  const value = normalize(raw[field] ?? '');
  if (value === '') {
    issues.push(createIssue('MISSING_VALUE', `${field} is empty: the row is skipped.`, { line, column: field }));
  }
  return value;
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

function phone(raw: RawGuardianFields, field: 'mobilePhone' | 'homePhone', line: number, region: string, issues: Issue[]): Cell {
  const text = raw[field];
  if (text === undefined) return KEPT;
  if (text === '') return null;
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

/**
 * An optional cell read by its normalizer: a missing column says nothing (KEPT), an empty
 * cell clears, a valid value is the value, and an invalid one is reported and says nothing.
 */
function optionalCell(
  text: string | undefined,
  line: number,
  normalize: (text: string) => { readonly value: string | null; readonly invalid: boolean },
  invalidIssue: (shownText: string, line: number) => Issue,
  issues: Issue[],
): Cell {
  if (text === undefined) return KEPT;
  if (text === '') return null;
  const result = normalize(text);
  if (!result.invalid) return result.value;
  issues.push(invalidIssue(shown(text), line));
  return KEPT;
}

const invalidEmail = (text: string, line: number): Issue =>
  createIssue('INVALID_EMAIL', `email ${text} is not a valid address: ${KEEPS.email}.`, { line, column: 'email' });
const unknownLanguage = (text: string, line: number): Issue =>
  createIssue('UNKNOWN_LANGUAGE', `language ${text} is not a known language: ${KEEPS.language}.`, { line, column: 'language' });

/**
 * The kept-field lists by bit mask (email 1, mobile 2, home 4, language 8): one frozen array
 * per combination, shared by every row, so a file without a language column allocates
 * nothing per row for it.
 */
const KEPT_LISTS: readonly (readonly KeptField[])[] = Array.from({ length: 16 }, (_, mask) =>
  Object.freeze((['email', 'mobilePhone', 'homePhone', 'language'] as const).filter((_, bit) => (mask & (1 << bit)) !== 0)),
);

export function validateGuardianRow(raw: RawGuardianFields, line: number, options: RowValidationOptions = {}): RowValidation {
  const region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
  const issues: Issue[] = [];
  const studentSisId = required(raw, 'studentSisId', line, issues, normalizeId);
  const firstName = required(raw, 'firstName', line, issues, normalizeName);
  const lastName = required(raw, 'lastName', line, issues, normalizeName);

  let guardianSisId: string | null = null;
  if (raw.guardianSisId !== undefined) {
    guardianSisId = normalizeId(raw.guardianSisId);
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

  const emailCell = optionalCell(raw.email, line, normalizeEmail, invalidEmail, issues);
  const mobileCell = phone(raw, 'mobilePhone', line, region, issues);
  const homeCell = phone(raw, 'homePhone', line, region, issues);
  const languageCell = optionalCell(raw.language, line, normalizeLanguage, unknownLanguage, issues);
  const keptMask = (emailCell === KEPT ? 1 : 0) | (mobileCell === KEPT ? 2 : 0) | (homeCell === KEPT ? 4 : 0) | (languageCell === KEPT ? 8 : 0);
  const relationshipText = raw.relationship !== undefined ? normalizeName(raw.relationship) : '';
  const relationship = relationshipText === '' ? null : relationshipText;

  if (studentSisId === '' || firstName === '' || lastName === '') return { row: null, issues, studentSisId };
  const emailValue = valueOf(emailCell);
  const mobilePhone = valueOf(mobileCell);
  // Both logins blank: the guardian has none to log in with. A login the row does not know
  // (invalid, or no column) is another matter: an existing account keeps its own, so the row
  // goes on, and the plan refuses it only when it would be a new account.
  if (emailCell === null && mobileCell === null) {
    issues.push(
      createIssue('NO_CONTACT_CREDENTIAL', 'The guardian has neither a usable email nor a usable mobile phone: not added until a file has one.', {
        line,
        column: raw.email !== undefined ? 'email' : 'mobilePhone',
      }),
    );
    return { row: null, issues, studentSisId };
  }
  // Built once and marked in place: a file without a language column keeps it on every row,
  // and a copy per row would double the allocation of a million-row parse.
  const row: { -readonly [K in keyof GuardianRow]: GuardianRow[K] } = {
    line,
    studentSisId,
    guardianSisId,
    firstName,
    lastName,
    email: emailValue,
    mobilePhone,
    homePhone: valueOf(homeCell),
    language: valueOf(languageCell),
    relationship,
  };
  if (keptMask !== 0) row.kept = KEPT_LISTS[keptMask]!;
  return { row, issues, studentSisId };
}
