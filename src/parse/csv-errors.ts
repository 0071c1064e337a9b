// csv-parse's errors as the whole-file MALFORMED_CSV a district can act on: the line where
// the record starts, the column when known, and what to fix.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

interface CodedError extends Error {
  readonly code: string;
}

function isCsvError(error: Error): error is CodedError {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

function csvErrorToGuardianError(error: CodedError, line: number, headerCells: readonly string[] | undefined, fileName: string | undefined, maxRecordSize: number): GuardianSyncError {
  const index = (error as { column?: unknown }).column;
  const column = typeof index === 'number' ? (headerCells?.[index]?.trim() || `column ${index + 1}`) : undefined;
  const at = `the record starting at line ${line}${column !== undefined ? `, column ${JSON.stringify(column)}` : ''}`;
  let message: string;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      message = `A double quote opened in ${at} is never closed, so the rest of the file would be one value. Close the quote, or remove it.`;
      break;
    case 'CSV_MAX_RECORD_SIZE':
      message = `${at[0]?.toUpperCase() ?? ''}${at.slice(1)} is longer than ${maxRecordSize} characters: a double quote opened there is probably never closed, or a value is far too long. Fix the quoting at that line.`;
      break;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      message = `In ${at}, a quoted value has text right after its closing quote. Inside quotes, write a double quote as two double quotes (""); a backslash before a quote (\\") is not CSV escaping.`;
      break;
    case 'INVALID_OPENING_QUOTE':
      message = `In ${at}, a double quote appears in the middle of a value that does not start with one. Quote the whole value and double the inner quotes ("Ann ""Nan"" Lee"), or remove the quote.`;
      break;
    default:
      message = `${at[0]?.toUpperCase() ?? ''}${at.slice(1)} is not valid CSV (${error.code}). Fix the quoting at that line.`;
  }
  return new GuardianSyncError('MALFORMED_CSV', message, { file: fileName, line, column });
}

/** The error that stopped csv-parse, as MALFORMED_CSV at `line` (where the failing record starts). */
export function malformedCsv(error: Error, line: number, headerCells: readonly string[] | undefined, fileName: string | undefined, maxRecordSize: number): GuardianSyncError {
  if (isCsvError(error)) return csvErrorToGuardianError(error, line, headerCells, fileName, maxRecordSize);
  return new GuardianSyncError('MALFORMED_CSV', `The file could not be parsed as CSV near line ${line}.`, { file: fileName, line });
}
