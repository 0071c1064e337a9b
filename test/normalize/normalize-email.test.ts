import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/normalize/normalize-email.js';
import { PLACEHOLDER_EMAIL_DOMAINS, PLACEHOLDER_EMAIL_LOCAL_PARTS } from '../../src/normalize/placeholder-values.js';
import { stripInvisible } from '../../src/normalize/invisible-characters.js';
import { cellText } from '../arbitraries/guardian-csv.js';

describe('normalizeEmail', () => {
  it('lower-cases, so emails differing only in case are equal', () => {
    expect(normalizeEmail('Ann.Lee@Example.ORG')).toEqual({ value: 'ann.lee@example.org', invalid: false });
    expect(normalizeEmail('ann.lee@example.org').value).toBe(normalizeEmail('ANN.LEE@EXAMPLE.ORG').value);
  });

  it('reports an email without @ as invalid (treated as absent)', () => {
    expect(normalizeEmail('ann.example.org')).toEqual({ value: null, invalid: true });
  });

  it('treats blank as absent, not invalid', () => {
    expect(normalizeEmail('')).toEqual({ value: null, invalid: false });
    expect(normalizeEmail(' \u00A0 ')).toEqual({ value: null, invalid: false });
  });

  it('removes a zero-width space inside and NBSP around an email', () => {
    expect(normalizeEmail('\u00A0ann\u200B@example.org\u00A0').value).toBe('ann@example.org');
  });

  it('refuses an NBSP or space in the middle of an address', () => {
    expect(normalizeEmail('ann lee@example.org').invalid).toBe(true);
    expect(normalizeEmail('ann\u00A0lee@example.org').invalid).toBe(true);
  });

  it('refuses other broken addresses', () => {
    for (const bad of ['ann@', '@example.org', 'ann@example', 'ann@@example.org', 'ann..lee@example.org', '=HYPERLINK("x")@a.org']) {
      expect(normalizeEmail(bad).invalid, bad).toBe(true);
    }
  });

  it.each([
    ['none@none.com'],
    ['NONE@NONE.COM'],
    ['noemail@gmail.com'],
    ['no.email@district.org'],
    ['No-Email@yahoo.com'],
    ['no_email@school.k12.us'],
    ['na@na.com'],
    ['no@email.com'],
    ['test@test.com'],
    ['donotreply@district.org'],
    ['unknown@unknown.com'],
    ['maria.lopez@noemail.com'],
    ['ann@test.com'],
    ['n/a'],
    ['N/A'],
    ['none'],
    ['no email'],
    ['-'],
  ])('issue 19 item 2: the placeholder email %j is invalid', (text) => {
    expect(normalizeEmail(text)).toEqual({ value: null, invalid: true });
  });

  it('issue 19 item 2: addresses that only begin like a placeholder are real addresses', () => {
    for (const text of ['no.one@example.org', 'nadia.a@example.org', 'test.parent@example.org', 'nonet@example.org', 'ann@sub.none.com', 'ann@email.com']) {
      expect(normalizeEmail(text), text).toEqual({ value: text, invalid: false });
    }
  });

  test.prop([fc.constantFrom(...PLACEHOLDER_EMAIL_LOCAL_PARTS), fc.constantFrom('gmail.com', 'district.k12.us', ...PLACEHOLDER_EMAIL_DOMAINS)])(
    'issue 19 item 2: every documented placeholder local part is refused at any domain',
    (local, domain) => {
      expect(normalizeEmail(`${local}@${domain}`)).toEqual({ value: null, invalid: true });
    },
  );

  test.prop([fc.emailAddress(), fc.constantFrom(...PLACEHOLDER_EMAIL_DOMAINS)])('issue 19 item 2: every documented placeholder domain is refused', (address, domain) => {
    const local = address.slice(0, address.lastIndexOf('@'));
    expect(normalizeEmail(`${local}@${domain}`).value).toBeNull();
  });

  test.prop([fc.oneof(cellText, fc.emailAddress())])('is idempotent', (text) => {
    const once = normalizeEmail(text);
    if (once.value !== null) expect(normalizeEmail(once.value)).toEqual(once);
    else expect(once.invalid).toBe(stripInvisible(text).trim() !== '');
  });

  test.prop([fc.emailAddress()])('accepts ordinary addresses, whatever their case', (address) => {
    const lower = normalizeEmail(address.toLowerCase());
    const upper = normalizeEmail(address.toUpperCase());
    expect(upper.value).toBe(lower.value);
  });
});
