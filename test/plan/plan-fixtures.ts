// Small builders for readable plan examples: rows, accounts and a deterministic planner.
import type { GuardianRow } from '../../src/model/guardian-row.js';
import type { SyncPlan } from '../../src/model/plan.js';
import type { Account, AccountRole, GuardianLink, ResolvedScope, RosterSnapshot } from '../../src/model/roster.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { PlanSettings } from '../../src/plan/plan-input.js';
import { DISTRICT, DISTRICT_SCOPE, SOURCE, STUDENTS } from '../arbitraries/roster.js';

export function row(line: number, fields: Partial<Omit<GuardianRow, 'line'>> = {}): GuardianRow {
  return {
    line,
    studentSisId: 'S1',
    guardianSisId: null,
    firstName: 'Ana',
    lastName: 'Garcia',
    email: null,
    mobilePhone: null,
    homePhone: null,
    language: null,
    relationship: null,
    ...fields,
  };
}

export function account(id: string, fields: Partial<Omit<Account, 'id'>> = {}): Account {
  return {
    id,
    firstName: 'Ana',
    lastName: 'Garcia',
    email: null,
    mobilePhone: null,
    homePhone: null,
    language: null,
    claimed: false,
    roles: [],
    ...fields,
  };
}

export function guardianRole(sisIds: readonly string[], status: AccountRole['status'] = 'active', districtId: string = DISTRICT): AccountRole {
  return { role: 'guardian', districtId, sisIds, status };
}
export function staffRole(sisId: string, districtId: string = DISTRICT): AccountRole {
  return { role: 'staff', districtId, sisIds: [sisId], status: 'active' };
}

export function link(accountId: string, studentSisId: string, source: string = SOURCE, districtId: string = DISTRICT): GuardianLink {
  return { accountId, districtId, studentSisId, source };
}

export function roster(accounts: readonly Account[] = [], links: readonly GuardianLink[] = [], scope: ResolvedScope = DISTRICT_SCOPE): RosterSnapshot {
  return { scope, students: STUDENTS, accounts, links };
}

/** New accounts are named after the guardian's key, so examples can name them. */
export const newId = (guardianKey: string): string => `new:${guardianKey}`;

export function plan(rows: readonly GuardianRow[], snapshot: RosterSnapshot, settings: Partial<PlanSettings> = {}): SyncPlan {
  return buildPlan({ rows, snapshot, settings: { source: SOURCE, newAccountId: newId, ...settings } });
}

export function issueCodes(p: SyncPlan): string[] {
  return p.issues.map((i) => i.code);
}

/**
 * Settings for examples that change a stored login: with one or two guardians, any login
 * change is 50–100% of them, above the §6 login-change threshold (tested on its own).
 */
export const LOGINS_MAY_CHANGE: Partial<PlanSettings> = { maxRemovalRatio: 1 };
