// The NANP fast path of normalizePhone remembers libphonenumber's validity per 7-digit
// prefix (NANP_VALIDITY_PREFIX_DIGITS). That is exact only if no pattern libphonenumber uses
// to judge a +1 number looks past the seventh digit. This file checks it against the
// installed metadata, so a libphonenumber-js update that breaks it fails here instead of
// letting the fast path answer wrongly.
//
// What libphonenumber reads for a +1 number of ten digits: the `leadingDigits` of each NANP
// country (matched at the start, to pick the country) and, for the country it picks, its
// national number pattern and its number type patterns (all matched entirely). A pattern
// matched entirely on ten digits whose alternatives all end in at least three digits that
// are free (`\d{3}`) decides nothing from those digits; a pattern matched at the start
// decides nothing past its longest match.
import { getCountries, getCountryCallingCode, Metadata } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { NANP_VALIDITY_PREFIX_DIGITS } from '../../src/normalize/normalize-phone.js';

type Atom =
  | { readonly kind: 'digit'; readonly min: number; readonly max: number } // \d
  | { readonly kind: 'fixed'; readonly min: number; readonly max: number } // a literal or a class: one character, constrained
  | { readonly kind: 'group'; readonly alternatives: Atom[][]; readonly min: number; readonly max: number };

/**
 * Parses the regular expression subset libphonenumber's metadata uses: digits, `\d`,
 * classes, groups, alternation, quantifiers. Anything else (anchors, look-arounds, `.`)
 * throws, so a pattern this check cannot read fails the test rather than passing it.
 */
function parsePattern(source: string): Atom[][] {
  let at = 0;
  function quantifier(): { min: number; max: number } {
    const c = source[at];
    if (c === '?') return (at++, { min: 0, max: 1 });
    if (c === '*') return (at++, { min: 0, max: Infinity });
    if (c === '+') return (at++, { min: 1, max: Infinity });
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
      if (m === null) throw new Error(`unreadable quantifier at ${at} in ${source}`);
      at += m[0].length;
      const min = Number(m[1]);
      return { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    }
    return { min: 1, max: 1 };
  }
  function alternatives(): Atom[][] {
    const result: Atom[][] = [[]];
    while (at < source.length && source[at] !== ')') {
      const c = source[at] ?? '';
      if (c === '|') {
        at++;
        result.push([]);
        continue;
      }
      let atom: Atom;
      if (c === '\\' && source[at + 1] === 'd') {
        at += 2;
        atom = { kind: 'digit', ...quantifier() };
      } else if (/\d/.test(c)) {
        at++;
        atom = { kind: 'fixed', ...quantifier() };
      } else if (c === '[') {
        const end = source.indexOf(']', at);
        if (end < 0 || !/^\[[\d-]+\]$/.test(source.slice(at, end + 1))) throw new Error(`unreadable class at ${at} in ${source}`);
        at = end + 1;
        atom = { kind: 'fixed', ...quantifier() };
      } else if (c === '(') {
        at += source.startsWith('(?:', at) ? 3 : 1;
        if (source[at] === '?') throw new Error(`look-around at ${at} in ${source}`);
        const inner = alternatives();
        if (source[at] !== ')') throw new Error(`unclosed group in ${source}`);
        at++;
        atom = { kind: 'group', alternatives: inner, ...quantifier() };
      } else {
        throw new Error(`unexpected ${JSON.stringify(c)} at ${at} in ${source}`);
      }
      result[result.length - 1]?.push(atom);
    }
    return result;
  }
  const parsed = alternatives();
  if (at !== source.length) throw new Error(`unbalanced ) in ${source}`);
  return parsed;
}

/**
 * How many trailing characters every match leaves free (any digit): a lower bound. A
 * sequence `S \d{k}` leaves k; `S (A|B) \d{k}` leaves k plus the least that A and B leave.
 */
function freeTail(alternatives: readonly (readonly Atom[])[]): number {
  let least = Infinity;
  for (const sequence of alternatives) {
    let tail = 0;
    for (let i = sequence.length - 1; i >= 0; i--) {
      const atom = sequence[i];
      if (atom?.kind === 'digit') {
        tail += atom.min;
        if (atom.min === atom.max) continue;
      } else if (atom?.kind === 'group' && atom.min === 1 && atom.max === 1) {
        tail += freeTail(atom.alternatives);
      }
      break;
    }
    least = Math.min(least, tail);
  }
  return least;
}

/** The longest text a pattern can match. */
function longestMatch(alternatives: readonly (readonly Atom[])[]): number {
  let longest = 0;
  for (const sequence of alternatives) {
    let length = 0;
    for (const atom of sequence) length += atom.max * (atom.kind === 'group' ? longestMatch(atom.alternatives) : 1);
    longest = Math.max(longest, length);
  }
  return longest;
}

// Undocumented parts of libphonenumber-js's Metadata class, typed by what is read here. The
// compressed metadata has 0 where a value is absent, and libphonenumber tests truthiness.
interface NumberingPlanPatterns {
  nationalNumberPattern(): string;
  leadingDigits(): string | 0 | undefined;
  possibleLengths(): number[];
  type(type: string): { pattern(): string | 0 | undefined } | undefined;
}
const present = (pattern: string | 0 | undefined): pattern is string => typeof pattern === 'string' && pattern !== '';
const TYPES = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'PERSONAL_NUMBER', 'VOICEMAIL', 'UAN', 'PAGER', 'VOIP', 'SHARED_COST'];
const NANP_COUNTRIES = getCountries().filter((country) => getCountryCallingCode(country) === '1');

describe('libphonenumber judges a NANP number by its first NANP_VALIDITY_PREFIX_DIGITS digits', () => {
  it('reads the patterns it has to (the check of the check)', () => {
    expect(freeTail(parsePattern('983[2-57-9]\\d{6}|(?:2(?:0[1-35-9]|1[02-9])|3(?:0[1-57-9]))[2-9]\\d{6}'))).toBe(6);
    expect(freeTail(parsePattern('246521[0369]\\d{3}|246(?:2(?:2[78]|7[0-4]))\\d{4}'))).toBe(3);
    expect(freeTail(parsePattern('246(?:(?:2(?:[3568]\\d|4[0-57-9]))\\d|52(?:1[147]|20))\\d{3}'))).toBe(3);
    expect(freeTail(parsePattern('52(?:3\\d)\\d{4}|5(?:00)[2-9]\\d{6}'))).toBe(5);
    expect(freeTail(parsePattern('(?:2\\d|3)\\d{1,2}'))).toBe(1);
    expect(freeTail(parsePattern('2\\d{6}5'))).toBe(0);
    expect(longestMatch(parsePattern('8001|8[024]9'))).toBe(4);
    expect(longestMatch(parsePattern('268(?:4\\d)?'))).toBe(5);
    expect(() => parsePattern('([457]\\d{6})$|1')).toThrow(/unexpected "\$"/);
    expect(() => parsePattern('(?=2)\\d')).toThrow(/look-around/);
  });

  it('no NANP pattern decides anything past the prefix the fast path remembers', () => {
    expect(NANP_COUNTRIES).toContain('US');
    expect(NANP_COUNTRIES.length).toBeGreaterThan(20);
    const metadata = new Metadata();
    const deepest: string[] = [];
    let checked = 0;
    for (const country of NANP_COUNTRIES) {
      metadata.selectNumberingPlan(country);
      const plan = metadata.numberingPlan as unknown as NumberingPlanPatterns;
      expect(plan.possibleLengths(), country).toContain(10);
      const leading = plan.leadingDigits();
      if (present(leading)) {
        expect(longestMatch(parsePattern(leading)), `${country} leading digits ${leading}`).toBeLessThanOrEqual(NANP_VALIDITY_PREFIX_DIGITS);
        checked++;
      }
      const patterns = [plan.nationalNumberPattern(), ...TYPES.map((type) => plan.type(type)?.pattern())].filter(present);
      for (const pattern of patterns) {
        const decided = 10 - freeTail(parsePattern(pattern));
        expect(decided, `${country}: ${pattern}`).toBeLessThanOrEqual(NANP_VALIDITY_PREFIX_DIGITS);
        if (decided === NANP_VALIDITY_PREFIX_DIGITS) deepest.push(country);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    // The prefix is no longer than it must be: some patterns do read the seventh digit
    // (Barbados 246-521-x, Jamaica 876-606-0), so six would not be enough.
    expect(deepest).toEqual(expect.arrayContaining(['BB', 'JM']));
  });
});
