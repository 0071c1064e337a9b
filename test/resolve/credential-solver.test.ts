// docs/identity-rules.md §3: the CredentialSolver's own API on small named cases
// (src/resolve/credential-solver.ts). Its results against the test oracle, over generated
// requests and withdrawals, are proved in test/plan/credential-rounds.test.ts.
import { describe, expect, it } from 'vitest';
import type { AccountFields } from '../../src/model/roster.js';
import { contactKey } from '../../src/resolve/contact-key.js';
import { CredentialSolver } from '../../src/resolve/credential-solver.js';
import type { FileGuardian } from '../../src/resolve/group-rows-into-guardians.js';
import { LoginIndex } from '../../src/resolve/roster-index.js';
import { account, staffRole } from '../plan/plan-fixtures.js';
import { credentialRequestsOf, type CredentialRequest } from './assign-credentials.js';

function guardian(i: number, email: string | null, mobilePhone: string | null): FileGuardian {
  const fields: AccountFields = { firstName: 'Ana', lastName: 'Garcia', email, mobilePhone, homePhone: null, language: null };
  return { index: i, sisIds: [], fields, key: contactKey(fields), fieldsLine: i + 2, rows: [], firstLine: i + 2 };
}

describe('CredentialSolver', () => {
  // A teacher holds t@x.org; a guardian's account holds own@x.org and asks for t@x.org; a new
  // guardian asks for t@x.org too, and another for own@x.org.
  const teacher = account('teacher', { firstName: 'Tom', email: 't@x.org', roles: [staffRole('T1')] });
  const stored = account('stored', { email: 'own@x.org' });
  const requests: CredentialRequest[] = [
    { guardian: guardian(0, 't@x.org', null), account: stored, locked: false },
    { guardian: guardian(1, 't@x.org', '+12025550101'), account: null, locked: false },
    { guardian: guardian(2, 'own@x.org', null), account: null, locked: false },
  ];
  const solve = (): CredentialSolver => {
    const index = new LoginIndex([teacher, stored]);
    index.cover(['t@x.org', 'own@x.org'], ['+12025550101']);
    return new CredentialSolver(credentialRequestsOf(requests), index);
  };

  it('a login a teacher keeps goes to nobody; the stored account keeps its own, so nobody gets that either', () => {
    const solver = solve();
    expect(requests.map((_, i) => [solver.email(i), solver.mobilePhone(i)])).toEqual([
      ['own@x.org', null],
      [null, '+12025550101'],
      [null, null],
    ]);
    expect(solver.issues().map((i) => [i.line, i.column])).toEqual([
      [2, 'email'],
      [3, 'email'],
      [4, 'email'],
    ]);
    expect(solver.askingRequests()).toEqual([0, 1, 2]);
  });

  it('finds the requests with a login: its askers and the requests of the accounts holding it, not a teacher', () => {
    const solver = solve();
    const visited = (field: 'email' | 'mobilePhone', value: string): number[] | false => {
      const out: number[] = [];
      return solver.forEachRequestWithLogin(field, value, (i) => out.push(i)) && out.sort();
    };
    expect(visited('email', 't@x.org')).toEqual([0, 1]);
    expect(visited('email', 'own@x.org')).toEqual([2]);
    // A value nobody asked for: the solver cannot say who has it.
    expect(visited('email', 'nobody@x.org')).toBe(false);
    expect(visited('mobilePhone', '+12025550101')).toEqual([1]);
  });

  it('only a request for a new account can withdraw an ask', () => {
    const solver = solve();
    expect(() => solver.withdraw(0, 'email', [])).toThrow(/only a request for a new account/u);
    const changed: number[] = [];
    solver.withdraw(1, 'mobilePhone', changed);
    expect(changed).toEqual([1]);
    expect([solver.email(1), solver.mobilePhone(1)]).toEqual([null, null]);
  });
});
