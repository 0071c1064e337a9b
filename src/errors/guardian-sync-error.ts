// The one error class of the package. Thrown only for failures that stop a run (whole-file
// errors, source and store failures, configuration); row problems are issues, not throws.
// It carries a code, a location and a message written for the user; never a credential,
// a configuration object or a whole row.
import type { IssueCode } from './issue-codes.js';
import { createIssue, type Issue } from './issue.js';

// A registry symbol, not `instanceof`: a host that loads both the ESM and CJS builds gets
// two copies of the class, and the check must still hold.
const BRAND = Symbol.for('guardian-sync.error');

export interface GuardianSyncErrorContext {
  /** File name (never a full URL with credentials). */
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  /** Field or header name. */
  readonly column?: string | undefined;
  /** Whether retrying the same operation may succeed (network blips, locks). */
  readonly transient?: boolean | undefined;
}

export class GuardianSyncError extends Error {
  readonly code: IssueCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly transient: boolean;

  constructor(code: IssueCode, message: string, context: GuardianSyncErrorContext = {}, options?: { cause?: unknown }) {
    // The cause is kept only when it is one of ours: foreign errors (ssh2, sqlite) have
    // carried passwords and keys in their messages and properties.
    super(message, isGuardianSyncError(options?.cause) ? { cause: options?.cause } : undefined);
    this.name = 'GuardianSyncError';
    this.code = code;
    this.file = context.file;
    this.line = context.line;
    this.column = context.column;
    this.transient = context.transient ?? false;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The error as a report issue. */
  toIssue(): Issue {
    return createIssue(this.code, this.message, { line: this.line ?? null, column: this.column ?? null });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, file: this.file, line: this.line, column: this.column };
  }
}

export function isGuardianSyncError(value: unknown): value is GuardianSyncError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
