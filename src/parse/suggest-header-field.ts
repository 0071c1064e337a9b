// Which field an unrecognised header looks like (`Guardian Lang`, `Parent Cell #`, `Mobile
// Number 2`), so that the UNKNOWN_COLUMN warning can name the `--column field=Header` fix
// instead of only saying the values are ignored. Only ever a suggestion: a header that is no
// alias is never read, because guessing a login column wrong is how a district's parents
// get each other's messages. Words, not fuzzy distance: the same header always gets the same
// answer, and a student's columns (`Student Email`) are never offered as the guardian's.
import type { GuardianField } from '../model/guardian-row.js';
import { stripInvisible } from '../normalize/invisible-characters.js';

/** A field the header looks like, or `phone`: a phone column that does not say mobile or home. */
export type HeaderSuggestion = GuardianField | 'phone';

const STUDENT = new Set(['student', 'stu', 'pupil', 'learner', 'child']);
const ID = new Set(['id', 'number', 'num', 'no', 'nbr', 'identifier', 'perm']);
const GUARDIAN = new Set(['guardian', 'parent', 'contact', 'mother', 'father']);
// A guardian's id says "id": `Contact Number` is as often a phone number as an id.
const PERSON_ID = new Set(['id', 'identifier']);
// A family (Skyward's Family ID) or household is several people: never a guardian's id.
const HOUSEHOLD = new Set(['family', 'household']);
// Columns about a value rather than the value: `Phone Type`, `Email Opt Out`, `Language Fluency`.
const ABOUT_A_VALUE = new Set([
  'type',
  'flag',
  'status',
  'fluency',
  'proficiency',
  'opt',
  'optin',
  'optout',
  'consent',
  'verified',
  'date',
  'ext',
  'extension',
  'priority',
  'sequence',
  'seq',
  'order',
  'count',
  'unlisted',
  'confidential',
  'receives',
  'allow',
  'allowed',
]);
const MOBILE = new Set(['cell', 'cellular', 'mobile', 'sms', 'wireless']);
const PHONE = new Set(['phone', 'phones', 'telephone', 'tel', 'ph']);
const HOME = new Set(['home', 'house', 'residence', 'landline', 'land', 'evening']);
const LANGUAGE = new Set(['lang', 'language', 'languages', 'idioma']);
const RELATIONSHIP = new Set(['relationship', 'relation', 'relationships']);
const FIRST = new Set(['first', 'given', 'fname', 'forename', 'firstname']);
const LAST = new Set(['last', 'surname', 'lname', 'lastname']);

/**
 * Words a header glued together in capitals (`GUARDIANEMAIL2`, `PARENTCELLPHONE`) is split
 * into, longest first; a token that does not split into these whole stays as it is.
 */
const VOCABULARY = [
  ...STUDENT,
  ...ID,
  ...GUARDIAN,
  ...HOUSEHOLD,
  ...MOBILE,
  ...PHONE,
  ...HOME,
  ...LANGUAGE,
  ...RELATIONSHIP,
  ...FIRST,
  ...LAST,
  'email',
  'mail',
  'address',
  'name',
  'primary',
  'secondary',
  'alternate',
  'alt',
  'work',
  'day',
  'preferred',
  'person',
  'sis',
  'local',
  'state',
  'legal',
].sort((a, b) => b.length - a.length);

/** Lower-case words of a header: camelCase, digits, `#` (a number) and punctuation split. */
function headerWords(header: string): string[] {
  const spaced = stripInvisible(header)
    .normalize('NFC')
    .replace(/#/g, ' number ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase();
  const out: string[] = [];
  for (const token of spaced.split(/[^a-z0-9]+/)) {
    if (token !== '') out.push(...splitGlued(token));
  }
  return out;
}

function splitGlued(token: string): string[] {
  if (VOCABULARY.includes(token) || /^\d+$/.test(token)) return [token];
  const parts: string[] = [];
  let at = 0;
  while (at < token.length) {
    const word = VOCABULARY.find((w) => token.startsWith(w, at));
    if (word === undefined) return [token];
    parts.push(word);
    at += word.length;
  }
  return parts;
}

/**
 * The field an unrecognised header looks like, or null. A relationship column is the
 * guardian's (`Relationship to Child`); other student columns suggest only the student's
 * id; a column about a value (`Phone Type`) suggests nothing; a phone column that says
 * neither mobile nor home (`Primary Phone`, `Work Phone`) is `phone`: only the district
 * knows whether it holds mobiles.
 */
export function suggestHeaderField(header: string): HeaderSuggestion | null {
  const words = headerWords(header);
  const has = (set: ReadonlySet<string>): boolean => words.some((w) => set.has(w));
  if (has(RELATIONSHIP)) return has(ABOUT_A_VALUE) && !words.includes('type') ? null : 'relationship';
  if (has(STUDENT)) return has(ID) ? 'studentSisId' : null;
  if (has(ABOUT_A_VALUE)) return null;
  if (isEmail(words)) return 'email';
  if (has(MOBILE)) return 'mobilePhone';
  if (has(PHONE)) return has(HOME) ? 'homePhone' : 'phone';
  if (words.includes('landline')) return 'homePhone';
  if (has(LANGUAGE)) return 'language';
  if (has(FIRST)) return 'firstName';
  if (has(LAST) || (words.includes('family') && words.includes('name'))) return 'lastName';
  if (has(GUARDIAN) && has(PERSON_ID) && !has(HOUSEHOLD)) return 'guardianSisId';
  return null;
}

function isEmail(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'email' || (words[i] === 'e' && words[i + 1] === 'mail')) return true;
  }
  return false;
}
