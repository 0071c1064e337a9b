// docs/identity-rules.md "Words used on this page": the comparisons behind contact keys, each
// defined once in src/resolve/contact-key.ts, against the key strings they must agree with.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  contactKey,
  emailKey,
  hasContactKey,
  hasLogin,
  mobileKey,
  sameContact,
  sameContactKey,
  sameEmail,
  sameMobile,
  sameName,
  sharesLogin,
  type ContactFields,
} from '../../src/resolve/contact-key.js';

/** The logins of `fields` folded, as a file guardian holds them. */
function folded(fields: ContactFields): ContactFields {
  return { firstName: fields.firstName, lastName: fields.lastName, email: emailKey(fields.email), mobilePhone: mobileKey(fields.mobilePhone) };
}

describe('logins', () => {
  it('a blank or missing email or mobile is absent', () => {
    expect([emailKey(''), emailKey('   '), emailKey(null), emailKey(undefined)]).toEqual([null, null, null, null]);
    expect([mobileKey(''), mobileKey(' '), mobileKey(null), mobileKey(undefined)]).toEqual([null, null, null, null]);
  });

  it('emails compare case-insensitively and trimmed; mobiles exactly, trimmed', () => {
    expect(sameEmail(' Ana@X.org', 'ana@x.org')).toBe(true);
    expect(sameEmail('', null)).toBe(true);
    expect(sameEmail('ana@x.org', 'ana@y.org')).toBe(false);
    expect(sameMobile('+12025550101 ', '+12025550101')).toBe(true);
    expect(sameMobile(' ', undefined)).toBe(true);
    expect(sameMobile('+12025550101', '+12025550102')).toBe(false);
  });

  it('a person has a contact key only with a login', () => {
    expect(hasLogin({ email: null, mobilePhone: null })).toBe(false);
    expect(hasLogin({ email: 'a@x.org', mobilePhone: null })).toBe(true);
    expect(hasLogin({ email: null, mobilePhone: '+12025550101' })).toBe(true);
  });

  it('an account shares a login when its email or its mobile is one of the key', () => {
    const key = { email: 'ana@x.org', mobilePhone: '+12025550101' };
    expect(sharesLogin({ email: 'ANA@x.org', mobilePhone: null }, key)).toBe(true);
    expect(sharesLogin({ email: 'other@x.org', mobilePhone: '+12025550101' }, key)).toBe(true);
    expect(sharesLogin({ email: 'other@x.org', mobilePhone: '+12025550102' }, key)).toBe(false);
    // Nothing is shared through a blank: an account without email shares none with a key without email.
    expect(sharesLogin({ email: null, mobilePhone: '+12025550102' }, { email: null, mobilePhone: '+12025550101' })).toBe(false);
  });
});

describe('names', () => {
  it('fold letter case, not accents; NFD stored text equals NFC file text', () => {
    expect(sameName('ANA', 'ana')).toBe(true);
    expect(sameName('José', 'Jose')).toBe(false);
    expect(sameName('José'.normalize('NFD'), 'JOSÉ')).toBe(true);
  });
});

describe('contact keys compared field by field', () => {
  const ana: ContactFields = { firstName: 'Ana', lastName: 'Garcia', email: 'ana@x.org', mobilePhone: '+12025550101' };

  it('people without a login are never equal, not even to themselves', () => {
    const none: ContactFields = { ...ana, email: null, mobilePhone: null };
    expect(sameContactKey(none, none)).toBe(false);
    expect(hasContactKey(none, none)).toBe(false);
    expect(sameContact(none, none)).toBe(false);
  });

  it('an account as stored (logins in any letter case, untrimmed) has the key of a guardian whose logins are folded', () => {
    const stored: ContactFields = { firstName: 'ANA', lastName: 'garcia', email: ' Ana@X.org', mobilePhone: '+12025550101' };
    expect(hasContactKey(stored, ana)).toBe(true);
    expect(hasContactKey({ ...stored, mobilePhone: null }, ana)).toBe(false);
    expect(hasContactKey(stored, { ...ana, mobilePhone: null })).toBe(false);
  });

  it('folded logins are compared as they are: folding one again may change it', () => {
    // 'J\u030C' lower-cases to 'j\u030C', which NFC composes to '\u01F0' when folded again.
    const once = folded({ ...ana, email: 'J\u030Cx@x.org' });
    expect(once.email).toBe('j\u030Cx@x.org');
    expect(sameContactKey(once, once)).toBe(true);
    expect(sameContactKey(once, { ...once, email: '\u01F0x@x.org' })).toBe(false);
  });

  const fieldsArb = fc.record({
    firstName: fc.constantFrom('Ana', 'ANA', 'José', 'Jose', 'Jos\u0065\u0301', 'Ana M'),
    lastName: fc.constantFrom('Garcia', 'GARCIA', 'M Garcia'),
    email: fc.constantFrom(null, '', ' ', 'ana@x.org', 'Ana@X.org ', 'josé@x.org', 'JOSÉ@x.org'),
    mobilePhone: fc.constantFrom(null, '', '+12025550101', ' +12025550101', '+12025550102'),
  });

  test.prop([fieldsArb, fieldsArb])('every comparison agrees with the key strings', (a, b) => {
    const equalKeys = contactKey(a) !== null && contactKey(a) === contactKey(b);
    expect(sameContact(a, b)).toBe(equalKeys);
    expect(hasContactKey(a, folded(b))).toBe(equalKeys);
    expect(sameContactKey(folded(a), folded(b))).toBe(equalKeys);
    expect(sameEmail(a.email, b.email)).toBe(emailKey(a.email) === emailKey(b.email));
    expect(sameMobile(a.mobilePhone, b.mobilePhone)).toBe(mobileKey(a.mobilePhone) === mobileKey(b.mobilePhone));
  });
});
