// Emails as docs/file-format.md stores them: trimmed, NFC, invisible characters removed,
// lower-cased (compared case-insensitively). An address that is not an address, or a
// placeholder someone typed for "no email" (`none@none.com`, `noemail@…`: the list is in
// placeholder-values.ts), is invalid and treated as absent by the caller: a placeholder
// must never become a login that every family without an email would share. The syntax
// check is zod's email pattern (ASCII addresses: letters, digits and `_ ' + - .` before the
// `@`, a dotted domain after it).
//
// Called for every row of a district's file: a plain ASCII address (nearly all of them) is
// checked in one pass over its characters (normalizeSimpleEmail), which a property test
// proves equal to the rules spelled out in normalizeEmailPlain; anything else goes there.
import { z } from 'zod';
import { stripInvisible } from './invisible-characters.js';
import { isPlaceholderEmail, isPlaceholderEmailDomain, isPlaceholderEmailLocalPart } from './placeholder-values.js';

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

/** Every rule in its plainest form: the reference the fast path is tested against. */
export function normalizeEmailPlain(text: string): NormalizedEmail {
  // `trim()` removes NBSP and BOM too; inner whitespace makes the address invalid.
  const cleaned = stripInvisible(text).trim();
  if (cleaned === '') return BLANK;
  const value = cleaned.normalize('NFC').toLowerCase();
  if (value.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(value) || isPlaceholderEmail(value)) return INVALID;
  return { value, invalid: false };
}

// ASCII character classes of the email pattern, by character code.
const LETTER = 1;
const UPPER = 2;
const DIGIT = 4;
/** `_ ' + -`: allowed before the `@` besides letters, digits and dots. */
const LOCAL_MARK = 8;
const CLASSES = new Uint8Array(128);
for (let c = 0x61; c <= 0x7a; c++) CLASSES[c] = LETTER;
for (let c = 0x41; c <= 0x5a; c++) CLASSES[c] = LETTER | UPPER;
for (let c = 0x30; c <= 0x39; c++) CLASSES[c] = DIGIT;
for (const mark of "_'+-") CLASSES[mark.charCodeAt(0)] = LOCAL_MARK;
const DOT = 0x2e;
const HYPHEN = 0x2d;
const APOSTROPHE = 0x27;

/**
 * normalizeEmailPlain for a text made only of the pattern's ASCII characters that it finds
 * to be a valid address: there, removing invisible characters, trimming and NFC change
 * nothing, and the pattern is checked in one pass. Undefined for any other text (blank,
 * spaces, other characters, not an address), which normalizeEmailPlain decides.
 */
export function normalizeSimpleEmail(text: string): NormalizedEmail | undefined {
  const length = text.length;
  const at = text.indexOf('@');
  if (at < 1 || length > MAX_EMAIL_LENGTH) return undefined;
  let upper = false;
  // Before the @: dot-separated runs of letters, digits and `_ ' + -`, not ending in `'`.
  let localCore = 0; // characters other than `.`, `_`, `-`, as isPlaceholderEmail compares
  let previous = DOT; // the local part may not start with a dot
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (previous === DOT) return undefined;
    } else {
      const kind = c < 128 ? (CLASSES[c] ?? 0) : 0;
      if (kind === 0) return undefined;
      if ((kind & UPPER) !== 0) upper = true;
      if (c !== 0x5f && c !== HYPHEN) localCore++;
    }
    previous = c;
  }
  if (previous === DOT || previous === APOSTROPHE) return undefined;
  // After it: labels of letters, digits and hyphens that start with a letter or digit, each
  // followed by a dot, then a last label of two letters or more.
  let labelStart = at + 1;
  let lettersOnly = true;
  let dots = 0;
  for (let i = at + 1; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (i === labelStart) return undefined;
      dots++;
      labelStart = i + 1;
      lettersOnly = true;
      continue;
    }
    const kind = c < 128 ? (CLASSES[c] ?? 0) : 0;
    if ((kind & LETTER) !== 0) {
      if ((kind & UPPER) !== 0) upper = true;
    } else if ((kind & DIGIT) !== 0 || (c === HYPHEN && i !== labelStart)) {
      lettersOnly = false;
    } else {
      return undefined;
    }
  }
  if (dots === 0 || !lettersOnly || length - labelStart < 2) return undefined;
  const value = upper ? text.toLowerCase() : text;
  // isPlaceholderEmail, with the local part's length already counted.
  if (isPlaceholderEmailDomain(value, at) || isPlaceholderEmailLocalPart(value, at, localCore)) return INVALID;
  return { value, invalid: false };
}

export function normalizeEmail(text: string): NormalizedEmail {
  return normalizeSimpleEmail(text) ?? normalizeEmailPlain(text);
}
