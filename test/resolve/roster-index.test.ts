// The stored accounts by login (src/resolve/roster-index.ts): built only for the logins a plan
// looks up, and the contact-key and login lookups §2's passes 3 and 4 make through it.
import { describe, expect, it } from 'vitest';
import { accountsWithKey, accountsWithLogin, first, LoginIndex, lookup } from '../../src/resolve/roster-index.js';
import { account } from '../plan/plan-fixtures.js';

describe('LoginIndex', () => {
  const ana = account('ana', { email: 'Ana@X.org', mobilePhone: '+12025550101' });
  const bo = account('bo', { firstName: 'Bo', email: 'bo@x.org' });
  const accounts = [ana, bo];

  it('holds only the logins it was asked to cover, folded, with each account by position', () => {
    const index = new LoginIndex(accounts);
    expect(index.accountsByEmail.size + index.accountsByMobile.size).toBe(0);
    index.cover(['ana@x.org', null], []);
    expect(lookup(index.accountsByEmail, 'ana@x.org')).toEqual([ana]);
    expect(lookup(index.accountsByEmail, 'bo@x.org')).toEqual([]);
    expect(lookup(index.accountsByMobile, '+12025550101')).toEqual([]);
    expect(index.positionOf(ana)).toBe(0);
    // An account the index does not hold has no position in it.
    expect(index.positionOf(bo)).toBe(-1);
    index.cover([], ['+12025550101']);
    expect(first(index.accountsByMobile, '+12025550101')).toBe(ana);
  });

  it('covering a login again adds nothing twice', () => {
    const index = new LoginIndex(accounts);
    index.cover(['bo@x.org'], []);
    index.cover(['bo@x.org'], [null]);
    expect(lookup(index.accountsByEmail, 'bo@x.org')).toEqual([bo]);
    expect(index.positionOf(bo)).toBe(1);
  });

  it('lists every holder of a login several accounts share (damaged data), in snapshot order', () => {
    const twins = [account('t1', { email: 'same@x.org' }), account('t2', { email: 'SAME@x.org' }), account('t3', { email: 'same@x.org ' })];
    const index = new LoginIndex(twins);
    index.cover(['same@x.org'], []);
    expect(lookup(index.accountsByEmail, 'same@x.org')).toEqual(twins);
    expect(first(index.accountsByEmail, 'same@x.org')).toBe(twins[0]);
    expect(twins.map((a) => index.positionOf(a))).toEqual([0, 1, 2]);
  });
});

describe('accountsWithKey and accountsWithLogin', () => {
  const withEmail = account('a1', { firstName: 'ANA', email: 'ana@x.org', mobilePhone: '+12025550101' });
  const mobileOnly = account('a2', { mobilePhone: '+12025550102' });
  const otherName = account('a3', { firstName: 'Bo', email: 'bo@x.org', mobilePhone: '+12025550103' });
  const index = new LoginIndex([withEmail, mobileOnly, otherName]);
  index.cover(['ana@x.org', 'bo@x.org'], ['+12025550101', '+12025550102', '+12025550103']);

  it('finds an equal key through its email, or its mobile when the email is blank', () => {
    expect(accountsWithKey(index, 'Ana', 'Garcia', 'ana@x.org', '+12025550101')).toEqual([withEmail]);
    expect(accountsWithKey(index, 'Ana', 'Garcia', null, '+12025550102')).toEqual([mobileOnly]);
    // The mobile alone is another key than the account's (its email is not blank).
    expect(accountsWithKey(index, 'Ana', 'Garcia', null, '+12025550101')).toEqual([]);
    expect(accountsWithKey(index, 'Ana', 'Garcia', 'bo@x.org', '+12025550103')).toEqual([]);
  });

  it('finds nobody for a key without logins', () => {
    expect(accountsWithKey(index, 'Ana', 'Garcia', null, null)).toEqual([]);
  });

  it('finds names and one login whatever the account holds in the other field', () => {
    expect(accountsWithLogin(index, 'ana', 'GARCIA', 'mobilePhone', '+12025550101')).toEqual([withEmail]);
    expect(accountsWithLogin(index, 'Ana', 'Garcia', 'email', 'ana@x.org')).toEqual([withEmail]);
    expect(accountsWithLogin(index, 'Ana', 'Garcia', 'email', 'bo@x.org')).toEqual([]);
  });
});
