// Arbitraries of guardian files as the planner receives them (GuardianRow lists, already
// normalized): families of guardians with siblings, shared emails, missing ids, and raw
// values with case, whitespace and NFD noise normalized the way the parse stage does.
import { fc } from '@fast-check/vitest';
import type { GuardianRow, KeptField } from '../../src/model/guardian-row.js';
import { EMAILS, FIRST_NAMES, GUARDIAN_IDS, LANGUAGES, LAST_NAMES, MOBILES, STUDENTS, UNKNOWN_STUDENT } from './roster.js';

/** One guardian of a generated file: the same person on one row per child. */
export interface FileGuardianSpec {
  readonly guardianSisId: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly homePhone: string | null;
  readonly language: string | null;
  readonly students: readonly string[];
}

/**
 * The normalization contract of the parse stage (FILE-FORMAT.md), for raw generated text:
 * NFC, whitespace runs (NBSP included) collapsed, trimmed; emails also lower-cased.
 */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').replace(/[\s\u00a0]+/gu, ' ').trim();
}
export function normalizeEmail(raw: string | null): string | null {
  if (raw === null) return null;
  const v = raw.normalize('NFC').trim().toLowerCase();
  return v === '' ? null : v;
}

export interface GuardianSpecOptions {
  /** Only students of the roster (no unknown student id). */
  readonly knownStudentsOnly?: boolean;
  /** Students allowed (e.g. those of a school-level scope). */
  readonly students?: readonly string[];
}

export function guardianSpecArb(options: GuardianSpecOptions = {}): fc.Arbitrary<FileGuardianSpec> {
  const pool = options.students ?? [...STUDENTS.map((s) => s.sisId), ...(options.knownStudentsOnly === true ? [] : [UNKNOWN_STUDENT])];
  return fc
    .record({
      guardianSisId: fc.option(fc.constantFrom(...GUARDIAN_IDS), { nil: null, freq: 4 }),
      firstName: fc.constantFrom(...FIRST_NAMES),
      lastName: fc.constantFrom(...LAST_NAMES),
      email: fc.option(fc.constantFrom(...EMAILS), { nil: null, freq: 3 }),
      mobilePhone: fc.option(fc.constantFrom(...MOBILES), { nil: null, freq: 3 }),
      homePhone: fc.option(fc.constant('+12025550188'), { nil: null }),
      language: fc.constantFrom(...LANGUAGES),
      students: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }),
    })
    .filter((g) => g.email !== null || g.mobilePhone !== null);
}

export interface FileOptions extends GuardianSpecOptions {
  /** Guardians never share an email or mobile and distinct ids never share a contact (no competition by line order). */
  readonly distinctContacts?: boolean;
  readonly maxGuardians?: number;
}

/** Guardians of one file; a guardian id appears on one guardian only. */
export function fileGuardiansArb(options: FileOptions = {}): fc.Arbitrary<FileGuardianSpec[]> {
  const distinct = options.distinctContacts === true;
  return fc
    .uniqueArray(guardianSpecArb(options), {
      maxLength: options.maxGuardians ?? 6,
      comparator: (a, b) =>
        (a.guardianSisId !== null && a.guardianSisId === b.guardianSisId) ||
        (distinct && ((a.email !== null && a.email === b.email) || (a.mobilePhone !== null && a.mobilePhone === b.mobilePhone))),
    })
    .map((list) => [...list]);
}

/** Rows of the guardians, one per (guardian, student), lines from 2 in the given order. */
export function rowsOf(guardians: readonly FileGuardianSpec[]): GuardianRow[] {
  const rows: GuardianRow[] = [];
  for (const g of guardians) {
    for (const studentSisId of g.students) {
      rows.push({
        line: rows.length + 2,
        studentSisId,
        guardianSisId: g.guardianSisId,
        firstName: g.firstName,
        lastName: g.lastName,
        email: g.email,
        mobilePhone: g.mobilePhone,
        homePhone: g.homePhone,
        language: g.language,
        relationship: null,
      });
    }
  }
  return rows;
}

/** How one raw text is disturbed before normalization. */
export interface Noise {
  readonly letterCase: 'same' | 'upper' | 'lower';
  readonly nfd: boolean;
  readonly padding: string;
}
export const noiseArb: fc.Arbitrary<Noise> = fc.record({
  letterCase: fc.constantFrom('same', 'upper', 'lower'),
  nfd: fc.boolean(),
  padding: fc.constantFrom('', ' ', '  ', '\t', '\u00a0'),
});

function disturb(value: string, noise: Noise): string {
  let v = noise.letterCase === 'upper' ? value.toUpperCase() : noise.letterCase === 'lower' ? value.toLowerCase() : value;
  if (noise.nfd) v = v.normalize('NFD');
  return `${noise.padding}${v.replace(/ /gu, noise.padding === '' ? ' ' : ` ${noise.padding}`)}${noise.padding}`;
}

/**
 * The same file with rows reordered (lines renumbered in the new order) and each row's names
 * and email disturbed by noise, then normalized as the parse stage would.
 */
export function noisyRowsArb(rows: readonly GuardianRow[]): fc.Arbitrary<GuardianRow[]> {
  if (rows.length === 0) return fc.constant([]);
  return fc
    .tuple(
      fc.shuffledSubarray([...rows], { minLength: rows.length, maxLength: rows.length }),
      fc.array(fc.tuple(noiseArb, noiseArb, noiseArb), { minLength: rows.length, maxLength: rows.length }),
    )
    .map(([shuffled, noises]) =>
      shuffled.map((row, i): GuardianRow => {
        const [n1, n2, n3] = noises[i]!;
        return {
          ...row,
          line: i + 2,
          firstName: normalizeName(disturb(row.firstName, n1)),
          lastName: normalizeName(disturb(row.lastName, n2)),
          email: row.email === null ? null : normalizeEmail(disturb(row.email, n3)),
        };
      }),
    );
}

/**
 * A messy file: clean guardians, then rows disturbed the way real exports are: an id left
 * out, a row of one id with another email or phone (a conflict), a row marked deleted.
 */
const KEPT_FIELDS: readonly KeptField[] = ['email', 'mobilePhone', 'homePhone', 'language'];

/** Fields a row does not know (an invalid value, or a missing column), for about a quarter of rows. */
const unknownFieldsArb = fc.option(fc.subarray([...KEPT_FIELDS], { minLength: 1 }), { nil: undefined, freq: 3 });

/** The row with these fields unknown: null, and listed in `kept`. */
function withUnknown(row: GuardianRow, unknown: readonly KeptField[] | undefined): GuardianRow {
  if (unknown === undefined) return row;
  const cleared: Partial<Record<KeptField, null>> = Object.fromEntries(unknown.map((field) => [field, null]));
  return { ...row, ...cleared, kept: unknown };
}

/** The rows with some of their optional fields made unknown, as a day-2 file with mangled or missing columns has them. */
export function withUnknownFieldsArb(rows: readonly GuardianRow[]): fc.Arbitrary<GuardianRow[]> {
  return fc.array(unknownFieldsArb, { minLength: rows.length, maxLength: rows.length }).map((unknown) => rows.map((row, i) => withUnknown(row, unknown[i])));
}

export function messyRowsArb(options: FileOptions & { readonly deletes?: boolean } = {}): fc.Arbitrary<GuardianRow[]> {
  return fileGuardiansArb(options).chain((guardians) => {
    const rows = rowsOf(guardians);
    if (rows.length === 0) return fc.constant(rows);
    const edit = fc.record({
      dropId: fc.boolean(),
      email: fc.option(fc.option(fc.constantFrom(...EMAILS), { nil: null }), { nil: undefined, freq: 4 }),
      mobilePhone: fc.option(fc.option(fc.constantFrom(...MOBILES), { nil: null }), { nil: undefined, freq: 4 }),
      delete: options.deletes === true ? fc.boolean() : fc.constant(false),
      unknown: unknownFieldsArb,
    });
    return fc.array(fc.option(edit, { nil: null, freq: 2 }), { minLength: rows.length, maxLength: rows.length }).map((edits) =>
      rows.map((row, i): GuardianRow => {
        const e = edits[i];
        if (e === null || e === undefined) return row;
        const email = e.email === undefined ? row.email : e.email;
        const mobilePhone = e.mobilePhone === undefined ? row.mobilePhone : e.mobilePhone;
        const keep = email !== null || mobilePhone !== null;
        const edited: GuardianRow = {
          ...row,
          guardianSisId: e.dropId ? null : row.guardianSisId,
          email: keep ? email : row.email,
          mobilePhone: keep ? mobilePhone : row.mobilePhone,
          ...(e.delete ? { delete: true } : {}),
        };
        return withUnknown(edited, e.unknown);
      }),
    );
  });
}
