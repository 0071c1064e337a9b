// Header cells → canonical fields (docs/file-format.md, "Columns"). Names and aliases are
// compared case-insensitively ignoring spaces, `_`, `-`, `.` and invisible characters; a
// caller's mapping wins. Duplicate and missing required columns are whole-file errors
// (a duplicate silently keeping one column is how a file loses every email). Header text
// is only ever used as a Map key or a value, so `__proto__` or `constructor` are just names.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { GUARDIAN_FIELDS, type GuardianField } from '../model/guardian-row.js';
import { stripInvisible } from '../normalize/invisible-characters.js';
import type { ColumnMapping } from '../sync/sync-options.js';

/** Accepted header names per field, besides the field name itself. */
export const HEADER_ALIASES: Readonly<Record<GuardianField, readonly string[]>> = Object.freeze({
  studentSisId: ['studentId', 'student_sis_id', 'Student SIS ID', 'student_id', 'studentSourcedId'],
  guardianSisId: ['guardianId', 'parentSisId', 'parent_id', 'contactSisId', 'Guardian SIS ID'],
  firstName: ['guardianFirstName', 'parentFirstName', 'givenName', 'First Name'],
  lastName: ['guardianLastName', 'parentLastName', 'familyName', 'Last Name'],
  email: ['guardianEmail', 'parentEmail', 'Email Address'],
  mobilePhone: ['mobile', 'cellPhone', 'cell', 'sms', 'phone', 'guardianPhone'],
  homePhone: ['home', 'landline', 'alternatePhone'],
  language: ['preferredLanguage', 'languageCode', 'lang'],
  relationship: ['relation', 'contactType', 'relationshipRole'],
});

export const REQUIRED_FIELDS: readonly GuardianField[] = ['studentSisId', 'firstName', 'lastName'];
/** At least one of these must be present: a guardian logs in with one. */
export const CONTACT_FIELDS: readonly GuardianField[] = ['email', 'mobilePhone'];

export interface HeaderMapping {
  /** Column index of each mapped field. */
  readonly indexes: ReadonlyMap<GuardianField, number>;
  /** Canonical field → the header text found in the file. */
  readonly mapping: ColumnMapping;
  /** Header cells as shown (invisible characters removed, trimmed). */
  readonly columns: readonly string[];
  /** UNKNOWN_COLUMN and file-level MISSING_GUARDIAN_SIS_ID warnings. */
  readonly issues: Issue[];
}

export interface HeaderMappingOptions {
  readonly columns?: ColumnMapping | undefined;
  /** Physical line of the header. */
  readonly line: number;
  readonly fileName?: string | undefined;
}

/** The comparison key of a header text: `Student SIS ID` → `studentsisid`. */
export function headerKey(text: string): string {
  return stripInvisible(text).normalize('NFC').toLowerCase().replace(/[\s_.-]+/g, '');
}

let aliasIndex: Map<string, GuardianField> | undefined;

function aliases(): Map<string, GuardianField> {
  if (aliasIndex === undefined) {
    aliasIndex = new Map();
    for (const field of GUARDIAN_FIELDS) {
      aliasIndex.set(headerKey(field), field);
      for (const alias of HEADER_ALIASES[field]) aliasIndex.set(headerKey(alias), field);
    }
  }
  return aliasIndex;
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

export function mapHeader(cells: readonly string[], options: HeaderMappingOptions): HeaderMapping {
  const { line, fileName } = options;
  const columns = cells.map((cell) => stripInvisible(cell).trim());
  const keys = columns.map(headerKey);
  const issues: Issue[] = [];

  // Two identical headers: whichever we picked, the other column's data would be lost.
  const firstByKey = new Map<string, number>();
  keys.forEach((key, index) => {
    if (key === '') return;
    const first = firstByKey.get(key);
    if (first !== undefined) {
      throw new GuardianSyncError(
        'DUPLICATE_COLUMN',
        `The header on line ${line} has the column ${quoted(columns[index] ?? '')} twice (columns ${first + 1} and ${index + 1}). Remove or rename one of them.`,
        { file: fileName, line, column: columns[index] },
      );
    }
    firstByKey.set(key, index);
  });

  const indexes = new Map<GuardianField, number>();
  const mapping: ColumnMapping = {};
  const explicit = options.columns ?? {};
  const claimed = new Set<number>();
  // The caller's mapping first: it names the header for a field.
  for (const field of GUARDIAN_FIELDS) {
    if (!Object.hasOwn(explicit, field)) continue;
    const wanted = explicit[field];
    if (wanted === undefined) continue;
    const index = firstByKey.get(headerKey(wanted));
    if (index === undefined) {
      if (REQUIRED_FIELDS.includes(field)) continue; // reported below as a missing required column
      issues.push(
        createIssue('UNKNOWN_COLUMN', `The column mapping names ${quoted(wanted)} for ${field}, but the header has no such column: ${field} is left empty.`, {
          line,
          column: wanted,
        }),
      );
      continue;
    }
    if (claimed.has(index)) {
      throw new GuardianSyncError('DUPLICATE_COLUMN', `The column mapping maps the column ${quoted(wanted)} to two fields: map each column to one field.`, {
        file: fileName,
        line,
        column: wanted,
      });
    }
    indexes.set(field, index);
    mapping[field] = columns[index] ?? wanted;
    claimed.add(index);
  }

  const lastNamed = keys.reduce((last, key, index) => (key !== '' ? index : last), -1);
  keys.forEach((key, index) => {
    if (claimed.has(index)) return;
    const shown = columns[index] ?? '';
    if (key === '') {
      // Trailing empty header cells are what spreadsheets export after the last column.
      if (index < lastNamed) {
        issues.push(createIssue('UNKNOWN_COLUMN', `Column ${index + 1} of the header has no name: its values are ignored.`, { line, column: `column ${index + 1}` }));
      }
      return;
    }
    const field = aliases().get(key);
    if (field === undefined) {
      issues.push(createIssue('UNKNOWN_COLUMN', `The column ${quoted(shown)} is not a known field: its values are ignored.`, { line, column: shown }));
      return;
    }
    const mappedTo = Object.hasOwn(explicit, field) ? explicit[field] : undefined;
    if (mappedTo !== undefined) {
      issues.push(
        createIssue('UNKNOWN_COLUMN', `The column ${quoted(shown)} is ignored: the column mapping takes ${field} from ${quoted(mappedTo)}.`, {
          line,
          column: shown,
        }),
      );
      return;
    }
    const other = indexes.get(field);
    if (other !== undefined) {
      throw new GuardianSyncError(
        'DUPLICATE_COLUMN',
        `The header on line ${line} has two columns for ${field}: ${quoted(columns[other] ?? '')} (column ${other + 1}) and ${quoted(shown)} (column ${index + 1}). Remove or rename one of them, or choose one with a column mapping.`,
        { file: fileName, line, column: shown },
      );
    }
    indexes.set(field, index);
    mapping[field] = shown;
  });

  const missing = REQUIRED_FIELDS.filter((field) => !indexes.has(field));
  const hasContact = CONTACT_FIELDS.some((field) => indexes.has(field));
  if (missing.length > 0 || !hasContact) {
    const parts = missing.map((field) => {
      const mapped = explicit[field];
      return mapped !== undefined ? `${field} (mapped to ${quoted(mapped)}, not found)` : field;
    });
    if (!hasContact) parts.push('email or mobilePhone (at least one)');
    const found = columns.filter((c) => c !== '').slice(0, 20).map(quoted).join(', ');
    throw new GuardianSyncError(
      'MISSING_REQUIRED_COLUMN',
      `The header on line ${line} lacks required column${parts.length > 1 ? 's' : ''}: ${parts.join('; ')}. Found: ${found}. Add the column${parts.length > 1 ? 's' : ''}, or map your header names (--column field=Header).`,
      { file: fileName, line, column: missing[0] ?? 'email' },
    );
  }
  if (!indexes.has('guardianSisId')) {
    issues.push(
      createIssue(
        'MISSING_GUARDIAN_SIS_ID',
        'The file has no guardianSisId column: guardians are matched by name and contact only, and a guardian whose email or phone changes gets a new account.',
        { column: 'guardianSisId' },
      ),
    );
  }
  return { indexes, mapping, columns, issues };
}
