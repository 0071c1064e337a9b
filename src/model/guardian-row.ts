// The canonical row: what every input format (guardians.csv, OneRoster) becomes after
// parsing and normalization, and the only thing identity resolution reads.
import type { AccountFields } from './roster.js';

/** The canonical fields of a guardian file (docs/file-format.md). */
export const GUARDIAN_FIELDS = [
  'studentSisId',
  'guardianSisId',
  'firstName',
  'lastName',
  'email',
  'mobilePhone',
  'homePhone',
  'language',
  'relationship',
] as const;

export type GuardianField = (typeof GUARDIAN_FIELDS)[number];

/** Raw cell texts of one row by canonical field, before validation; absent = column missing. */
export type RawGuardianFields = { [F in GuardianField]?: string | undefined };

/**
 * The optional account fields a row may say nothing about. A row keeps the stored value of
 * such a field when its column is missing or its cell holds an invalid value: only a valid
 * value changes a stored one, and only an empty cell clears it (docs/file-format.md, Values).
 */
export type KeptField = 'email' | 'mobilePhone' | 'homePhone' | 'language';

/** True when the row (or guardian) says nothing about `field`: the stored value stays. */
export function keepsField(row: { readonly kept?: readonly KeptField[] | undefined }, field: KeptField): boolean {
  return row.kept !== undefined && row.kept.includes(field);
}

/**
 * One guardian–student pair, validated and normalized. Values are already in canonical form:
 * names NFC with invisible characters removed and whitespace collapsed, email lower-cased,
 * phones E.164, language a BCP 47 tag. Blank optional values are null.
 */
export interface GuardianRow extends AccountFields {
  /** Physical line where the record starts (1-based; the header is line 1 unless preceded by `sep=`). */
  readonly line: number;
  readonly studentSisId: string;
  readonly guardianSisId: string | null;
  readonly relationship: string | null;
  /**
   * Fields whose value is null here because the row does not know it (a missing column, or
   * an invalid value reported as an issue), not because the cell was empty: a stored
   * account keeps its value in them, and matching treats them as unknown. Absent when none.
   */
  readonly kept?: readonly KeptField[] | undefined;
  /** OneRoster delta files only: the pair is to be removed (`status = tobedeleted`). */
  readonly delete?: boolean | undefined;
}
