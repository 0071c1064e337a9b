import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../src/normalize/normalize-name.js';
import { cellText } from '../arbitraries/guardian-csv.js';

describe('normalizeName', () => {
  it('returns already-normal ASCII unchanged', () => {
    expect(normalizeName('Mary Ann')).toBe('Mary Ann');
    expect(normalizeName("O'Brien-Smith")).toBe("O'Brien-Smith");
  });

  it('composes NFD names to NFC, so they equal the stored NFC form', () => {
    const nfd = 'Jose\u0301 Nu\u0301n\u0303ez';
    expect(nfd).not.toBe('José Núñez');
    expect(normalizeName(nfd)).toBe('José Núñez');
  });

  it('removes zero-width space, word joiner, BOM and soft hyphen inside names', () => {
    expect(normalizeName('An\u200Bn')).toBe('Ann');
    expect(normalizeName('\uFEFFAnn\u2060')).toBe('Ann');
    expect(normalizeName('Mül\u00ADler')).toBe('Müller');
  });

  it('collapses runs of whitespace, NBSP included, and trims', () => {
    expect(normalizeName('  Mary\u00A0\u00A0Ann \t Lee\n')).toBe('Mary Ann Lee');
    expect(normalizeName('\u3000Ann\u2003Lee ')).toBe('Ann Lee');
  });

  it('keeps formula-looking names as text (escaping is the report\'s job)', () => {
    expect(normalizeName('=HYPERLINK("http://x")')).toBe('=HYPERLINK("http://x")');
  });

  test.prop([cellText])('is idempotent', (text) => {
    const once = normalizeName(text);
    expect(normalizeName(once)).toBe(once);
  });

  test.prop([cellText])('NFD and NFC forms of a name normalize equal', (text) => {
    expect(normalizeName(text.normalize('NFD'))).toBe(normalizeName(text.normalize('NFC')));
  });

  test.prop([cellText])('never leaves invisible characters, double spaces or outer whitespace', (text) => {
    const name = normalizeName(text);
    expect(name).not.toMatch(/[\u200B\u2060\uFEFF\u00AD]|\s\s|^\s|\s$/);
    expect(name).toBe(name.normalize('NFC'));
  });
});
