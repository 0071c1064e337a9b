// One row's raw cells → a validated, normalized GuardianRow plus its issues (docs/file-format.md,
// "Values"). Shared by guardians.csv and OneRoster input, so it knows nothing about CSV.
// It runs once per row on files of a million rows: checks are field by field, with the
// normalizers' fast paths, and no schema library on the hot path (guardianRowSchema
// describes the result for hosts and tests).
import { createIssue, type Issue } from '../errors/issue.js';
import type { GuardianField, GuardianRow, RawGuardianFields } from '../model/guardian-row.js';
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

function phone(raw: RawGuardianFields, field: 'mobilePhone' | 'homePhone', line: number, region: string, issues: Issue[]): string | null {
  const text = raw[field];
  if (text === undefined || text === '') return null;
  const result = normalizePhone(text, region);
  if (result.invalid) {
    issues.push(
      createIssue('INVALID_PHONE', `${field} ${shown(text)} is not a possible phone number (default region ${region}): it is ignored.`, {
        line,
        column: field,
      }),
    );
    return null;
  }
  // An extension means nothing to SMS or login; on the home number it helps a person calling.
  if (field === 'homePhone' && result.value !== null && result.extension !== undefined) return `${result.value};ext=${result.extension}`;
  return result.value;
}

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

  let email: string | null = null;
  if (raw.email !== undefined && raw.email !== '') {
    const result = normalizeEmail(raw.email);
    if (result.invalid) {
      issues.push(createIssue('INVALID_EMAIL', `email ${shown(raw.email)} is not a valid address: it is ignored.`, { line, column: 'email' }));
    }
    email = result.value;
  }
  const mobilePhone = phone(raw, 'mobilePhone', line, region, issues);
  const homePhone = phone(raw, 'homePhone', line, region, issues);

  let language: string | null = null;
  if (raw.language !== undefined && raw.language !== '') {
    const result = normalizeLanguage(raw.language);
    if (result.invalid) {
      issues.push(
        createIssue('UNKNOWN_LANGUAGE', `language ${shown(raw.language)} is not a known language: it is left empty.`, {
          line,
          column: 'language',
        }),
      );
    }
    language = result.value;
  }
  const relationshipText = raw.relationship !== undefined ? normalizeName(raw.relationship) : '';
  const relationship = relationshipText === '' ? null : relationshipText;

  if (studentSisId === '' || firstName === '' || lastName === '') return { row: null, issues };
  if (email === null && mobilePhone === null) {
    issues.push(
      createIssue('NO_CONTACT_CREDENTIAL', 'The guardian has neither a usable email nor a usable mobile phone: not added until a file has one.', {
        line,
        column: raw.email !== undefined ? 'email' : 'mobilePhone',
      }),
    );
    return { row: null, issues };
  }
  return {
    row: { line, studentSisId, guardianSisId, firstName, lastName, email, mobilePhone, homePhone, language, relationship },
    issues,
  };
}
