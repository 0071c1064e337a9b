import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { normalizePhone, normalizePhoneWithLibrary, normalizePlainNanp } from '../../src/normalize/normalize-phone.js';
import { cellText } from '../arbitraries/guardian-csv.js';

describe('normalizePhone', () => {
  it.each([
    ['(202) 555-0143'],
    ['202.555.0143'],
    ['202-555-0143'],
    ['2025550143'],
    ['+1 202 555 0143'],
    ['+1 (202) 555-0143'],
    ['1-202-555-0143'],
    ['\u00A0202 555 0143\u200B'],
  ])('normalizes %j to E.164 under region US', (text) => {
    expect(normalizePhone(text, 'US')).toEqual({ value: '+12025550143', invalid: false });
  });

  it('keeps the extension apart from the E.164 number', () => {
    expect(normalizePhone('202-555-0143 ext. 12', 'US')).toEqual({ value: '+12025550143', invalid: false, extension: '12' });
    expect(normalizePhone('(202) 555-0143 x7', 'US')).toEqual({ value: '+12025550143', invalid: false, extension: '7' });
  });

  it('refuses 7-digit numbers: not a possible number without the area code', () => {
    expect(normalizePhone('555-0143', 'US')).toEqual({ value: null, invalid: true });
  });

  it('never extracts digits out of words (1-800-FLOWERS, +1 (800) FLOWERS)', () => {
    expect(normalizePhone('1-800-FLOWERS', 'US')).toEqual({ value: null, invalid: true });
    expect(normalizePhone('+1 (800) FLOWERS', 'US')).toEqual({ value: null, invalid: true });
    expect(normalizePhone('call 202-555-0143 after 5', 'US')).toEqual({ value: null, invalid: true });
  });

  it('reads a UK number without + by the default region: valid under GB, invalid under US', () => {
    expect(normalizePhone('020 7946 0018', 'GB')).toEqual({ value: '+442079460018', invalid: false });
    expect(normalizePhone('020 7946 0018', 'US')).toEqual({ value: null, invalid: true });
    expect(normalizePhone('+44 20 7946 0018', 'US')).toEqual({ value: '+442079460018', invalid: false });
  });

  it('treats blank as absent, not invalid', () => {
    expect(normalizePhone('', 'US')).toEqual({ value: null, invalid: false });
    expect(normalizePhone('  ', 'US')).toEqual({ value: null, invalid: false });
  });

  it('refuses an unknown default region as a configuration error', () => {
    let caught: unknown;
    try {
      normalizePhone('202-555-0143', 'XX');
    } catch (error) {
      caught = error;
    }
    expect(isGuardianSyncError(caught) && caught.code).toBe('INVALID_CONFIGURATION');
  });

  it('gives the same answer from the cache as the first time', () => {
    const first = normalizePhone('+44 7700 900123', 'US');
    expect(normalizePhone('+44 7700 900123', 'US')).toEqual(first);
    expect(first.value).toBe('+447700900123');
  });

  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
  const separator = fc.constantFrom('', ' ', '-', '.', '  ', '/');
  const nanpLike = fc
    .tuple(fc.constantFrom('', '+1', '1', '+1 ', '1-', '+ 1', '+11'), digits(3), digits(3), digits(4), separator, separator, fc.boolean(), fc.constantFrom('', ' x12', ' ext. 3'))
    .map(([prefix, area, exchange, line, s1, s2, parens, ext]) => `${prefix}${parens ? `(${area})` : area}${s1}${exchange}${s2}${line}${ext}`);

  test.prop([nanpLike, fc.constantFrom('US', 'CA', 'GB', 'DE')])('the NANP fast path returns exactly what libphonenumber-js returns', (text, region) => {
    expect(normalizePhone(text, region)).toEqual(normalizePhoneWithLibrary(text, region));
  });

  test.prop([nanpLike, fc.constantFrom('US', 'CA', 'GB')])('whenever the fast path answers, libphonenumber-js agrees', (text, region) => {
    const fast = normalizePlainNanp(text, region);
    if (fast !== undefined) expect(normalizePhoneWithLibrary(text, region)).toEqual({ value: fast, invalid: false });
  });

  test.prop([fc.oneof(nanpLike, cellText), fc.constantFrom('US', 'GB', 'FR')])('is idempotent', (text, region) => {
    const once = normalizePhone(text, region);
    if (once.value !== null) expect(normalizePhone(once.value, region).value).toBe(once.value);
  });
});
