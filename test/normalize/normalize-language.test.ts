import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { normalizeLanguage } from '../../src/normalize/normalize-language.js';
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

describe('normalizeLanguage', () => {
  it.each(EXAMPLES)('reads %j as %j', (text, tag) => {
    expect(normalizeLanguage(text)).toEqual({ value: tag, invalid: false });
  });

  it.each([['xx'], ['Klingon'], ['und'], ['es-XX'], ['12'], ['Creole']])('reports %j as unknown', (text) => {
    expect(normalizeLanguage(text)).toEqual({ value: null, invalid: true });
  });

  it('refuses a very long value without trying names', () => {
    expect(normalizeLanguage('Spanish '.repeat(20))).toEqual({ value: null, invalid: true });
  });

  it('treats blank as absent, not unknown', () => {
    expect(normalizeLanguage('  ')).toEqual({ value: null, invalid: false });
  });

  test.prop([fc.oneof(fc.constantFrom(...EXAMPLES.map(([text]) => text)), cellText, fc.string({ minLength: 2, maxLength: 3, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz') }))])(
    'is idempotent: a stored tag reads back as itself',
    (text) => {
      const once = normalizeLanguage(text);
      if (once.value !== null) expect(normalizeLanguage(once.value)).toEqual(once);
    },
  );
});
