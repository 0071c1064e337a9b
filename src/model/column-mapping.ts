// Which header of a file supplies each canonical guardian field. Here, below the parser,
// because the parser takes one (the caller's `columns`) and returns one (the header it found),
// and the options and reports of every stage above carry it.
import type { GuardianField } from './guardian-row.js';

/** Header mapping: canonical field → the header text used in the file. */
export type ColumnMapping = Partial<Record<GuardianField, string>>;
