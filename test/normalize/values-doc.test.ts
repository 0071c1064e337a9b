// docs/file-format.md lists the placeholder values and the SIS language spellings for
// districts: each list is checked against the normalizers, so the page cannot drift from
// what is refused or recognised (issue 19 items 2 and 12).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NO_LANGUAGE_VALUES, normalizeLanguage } from '../../src/normalize/normalize-language.js';
import { normalizeEmail } from '../../src/normalize/normalize-email.js';
import { normalizePhone } from '../../src/normalize/normalize-phone.js';
import { PLACEHOLDER_EMAIL_DOMAINS, PLACEHOLDER_EMAIL_LOCAL_PARTS } from '../../src/normalize/placeholder-values.js';

const doc = readFileSync(new URL('../../docs/file-format.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('### Placeholder values and language spellings'), doc.indexOf('## Encoding'));
const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| field') && !line.startsWith('| written'));
/** The `code` spans of a table cell. */
const quoted = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
const cells = (row: string): string[] => row.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
const rowsOf = (first: string) => rows.filter((row) => cells(row)[0] === first);

describe('docs/file-format.md, placeholder values and language spellings', () => {
  it('names every placeholder email local part and domain, and each example is refused', () => {
    const [listed] = rowsOf('email');
    expect(listed).toBeDefined();
    for (const entry of [...PLACEHOLDER_EMAIL_LOCAL_PARTS, ...PLACEHOLDER_EMAIL_DOMAINS]) expect(quoted(listed ?? ''), entry).toContain(entry);
    for (const row of rowsOf('email')) {
      for (const example of quoted(cells(row)[1] ?? '').filter((q) => q.includes('@') || !/^[a-z]+(\.[a-z]+)?$/.test(q))) {
        expect(normalizeEmail(example.replace('…', 'example.org')), example).toEqual({ value: null, invalid: true });
      }
    }
  });

  it('every phone example is refused', () => {
    const examples = rowsOf('phone').flatMap((row) => quoted(cells(row)[1] ?? ''));
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) expect(normalizePhone(example, example.startsWith('0') ? 'GB' : 'US'), example).toEqual({ value: null, invalid: true });
  });

  it('every language spelling is stored as the table says', () => {
    let checked = 0;
    for (const row of rows.filter((r) => !['email', 'phone'].includes(cells(r)[0] ?? ''))) {
      const [written = '', stored = ''] = cells(row);
      const texts = quoted(written);
      if (stored.startsWith('no language')) {
        for (const value of NO_LANGUAGE_VALUES) expect(texts, value).toContain(value);
        for (const text of texts) expect(normalizeLanguage(text), text).toEqual({ value: null, invalid: false });
      } else if (stored.includes('UNKNOWN_LANGUAGE')) {
        for (const text of texts) expect(normalizeLanguage(text), text).toEqual({ value: null, invalid: true });
      } else {
        const tags = quoted(stored);
        expect(tags.length === 1 || tags.length === texts.length, row).toBe(true);
        texts.forEach((text, i) => expect(normalizeLanguage(text), text).toEqual({ value: tags.length === 1 ? tags[0] : tags[i], invalid: false }));
      }
      checked += texts.length;
    }
    expect(checked).toBeGreaterThan(40);
  });
});
