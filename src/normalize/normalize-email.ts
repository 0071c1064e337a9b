// Emails as docs/file-format.md stores them: trimmed, NFC, invisible characters removed,
// lower-cased (compared case-insensitively). An address that is not an address, or a
// placeholder someone typed for "no email" (`none@none.com`, `noemail@…`: the list is in
// placeholder-values.ts), is invalid and treated as absent by the caller: a placeholder
// must never become a login that every family without an email would share. The syntax
// check is zod's email pattern (ASCII addresses: letters, digits and `_ ' + - .` before the
// `@`, a dotted domain after it).
import { z } from 'zod';
import { stripInvisible } from './invisible-characters.js';
import { isPlaceholderEmail } from './placeholder-values.js';

export interface NormalizedEmail {
  /** Lower-cased address, or null when blank or invalid. */
  readonly value: string | null;
  /** True when the text was not blank but is not a usable address (or is a placeholder). */
  readonly invalid: boolean;
}

const EMAIL_PATTERN: RegExp = z.regexes.email;
// Addresses longer than this are refused by mail servers (RFC 5321).
const MAX_EMAIL_LENGTH = 254;
const BLANK: NormalizedEmail = Object.freeze({ value: null, invalid: false });
const INVALID: NormalizedEmail = Object.freeze({ value: null, invalid: true });

export function normalizeEmail(text: string): NormalizedEmail {
  // `trim()` removes NBSP and BOM too; inner whitespace makes the address invalid.
  const cleaned = stripInvisible(text).trim();
  if (cleaned === '') return BLANK;
  const value = cleaned.normalize('NFC').toLowerCase();
  if (value.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(value) || isPlaceholderEmail(value)) return INVALID;
  return { value, invalid: false };
}
