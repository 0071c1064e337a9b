import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/normalize/normalize-email.js';
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
