// Hand-built plans, reports and a small roster for the conformance suite (no planner: the
// suite must judge a store on its own, whatever the planner does), and the normal forms the
// suite compares backends in.
import type { AccountCreate, AccountUpdate, FieldChange, LinkChange, RoleAdd, RoleIdRemove, RoleStatusChange, SyncPlan } from '../model/plan.js';
import { EMPTY_COUNTS, REPORT_CHANGE_FIELDS, type SyncReport, type SyncStatus } from '../model/report.js';
import type { Account, AccountFields, AccountRole, GuardianLink, Org, ResolvedScope, SnapshotRequest, Student } from '../model/roster.js';
import type { RosterStoreSeed } from './roster-store-harness.js';

/** The plan's item lists; everything else of a SyncPlan is filled in by {@link buildTestPlan}. */
export interface TestPlanItems {
  readonly source?: string | undefined;
  readonly creates?: readonly AccountCreate[] | undefined;
  readonly updates?: readonly AccountUpdate[] | undefined;
  readonly roleAdds?: readonly RoleAdd[] | undefined;
  readonly idRemoves?: readonly RoleIdRemove[] | undefined;
  readonly linkAdds?: readonly LinkChange[] | undefined;
  readonly linkRemoves?: readonly LinkChange[] | undefined;
  readonly archives?: readonly RoleStatusChange[] | undefined;
  readonly restores?: readonly RoleStatusChange[] | undefined;
}

/**
 * A complete, literal SyncPlan holding the given items (source `guardian-file` unless given).
 * Every role and link item concerns `scope.districtId`.
 */
export function buildTestPlan(scope: ResolvedScope, items: TestPlanItems): SyncPlan {
  const creates = items.creates ?? [];
  const updates = items.updates ?? [];
  const roleAdds = items.roleAdds ?? [];
  const idRemoves = items.idRemoves ?? [];
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
    idRemoves,
    linkAdds,
    linkRemoves,
    archives,
    restores,
    held: { linkRemoves: 0, archives: 0, loginChanges: 0 },
    threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, loginChangeRatio: 0, exceeded: false, forced: false },
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

/** Takes guardian SIS ids off the account's guardian role in the plan's district. */
export function idRemoveItem(accountId: string, sisIds: readonly string[]): RoleIdRemove {
  return { accountId, role: 'guardian', sisIds, lines: [2] };
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
    changeFields: REPORT_CHANGE_FIELDS,
    changes: [{ kind: 'created', lines: [2], accountId: `acct-${runId}` }],
  };
}


/**
 * The suite's roster: two districts whose SIS ids overlap, as on a platform serving many.
 * - D1 (schools SA, SB): students S1, S2 (SA), S3 (SB); a claimed teacher (staff T1), an
 *   active, an archived and a claimed guardian (G1, G2, G3 + G3-OLD).
 * - D2 (school SC): students S1 (another child than D1's S1) and S9; a guardian holding G2
 *   (D1's G2 is someone else) whose email is stored in mixed case; a teacher holding staff
 *   T1 (D1's T1 is someone else), linked by a manual invite to D1's S3 without any D1 role.
 * - acct-shared is one person in both districts: guardian G5 in D1 and G1 in D2 (D1's G1
 *   is Gina), linked to a student in each; its `language` is empty.
 * - acct-lone holds no role and no link: only a snapshot asked for its login returns it.
 * - Links from three sources (guardian-file, manual, oneroster).
 */
export const CONFORMANCE_ORGS: readonly Org[] = [
  { id: 'D1', name: 'Unified District', type: 'district', parentId: null },
  { id: 'SA', name: 'Alder Elementary', type: 'school', parentId: 'D1' },
  { id: 'SB', name: 'Birch Middle', type: 'school', parentId: 'D1' },
  { id: 'D2', name: 'Other District', type: 'district', parentId: null },
  { id: 'SC', name: 'Cedar High', type: 'school', parentId: 'D2' },
];

export const CONFORMANCE_STUDENTS: readonly Student[] = [
  { districtId: 'D1', sisId: 'S1', schoolId: 'SA', firstName: 'Ana', lastName: 'Ruiz' },
  { districtId: 'D1', sisId: 'S2', schoolId: 'SA', firstName: 'Ben', lastName: 'Okafor' },
  { districtId: 'D1', sisId: 'S3', schoolId: 'SB', firstName: 'Chloé', lastName: 'Martin' },
  { districtId: 'D2', sisId: 'S1', schoolId: 'SC', firstName: 'Dana', lastName: 'Kim' },
  { districtId: 'D2', sisId: 'S9', schoolId: 'SC', firstName: 'Dev', lastName: 'Patel' },
];

export const CONFORMANCE_ACCOUNTS: readonly Account[] = [
  {
    id: 'acct-staff',
    ...testFields('Tina', 'Teacher', { email: 'tina@school.example', mobilePhone: '+12025550101' }),
    claimed: true,
    roles: [{ role: 'staff', districtId: 'D1', sisIds: ['T1'], status: 'active' }],
  },
  {
    id: 'acct-g1',
    ...testFields('Gina', 'Ruiz', { email: 'gina@mail.example', mobilePhone: '+12025550102', language: 'es' }),
    claimed: false,
    roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G1'], status: 'active' }],
  },
  {
    id: 'acct-g2',
    ...testFields('Arlo', 'Archer', { email: 'arlo@mail.example' }),
    claimed: false,
    roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G2'], status: 'archived' }],
  },
  {
    id: 'acct-g3',
    ...testFields('Clara', 'Martin', { mobilePhone: '+12025550103' }),
    claimed: true,
    roles: [{ role: 'guardian', districtId: 'D1', sisIds: ['G3', 'G3-OLD'], status: 'active' }],
  },
  {
    id: 'acct-shared',
    ...testFields('Sam', 'Lee', { email: 'sam@mail.example' }),
    claimed: false,
    roles: [
      { role: 'guardian', districtId: 'D1', sisIds: ['G5'], status: 'active' },
      { role: 'guardian', districtId: 'D2', sisIds: ['G1'], status: 'active' },
    ],
  },
  {
    id: 'acct-d2',
    ...testFields('Kai', 'Kim', { email: 'Kai.Kim@Mail.example', mobilePhone: '+12025550104', language: 'ko' }),
    claimed: false,
    roles: [{ role: 'guardian', districtId: 'D2', sisIds: ['G2'], status: 'active' }],
  },
  {
    id: 'acct-d2-staff',
    ...testFields('Tom', 'Other', { email: 'tom@school.example' }),
    claimed: false,
    roles: [{ role: 'staff', districtId: 'D2', sisIds: ['T1'], status: 'active' }],
  },
  {
    id: 'acct-lone',
    ...testFields('Lou', 'Lone', { email: 'lou@mail.example', mobilePhone: '+12025550105' }),
    claimed: false,
    roles: [],
  },
];

export const CONFORMANCE_LINKS: readonly GuardianLink[] = [
  { accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S1', source: 'guardian-file' },
  { accountId: 'acct-g1', districtId: 'D1', studentSisId: 'S1', source: 'manual' },
  { accountId: 'acct-g3', districtId: 'D1', studentSisId: 'S3', source: 'guardian-file' },
  { accountId: 'acct-g3', districtId: 'D1', studentSisId: 'S2', source: 'oneroster' },
  { accountId: 'acct-shared', districtId: 'D1', studentSisId: 'S2', source: 'guardian-file' },
  { accountId: 'acct-shared', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' },
  { accountId: 'acct-d2', districtId: 'D2', studentSisId: 'S1', source: 'guardian-file' },
  { accountId: 'acct-d2', districtId: 'D2', studentSisId: 'S9', source: 'manual' },
  { accountId: 'acct-d2-staff', districtId: 'D1', studentSisId: 'S3', source: 'manual' },
];

export const CONFORMANCE_ROSTER: RosterStoreSeed = {
  orgs: CONFORMANCE_ORGS,
  students: CONFORMANCE_STUDENTS,
  accounts: CONFORMANCE_ACCOUNTS,
  links: CONFORMANCE_LINKS,
};

/** The district scope of D1 as a store resolves it. */
export const CONFORMANCE_SCOPE: ResolvedScope = { level: 'district', orgId: 'D1', districtId: 'D1', schoolIds: ['SA', 'SB'] };

/** The district scope of D2 as a store resolves it. */
export const CONFORMANCE_SCOPE_D2: ResolvedScope = { level: 'district', orgId: 'D2', districtId: 'D2', schoolIds: ['SC'] };

/** A snapshot request carrying no login. */
export const NO_LOGINS: SnapshotRequest = { logins: { emails: [], mobiles: [] } };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalizeRole(role: AccountRole): AccountRole {
  return { role: role.role, districtId: role.districtId, sisIds: [...new Set(role.sisIds)].sort(compare), status: role.status };
}

/** Accounts sorted by id with roles (by district, then name) and SIS ids sorted: the form the suite compares in. */
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
      roles: a.roles.map(normalizeRole).sort((x, y) => compare(x.districtId, y.districtId) || compare(x.role, y.role)),
    }))
    .sort((a, b) => compare(a.id, b.id));
}

/** Links sorted by account, district, student, source. */
export function normalizeLinks(links: readonly GuardianLink[]): GuardianLink[] {
  return links
    .map((l) => ({ accountId: l.accountId, districtId: l.districtId, studentSisId: l.studentSisId, source: l.source }))
    .sort((a, b) => compare(a.accountId, b.accountId) || compare(a.districtId, b.districtId) || compare(a.studentSisId, b.studentSisId) || compare(a.source, b.source));
}

/** Students sorted by district, then SIS id. */
export function normalizeStudents(students: readonly Student[]): Student[] {
  return students
    .map((s) => ({ districtId: s.districtId, sisId: s.sisId, schoolId: s.schoolId, firstName: s.firstName, lastName: s.lastName }))
    .sort((a, b) => compare(a.districtId, b.districtId) || compare(a.sisId, b.sisId));
}

/** The seed's accounts of these ids, normalized (a test's expected values). */
export function conformanceAccounts(...ids: readonly string[]): Account[] {
  return normalizeAccounts(CONFORMANCE_ACCOUNTS.filter((a) => ids.includes(a.id)));
}

/** The seed's account of this id, normalized. */
export function conformanceAccount(id: string): Account {
  const found = conformanceAccounts(id)[0];
  if (found === undefined) throw new Error(`No account "${id}" in the conformance roster.`);
  return found;
}
