// docs/identity-rules.md §2: the passes of matchGuardiansToAccounts on the corners a whole plan
// rarely reaches (src/resolve/match-guardians-to-accounts.ts).
import { describe, expect, it } from 'vitest';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import type { Account } from '../../src/model/roster.js';
import type { FileGuardian } from '../../src/resolve/group-rows-into-guardians.js';
import { groupRows } from '../../src/resolve/group-rows-into-guardians.js';
import { findIdCandidates } from '../../src/resolve/id-candidates.js';
import { matchGuardiansToAccounts } from '../../src/resolve/match-guardians-to-accounts.js';
import { LoginIndex } from '../../src/resolve/roster-index.js';
import { DISTRICT } from '../arbitraries/roster.js';
import { account, guardianRole, row } from '../plan/plan-fixtures.js';

function match(rows: readonly GuardianRow[], accounts: readonly Account[], isActive?: (g: FileGuardian) => boolean) {
  const grouped = groupRows(rows);
  const result = matchGuardiansToAccounts({
    guardians: grouped.guardians,
    accounts,
    districtId: DISTRICT,
    candidates: findIdCandidates(accounts, DISTRICT, grouped.guardians.length, grouped.guardianIndexOfId),
    logins: new LoginIndex(accounts),
    guardianOfId: grouped.guardianIndexOfId,
    isActive,
  });
  return { ...result, ids: result.accounts.map((a) => a?.id ?? null) };
}

describe('matchGuardiansToAccounts', () => {
  it('without isActive, every guardian takes part in one round of the passes', () => {
    const accounts = [account('by-id', { roles: [guardianRole(['G1'])], email: 'old@x.org' }), account('by-key', { firstName: 'Bo', mobilePhone: '+12025550102' })];
    const m = match([row(2, { guardianSisId: 'G1', email: 'new@x.org' }), row(3, { firstName: 'BO', mobilePhone: '+12025550102' })], accounts);
    expect(m.ids).toEqual(['by-id', 'by-key']);
    expect(m.rules).toEqual(['sis-id', 'contact-key']);
    expect([...m.positions]).toEqual([0, 1]);
    expect(m.issues).toEqual([]);
  });

  it('ids held by several accounts: per id in the guardian\'s order, then by account id, each account once', () => {
    // G1 and G2 are one person in this file (§1.4); earlier runs left them on three accounts.
    const accounts = [
      account('z', { email: 'z@x.org', roles: [guardianRole(['G2'])] }),
      account('m', { email: 'm@x.org', roles: [guardianRole(['G1', 'G2'])] }),
      account('c', { email: 'c@x.org', roles: [guardianRole(['G1'])] }),
    ];
    const rows = [row(2, { guardianSisId: 'G1', email: 'ana@x.org' }), row(3, { guardianSisId: 'G2', studentSisId: 'S2', email: 'ana@x.org' })];
    // No exact key and no shared login: pass 2b takes the first of c, m (G1's holders by id), z.
    expect(match(rows, accounts).ids).toEqual(['c']);
    // Sharing a login comes first (pass 2a), whichever id the account holds.
    expect(match(rows, [...accounts, { ...accounts[0]!, id: 'y', firstName: 'Bo', email: 'ana@x.org' }]).ids).toEqual(['y']);
  });

  it('an account another guardian took by its id is skipped among several holders', () => {
    // c holds G1 (Ana's) and G5 (Bo's, who matches it exactly first); m holds G2 with Ana's key.
    const accounts = [
      account('c', { firstName: 'Bo', email: 'bo@x.org', roles: [guardianRole(['G1', 'G5'])] }),
      account('m', { email: 'ana@x.org', roles: [guardianRole(['G2'])] }),
    ];
    const m = match(
      [
        row(2, { guardianSisId: 'G5', firstName: 'Bo', email: 'bo@x.org' }),
        row(3, { guardianSisId: 'G1', email: 'ana@x.org' }),
        row(4, { guardianSisId: 'G2', studentSisId: 'S2', email: 'ana@x.org' }),
      ],
      accounts,
    );
    expect(m.ids).toEqual(['c', 'm']);
    expect(m.rules).toEqual(['sis-id', 'sis-id']);
  });

  it('two stored accounts with the guardian\'s contact key: the one with the smaller id', () => {
    const accounts = [account('acc-b', { email: 'ana@x.org' }), account('acc-a', { email: 'ANA@x.org' })];
    const m = match([row(2, { email: 'ana@x.org' })], accounts);
    expect(m.ids).toEqual(['acc-a']);
    expect([...m.positions]).toEqual([1]);
  });

  it('§2.2\'s exception: an account holding the guardian\'s own id and another guardian\'s is not the guardian\'s by key', () => {
    // Day 1: G1 and G9 were one person (same key), on account A. Day 2: G9 keeps A's key and
    // takes it by id; G1 now gives a mobile too. A, with G1's key with the mobile blank, is
    // G9's: G1 is not matched to it, and the district hears why.
    const a = account('A', { email: 'ana@x.org', roles: [guardianRole(['G1', 'G9'])] });
    const m = match([row(2, { guardianSisId: 'G9', email: 'ana@x.org' }), row(3, { guardianSisId: 'G1', studentSisId: 'S2', email: 'ana@x.org', mobilePhone: '+12025550109' })], [a]);
    expect(m.ids).toEqual(['A', null]);
    expect(m.issues).toHaveLength(1);
    expect(m.issues[0]).toMatchObject({ code: 'DUPLICATE_IDENTITY', line: 3, column: 'guardianSisId', lines: [3, 2] });
  });

  it('active guardians choose first, whatever their line', () => {
    // Both find A: the inactive one (line 2) by its exact key, the active one (line 3) with its mobile left blank.
    const a = account('A', { email: 'ana@x.org', roles: [guardianRole(['G7'])] });
    const rows = [row(2, { email: 'ana@x.org' }), row(3, { email: 'ana@x.org', mobilePhone: '+12025550109', studentSisId: 'S2' })];
    expect(match(rows, [a]).ids).toEqual(['A', null]);
    expect(match(rows, [a], (g) => g.index === 1).ids).toEqual([null, 'A']);
  });
});
