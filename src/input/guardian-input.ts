// What the reading stage gives the stages after it, whichever path read the bytes: the
// valid rows, the rows it had to skip and why, and what the report says about the file.
import type { Issue } from '../errors/issue.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import type { GuardianRow } from '../model/guardian-row.js';

export interface RejectedRow {
  readonly line: number;
  readonly issues: readonly Issue[];
  /** The row's student id when it can be trusted: checked against the roster all the same. */
  readonly studentSisId?: string | undefined;
}

export interface GuardianInput {
  readonly encoding: string;
  readonly encodingGuessed: boolean;
  readonly delimiter: string;
  /** Data records read (header excluded). */
  readonly records: number;
  /** Canonical field → the header text that supplied it. */
  readonly header: ColumnMapping;
  /** Valid rows, in line order. */
  readonly rows: GuardianRow[];
  readonly rejected: RejectedRow[];
  /** File-level issues (encoding, header) and every row issue, in the order found. */
  readonly issues: Issue[];
  /** OneRoster delta files only remove what they say; everything else is a full file. */
  readonly mode: 'full' | 'delta';
}
