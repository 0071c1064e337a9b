// Hand-built plans, reports and a small roster for the conformance suite (no planner: the
// suite must judge a store on its own, whatever the planner does), and the normal forms the
// suite compares backends in.
import type { AccountCreate, AccountUpdate, FieldChange, LinkChange, RoleAdd, RoleStatusChange, SyncPlan } from '../model/plan.js';
import { EMPTY_COUNTS, type SyncReport, type SyncStatus } from '../model/report.js';
import type { Account, AccountFields, AccountRole, GuardianLink, Org, ResolvedScope, Student } from '../model/roster.js';
import type { RosterStoreSeed } from './roster-store-harness.js';

/** The plan's item lists; everything else of a SyncPlan is filled in by {@link buildTestPlan}. */
export interface TestPlanItems {
  readonly source?: string | undefined;
  readonly creates?: readonly AccountCreate[] | undefined;
  readonly updates?: readonly AccountUpdate[] | undefined;
  readonly roleAdds?: readonly RoleAdd[] | undefined;
  readonly linkAdds?: readonly LinkChange[] | undefined;
  readonly linkRemoves?: readonly LinkChange[] | undefined;
  readonly archives?: readonly RoleStatusChange[] | undefined;
  readonly restores?: readonly RoleStatusChange[] | undefined;
}

/** A complete, literal SyncPlan holding the given items (source `guardian-file` unless given). */
export function buildTestPlan(scope: ResolvedScope, items: TestPlanItems): SyncPlan {
  const creates = items.creates ?? [];
  const updates = items.updates ?? [];
  const roleAdds = items.roleAdds ?? [];
  const linkAdds = items.linkAdds ?? [];
  const linkRemoves = items.linkRemoves ?? [];
  const archives = items.archives ?? [];
  const restores = items.restores ?? [];
  return {
    scope,
    source: items.source ?? 'guardian-file',
    creates,
    updates,
    roleAdds,
    linkAdds,
    linkRemoves,
    archives,
    restores,
    held: { linkRemoves: 0, archives: 0 },
    threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, exceeded: false, forced: false },
    rows: [],
    issues: [],
    counts: {
      ...EMPTY_COUNTS,
      accountsCreated: creates.length,
      accountsUpdated: updates.length,
      rolesAdded: roleAdds.length,
      linksAdded: linkAdds.length,
      linksRemoved: linkRemoves.length,
      guardiansArchived: archives.length,
      guardiansRestored: restores.length,
    },
  };
}

export function testFields(firstName: string, lastName: string, contact: Partial<AccountFields> = {}): AccountFields {
  return {
    firstName,
    lastName,
    email: contact.email ?? null,
    mobilePhone: contact.mobilePhone ?? null,
    homePhone: contact.homePhone ?? null,
    language: contact.language ?? null,
  };
}

export function createItem(accountId: string, fields: AccountFields, guardianSisIds: readonly string[] = []): AccountCreate {
  return { accountId, fields, guardianSisIds, lines: [2] };
}

export function updateItem(accountId: string, changes: readonly FieldChange[]): AccountUpdate {
  return { accountId, changes, lines: [2] };
}

export function roleAddItem(accountId: string, sisIds: readonly string[]): RoleAdd {
  return { accountId, role: 'guardian', sisIds, reason: 'new-role', lines: [2] };
}

export function linkItem(accountId: string, studentSisId: string): LinkChange {
  return { accountId, studentSisId, lines: [] };
}

export function roleStatusItem(accountId: string): RoleStatusChange {
  return { accountId, role: 'guardian', lines: [] };
}

/** A saved report with the given identity; counts are distinct per run so mix-ups show. */
export function buildTestReport(runId: string, startedAt: string, scope: SyncReport['scope'], status: SyncStatus = 'succeeded', rows = 1): SyncReport {
  return {
    formatVersion: 1,
    runId,
    startedAt,
    finishedAt: startedAt,
    status,
    dryRun: false,
    scope,
    file: { name: 'guardians.csv', size: 42 + rows, sha256: 'a'.repeat(64), encoding: 'utf-8', delimiter: ',', rows },
    counts: { ...EMPTY_COUNTS, rows, guardians: rows },
    threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, exceeded: false },
    issues: [{ severity: 'warning', code: 'UNKNOWN_STUDENT', line: 3, column: 'studentSisId', message: 'No student "S404" in the roster.' }],
    rows: [{ line: 2, action: 'CREATED', result: 'SUCCESS' }],
  };
}

/**
 * The suite's roster. Districts D1 (schools SA, SB) and D2 (school SC); students S1, S2
 * (SA), S3 (SB), S9 (SC); a teacher, an active guardian, an archived guardian and a claimed
 * guardian; links from three sources.
 */
export const CONFORMANCE_ORGS: readonly Org[] = [
  { id: 'D1', name: 'Unified District', type: 'district', parentId: null },
  { id: 'SA', name: 'Alder Elementary', type: 'school', parentId: 'D1' },
  { id: 'SB', name: 'Birch Middle', type: 'school', parentId: 'D1' },
  { id: 'D2', name: 'Other District', type: 'district', parentId: null },
  { id: 'SC', name: 'Cedar High', type: 'school', parentId: 'D2' },
];

export const CONFORMANCE_STUDENTS: readonly Student[] = [
  { sisId: 'S1', schoolId: 'SA', firstName: 'Ana', lastName: 'Ruiz' },
  { sisId: 'S2', schoolId: 'SA', firstName: 'Ben', lastName: 'Okafor' },
  { sisId: 'S3', schoolId: 'SB', firstName: 'Chloé', lastName: 'Martin' },
  { sisId: 'S9', schoolId: 'SC', firstName: 'Dev', lastName: 'Patel' },
];

export const CONFORMANCE_ACCOUNTS: readonly Account[] = [
  {
    id: 'acct-staff',
    ...testFields('Tina', 'Teacher', { email: 'tina@school.example', mobilePhone: '+12025550101' }),
    claimed: true,
    roles: [{ role: 'staff', sisIds: ['T1'], status: 'active' }],
  },
  {
    id: 'acct-g1',
    ...testFields('Gina', 'Ruiz', { email: 'gina@mail.example', mobilePhone: '+12025550102', language: 'es' }),
    claimed: false,
    roles: [{ role: 'guardian', sisIds: ['G1'], status: 'active' }],
  },
  {
    id: 'acct-g2',
    ...testFields('Arlo', 'Archer', { email: 'arlo@mail.example' }),
    claimed: false,
    roles: [{ role: 'guardian', sisIds: ['G2'], status: 'archived' }],
  },
  {
    id: 'acct-g3',
    ...testFields('Clara', 'Martin', { mobilePhone: '+12025550103' }),
    claimed: true,
    roles: [{ role: 'guardian', sisIds: ['G3', 'G3-OLD'], status: 'active' }],
  },
];

export const CONFORMANCE_LINKS: readonly GuardianLink[] = [
  { accountId: 'acct-g1', studentSisId: 'S1', source: 'guardian-file' },
  { accountId: 'acct-g1', studentSisId: 'S1', source: 'manual' },
  { accountId: 'acct-g3', studentSisId: 'S3', source: 'guardian-file' },
  { accountId: 'acct-g3', studentSisId: 'S2', source: 'oneroster' },
];

export const CONFORMANCE_ROSTER: RosterStoreSeed = {
  orgs: CONFORMANCE_ORGS,
  students: CONFORMANCE_STUDENTS,
  accounts: CONFORMANCE_ACCOUNTS,
  links: CONFORMANCE_LINKS,
};

/** The district scope of D1 as a store resolves it. */
export const CONFORMANCE_SCOPE: ResolvedScope = { level: 'district', orgId: 'D1', districtId: 'D1', schoolIds: ['SA', 'SB'] };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalizeRole(role: AccountRole): AccountRole {
  return { role: role.role, sisIds: [...new Set(role.sisIds)].sort(compare), status: role.status };
}

/** Accounts sorted by id with roles and SIS ids sorted: the form the suite compares in. */
export function normalizeAccounts(accounts: readonly Account[]): Account[] {
  return accounts
    .map((a) => ({
      id: a.id,
      firstName: a.firstName,
      lastName: a.lastName,
      email: a.email,
      mobilePhone: a.mobilePhone,
      homePhone: a.homePhone,
      language: a.language,
      claimed: a.claimed,
      roles: a.roles.map(normalizeRole).sort((x, y) => compare(x.role, y.role)),
    }))
    .sort((a, b) => compare(a.id, b.id));
}

/** Links sorted by account, student, source. */
export function normalizeLinks(links: readonly GuardianLink[]): GuardianLink[] {
  return links
    .map((l) => ({ accountId: l.accountId, studentSisId: l.studentSisId, source: l.source }))
    .sort((a, b) => compare(a.accountId, b.accountId) || compare(a.studentSisId, b.studentSisId) || compare(a.source, b.source));
}
