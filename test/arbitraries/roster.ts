// Arbitraries of stored rosters (RosterSnapshot) for identity and plan properties: staff
// accounts, guardians (active and archived, some holding two ids), claimed accounts, links
// from this source and from others, students in and out of the scope. Small value pools so
// that collisions (shared names, emails, phones, ids) happen often.
import { fc } from '@fast-check/vitest';
import type { Account, AccountRole, GuardianLink, ResolvedScope, RosterSnapshot, Student } from '../../src/model/roster.js';

export const SOURCE = 'guardian-file';
export const OTHER_SOURCE = 'manual';
export const DISTRICT = 'D1';
/** Another district of the same roster: its roles make an account shared (§4.2, §7.5). */
export const OTHER_DISTRICT = 'D2';
export const SCHOOL_A = 'SCH-A';
export const SCHOOL_B = 'SCH-B';

export const FIRST_NAMES = ['Ana', 'José', 'Jose', 'Maria', 'Mary Ann', 'Li', 'Zoë'] as const;
export const LAST_NAMES = ['Garcia', 'García', 'Smith', 'Ng'] as const;
export const EMAILS = ['ana@x.org', 'jose@x.org', 'm@x.org', 'li@x.org', 'z@x.org', 't@x.org'] as const;
export const MOBILES = ['+12025550101', '+12025550102', '+12025550103', '+12025550104', '+12025550105'] as const;
export const GUARDIAN_IDS = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8'] as const;
export const LANGUAGES = [null, 'es', 'en', 'zh-Hant'] as const;

export const STUDENTS: readonly Student[] = [
  { districtId: DISTRICT, sisId: 'S1', schoolId: SCHOOL_A, firstName: 'Ada', lastName: 'Garcia' },
  { districtId: DISTRICT, sisId: 'S2', schoolId: SCHOOL_A, firstName: 'Ben', lastName: 'Smith' },
  { districtId: DISTRICT, sisId: 'S3', schoolId: SCHOOL_A, firstName: 'Cy', lastName: 'Ng' },
  { districtId: DISTRICT, sisId: 'S4', schoolId: SCHOOL_B, firstName: 'Dee', lastName: 'Li' },
  { districtId: DISTRICT, sisId: 'S5', schoolId: SCHOOL_B, firstName: 'Eve', lastName: 'García' },
];
/** A student id no roster holds. */
export const UNKNOWN_STUDENT = 'S9';

export const DISTRICT_SCOPE: ResolvedScope = { level: 'district', orgId: DISTRICT, districtId: DISTRICT, schoolIds: [SCHOOL_A, SCHOOL_B] };
export const SCHOOL_SCOPE: ResolvedScope = { level: 'school', orgId: SCHOOL_A, districtId: DISTRICT, schoolIds: [SCHOOL_A] };

/** An empty roster of the district: students, no accounts. */
export function emptyRoster(scope: ResolvedScope = DISTRICT_SCOPE): RosterSnapshot {
  return { scope, students: STUDENTS, accounts: [], links: [] };
}

const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 3 });

/** Name and logins of a person: at least one of email or mobile. */
export const contactArb = fc
  .record({
    firstName: fc.constantFrom(...FIRST_NAMES),
    lastName: fc.constantFrom(...LAST_NAMES),
    email: nullable(fc.constantFrom(...EMAILS)),
    mobilePhone: nullable(fc.constantFrom(...MOBILES)),
  })
  .filter((c) => c.email !== null || c.mobilePhone !== null);

export interface RosterOptions {
  /** Each account's guardian role holds at most one id (no account shared by two file ids). */
  readonly singleIdPerAccount?: boolean;
  readonly scope?: ResolvedScope;
}

/**
 * A roster whose accounts never share an email or a mobile (as a store that kept the
 * rules would hold), with guardian SIS ids held by at most one account.
 */
export function rosterArb(options: RosterOptions = {}): fc.Arbitrary<RosterSnapshot> {
  const account = fc.record({
    contact: contactArb,
    homePhone: nullable(fc.constant('+12025550199')),
    language: fc.constantFrom(...LANGUAGES),
    claimed: fc.boolean(),
    staff: fc.boolean(),
    // A guardian role in another district (with an id equal to this district's ids: SIS
    // ids are per district), active or archived.
    elsewhere: fc.option(fc.record({ id: fc.constantFrom(...GUARDIAN_IDS), archived: fc.boolean() }), { nil: null, freq: 3 }),
    guardian: fc.option(
      fc.record({
        ids: fc.uniqueArray(fc.constantFrom(...GUARDIAN_IDS), { maxLength: options.singleIdPerAccount === true ? 1 : 2 }),
        archived: fc.boolean(),
      }),
      { nil: null },
    ),
  });
  const accounts = fc.uniqueArray(account, {
    maxLength: 6,
    comparator: (a, b) =>
      (a.contact.email !== null && a.contact.email === b.contact.email) ||
      (a.contact.mobilePhone !== null && a.contact.mobilePhone === b.contact.mobilePhone),
  });
  return accounts
    .chain((drafts) => {
      // Guardian ids are unique across accounts: drop an id an earlier account holds.
      const seen = new Set<string>();
      const seenElsewhere = new Set<string>();
      const built: Account[] = drafts.map((d, i) => {
        const roles: AccountRole[] = [];
        if (d.staff) roles.push({ role: 'staff', districtId: DISTRICT, sisIds: [`T${i + 1}`], status: 'active' });
        if (d.elsewhere !== null) {
          // Unique in that district too: an id of district 2 on one account of it.
          const ids = seenElsewhere.has(d.elsewhere.id) ? [] : [d.elsewhere.id];
          for (const id of ids) seenElsewhere.add(id);
          roles.push({ role: 'guardian', districtId: OTHER_DISTRICT, sisIds: ids, status: d.elsewhere.archived ? 'archived' : 'active' });
        }
        if (d.guardian !== null || (!d.staff && d.elsewhere === null)) {
          const ids = (d.guardian?.ids ?? []).filter((id) => !seen.has(id));
          for (const id of ids) seen.add(id);
          roles.push({ role: 'guardian', districtId: DISTRICT, sisIds: ids, status: d.guardian?.archived === true ? 'archived' : 'active' });
        }
        return { id: `acc-${i + 1}`, ...d.contact, homePhone: d.homePhone, language: d.language, claimed: d.claimed, roles };
      });
      const linkArb: fc.Arbitrary<GuardianLink[]> =
        built.length === 0
          ? fc.constant([])
          : fc.uniqueArray(
              fc.record({
                accountId: fc.constantFrom(...built.map((a) => a.id)),
                districtId: fc.constant(DISTRICT),
                studentSisId: fc.constantFrom(...STUDENTS.map((s) => s.sisId)),
                source: fc.constantFrom(SOURCE, SOURCE, OTHER_SOURCE),
              }),
              { maxLength: 10, selector: (l) => `${l.accountId}|${l.studentSisId}|${l.source}` },
            );
      return fc.tuple(fc.constant(built), linkArb);
    })
    .map(([accounts, links]) => ({ scope: options.scope ?? DISTRICT_SCOPE, students: STUDENTS, accounts, links }));
}

export const scopeArb = fc.constantFrom(DISTRICT_SCOPE, SCHOOL_SCOPE);
