import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { normalizePhone, normalizePhoneWithLibrary, normalizePlainNanp } from '../../src/normalize/normalize-phone.js';
import { isPlaceholderPhoneDigits } from '../../src/normalize/placeholder-values.js';
import { cellText } from '../arbitraries/guardian-csv.js';

const INVALID = { value: null, invalid: true };

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
    expect(normalizePhone('555-0143', 'US')).toEqual(INVALID);
  });

  it('never extracts digits out of words (1-800-FLOWERS, +1 (800) FLOWERS)', () => {
    expect(normalizePhone('1-800-FLOWERS', 'US')).toEqual(INVALID);
    expect(normalizePhone('+1 (800) FLOWERS', 'US')).toEqual(INVALID);
    expect(normalizePhone('call 202-555-0143 after 5', 'US')).toEqual(INVALID);
  });

  it('reads a UK number without + by the default region: valid under GB, invalid under US', () => {
    expect(normalizePhone('020 7946 0018', 'GB')).toEqual({ value: '+442079460018', invalid: false });
    expect(normalizePhone('020 7946 0018', 'US')).toEqual(INVALID);
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
    const first = normalizePhone('+44 7400 123456', 'US');
    expect(normalizePhone('+44 7400 123456', 'US')).toEqual(first);
    expect(first.value).toBe('+447400123456');
  });

  it.each([
    ['000-000-0000'],
    ['555-555-5555'],
    ['999-999-9999'],
    ['123-456-7890'],
    ['111-111-1111'],
    ['2.02555E+9'],
    ['2.02555E+09'],
    ['(555) 555-5555'],
    ['+1 888 888 8888'],
    ['234-567-8901'],
    ['987-654-3210'],
  ])('issue 19 item 2: the placeholder phone %j is invalid, on the fast path and in libphonenumber alike', (text) => {
    expect(normalizePhone(text, 'US')).toEqual(INVALID);
    expect(normalizePhoneWithLibrary(text, 'US')).toEqual(INVALID);
  });

  it('issue 19 item 2: numbers of the right length that no numbering plan has are invalid (validity, not possibility)', () => {
    // N11 area code, exchanges starting 0 or 1, an unassigned area code; each is a possible number.
    for (const text of ['(211) 555-0143', '(202) 055-0143', '(202) 155-0143', '(999) 555-0143', '+1 555 201 0143']) {
      expect(normalizePhone(text, 'US'), text).toEqual(INVALID);
    }
    // Ofcom's numbers for drama are possible but unassigned; a real mobile range is valid.
    expect(normalizePhone('+44 7700 900123', 'US')).toEqual(INVALID);
    expect(normalizePhone('07400 123456', 'GB')).toEqual({ value: '+447400123456', invalid: false });
  });

  it('issue 19 item 2: a placeholder is refused in any numbering plan, a valid number of the same plan is not', () => {
    expect(normalizePhone('+44 7777 777777', 'US')).toEqual(INVALID);
    expect(normalizePhone('01234 567890', 'GB')).toEqual(INVALID);
    expect(normalizePhone('(202) 222-2222', 'US')).toEqual({ value: '+12022222222', invalid: false });
    expect(normalizePhone('(876) 606-0123', 'US')).toEqual({ value: '+18766060123', invalid: false });
  });

  it.each([
    ['+52 1 55 1234 5678', '+525512345678'],
    ['+5215512345678', '+525512345678'],
    ['+52 (1) 55 1234 5678', '+525512345678'],
    ['+52 1 33 1234 5678', '+523312345678'],
    ['+52 1 222 123 4567', '+522221234567'],
    ['+52 55 1234 5678', '+525512345678'],
  ])('issue 19 item 12: the Mexican mobile %j is stored as %j', (text, e164) => {
    expect(normalizePhone(text, 'US')).toEqual({ value: e164, invalid: false });
  });

  it('issue 19 item 12: the legacy Mexican mobile 1 is dropped under region MX too, and keeps an extension', () => {
    expect(normalizePhone('1 55 1234 5678', 'MX')).toEqual({ value: '+525512345678', invalid: false });
    expect(normalizePhone('+52 1 55 1234 5678 ext. 9', 'US')).toEqual({ value: '+525512345678', invalid: false, extension: '9' });
    // Only when what is left is a valid Mexican number.
    expect(normalizePhone('+52 1 00 1234 5678', 'US')).toEqual(INVALID);
    expect(normalizePhone('+52 1 55 1234 567', 'US')).toEqual(INVALID);
  });

  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
  // Area codes and exchanges libphonenumber treats differently: real US, Canadian and
  // Caribbean area codes, the Barbados and Jamaica prefixes where the seventh digit
  // matters, 555, N11, toll-free, codes starting 0 or 1, and any three digits.
  const areaCode = fc.oneof(
    fc.constantFrom('202', '212', '305', '505', '416', '604', '246', '876', '264', '787', '809', '800', '888', '900', '555', '523', '524'),
    fc.integer({ min: 2, max: 9 }).map((n) => `${n}11`),
    fc.tuple(fc.constantFrom('0', '1'), digits(2)).map(([a, b]) => a + b),
    digits(3),
  );
  const exchange = fc.oneof(
    fc.constantFrom('555', '521', '606', '200', '911', '234', '456', '320', '640'),
    fc.integer({ min: 2, max: 9 }).map((n) => `${n}11`),
    fc.tuple(fc.constantFrom('0', '1'), digits(2)).map(([a, b]) => a + b),
    digits(3),
  );
  const lineNumber = fc.oneof(fc.constantFrom('0143', '5555', '0000', '7890', '1234', '9999'), digits(4));
  const separator = fc.constantFrom('', ' ', '-', '.', '  ', '/');
  const nanpLike = fc
    .tuple(fc.constantFrom('', '+1', '1', '+1 ', '1-', '+ 1', '+11'), areaCode, exchange, lineNumber, separator, separator, fc.boolean(), fc.constantFrom('', '', '', ' x12', ' ext. 3'))
    .map(([prefix, area, exch, line, s1, s2, parens, ext]) => `${prefix}${parens ? `(${area})` : area}${s1}${exch}${s2}${line}${ext}`);

  test.prop([nanpLike, fc.constantFrom('US', 'CA', 'GB', 'DE')], { numRuns: 1000 })(
    'issue 19 item 2: the NANP fast path returns exactly what libphonenumber-js returns (555, N11, 0/1-leading codes included)',
    (text, region) => {
      expect(normalizePhone(text, region)).toEqual(normalizePhoneWithLibrary(text, region));
    },
  );

  test.prop([nanpLike, fc.constantFrom('US', 'CA', 'GB')], { numRuns: 500 })('whenever the fast path answers, libphonenumber-js agrees', (text, region) => {
    const fast = normalizePlainNanp(text, region);
    if (fast !== undefined) expect(normalizePhoneWithLibrary(text, region)).toEqual(fast);
  });

  // The fast path remembers libphonenumber's answer by the first four digits, or seven under
  // the Caribbean area codes and a few others: numbers sharing an area code but not the
  // digits after must still get libphonenumber's answer each, also where the seventh digit
  // decides (Barbados 246-521-x, Jamaica 876-606-x).
  const sharedPrefixes = fc.tuple(
    fc.oneof(fc.constantFrom('246', '876', '809', '268', '800', '202', '523'), areaCode),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom('521', '520', '606', '600', '140', '200'), exchange), digits(10 - 6)), { minLength: 2, maxLength: 8 }),
  );
  test.prop([sharedPrefixes], { numRuns: 500 })("numbers sharing a prefix each get libphonenumber-js's own answer", ([area, rest]) => {
    for (const [exch, line] of rest) {
      const text = `(${area}) ${exch}-${line}`;
      expect(normalizePhone(text, 'US'), text).toEqual(normalizePhoneWithLibrary(text, 'US'));
    }
  });

  test.prop([digit, fc.integer({ min: 7, max: 12 }), fc.constantFrom('', '+1 ', '+44 ', '+52 ', '+61 ')])(
    'a number of one repeated digit is never a phone, whatever its plan',
    (d, length, prefix) => {
      const text = `${prefix}${d.repeat(length)}`;
      expect(normalizePhone(text, 'US')).toEqual(INVALID);
      expect(isPlaceholderPhoneDigits(d.repeat(length))).toBe(true);
    },
  );

  test.prop([fc.oneof(nanpLike, cellText), fc.constantFrom('US', 'GB', 'FR', 'MX')])('is idempotent', (text, region) => {
    const once = normalizePhone(text, region);
    if (once.value !== null) expect(normalizePhone(once.value, region).value).toBe(once.value);
  });
});
