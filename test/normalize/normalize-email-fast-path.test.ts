// normalizeEmail's fast path (normalizeSimpleEmail) against the rules it stands for
// (normalizeEmailPlain): whatever the text, both say the same; and the fast path really does
// answer for the plain addresses of a district's file, or it would be dead weight.
import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { normalizeEmail, normalizeEmailPlain, normalizeSimpleEmail } from '../../src/normalize/normalize-email.js';
import { PLACEHOLDER_EMAIL_DOMAINS, PLACEHOLDER_EMAIL_LOCAL_PARTS } from '../../src/normalize/placeholder-values.js';
import { cellText } from '../arbitraries/guardian-csv.js';

/** Characters the fast path reads, the ones just outside it, and a few that never belong. */
const emailChar = fc.constantFrom(
  ...'aZz09._\'+-@',
  ...'AbQy5',
  ' ',
  '\u00A0',
  '\u200B',
  '\uFEFF',
  'é',
  'e\u0301',
  'İ',
  'K', // KELVIN SIGN: lower-cases to ASCII k
  '!',
  '"',
  ',',
  '\n',
);
const word = fc.string({ unit: fc.constantFrom(...'abcXYZ019_\'+-'), minLength: 1, maxLength: 6 });
const label = fc.string({ unit: fc.constantFrom(...'abXY09-'), minLength: 1, maxLength: 5 });
const tld = fc.string({ unit: fc.constantFrom(...'abcOrg'), minLength: 1, maxLength: 4 });

/** Mostly address-shaped: dot-joined words, an @, dotted labels; sometimes none of those. */
const addressLike = fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.array(label, { maxLength: 3 }), tld).map(([local, labels, last]) => `${local.join('.')}@${[...labels, last].join('.')}`);
const placeholderLike = fc
  .tuple(fc.constantFrom(...PLACEHOLDER_EMAIL_LOCAL_PARTS, 'no.email', 'No-Email', 'n_a', 'ann.lee', 'd.o.n.o.t.r.e.p.l.y', 'no-reply-x'), fc.constantFrom(...PLACEHOLDER_EMAIL_DOMAINS, 'Gmail.com', 'sub.none.com'))
  .map(([local, domain]) => `${local}@${domain}`);
/** An address-like text with a few characters inserted, replaced or removed. */
const mutated = fc
  .tuple(fc.oneof(addressLike, placeholderLike), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), emailChar), { maxLength: 3 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [position, kind, char] of edits) {
      const at = position % (out.length + 1);
      out = kind === 0 ? out.slice(0, at) + char + out.slice(at) : kind === 1 ? out.slice(0, at) + char + out.slice(at + 1) : out.slice(0, at) + out.slice(at + 1);
    }
    return out;
  });
const anyText = fc.oneof(addressLike, placeholderLike, mutated, fc.string({ unit: emailChar, maxLength: 20 }), cellText, fc.emailAddress());

describe('normalizeEmail fast path', () => {
  test.prop([anyText], { numRuns: 2000 })('gives what the plain rules give, or leaves the text to them', (text) => {
    const plain = normalizeEmailPlain(text);
    const fast = normalizeSimpleEmail(text);
    if (fast !== undefined) expect(fast).toEqual(plain);
    expect(normalizeEmail(text)).toEqual(plain);
  });

  test.prop([fc.oneof(addressLike, placeholderLike)])('answers for every text of its alphabet that has the syntax of an address', (text) => {
    // Letters, digits and `_ ' + - . @` only: nothing to clean, so the pattern alone decides.
    expect(normalizeSimpleEmail(text) !== undefined).toBe(z.regexes.email.test(text));
  });

  it('answers for the addresses a district file holds, and for a placeholder among them', () => {
    expect(normalizeSimpleEmail('hiroshi.brown1@comcast.net')).toEqual({ value: 'hiroshi.brown1@comcast.net', invalid: false });
    expect(normalizeSimpleEmail('Ashley.Pena16562@icloud.com')).toEqual({ value: 'ashley.pena16562@icloud.com', invalid: false });
    expect(normalizeSimpleEmail("o'brien+school@Mail.Example-1.org")).toEqual({ value: "o'brien+school@mail.example-1.org", invalid: false });
    expect(normalizeSimpleEmail('No.Email@gmail.com')).toEqual({ value: null, invalid: true });
    expect(normalizeSimpleEmail('maria.lopez@NoEmail.com')).toEqual({ value: null, invalid: true });
    // Separators do not count toward a placeholder's length.
    for (const text of ['n.o.e.m.a.i.l@example.org', 'D-O-N-O-T-R-E-P-L-Y@example.org', 'n_o_a_d_d_r_e_s_s@example.org']) {
      expect(normalizeSimpleEmail(text), text).toEqual({ value: null, invalid: true });
      expect(normalizeEmailPlain(text), text).toEqual({ value: null, invalid: true });
    }
    // Not addresses, or text to clean: left to the plain rules.
    for (const text of ['', ' ann@example.org', 'ann@example', 'ann..lee@example.org', "ann'@example.org", 'ann@-x.org', 'ann@x.o', 'ann@x.org1', 'a@b@c.org', 'zoë@example.org']) {
      expect(normalizeSimpleEmail(text), text).toBeUndefined();
    }
  });
});
