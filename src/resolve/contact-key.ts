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

/** True when the two contact keys are equal (docs/identity-rules.md: both present and identical). */
export function sameContact(a: ContactFields, b: ContactFields): boolean {
  const ka = contactKey(a);
  return ka !== null && ka === contactKey(b);
}
