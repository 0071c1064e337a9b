// OwnLinks scans an account's few links and looks those of an account with many (past
// LINKS_SCAN_LIMIT) up in a Map. Both ways must answer what a plain search of the account's
// links answers: accounts here have from none to well past the limit, repeated links and
// links of another source included.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { LinksByAccount } from '../../src/plan/links-by-account.js';
import { LINKS_SCAN_LIMIT, OwnLinks } from '../../src/plan/own-links.js';
import { OTHER_SOURCE, SOURCE } from '../arbitraries/roster.js';
import { account, link } from './plan-fixtures.js';

const ACCOUNT_IDS = ['A1', 'A2', 'A3'];
const STUDENT_POOL = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'];

describe('OwnLinks', () => {
  test.prop([
    fc.array(
      fc.record({ account: fc.constantFrom(...ACCOUNT_IDS, 'gone'), student: fc.constantFrom(...STUDENT_POOL), source: fc.constantFrom(SOURCE, SOURCE, OTHER_SOURCE) }),
      { maxLength: 3 * LINKS_SCAN_LIMIT + 10, size: 'max' },
    ),
  ])('finds the first link of the source to a student as a plain search does, below and past the scan limit', (specs) => {
    const links = specs.map((s) => link(s.account, s.student, s.source));
    const groups = new LinksByAccount(links, ACCOUNT_IDS.map((id) => account(id)));
    const own = new OwnLinks(groups, SOURCE);
    for (let group = 0; group < groups.size; group++) {
      const groupLinks = Array.from({ length: groups.countOf(group) }, (_, l) => groups.linkOf(group, l));
      for (const student of [...STUDENT_POOL, 'S9']) {
        // Asked twice: the second answer of a large group comes from the Map built by the first.
        const expected = groupLinks.findIndex((l) => l.source === SOURCE && l.studentSisId === student);
        expect(own.first(group, student)).toBe(expected);
        expect(own.first(group, student)).toBe(expected);
      }
    }
  });
});
