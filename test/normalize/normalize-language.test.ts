import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { NO_LANGUAGE_VALUES, normalizeLanguage } from '../../src/normalize/normalize-language.js';
import { cellText } from '../arbitraries/guardian-csv.js';

const EXAMPLES: readonly (readonly [string, string])[] = [
  ['es', 'es'],
  ['ES', 'es'],
  ['spa', 'es'],
  ['chi', 'zh'],
  ['ger', 'de'],
  ['fre', 'fr'],
  ['zh-hant', 'zh-Hant'],
  ['zh_TW', 'zh-TW'],
  ['es-mx', 'es-MX'],
  ['pt-br', 'pt-BR'],
  ['Spanish', 'es'],
  ['spanish', 'es'],
  ['Español', 'es'],
  ['Espanol', 'es'],
  ['Chinese (Traditional)', 'zh-Hant'],
  ['Traditional Chinese', 'zh-Hant'],
  ['Simplified Chinese', 'zh-Hans'],
  ['Mandarin', 'zh'],
  ['Cantonese', 'yue'],
  ['Haitian Creole', 'ht'],
  ['Vietnamese', 'vi'],
  ['Tiếng Việt', 'vi'],
  ['العربية', 'ar'],
  ['Somali', 'so'],
  ['Hmong', 'hmn'],
  ['Tagalog', 'fil'],
  ['Farsi', 'fa'],
  ['Portuguese (Brazil)', 'pt-BR'],
  [' English ', 'en'],
];

// Issue 19 item 12: language values as SIS exports (CALPADS, PowerSchool, Infinite Campus…) write them.
const SIS_SPELLINGS: readonly (readonly [string, string])[] = [
  ['Chinese (Mandarin)', 'zh'],
  ['Chinese (Cantonese)', 'yue'],
  ['Chinese, Cantonese', 'yue'],
  ['Mandarin (Putonghua)', 'zh'],
  ['Farsi/Persian', 'fa'],
  ['Farsi (Persian)', 'fa'],
  ['Spanish; Castilian', 'es'],
  ['Haitian Creole', 'ht'],
  ['Creole (Haitian)', 'ht'],
  ['Somali', 'so'],
  ['Hmong', 'hmn'],
  ['Vietnamese', 'vi'],
  ['Arabic', 'ar'],
  ['Portuguese (Brazil)', 'pt-BR'],
  ['Portuguese-Brazil', 'pt-BR'],
  ['Spanish (Mexico)', 'es-MX'],
  ['Khmer (Cambodian)', 'km'],
  ['Filipino (Pilipino or Tagalog)', 'fil'],
  ['Cebuano (Visayan)', 'ceb'],
  ['Chamorro (Guamanian)', 'ch'],
  ['Kurdish (Kurdi, Kurmanji)', 'ku'],
  ['Cape Verdean Creole', 'kea'],
  ['Ilocano', 'ilo'],
  ['Kirundi', 'rn'],
  ['Taiwanese', 'nan'],
  ['Sign Language', 'ase'],
];

describe('normalizeLanguage', () => {
  it.each(EXAMPLES)('reads %j as %j', (text, tag) => {
    expect(normalizeLanguage(text)).toEqual({ value: tag, invalid: false });
  });

  it.each(SIS_SPELLINGS)('issue 19 item 12: recognises the SIS spelling %j as %j', (text, tag) => {
    expect(normalizeLanguage(text)).toEqual({ value: tag, invalid: false });
  });

  it.each([['Other'], ['Declined to State'], ['Unknown'], ['None'], ['Not specified'], ['N/A'], ['OTHER'], ['declined to state'], ['Other non-English languages'], ['Prefer not to say'], ['und'], ['zxx']])(
    'issue 19 item 12: %j means no language, silently',
    (text) => {
      expect(normalizeLanguage(text)).toEqual({ value: null, invalid: false });
    },
  );

  it('issue 19 item 12: every documented "no language" value means no language', () => {
    for (const text of NO_LANGUAGE_VALUES) expect(normalizeLanguage(text), text).toEqual({ value: null, invalid: false });
  });

  it.each([['xx'], ['Klingon'], ['mul'], ['es-XX'], ['12'], ['Creole'], ['Englsh']])('reports %j as unknown', (text) => {
    expect(normalizeLanguage(text)).toEqual({ value: null, invalid: true });
  });

  it('reports a value naming two languages as unknown instead of picking one', () => {
    expect(normalizeLanguage('Spanish/English')).toEqual({ value: null, invalid: true });
    expect(normalizeLanguage('Serbo-Croatian (Bosnian, Croatian, Serbian)')).toEqual({ value: null, invalid: true });
  });

  it('refuses a very long value without trying names', () => {
    expect(normalizeLanguage('Spanish '.repeat(20))).toEqual({ value: null, invalid: true });
  });

  it('treats blank as absent, not unknown', () => {
    expect(normalizeLanguage('  ')).toEqual({ value: null, invalid: false });
  });

  test.prop([
    fc.oneof(
      fc.constantFrom(...EXAMPLES.map(([text]) => text), ...SIS_SPELLINGS.map(([text]) => text)),
      cellText,
      fc.string({ minLength: 2, maxLength: 3, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz') }),
    ),
  ])('is idempotent: a stored tag reads back as itself', (text) => {
    const once = normalizeLanguage(text);
    if (once.value !== null) expect(normalizeLanguage(once.value)).toEqual(once);
  });
});
