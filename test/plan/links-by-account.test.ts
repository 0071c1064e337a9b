// LinksByAccount groups the stored links by the position of their account. Whatever the order
// of links and accounts, the groups must be exactly the links of each account in stored order.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Account, GuardianLink } from '../../src/model/roster.js';
import { LinksByAccount } from '../../src/plan/links-by-account.js';

function account(id: string): Account {
  return { id, firstName: 'A', lastName: 'B', email: null, mobilePhone: null, homePhone: null, language: null, claimed: false, roles: [] };
}

function link(accountId: string, studentSisId: string): GuardianLink {
  return { accountId, districtId: 'D1', studentSisId, source: 'guardian-file' };
}

/** The groups the slow way: for every account id, its links in stored order. */
function naiveGroups(links: readonly GuardianLink[]): Map<string, GuardianLink[]> {
  const out = new Map<string, GuardianLink[]>();
  for (const l of links) out.set(l.accountId, [...(out.get(l.accountId) ?? []), l]);
  return out;
}

function groupsOf(index: LinksByAccount): Map<string, GuardianLink[]> {
  const out = new Map<string, GuardianLink[]>();
  for (let g = 0; g < index.size; g++) {
    const count = index.countOf(g);
    if (count === 0) continue;
    out.set(index.accountIds[g]!, Array.from({ length: count }, (_, i) => index.linkOf(g, i)));
  }
  return out;
}

describe('LinksByAccount', () => {
  it('numbers groups by account position, and puts ids no account has after them', () => {
    const accounts = [account('a'), account('b'), account('c')];
    const links = [link('b', 's1'), link('x', 's2'), link('b', 's3'), link('a', 's4')];
    const index = new LinksByAccount(links, accounts);
    expect(index.size).toBe(4);
    expect(index.accountIds).toEqual(['a', 'b', 'c', 'x']);
    expect(index.groupOf('b')).toBe(1);
    expect(index.groupOf('x')).toBe(3);
    expect(index.groupOf('nobody')).toBe(-1);
    expect(index.accountOf(1)).toBe(accounts[1]);
    expect(index.accountOf(3)).toBeNull();
    expect(index.countOf(2)).toBe(0);
    expect([index.linkOf(1, 0).studentSisId, index.linkOf(1, 1).studentSisId]).toEqual(['s1', 's3']);
  });

  it('finds accounts in any order of the links', () => {
    const accounts = Array.from({ length: 100 }, (_, i) => account(`acc-${i}`));
    // Staff first (no links), then links in account order, then links appended for early accounts.
    const links = [link('acc-50', 's1'), link('acc-51', 's2'), link('acc-99', 's3'), link('acc-0', 's4'), link('acc-52', 's5'), link('acc-50', 's6')];
    expect(groupsOf(new LinksByAccount(links, accounts))).toEqual(naiveGroups(links));
  });

  test.prop([
    fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 45 }), fc.integer({ min: 0, max: 9 })), { maxLength: 80 }),
    fc.boolean(),
  ])('groups equal the links of each account in stored order, in any order of links and accounts', (accountNumbers, pairs, sortLinks) => {
    const accounts = accountNumbers.map((n) => account(`acc-${n}`));
    // Ids 41–45 belong to no account; sorted links follow the accounts, as a store's often do.
    const order = new Map(accountNumbers.map((n, i) => [n, i]));
    const sorted = sortLinks ? [...pairs].sort((x, y) => (order.get(x[0]) ?? 99) - (order.get(y[0]) ?? 99)) : pairs;
    const links = sorted.map(([n, s]) => link(`acc-${n}`, `s${s}`));
    const index = new LinksByAccount(links, accounts);
    expect(groupsOf(index)).toEqual(naiveGroups(links));
    for (let pos = 0; pos < accounts.length; pos++) {
      expect(index.groupOf(accounts[pos]!.id)).toBe(pos);
      expect(index.accountOf(pos)).toBe(accounts[pos]);
    }
    for (let g = accounts.length; g < index.size; g++) expect(index.accountOf(g)).toBeNull();
  });
});
