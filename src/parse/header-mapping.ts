// Header cells → canonical fields (docs/file-format.md, "Columns"). Names and aliases are
// compared case-insensitively ignoring spaces, `_`, `-`, `.` and invisible characters; a
// caller's mapping wins. Duplicate and missing required columns are whole-file errors
// (a duplicate silently keeping one column is how a file loses every email). Header text
// is only ever used as a Map key or a value, so `__proto__` or `constructor` are just names.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { GUARDIAN_FIELDS, type GuardianField } from '../model/guardian-row.js';
import { stripInvisible } from '../normalize/invisible-characters.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import { suggestHeaderField, type HeaderSuggestion } from './suggest-header-field.js';

/** The header names accepted before the SIS export spellings were added; they win over those. */
const CORE_ALIASES: Readonly<Record<GuardianField, readonly string[]>> = {
  studentSisId: ['studentId', 'student_sis_id', 'Student SIS ID', 'student_id', 'studentSourcedId'],
  guardianSisId: ['guardianId', 'parentSisId', 'parent_id', 'contactSisId', 'Guardian SIS ID'],
  firstName: ['guardianFirstName', 'parentFirstName', 'givenName', 'First Name'],
  lastName: ['guardianLastName', 'parentLastName', 'familyName', 'Last Name'],
  email: ['guardianEmail', 'parentEmail', 'Email Address'],
  mobilePhone: ['mobile', 'cellPhone', 'cell', 'sms', 'phone', 'guardianPhone'],
  homePhone: ['home', 'landline', 'alternatePhone'],
  language: ['preferredLanguage', 'languageCode', 'lang'],
  relationship: ['relation', 'contactType', 'relationshipRole'],
};

/**
 * Header spellings of SIS guardian and contact exports (PowerSchool, Infinite Campus,
 * Skyward, Aeries, Synergy), each naming one field whatever the SIS. Left out on purpose:
 * `Primary Phone` (the household's main number, often a landline: a login must be a number
 * only its owner gets texts on), `Family ID` (a family is several people) and
 * `Contact Number` (as often a phone number as an id); they get a warning naming the
 * `--column` fix. A file that also has a column with an older name for the same field (the
 * field's own name, or one of the names accepted before these) reads that one, and this
 * column is ignored with a warning: files that worked before these spellings were added
 * read the same.
 */
export const SIS_EXPORT_HEADER_ALIASES: Readonly<Record<GuardianField, readonly string[]>> = Object.freeze({
  studentSisId: ['Student Number', 'Student No', 'Student #', 'Perm ID', 'Permanent ID', 'Student Perm ID'],
  guardianSisId: ['Contact ID', 'Contact Person ID', 'Guardian Person ID', 'Parent Person ID'],
  firstName: ['Contact First Name'],
  lastName: ['Contact Last Name'],
  email: ['Contact Email', 'Contact Email Address', 'Guardian Email Address', 'Parent Email Address'],
  mobilePhone: ['Mobile Number', 'Mobile Phone Number', 'Cell Number', 'Cell Phone Number', 'Cellular Phone', 'Contact Cell Phone', 'Guardian Cell Phone', 'Parent Cell Phone'],
  homePhone: ['Home Phone Number', 'Home Telephone', 'Contact Home Phone', 'Guardian Home Phone', 'Parent Home Phone'],
  language: ['Home Language', 'Correspondence Language', 'Contact Language', 'Guardian Language', 'Parent Language'],
  relationship: ['Relationship Type', 'Relationship To Student', 'Relation To Student', 'Contact Relationship'],
});

/** Accepted header names per field, besides the field name itself (those of {@link SIS_EXPORT_HEADER_ALIASES} included). */
export const HEADER_ALIASES: Readonly<Record<GuardianField, readonly string[]>> = Object.freeze(
  Object.fromEntries(GUARDIAN_FIELDS.map((field) => [field, Object.freeze([...CORE_ALIASES[field], ...SIS_EXPORT_HEADER_ALIASES[field]])])) as Record<
    GuardianField,
    readonly string[]
  >,
);

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

interface AliasEntry {
  readonly field: GuardianField;
  /** A {@link SIS_EXPORT_HEADER_ALIASES} spelling: it yields to a column with an older name. */
  readonly sisExport: boolean;
}

let aliasIndex: Map<string, AliasEntry> | undefined;

/** Comparison key → field; built once. Throws if two fields claimed one key (a list error, caught by the tests). */
function aliases(): Map<string, AliasEntry> {
  if (aliasIndex === undefined) {
    const index = new Map<string, AliasEntry>();
    const add = (name: string, entry: AliasEntry): void => {
      const key = headerKey(name);
      const before = index.get(key);
      if (before !== undefined && before.field !== entry.field) throw new Error(`header alias "${name}" names both ${before.field} and ${entry.field}`);
      if (before === undefined) index.set(key, entry);
    };
    for (const field of GUARDIAN_FIELDS) {
      add(field, { field, sisExport: false });
      for (const alias of CORE_ALIASES[field]) add(alias, { field, sisExport: false });
    }
    for (const field of GUARDIAN_FIELDS) for (const alias of SIS_EXPORT_HEADER_ALIASES[field]) add(alias, { field, sisExport: true });
    aliasIndex = index;
  }
  return aliasIndex;
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** The `--column` flag that reads `field` from the column `header`. */
function columnFlag(field: GuardianField, header: string): string {
  return `--column ${field}=${JSON.stringify(header)}`;
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

  const entries = keys.map((key) => (key === '' ? undefined : aliases().get(key)));
  // The column of an older name for a field, wherever it stands: a SIS export spelling of
  // the same field yields to it, so a file that read before reads the same.
  const coreColumn = new Map<GuardianField, number>();
  entries.forEach((entry, index) => {
    if (entry !== undefined && !entry.sisExport && !claimed.has(index) && !coreColumn.has(entry.field)) coreColumn.set(entry.field, index);
  });

  // Columns that name no field but look like one, warned about after the mapping is known
  // (the warning says whether the field is read from another column).
  const lookalikes: { index: number; suggestion: HeaderSuggestion }[] = [];
  const unknown: Issue[] = [];
  const lastNamed = keys.reduce((last, key, index) => (key !== '' ? index : last), -1);
  keys.forEach((key, index) => {
    if (claimed.has(index)) return;
    const shown = columns[index] ?? '';
    if (key === '') {
      // Trailing empty header cells are what spreadsheets export after the last column.
      if (index < lastNamed) {
        unknown.push(createIssue('UNKNOWN_COLUMN', `Column ${index + 1} of the header has no name: its values are ignored.`, { line, column: `column ${index + 1}` }));
      }
      return;
    }
    const entry = entries[index];
    if (entry === undefined) {
      const suggestion = suggestHeaderField(shown);
      if (suggestion !== null) lookalikes.push({ index, suggestion });
      else unknown.push(createIssue('UNKNOWN_COLUMN', `The column ${quoted(shown)} is not a known field: its values are ignored.`, { line, column: shown }));
      return;
    }
    const { field } = entry;
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
    const core = coreColumn.get(field);
    if (entry.sisExport && core !== undefined) {
      issues.push(
        createIssue(
          'UNKNOWN_COLUMN',
          `The column ${quoted(shown)} is ignored: ${field} is read from ${quoted(columns[core] ?? '')}. To read it from this column instead: ${columnFlag(field, shown)}.`,
          { line, column: shown },
        ),
      );
      return;
    }
    const other = indexes.get(field);
    if (other !== undefined) {
      throw new GuardianSyncError(
        'DUPLICATE_COLUMN',
        `The header on line ${line} has two columns for ${field}: ${quoted(columns[other] ?? '')} (column ${other + 1}) and ${quoted(shown)} (column ${index + 1}). Remove or rename one of them, or choose one with a column mapping (${columnFlag(field, columns[other] ?? '')}).`,
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
    const wanted = new Set<HeaderSuggestion>(missing);
    if (!hasContact) for (const field of [...CONTACT_FIELDS, 'phone'] as const) wanted.add(field);
    const hints = lookalikes
      .filter((l) => wanted.has(l.suggestion))
      .slice(0, 3)
      .map((l) => lookalikeFix(l.suggestion, columns[l.index] ?? ''));
    const found = columns.filter((c) => c !== '').slice(0, 20).map(quoted).join(', ');
    throw new GuardianSyncError(
      'MISSING_REQUIRED_COLUMN',
      `The header on line ${line} lacks required column${parts.length > 1 ? 's' : ''}: ${parts.join('; ')}.${hints.length > 0 ? ` ${hints.join(' ')}` : ''} Found: ${found}. Add the column${parts.length > 1 ? 's' : ''}, or map your header names (--column field=Header).`,
      { file: fileName, line, column: missing[0] ?? 'email' },
    );
  }
  // Look-alikes first: with many ignored columns, those that are probably a field are the
  // ones a reader of the first few messages must see.
  for (const { index, suggestion } of lookalikes) issues.push(lookalikeIssue(suggestion, columns[index] ?? '', line, indexes, columns));
  issues.push(...unknown);
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

/** One sentence naming the `--column` fix for a look-alike column. */
function lookalikeFix(suggestion: HeaderSuggestion, header: string): string {
  if (suggestion === 'phone') return `${quoted(header)} may hold mobile phones: ${columnFlag('mobilePhone', header)}.`;
  return `${quoted(header)} looks like ${suggestion}: ${columnFlag(suggestion, header)}.`;
}

function lookalikeIssue(suggestion: HeaderSuggestion, header: string, line: number, indexes: ReadonlyMap<GuardianField, number>, columns: readonly string[]): Issue {
  const where = { line, column: header };
  if (suggestion === 'phone') {
    return createIssue(
      'UNKNOWN_COLUMN',
      `The column ${quoted(header)} is a phone column that does not say mobile or home: its values are ignored. If it holds the guardians' mobile numbers: ${columnFlag('mobilePhone', header)}; if home or work numbers: ${columnFlag('homePhone', header)}.`,
      where,
    );
  }
  const readFrom = indexes.get(suggestion);
  if (readFrom !== undefined) {
    return createIssue(
      'UNKNOWN_COLUMN',
      `The column ${quoted(header)} looks like ${suggestion}, which is read from ${quoted(columns[readFrom] ?? '')}: its values are ignored. To read ${suggestion} from this column instead: ${columnFlag(suggestion, header)}.`,
      where,
    );
  }
  return createIssue(
    'UNKNOWN_COLUMN',
    `The column ${quoted(header)} is not a known header name but looks like ${suggestion}: its values are ignored. If that is what it holds, map it: ${columnFlag(suggestion, header)}.`,
    where,
  );
}
