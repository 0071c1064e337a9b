// Contact keys (docs/identity-rules.md): the identity of a person without an SIS id. Two people
// are the same when first name, last name, email and mobile phone are all equal (names
// case-insensitively but accent-sensitively) and at least one of email / mobile is present.

/** The four values a contact key is made of; any row, guardian or account has them. */
export interface ContactFields {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
}

/**
 * Names compare case-insensitively but accent-sensitively: only letter case is folded,
 * never diacritics (José ≠ Jose). Values are NFC already (rows are normalized; stored
 * accounts are normalized again here because a host's store may hold NFD text).
 */
export function nameKey(name: string): string {
  return (NON_ASCII.test(name) ? name.normalize('NFC') : name).toLowerCase();
}

/** Emails compare case-insensitively; a blank email is absent. */
export function emailKey(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null;
  const trimmed = email.trim();
  if (trimmed === '') return null;
  // Called once per stored account: skip the Unicode work for plain ASCII (nearly all emails).
  return (NON_ASCII.test(trimmed) ? trimmed.normalize('NFC') : trimmed).toLowerCase();
}

const NON_ASCII = /[^\u0000-\u007f]/u;

/** Mobiles are E.164 and compare exactly; a blank one is absent. */
export function mobileKey(mobile: string | null | undefined): string | null {
  if (mobile === null || mobile === undefined) return null;
  const trimmed = mobile.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * The contact key of a person, or null when it has neither email nor mobile (such a person
 * is never equal to anyone: two "Maria Garcia" without contacts are never merged).
 * Each part is length-prefixed so no name can imitate a separator.
 */
export function contactKey(fields: ContactFields): string | null {
  const email = emailKey(fields.email);
  const mobile = mobileKey(fields.mobilePhone);
  return keyOf(nameKey(fields.firstName), nameKey(fields.lastName), email, mobile);
}

/** Builds a key from already-folded parts; null when both credentials are absent. */
export function keyOf(first: string, last: string, email: string | null, mobile: string | null): string | null {
  if (email === null && mobile === null) return null;
  const e = email ?? '';
  const m = mobile ?? '';
  return `${first.length}:${first}${last.length}:${last}${e.length}:${e}${m.length}:${m}`;
}

// The comparisons below are the identity rules, each written once. They compare field by
// field and build no key string: they run per row and per candidate account at a million rows.

/** Names are equal as {@link nameKey} folds them (case-insensitively, accent-sensitively). */
export function sameName(a: string, b: string): boolean {
  return a === b || nameKey(a) === nameKey(b);
}

/** Emails are equal as {@link emailKey} folds them (case-insensitively; a blank one is absent). */
export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return a === b || emailKey(a) === emailKey(b);
}

/** Mobiles are equal as {@link mobileKey} folds them (exactly; a blank one is absent). */
export function sameMobile(a: string | null | undefined, b: string | null | undefined): boolean {
  return a === b || mobileKey(a) === mobileKey(b);
}

/** True when folded logins (a blank one is null) hold an email or a mobile: only then is there a contact key. */
export function hasLogin(fields: Pick<ContactFields, 'email' | 'mobilePhone'>): boolean {
  return fields.email !== null || fields.mobilePhone !== null;
}

/**
 * True when two people have equal contact keys, given logins folded already on both sides
 * (`emailKey`, `mobileKey`: as a file guardian's are). Folded logins compare as strings;
 * folding one again could change it (an NFD letter lower-cased may compose), so it is not.
 */
export function sameContactKey(a: ContactFields, b: ContactFields): boolean {
  return keyEquals(a.firstName, a.lastName, a.email, a.mobilePhone, b);
}

/** True when the contact key of `account` (logins as stored, folded here) is `key`'s (logins folded already). */
export function hasContactKey(account: ContactFields, key: ContactFields): boolean {
  return keyEquals(account.firstName, account.lastName, emailKey(account.email), mobileKey(account.mobilePhone), key);
}

/** True when `account` (logins as stored) holds one of the logins of `key` (folded already). */
export function sharesLogin(account: Pick<ContactFields, 'email' | 'mobilePhone'>, key: Pick<ContactFields, 'email' | 'mobilePhone'>): boolean {
  return (key.email !== null && emailKey(account.email) === key.email) || (key.mobilePhone !== null && mobileKey(account.mobilePhone) === key.mobilePhone);
}

/** True when the two contact keys are equal (docs/identity-rules.md: both present and identical). */
export function sameContact(a: ContactFields, b: ContactFields): boolean {
  return hasContactKey(a, { firstName: b.firstName, lastName: b.lastName, email: emailKey(b.email), mobilePhone: mobileKey(b.mobilePhone) });
}

/** The contact-key rule: all four parts equal (names as {@link sameName} says, logins folded) and a login present. */
function keyEquals(firstName: string, lastName: string, email: string | null, mobile: string | null, key: ContactFields): boolean {
  // A key without logins is no key: equal to nobody, itself included.
  if (!hasLogin(key)) return false;
  return email === key.email && mobile === key.mobilePhone && sameName(firstName, key.firstName) && sameName(lastName, key.lastName);
}
