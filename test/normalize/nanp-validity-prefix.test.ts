// The NANP fast path of normalizePhone remembers libphonenumber's validity by the first four
// digits of a number, or by the first seven under NANP_AREA_CODES_READ_TO_SEVEN_DIGITS. That
// is exact only if libphonenumber never reads further. This file checks it against the
// installed metadata, so a libphonenumber-js update that changes it fails here instead of
// letting the fast path answer wrongly.
//
// What libphonenumber reads of a +1 number of ten digits: the `leadingDigits` of each NANP
// country (matched at the start, to pick the country) and, for the country it picks, its
// national number pattern and the patterns of its number types whose possible lengths
// include ten (all matched entirely). An alternative of a pattern matched entirely that
// ends in k free digits (`\d{k}`) decides nothing from those digits; a pattern matched at
// the start decides nothing past its longest match.
import { getCountries, getCountryCallingCode, Metadata } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { NANP_AREA_CODES_READ_TO_SEVEN_DIGITS } from '../../src/normalize/normalize-phone.js';

type Atom =
  /** A digit, `\d` or a class: one character of `chars`. */
  | { readonly kind: 'chars'; readonly chars: string; readonly min: number; readonly max: number }
  | { readonly kind: 'group'; readonly alternatives: Atom[][]; readonly min: number; readonly max: number };

const DIGITS = '0123456789';

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
  function characterClass(body: string): string {
    if (!/^(?:\d-\d|\d)+$/.test(body)) throw new Error(`unreadable class [${body}] in ${source}`);
    let chars = '';
    for (const [, from, to] of body.matchAll(/(\d)(?:-(\d))?/g)) {
      for (let d = Number(from); d <= Number(to ?? from); d++) chars += String(d);
    }
    return chars;
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
        atom = { kind: 'chars', chars: DIGITS, ...quantifier() };
      } else if (/\d/.test(c)) {
        at++;
        atom = { kind: 'chars', chars: c, ...quantifier() };
      } else if (c === '[') {
        const end = source.indexOf(']', at);
        if (end < 0) throw new Error(`unclosed class in ${source}`);
        const chars = characterClass(source.slice(at + 1, end));
        at = end + 1;
        atom = { kind: 'chars', chars, ...quantifier() };
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
      if (atom?.kind === 'chars' && atom.chars === DIGITS) {
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

/** Whether a sequence can match a text that starts with `prefix` (continuation style). */
function sequenceCanStart(sequence: readonly Atom[], i: number, prefix: string, at: number, next: (at: number) => boolean): boolean {
  if (at === prefix.length) return true;
  if (i === sequence.length) return next(at);
  const atom = sequence[i];
  if (atom === undefined) return false;
  const repeat = (count: number, from: number): boolean => {
    if (from === prefix.length) return true;
    if (count >= atom.min && sequenceCanStart(sequence, i + 1, prefix, from, next)) return true;
    return count < atom.max && atomCanStart(atom, prefix, from, (to) => to > from && repeat(count + 1, to));
  };
  return repeat(0, at);
}
function atomCanStart(atom: Atom, prefix: string, at: number, next: (at: number) => boolean): boolean {
  if (at === prefix.length) return true;
  if (atom.kind === 'chars') return atom.chars.includes(prefix[at] ?? '') && next(at + 1);
  return atom.alternatives.some((alternative) => sequenceCanStart(alternative, 0, prefix, at, next));
}
const canStart = (alternative: readonly Atom[], prefix: string): boolean => sequenceCanStart(alternative, 0, prefix, 0, () => false);

// Undocumented parts of libphonenumber-js's Metadata class, typed by what is read here. The
// compressed metadata has 0 where a value is absent, and libphonenumber tests truthiness.
interface NumberingPlanPatterns {
  nationalNumberPattern(): string;
  leadingDigits(): string | 0 | undefined;
  possibleLengths(): number[];
  type(type: string): { pattern(): string | 0 | undefined; possibleLengths(): number[] | 0 | undefined } | undefined;
}
const present = (pattern: string | 0 | undefined): pattern is string => typeof pattern === 'string' && pattern !== '';
const TYPES = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'PERSONAL_NUMBER', 'VOICEMAIL', 'UAN', 'PAGER', 'VOIP', 'SHARED_COST'];
const NANP_COUNTRIES = getCountries().filter((country) => getCountryCallingCode(country) === '1');
const AREA_CODES = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Every pattern libphonenumber matches entirely against a ten-digit +1 number, and the leading-digit ones. */
function nanpPatterns(): { entire: { country: string; pattern: string }[]; leading: { country: string; pattern: string }[] } {
  const metadata = new Metadata();
  const entire: { country: string; pattern: string }[] = [];
  const leading: { country: string; pattern: string }[] = [];
  for (const country of NANP_COUNTRIES) {
    metadata.selectNumberingPlan(country);
    const plan = metadata.numberingPlan as unknown as NumberingPlanPatterns;
    expect(plan.possibleLengths(), country).toContain(10);
    const leadingDigits = plan.leadingDigits();
    if (present(leadingDigits)) leading.push({ country, pattern: leadingDigits });
    entire.push({ country, pattern: plan.nationalNumberPattern() });
    for (const name of TYPES) {
      const type = plan.type(name);
      const lengths = type?.possibleLengths();
      // libphonenumber skips a type whose possible lengths leave ten out.
      if (type === undefined || (Array.isArray(lengths) && !lengths.includes(10))) continue;
      const pattern = type.pattern();
      if (present(pattern)) entire.push({ country, pattern });
    }
  }
  return { entire, leading };
}

describe('libphonenumber judges a NANP number by its first four digits, or seven under a few area codes', () => {
  it('reads the patterns it has to (the check of the check)', () => {
    expect(freeTail(parsePattern('983[2-57-9]\\d{6}|(?:2(?:0[1-35-9]|1[02-9])|3(?:0[1-57-9]))[2-9]\\d{6}'))).toBe(6);
    expect(freeTail(parsePattern('246521[0369]\\d{3}|246(?:2(?:2[78]|7[0-4]))\\d{4}'))).toBe(3);
    expect(freeTail(parsePattern('246(?:(?:2(?:[3568]\\d|4[0-57-9]))\\d|52(?:1[147]|20))\\d{3}'))).toBe(3);
    expect(freeTail(parsePattern('52(?:3\\d)\\d{4}|5(?:00)[2-9]\\d{6}'))).toBe(5);
    expect(freeTail(parsePattern('(?:2\\d|3)\\d{1,2}'))).toBe(1);
    expect(freeTail(parsePattern('2\\d{6}5'))).toBe(0);
    expect(longestMatch(parsePattern('8001|8[024]9'))).toBe(4);
    expect(longestMatch(parsePattern('268(?:4\\d)?'))).toBe(5);
    const [toll] = parsePattern('8(?:00|33|44)[2-9]\\d{6}');
    expect(['800', '833', '844', '8', '80'].map((p) => canStart(toll ?? [], p))).toEqual([true, true, true, true, true]);
    expect(['801', '855', '8002', '9'].map((p) => canStart(toll ?? [], p))).toEqual([false, false, true, false]);
    const [optional] = parsePattern('2(?:4\\d)?6');
    expect(['26', '246', '25'].map((p) => canStart(optional ?? [], p))).toEqual([true, true, false]);
    expect(() => parsePattern('([457]\\d{6})$|1')).toThrow(/unexpected "\$"/);
    expect(() => parsePattern('(?=2)\\d')).toThrow(/look-around/);
    expect(() => parsePattern('[^0]')).toThrow(/unreadable class/);
  });

  it('no NANP pattern reads past the seventh digit, and none matches a number starting with 0 or 1', () => {
    const { entire, leading } = nanpPatterns();
    expect(NANP_COUNTRIES).toContain('US');
    expect(entire.length).toBeGreaterThan(100);
    for (const { country, pattern } of leading) expect(longestMatch(parsePattern(pattern)), `${country} leading digits ${pattern}`).toBeLessThanOrEqual(7);
    for (const { country, pattern } of entire) {
      const parsed = parsePattern(pattern);
      expect(10 - freeTail(parsed), `${country}: ${pattern}`).toBeLessThanOrEqual(7);
      // So a national prefix `1` libphonenumber may strip never turns an invalid number valid.
      for (const alternative of parsed) expect(canStart(alternative, '0') || canStart(alternative, '1'), `${country}: ${pattern}`).toBe(false);
    }
  });

  it('the area codes where it reads past the fourth digit are exactly NANP_AREA_CODES_READ_TO_SEVEN_DIGITS', () => {
    const { entire, leading } = nanpPatterns();
    const readFurther = new Set<string>();
    for (const { pattern } of leading) {
      const parsed = parsePattern(pattern);
      if (longestMatch(parsed) <= 4) continue;
      for (const alternative of parsed) for (const area of AREA_CODES) if (canStart(alternative, area)) readFurther.add(area);
    }
    for (const { pattern } of entire) {
      for (const alternative of parsePattern(pattern)) {
        if (10 - freeTail([alternative]) <= 4) continue;
        for (const area of AREA_CODES) if (canStart(alternative, area)) readFurther.add(area);
      }
    }
    expect([...readFurther].sort()).toEqual([...NANP_AREA_CODES_READ_TO_SEVEN_DIGITS].sort());
    // Barbados (246-521-x) and Jamaica (876-606-0) read the seventh digit: four would not do there.
    expect(NANP_AREA_CODES_READ_TO_SEVEN_DIGITS).toEqual(expect.arrayContaining(['246', '876']));
  });
});
