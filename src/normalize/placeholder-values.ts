// What people type into a SIS when they have no email or phone to give: the one list of
// them (docs/file-format.md, "Placeholder values"). A placeholder is not a login. If it
// were stored, the second family with `none@none.com` or `555-555-5555` would be refused
// as "already the login of another person", and every family holding it would share one
// login. So placeholders are reported like invalid values (INVALID_EMAIL, INVALID_PHONE).
// The lists stay short on purpose: each entry would refuse a real person's address if
// that person used it, so only values no guardian really has belong here.

/**
 * Local parts (before the `@`, compared with `.`, `-` and `_` removed) that mean "no
 * address", whatever the domain: `none@…`, `noemail@…`, `no.email@…`, `na@na.com`,
 * `no@email.com`, `test@test.com`.
 */
export const PLACEHOLDER_EMAIL_LOCAL_PARTS: readonly string[] = Object.freeze([
  'none',
  'no',
  'na',
  'noemail',
  'nomail',
  'noaddress',
  'noreply',
  'donotreply',
  'unknown',
  'null',
  'declined',
  'refused',
  'test',
]);

/** Domains no guardian has a mailbox at, whatever the local part (`jane@noemail.com`). */
export const PLACEHOLDER_EMAIL_DOMAINS: readonly string[] = Object.freeze(['none.com', 'noemail.com', 'nomail.com', 'na.com', 'test.com']);

const localParts = new Set(PLACEHOLDER_EMAIL_LOCAL_PARTS);
const domains = new Set(PLACEHOLDER_EMAIL_DOMAINS);

/** The longest placeholder domain and local part: a longer one is no placeholder, without a look-up. */
const LONGEST_DOMAIN = Math.max(...PLACEHOLDER_EMAIL_DOMAINS.map((domain) => domain.length));
const LONGEST_LOCAL_PART = Math.max(...PLACEHOLDER_EMAIL_LOCAL_PARTS.map((local) => local.length));

/** True when the domain of `address` (lower-case, after the `@` at `at`) is one of PLACEHOLDER_EMAIL_DOMAINS. */
export function isPlaceholderEmailDomain(address: string, at: number): boolean {
  return address.length - at - 1 <= LONGEST_DOMAIN && domains.has(address.slice(at + 1));
}

/**
 * True when the local part of `address` (lower-case, before the `@` at `at`) is one of
 * PLACEHOLDER_EMAIL_LOCAL_PARTS once `.`, `-` and `_` are removed. `coreLength`, when the
 * caller has counted it, is its length without those: most addresses have a longer one than
 * any placeholder and stop there, before a string is made.
 */
export function isPlaceholderEmailLocalPart(address: string, at: number, coreLength?: number): boolean {
  if (coreLength !== undefined && coreLength > LONGEST_LOCAL_PART) return false;
  return localParts.has(address.slice(0, at).replace(/[._-]/g, ''));
}

/** True when a lower-cased, syntactically valid address is one of the placeholders above. */
export function isPlaceholderEmail(address: string): boolean {
  const at = address.lastIndexOf('@');
  return isPlaceholderEmailDomain(address, at) || isPlaceholderEmailLocalPart(address, at);
}

// Digits in a row, for the "ascending or descending run" rule below: 1234567890 and
// 9876543210 are substrings of these, and so is any run that wraps past 9 or 0.
const ASCENDING = '01234567890123456789';
const DESCENDING = '98765432109876543210';

/**
 * True when a national significant number (the digits after the country code) is a
 * well-known placeholder:
 * - one digit repeated: `000-000-0000`, `555-555-5555`, `888-888-8888` (a valid toll-free
 *   number by the numbering plan, but nobody's phone), `+44 7777 777777`;
 * - consecutive digits up or down: `123-456-7890`, `234-567-8901`, `987-654-3210`, the UK's
 *   `01234 567890`.
 */
export function isPlaceholderPhoneDigits(nationalNumber: string): boolean {
  if (nationalNumber.length < 2) return false;
  // Runs on every phone of a file: the first two digits rule out nearly every real number.
  const step = (nationalNumber.charCodeAt(1) - nationalNumber.charCodeAt(0) + 10) % 10;
  if (step === 0) {
    const first = nationalNumber.charCodeAt(0);
    for (let i = 2; i < nationalNumber.length; i++) if (nationalNumber.charCodeAt(i) !== first) return false;
    return true;
  }
  if (step === 1) return ASCENDING.includes(nationalNumber);
  return step === 9 && DESCENDING.includes(nationalNumber);
}
