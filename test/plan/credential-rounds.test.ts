// Credential rounds (IDENTITY-RULES.md §3 with §2's "one more login" match): a guardian
// without id whose remaining login would make it indistinguishable from another guardian
// of the file is not added. planAccountChanges settles these guardians incrementally,
// looking again only at what each one changes; this file proves the result is exactly that
// of the original algorithm, which assigned every login again once per settled guardian:
// - a named example with 2,000 disjoint collisions, planned through buildPlan;
// - properties against the TEST ORACLE (test/resolve/credential-oracle.ts): the original
//   round-by-round planAccountChanges and assignCredentials, kept verbatim, on generated
//   files rich in guardians without ids sharing names and logins.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/errors/issue.js';
import type { GuardianRow } from '../../src/model/guardian-row.js';
import { isSharedAccount, type Account, type AccountFields, type AccountRole } from '../../src/model/roster.js';
import { planAccountChanges, type AccountChangesInput } from '../../src/plan/plan-account-changes.js';
import { LinkLines } from '../../src/plan/link-lines.js';
import { contactKey, emailKey, mobileKey } from '../../src/resolve/contact-key.js';
import { CredentialSolver, type CredentialField } from '../../src/resolve/credential-solver.js';
import { groupRowsIntoGuardians, type FileGuardian } from '../../src/resolve/group-rows-into-guardians.js';
import type { RosterIndex } from '../../src/resolve/roster-index.js';
import { DISTRICT, OTHER_DISTRICT } from '../arbitraries/roster.js';
import { assignCredentials, credentialRequestsOf } from '../resolve/assign-credentials.js';
import { oracleAssignCredentials, oraclePlanAccountChanges, type OracleAssignment, type OracleField, type OracleRequest } from '../resolve/credential-oracle.js';
import { account, plan, roster, row, staffRole } from './plan-fixtures.js';

describe('2,000 disjoint collisions, planned in one go', () => {
  // Each pair: Q (no id) loses one of its two logins; the key it would end with (its name and
  // the login it keeps) is O's key, or O's key with a login left blank (O: the next guardian,
  // same name in other letter case). Q is not added, with NO_CONTACT_CREDENTIAL naming O's
  // line, and O gets its logins whole. Four shapes:
  // A: Q loses its mobile to a teacher's account; O has Q's email and its own mobile.
  // B: as A, but O has the email only (O's own key, not one with a blank).
  // C: Q loses its mobile to an earlier guardian of the file (with an id) who keeps it.
  // D: Q loses its email to a teacher's account and keeps its mobile, which O (another
  //    email) also asks for: O gets it once Q stops asking.
  const PAIRS = 2000;
  const teachers: Account[] = [];
  const rows: GuardianRow[] = [];
  interface Pair {
    readonly q: number;
    readonly o: number;
    readonly p: number | null;
    readonly oEmail: string;
    readonly oMobile: string | null;
    readonly qMobile: string;
    readonly qLost: 'email' | 'mobilePhone';
  }
  const pairs: Pair[] = [];
  const phone = (n: number): string => `+1202${String(5_000_000 + n).padStart(7, '0')}`;
  let line = 2;
  for (let k = 0; k < PAIRS; k++) {
    const shape = (['A', 'B', 'C', 'D'] as const)[k % 4]!;
    const email = `family${k}@x.org`;
    const qMobile = phone(4 * k);
    const oEmail = shape === 'D' ? `other${k}@x.org` : email;
    const oMobile = shape === 'B' ? null : shape === 'D' ? qMobile : phone(4 * k + 1);
    let p: number | null = null;
    if (shape === 'A' || shape === 'B') teachers.push(account(`t${k}`, { firstName: 'Tom', lastName: `T${k}`, mobilePhone: qMobile, roles: [staffRole(`T${k}`)] }));
    if (shape === 'D') teachers.push(account(`t${k}`, { firstName: 'Tom', lastName: `T${k}`, email, roles: [staffRole(`T${k}`)] }));
    if (shape === 'C') {
      p = line++;
      rows.push(row(p, { guardianSisId: `G${k}`, firstName: 'Bo', lastName: `P${k}`, mobilePhone: qMobile, studentSisId: 'S2' }));
    }
    const q = line++;
    const o = line++;
    rows.push(row(q, { firstName: 'Ana', lastName: 'Garcia', email, mobilePhone: qMobile, studentSisId: 'S1' }));
    rows.push(row(o, { firstName: 'ANA', lastName: 'Garcia', email: oEmail, mobilePhone: oMobile, studentSisId: 'S3' }));
    pairs.push({ q, o, p, oEmail, oMobile, qMobile, qLost: shape === 'D' ? 'email' : 'mobilePhone' });
  }
  const p = plan(rows, roster(teachers));

  it('skips every Q, naming the line of its O', () => {
    const byLine = new Map<number, Issue[]>();
    for (const issue of p.issues) byLine.set(issue.line ?? 0, [...(byLine.get(issue.line ?? 0) ?? []), issue]);
    const outcome = new Map(p.rows.map((r) => [r.line, r]));
    for (const pair of pairs) {
      const issues = byLine.get(pair.q) ?? [];
      expect(issues.map((i) => [i.code, i.column])).toEqual([
        ['CREDENTIAL_IN_USE', pair.qLost],
        ['NO_CONTACT_CREDENTIAL', null],
      ]);
      expect(issues[1]!.message).toContain(`indistinguishable from the guardian on line ${pair.o}:`);
      expect(issues[1]!.lines).toEqual([pair.q]);
      expect(outcome.get(pair.q)).toEqual({ line: pair.q, action: 'SKIPPED', result: 'WARNING' });
      expect(byLine.get(pair.o)).toBeUndefined();
      expect(outcome.get(pair.o)).toEqual({ line: pair.o, action: 'CREATED', result: 'SUCCESS' });
      if (pair.p !== null) expect(outcome.get(pair.p)).toEqual({ line: pair.p, action: 'CREATED', result: 'SUCCESS' });
    }
  });

  it('creates every O with its logins whole, and no account for any Q', () => {
    const created = new Map(p.creates.map((c) => [c.lines[0], c]));
    expect(p.creates).toHaveLength(PAIRS + pairs.filter((x) => x.p !== null).length);
    for (const pair of pairs) {
      expect(created.has(pair.q)).toBe(false);
      expect(created.get(pair.o)!.fields).toMatchObject({ firstName: 'ANA', email: pair.oEmail, mobilePhone: pair.oMobile });
      if (pair.p !== null) expect(created.get(pair.p)!.fields.mobilePhone).toBe(pair.qMobile);
    }
    expect(p.counts).toMatchObject({ rows: rows.length, guardians: rows.length, rowsSkipped: PAIRS, accountsCreated: rows.length - PAIRS });
    expect(p.issues.filter((i) => i.code === 'NO_CONTACT_CREDENTIAL')).toHaveLength(PAIRS);
    expect(p.issues.filter((i) => i.code === 'CREDENTIAL_IN_USE')).toHaveLength(PAIRS);
  });
});

// ---------------------------------------------------------------------------------------
// Generated worlds: a file's guardians (few names, few logins, mostly without ids), stored
// accounts holding the same logins (sometimes two sharing one: damaged data), claimed
// accounts, guardians matched to accounts at random (planAccountChanges must agree with the
// oracle whatever matching decided), guardians with nothing to link, and an index holding
// every account, or only those holding a login of the file, or a login asked for (what
// build-plan covers).

// 'ANA' folds to 'ana': the same name as 'Ana'. The non-ASCII email takes the exact slow way.
const FIRST_NAMES = ['Ana', 'ANA', 'Bo'] as const;
const LAST_NAMES = ['Garcia', 'Ng'] as const;
const EMAILS = ['a@x.org', 'b@x.org', 'c@x.org', 'josé@x.org'] as const;
const MOBILES = ['+12025550101', '+12025550102', '+12025550103'] as const;
const IDS = ['G1', 'G2', 'G3'] as const;

interface World {
  readonly input: AccountChangesInput;
  readonly accounts: readonly Account[];
}

const rowSpecArb = fc.record({
  guardianSisId: fc.option(fc.constantFrom(...IDS), { nil: null, freq: 3 }),
  firstName: fc.constantFrom(...FIRST_NAMES),
  lastName: fc.constantFrom(...LAST_NAMES),
  email: fc.option(fc.constantFrom(...EMAILS), { nil: null, freq: 4 }),
  mobilePhone: fc.option(fc.constantFrom(...MOBILES), { nil: null, freq: 4 }),
  homePhone: fc.option(fc.constant('+12025550199'), { nil: null }),
  language: fc.constantFrom(null, 'es'),
  studentSisId: fc.constantFrom('S1', 'S2', 'S3'),
});

/** Stored accounts holding logins of the pools; emails in any letter case (the assignment folds them). */
function accountSpecArb(emails: readonly string[], mobiles: readonly string[]) {
  return fc.record({
    firstName: fc.constantFrom(...FIRST_NAMES),
    lastName: fc.constantFrom(...LAST_NAMES),
    email: fc.option(fc.constantFrom(...emails, emails[0]!.toUpperCase()), { nil: null, freq: 3 }),
    mobilePhone: fc.option(fc.constantFrom(...mobiles), { nil: null, freq: 3 }),
    claimed: fc.boolean(),
    roles: fc.constantFrom<readonly AccountRole[]>(
      [],
      [{ role: 'staff', districtId: DISTRICT, sisIds: ['T1'], status: 'active' }],
      [{ role: 'guardian', districtId: DISTRICT, sisIds: ['G1'], status: 'active' }],
      [{ role: 'guardian', districtId: DISTRICT, sisIds: ['G2', 'G3'], status: 'archived' }],
      [{ role: 'guardian', districtId: OTHER_DISTRICT, sisIds: ['G1'], status: 'active' }],
    ),
  });
}
type AccountSpec = ReturnType<typeof accountSpecArb> extends fc.Arbitrary<infer T> ? T : never;

/** A file's rows grouped by groupRowsIntoGuardians, guardians matched to stored accounts at random. */
function fileWorldArb(maxRows: number): fc.Arbitrary<World> {
  return fc
    .record({
      rows: fc.array(rowSpecArb, { minLength: 1, maxLength: maxRows }),
      accounts: fc.array(accountSpecArb(EMAILS, MOBILES), { maxLength: 6 }),
      damaged: fc.boolean(),
      updateClaimedAccounts: fc.boolean(),
      indexMode: indexModeArb,
    })
    .chain((w) => {
      const rows: GuardianRow[] = w.rows.map((r, i) => ({ ...r, line: i + 2, relationship: null }));
      const guardians = groupRowsIntoGuardians(rows).guardians;
      const accounts = storedAccounts(w.accounts, w.damaged);
      const matchArb = fc.array(fc.option(fc.nat({ max: Math.max(0, accounts.length - 1) }), { nil: null, freq: 2 }), {
        minLength: guardians.length,
        maxLength: guardians.length,
      });
      const activeArb = fc.array(fc.boolean(), { minLength: guardians.length, maxLength: guardians.length });
      return fc.tuple(matchArb, activeArb, fc.boolean()).map(([picks, actives, shareAccounts]): World => {
        const taken = new Set<number>();
        const matched = picks.map((pick) => {
          if (pick === null || accounts.length === 0) return null;
          // Matching gives each account to one guardian; a shared account is damaged input the oracle handles too.
          if (taken.has(pick) && !shareAccounts) return null;
          taken.add(pick);
          return accounts[pick]!;
        });
        // Mostly active: a guardian with nothing to link is no request.
        const linkLines = guardians.map((g, i) => (actives[i] === false && i % 3 === 0 ? [] : g.rows.map((r) => r.line)));
        return worldOf(accounts, guardians, matched, linkLines, w);
      });
    });
}

/**
 * A world built guardian by guardian, dense in what the rounds are about: most guardians
 * without ids and without accounts, nearly all named Ana Garcia (in any letter case), asking
 * for a few emails and mobiles that stored accounts (matched to other guardians, or not)
 * hold, so logins are refused, handed over and settled in chains. Some guardians take their
 * fields from a later row (fieldsLine after other guardians' lines: issues sort by it).
 */
interface CollisionOptions {
  /** Emails and mobiles to choose from (each pool; the non-ASCII email comes on top). */
  readonly logins?: number;
  readonly maxAccounts?: number;
  /** Percent of guardians without id that are matched to an account (with id: 60). */
  readonly idlessMatched?: number;
}

function collisionWorldArb(maxGuardians: number, options: CollisionOptions = {}): fc.Arbitrary<World> {
  const logins = options.logins ?? 3;
  const emails = [...Array.from({ length: logins }, (_, k) => `e${k}@x.org`), 'josé@x.org'];
  const mobiles = Array.from({ length: logins }, (_, k) => `+1202555${String(1000 + k)}`);
  const weighted = <T>(...pairs: [fc.Arbitrary<T>, number][]): fc.Arbitrary<T> => fc.oneof(...pairs.map(([arbitrary, weight]) => ({ arbitrary, weight })));
  const guardianArb = fc.record({
    hasId: weighted([fc.constant(false), 7], [fc.constant(true), 3]),
    firstName: weighted([fc.constant('Ana'), 4], [fc.constant('ANA'), 3], [fc.constant('Bo'), 1]),
    lastName: weighted([fc.constant('Garcia'), 5], [fc.constant('Ng'), 1]),
    email: weighted([fc.constant(null), 1], [fc.constantFrom(...emails), 5]),
    mobilePhone: weighted([fc.constant(null), 1], [fc.constantFrom(...mobiles), 5]),
    homePhone: fc.constantFrom(null, '+12025550199'),
    language: fc.constantFrom(null, 'es'),
    secondRow: fc.boolean(),
    fieldsFromSecondRow: fc.boolean(),
    active: weighted([fc.constant(true), 9], [fc.constant(false), 1]),
    match: fc.nat(99),
  });
  return fc
    .record({
      specs: fc.array(guardianArb, { minLength: Math.min(2, maxGuardians), maxLength: maxGuardians, size: 'max' }),
      accounts: fc.array(accountSpecArb(emails, mobiles), { maxLength: options.maxAccounts ?? 8, size: 'max' }),
      damaged: weighted([fc.constant(false), 4], [fc.constant(true), 1]),
      shareAccounts: weighted([fc.constant(false), 9], [fc.constant(true), 1]),
      updateClaimedAccounts: fc.boolean(),
      indexMode: indexModeArb,
    })
    .map((w): World => {
      const accounts = storedAccounts(w.accounts, w.damaged);
      const n = w.specs.length;
      const taken = new Set<number>();
      const matched: (Account | null)[] = [];
      const guardians = w.specs.map((spec, i): FileGuardian => {
        const fields: AccountFields = {
          firstName: spec.firstName,
          lastName: spec.lastName,
          email: emailKey(spec.email),
          mobilePhone: mobileKey(spec.mobilePhone),
          homePhone: spec.homePhone,
          language: spec.language,
        };
        const rowAt = (line: number): GuardianRow => ({ ...fields, line, studentSisId: 'S1', guardianSisId: spec.hasId ? `G${i}` : null, relationship: null });
        // Second rows come after every first row, later guardians' first: out of request order.
        const rows = spec.secondRow ? [rowAt(2 + i), rowAt(2 + n + (n - 1 - i))] : [rowAt(2 + i)];
        // Guardians with ids are matched more often than those without (by id, in real runs).
        const pick = accounts.length === 0 || spec.match >= (spec.hasId ? 60 : (options.idlessMatched ?? 20)) ? null : spec.match % accounts.length;
        matched.push(pick === null || (taken.has(pick) && !w.shareAccounts) ? null : accounts[pick]!);
        if (pick !== null) taken.add(pick);
        return {
          index: i,
          sisIds: spec.hasId ? [`G${i}`] : [],
          fields,
          key: contactKey(fields),
          fieldsLine: spec.fieldsFromSecondRow ? rows[rows.length - 1]!.line : rows[0]!.line,
          rows,
          firstLine: rows[0]!.line,
        };
      });
      const linkLines = guardians.map((g, i) => (w.specs[i]!.active ? g.rows.map((r) => r.line) : []));
      return worldOf(accounts, guardians, matched, linkLines, w);
    });
}

/** Accounts of the specs; unless damaged, stored accounts never share a login (a store keeping §3). */
function storedAccounts(specs: readonly AccountSpec[], damaged: boolean): Account[] {
  const seen = new Set<string>();
  const accounts: Account[] = [];
  specs.forEach((a, i) => {
    const logins = [a.email === null ? null : `e:${emailKey(a.email)}`, a.mobilePhone === null ? null : `m:${a.mobilePhone}`].filter((x) => x !== null);
    if (!damaged && logins.some((l) => seen.has(l))) return;
    for (const l of logins) seen.add(l);
    accounts.push({ id: `acc-${i}`, homePhone: null, language: null, ...a });
  });
  return accounts;
}

type IndexMode = 'all' | 'file' | 'asked';
/** A world of accounts and the planner's input over them, its index built as `w.indexMode` says. */
function worldOf(
  accounts: readonly Account[],
  guardians: readonly FileGuardian[],
  matched: readonly (Account | null)[],
  linkLines: readonly (readonly number[])[],
  w: { readonly indexMode: IndexMode; readonly updateClaimedAccounts: boolean },
): World {
  return {
    accounts,
    input: {
      guardians,
      linkLines: LinkLines.fromLists(linkLines),
      matched,
      index: indexOf(accounts, guardians, w.indexMode, matched, linkLines),
      districtId: DISTRICT,
      updateClaimedAccounts: w.updateClaimedAccounts,
      newAccountId: (key) => `new:${key}`,
    },
  };
}

const indexModeArb = fc.constantFrom<IndexMode>('all', 'file', 'asked');

/**
 * The two login maps of a RosterIndex, holding every account (`all`), or for each login only
 * the accounts holding one some guardian of the file has (`file`), or only one an active
 * guardian asks for (`asked`: its value differs from its matched account's, which is what
 * build-plan covers). Built without a type annotation so it fits RosterIndex whether or not
 * that interface still lists its other maps.
 */
function indexOf(
  accounts: readonly Account[],
  guardians: readonly FileGuardian[],
  mode: IndexMode,
  matched: readonly (Account | null)[] = [],
  linkLines: readonly (readonly number[])[] = [],
): RosterIndex {
  const covered = (field: 'email' | 'mobilePhone'): Set<string | null> | null => {
    if (mode === 'all') return null;
    const values = new Set<string | null>();
    for (const g of guardians) {
      const value = g.fields[field];
      const account = matched[g.index] ?? null;
      if (mode === 'file' || ((linkLines[g.index]?.length ?? 0) > 0 && (account === null || account[field] !== value))) values.add(value);
    }
    return values;
  };
  const emails = covered('email');
  const mobiles = covered('mobilePhone');
  const accountsByEmail = new Map<string, Account | Account[]>();
  const accountsByMobile = new Map<string, Account | Account[]>();
  const add = (map: Map<string, Account | Account[]>, key: string, a: Account): void => {
    const found = map.get(key);
    map.set(key, found === undefined ? a : Array.isArray(found) ? [...found, a] : [found, a]);
  };
  for (const a of accounts) {
    const email = emailKey(a.email);
    const mobile = mobileKey(a.mobilePhone);
    if (email !== null && (emails === null || emails.has(email))) add(accountsByEmail, email, a);
    if (mobile !== null && (mobiles === null || mobiles.has(mobile))) add(accountsByMobile, mobile, a);
  }
  // The maps the index had besides logins, empty (planAccountChanges reads only the logins).
  const index = { accountsByEmail, accountsByMobile, accountsBySisId: new Map<string, never>(), studentsBySisId: new Map<string, never>(), scopeSchools: new Set<string>(), linksByAccount: new Map<string, never>() };
  return index;
}

describe('planAccountChanges against the original round-by-round algorithm (test oracle)', () => {
  test.prop([fileWorldArb(14)], { numRuns: 200 })('files grouped into guardians: the same account changes, issues (in order) and effects', ({ input }) => {
    expect(planAccountChanges(input)).toEqual(oraclePlanAccountChanges(input));
  });

  test.prop([collisionWorldArb(12)], { numRuns: 400 })('guardians dense in collisions: the same result', ({ input }) => {
    expect(planAccountChanges(input)).toEqual(oraclePlanAccountChanges(input));
  });

  test.prop([collisionWorldArb(40, { logins: 10, maxAccounts: 12 })], { numRuns: 200 })('larger files, with chains of collisions: the same result', ({ input }) => {
    expect(planAccountChanges(input)).toEqual(oraclePlanAccountChanges(input));
  });

  it('a chain of collisions settles one guardian at a time, last by line first', () => {
    // Q1..Q4 all want e@x.org and lose their mobiles to teachers. Q1 gets the email and would
    // end with the key (Ana, e@x.org) that Q2..Q4 have with their mobile blank: it stops
    // asking (indistinguishable from Q2, the first other owner), then Q2 gets the email and
    // stops (from Q1, now the first other owner), and so on down the file.
    const teachers = [1, 2, 3, 4].map((k) => account(`t${k}`, { firstName: 'Tom', mobilePhone: `+1202555010${k}` }));
    const rows = [1, 2, 3, 4].map((k) => row(k + 1, { email: 'e@x.org', mobilePhone: `+1202555010${k}`, studentSisId: 'S1' }));
    const guardians = groupRowsIntoGuardians(rows).guardians;
    const input: AccountChangesInput = {
      guardians,
      linkLines: LinkLines.fromLists(guardians.map((g) => g.rows.map((r) => r.line))),
      matched: guardians.map(() => null),
      index: indexOf(teachers, guardians, 'all'),
      districtId: DISTRICT,
      updateClaimedAccounts: false,
      newAccountId: (key) => `new:${key}`,
    };
    const result = planAccountChanges(input);
    expect(result).toEqual(oraclePlanAccountChanges(input));
    expect(result.effects).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(result.issues.filter((i) => i.code === 'NO_CONTACT_CREDENTIAL').map((i) => [i.line, /line (\d+):/u.exec(i.message)?.[1]])).toEqual([
      [2, '3'],
      [3, '2'],
      [4, '2'],
      [5, '2'],
    ]);
  });
});

describe('owners of a key, in the corners', () => {
  const inputOf = (rows: readonly GuardianRow[], accounts: readonly Account[], matchedById: Record<number, Account> = {}): AccountChangesInput => {
    const guardians = groupRowsIntoGuardians(rows).guardians;
    const linkLines = guardians.map((g) => g.rows.map((r) => r.line));
    const matched = guardians.map((g) => matchedById[g.firstLine] ?? null);
    return {
      guardians,
      linkLines: LinkLines.fromLists(linkLines),
      matched,
      index: indexOf(accounts, guardians, 'asked', matched, linkLines),
      districtId: DISTRICT,
      updateClaimedAccounts: false,
      newAccountId: (key) => `new:${key}`,
    };
  };
  const teacher = account('t1', { firstName: 'Tom', mobilePhone: '+12025550177', roles: [staffRole('T1')] });

  it('an owner whose account already holds the login (an account matched to two guardians: damaged input)', () => {
    // a1 holds l@x.org; it is matched to O1 (who keeps l@x.org) and to O2 (who asks for
    // another email, so a1 gives l@x.org up). Q gets l@x.org, loses its mobile to the teacher,
    // and would end with the key of O1, who owns it through a1.
    const a1 = account('a1', { email: 'l@x.org', roles: [] });
    const input = inputOf(
      [
        row(2, { guardianSisId: 'G1', email: 'l@x.org' }),
        row(3, { guardianSisId: 'G2', firstName: 'Bo', email: 'other@x.org' }),
        row(4, { email: 'l@x.org', mobilePhone: '+12025550177' }),
      ],
      [a1, teacher],
      { 2: a1, 3: a1 },
    );
    const result = planAccountChanges(input);
    expect(result).toEqual(oraclePlanAccountChanges(input));
    expect(result.effects[2]).toBe('skipped');
    expect(result.issues.find((i) => i.code === 'NO_CONTACT_CREDENTIAL')!.message).toContain('indistinguishable from the guardian on line 2:');
  });

  it('emails equal only once folded again (non-ASCII): owners are found the exact way', () => {
    // 'J\u030C' folds to 'j\u030C', which folds again (NFC) to '\u01F0': two different emails
    // in the file, one contact key. Q gets its email, loses its mobile, and would end with
    // O's key with its mobile blank.
    const input = inputOf(
      [row(2, { email: '\u01F0x@x.org', mobilePhone: '+12025550177' }), row(3, { email: 'J\u030Cx@x.org', mobilePhone: '+12025550188' })],
      [teacher],
    );
    expect(input.guardians.map((g) => g.fields.email)).toEqual(['\u01F0x@x.org', 'j\u030Cx@x.org']);
    const result = planAccountChanges(input);
    expect(result).toEqual(oraclePlanAccountChanges(input));
    expect(result.effects).toEqual(['skipped', 'created']);
    expect(result.issues.find((i) => i.code === 'NO_CONTACT_CREDENTIAL')!.message).toContain('indistinguishable from the guardian on line 3:');
  });
});

/**
 * Requests for the assignment alone, rich in hand-overs: stored accounts holding emails and
 * mobiles of small pools, each the account of a request that asks for other values of the
 * pools (or leaves a field blank), and requests for new accounts asking for the same values,
 * in a shuffled line order; sometimes damaged (two accounts sharing a login).
 */
const handOverWorldArb = fc
  .record({
    holders: fc.array(
      fc.record({
        email: fc.option(fc.nat(3), { nil: null, freq: 4 }),
        mobile: fc.option(fc.nat(3), { nil: null, freq: 4 }),
        wantEmail: fc.option(fc.nat(3), { nil: null, freq: 4 }),
        wantMobile: fc.option(fc.nat(3), { nil: null, freq: 4 }),
        claimed: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      }),
      { maxLength: 7, size: 'max' },
    ),
    newcomers: fc.array(fc.record({ email: fc.option(fc.nat(3), { nil: null, freq: 4 }), mobile: fc.option(fc.nat(3), { nil: null, freq: 4 }) }), { maxLength: 8, size: 'max' }),
    damaged: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
    fieldsLines: fc.array(fc.nat(30), { minLength: 15, maxLength: 15 }),
    indexMode: indexModeArb,
  })
  .chain((w) => {
    const email = (k: number | null): string | null => (k === null ? null : `e${k}@x.org`);
    const mobile = (k: number | null): string | null => (k === null ? null : `+1202555100${k}`);
    const seen = new Set<string>();
    const specs = [
      ...w.holders.map((h, j) => {
        // Unless damaged, a login is held by one account only.
        const held = (login: string | null, tag: string): string | null => {
          if (login === null || (!w.damaged && seen.has(tag + login))) return null;
          seen.add(tag + login);
          return login;
        };
        const stored: Account = {
          id: `acc-${j}`,
          firstName: 'Tom',
          lastName: 'Ng',
          email: held(email(h.email), 'e'),
          mobilePhone: held(mobile(h.mobile), 'm'),
          homePhone: null,
          language: null,
          claimed: h.claimed,
          roles: [],
        };
        return { account: stored, email: email(h.wantEmail), mobile: mobile(h.wantMobile), locked: h.claimed };
      }),
      ...w.newcomers.map((c) => ({ account: null, email: email(c.email), mobile: mobile(c.mobile), locked: false })),
    ];
    return fc.shuffledSubarray(specs, { minLength: specs.length, maxLength: specs.length }).map((ordered) => {
      const requests: OracleRequest[] = ordered.map((spec, i) => {
        const fields: AccountFields = { firstName: 'Ana', lastName: 'Garcia', email: spec.email, mobilePhone: spec.mobile, homePhone: null, language: null };
        const line = 2 + i;
        // fieldsLine out of request order sometimes: issues sort by it, stably.
        const fieldsLine = 2 + (w.fieldsLines[i] ?? i);
        const guardian: FileGuardian = { index: i, sisIds: [], fields, key: contactKey(fields), fieldsLine, rows: [], firstLine: line };
        return { guardian, account: spec.account, locked: spec.locked };
      });
      const accounts = requests.flatMap((r) => (r.account === null ? [] : [r.account]));
      const guardians = requests.map((r) => r.guardian);
      return { requests, index: indexOf(accounts, guardians, w.indexMode, requests.map((r) => r.account), guardians.map(() => [1])) };
    });
  });

describe('CredentialSolver.withdraw against a fresh assignment (test oracle)', () => {
  // Any sequence of withdrawals by requests for new accounts leaves the live assignment equal
  // to assigning again from scratch with those asks ignored.
  const checkWithdrawals = (requests: readonly OracleRequest[], index: RosterIndex, withdrawals: readonly (readonly [number, CredentialField])[]): void => {
    const solver = new CredentialSolver(credentialRequestsOf(requests), index);
    const ignored = requests.map(() => new Set<OracleField>());
    const newOnes = requests.flatMap((r, i) => (r.account === null ? [i] : []));
    const check = (): void => {
      const fresh = oracleAssignCredentials(
        requests.map((r, i) => ({ ...r, ignore: ignored[i] })),
        index,
      );
      expect(requests.map((_, i) => ({ email: solver.email(i), mobilePhone: solver.mobilePhone(i) }))).toEqual(fresh.credentials);
      expect(requests.map((_, i) => solver.after(i))).toEqual(handOvers(fresh));
      expect(solver.issues()).toEqual(fresh.issues);
    };
    const once = assignCredentials(requests, index);
    const oracle = oracleAssignCredentials(requests, index);
    expect([once.credentials, once.after, once.issues]).toEqual([oracle.credentials, handOvers(oracle), oracle.issues]);
    check();
    for (const [pick, field] of withdrawals) {
      if (newOnes.length === 0) break;
      const i = newOnes[pick % newOnes.length]!;
      solver.withdraw(i, field, []);
      ignored[i]!.add(field);
      check();
    }
  };
  const withdrawalsArb = fc.array(fc.tuple(fc.nat(), fc.constantFrom<CredentialField>('email', 'mobilePhone')), { maxLength: 16, size: 'max' });

  test.prop([handOverWorldArb, withdrawalsArb], { numRuns: 400 })('chains of hand-overs: credentials, hand-overs and issues match after every withdrawal', ({ requests, index }, withdrawals) => {
    checkWithdrawals(requests, index, withdrawals);
  });

  test.prop([collisionWorldArb(16, { logins: 4, maxAccounts: 10, idlessMatched: 50 }), withdrawalsArb], { numRuns: 200 })(
    'guardians dense in collisions: the same after every withdrawal',
    ({ input }, withdrawals) => {
      const { guardians, linkLines, matched } = input;
      const requests = guardians
        .filter((g) => linkLines.count(g.index) > 0)
        .map((g) => {
          const a = matched[g.index] ?? null;
          return { guardian: g, account: a, locked: a !== null && ((a.claimed && !input.updateClaimedAccounts) || isSharedAccount(a, input.districtId)) };
        });
      checkWithdrawals(requests, input.index, withdrawals);
    },
  );

  it('a withdrawal travels up a chain of hand-overs, across fields', () => {
    // N (new) gets w@x.org before X1, whose account holds v1@x.org and who asks for w@x.org;
    // X2 holds v2@x.org and asks for v1@x.org; X3 holds only a mobile, leaves it blank and asks
    // for v2@x.org (it gives the mobile up once it has an email); Y (new) asks for that mobile.
    // All are refused behind N. Once N stops asking: X1 takes w, X2 v1, X3 v2, and Y the mobile.
    const x1 = account('x1', { firstName: 'Tom', email: 'v1@x.org' });
    const x2 = account('x2', { firstName: 'Tom', email: 'v2@x.org' });
    const x3 = account('x3', { firstName: 'Tom', mobilePhone: '+12025550133' });
    const guardianOf = (i: number, email: string | null, mobilePhone: string | null): FileGuardian => {
      const fields: AccountFields = { firstName: 'Ana', lastName: 'Garcia', email, mobilePhone, homePhone: null, language: null };
      return { index: i, sisIds: [], fields, key: contactKey(fields), fieldsLine: i + 2, rows: [], firstLine: i + 2 };
    };
    const requests: OracleRequest[] = [
      { guardian: guardianOf(0, 'w@x.org', null), account: null, locked: false },
      { guardian: guardianOf(1, 'w@x.org', null), account: x1, locked: false },
      { guardian: guardianOf(2, 'v1@x.org', null), account: x2, locked: false },
      { guardian: guardianOf(3, 'v2@x.org', null), account: x3, locked: false },
      { guardian: guardianOf(4, null, '+12025550133'), account: null, locked: false },
    ];
    const index = indexOf([x1, x2, x3], requests.map((r) => r.guardian), 'all');
    const solver = new CredentialSolver(
      { length: 5, present: () => true, guardian: (i) => requests[i]!.guardian, account: (i) => requests[i]!.account, locked: () => false, ignores: () => false },
      index,
    );
    const logins = (): (string | null)[][] => requests.map((_, i) => [solver.email(i), solver.mobilePhone(i)]);
    expect(logins()).toEqual([
      ['w@x.org', null],
      ['v1@x.org', null],
      ['v2@x.org', null],
      [null, '+12025550133'],
      [null, null],
    ]);
    const changed: number[] = [];
    solver.withdraw(0, 'email', changed);
    expect(logins()).toEqual([
      [null, null],
      ['w@x.org', null],
      ['v1@x.org', null],
      ['v2@x.org', null],
      [null, '+12025550133'],
    ]);
    expect([...new Set(changed)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(requests.map((_, i) => solver.after(i))).toEqual([[], [], ['x1'], ['x2'], ['x3']]);
    expect(solver.issues()).toEqual([]);
    checkWithdrawals(requests, index, [[0, 'email']]);
  });
});

/** The oracle's hand-overs per request: its `after` has holes where there are none (Array#map skips holes). */
function handOvers(assignment: OracleAssignment): (readonly string[])[] {
  return Array.from(assignment.after, (a: readonly string[] | undefined) => a ?? []);
}
