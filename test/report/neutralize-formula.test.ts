import { test } from '@fast-check/vitest';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { FORMULA_TRIGGERS, isFormulaLike, neutralizeFormula } from '../../src/report/neutralize-formula.js';
import { hostileText } from '../arbitraries/sync-report.js';
import { FORMULA_PAYLOADS } from './report-fixtures.js';

describe('neutralizeFormula', () => {
  it.each(FORMULA_PAYLOADS.map((p) => [JSON.stringify(p), p]))('prefixes an apostrophe to %s', (_, payload) => {
    expect(neutralizeFormula(payload)).toBe(`'${payload}`);
  });

  it('leaves ordinary cells alone, including a trigger that is not first', () => {
    for (const cell of ['', 'María José', 'a=b', ' =1+1', '1-800-FLOWERS', "'=already", '202-555-0143']) {
      expect(neutralizeFormula(cell)).toBe(cell);
    }
  });

  it('covers the ASCII and full-width triggers of RELIABILITY.md', () => {
    expect([...FORMULA_TRIGGERS].sort()).toEqual(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'].sort());
  });

  test.prop([hostileText])('the result never starts with a trigger and keeps the text after the mark', (cell) => {
    const out = neutralizeFormula(cell);
    expect(isFormulaLike(out)).toBe(false);
    expect(out === cell || out === `'${cell}`).toBe(true);
    expect(out !== cell).toBe(isFormulaLike(cell));
  });

  test.prop([hostileText])('agrees with csv-stringify escape_formulas on every string cell', (cell) => {
    const csv = stringify([[cell]], { escape_formulas: true, quote_record_delimiter: true, record_delimiter: 'windows' });
    const [[back]] = parse(csv, { record_delimiter: '\r\n', relax_column_count: true }) as string[][] as [[string]];
    expect(back).toBe(neutralizeFormula(cell));
  });
});
