// A whole platform's roster as one value, for the district rules (IDENTITY-RULES §7): the
// keyed snapshot a store must return for a district (the RosterSnapshot contract, written
// the plain way), a sync of one district applied to the whole, and the view one district has
// of the result (CONTRACTS.md `export --org`).
import type { GuardianRow } from '../../src/model/guardian-row.js';
import type { SyncPlan } from '../../src/model/plan.js';
import { roleIn, type Account, type GuardianLink, type ResolvedScope, type RosterSnapshot, type Student } from '../../src/model/roster.js';
import { applyPlanToSnapshot } from '../../src/apply/apply-plan-to-snapshot.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { PlanSettings } from '../../src/plan/plan-input.js';
import { snapshotLogins } from '../../src/plan/snapshot-logins.js';
import { keyedSnapshotByScan } from '../../src/testing/roster-store-model.js';
import { SOURCE } from '../arbitraries/roster.js';

export interface PlatformWorld {
  readonly students: readonly Student[];
  readonly accounts: readonly Account[];
  readonly links: readonly GuardianLink[];
}

/** What a store must return for `scope` and the file's logins, and nothing more (the conformance suite's definition). */
export function keyedSnapshot(world: PlatformWorld, scope: ResolvedScope, rows: readonly GuardianRow[]): RosterSnapshot {
  return keyedSnapshotByScan(world, scope, snapshotLogins(rows));
}

/** New account ids carry the district: a host's ids are unique platform-wide. */
export function platformNewId(districtId: string): (guardianKey: string) => string {
  return (key) => `new:${districtId}:${key}`;
}

/** One sync of `scope`'s district: plan against the keyed snapshot, apply to the whole platform. */
export function syncDistrict(
  world: PlatformWorld,
  scope: ResolvedScope,
  rows: readonly GuardianRow[],
  settings: Partial<PlanSettings> = {},
): { world: PlatformWorld; plan: SyncPlan } {
  const plan = buildPlan({
    rows,
    snapshot: keyedSnapshot(world, scope, rows),
    settings: { source: SOURCE, newAccountId: platformNewId(scope.districtId), force: true, ...settings },
  });
  const after = applyPlanToSnapshot({ scope, students: world.students, accounts: world.accounts, links: world.links }, plan);
  return { world: { students: world.students, accounts: after.accounts, links: after.links }, plan };
}

/**
 * What district `d` sees, as comparable strings: its students, its links, and each account
 * holding a role in it or a link to its students, with its roles there. Names and contacts
 * are shown for accounts with an active role in `d` (the accounts it shares; §7.5); the
 * language left out with `ignoreLanguage` (another district's file may fill an empty one:
 * see {@link languagesOverwritten}).
 */
export function districtView(world: PlatformWorld, d: string, options: { readonly ignoreLanguage?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const s of world.students) if (s.districtId === d) out.push(`student ${s.sisId} ${s.schoolId} ${s.firstName} ${s.lastName}`);
  const linked = new Set<string>();
  for (const l of world.links) {
    if (l.districtId !== d) continue;
    linked.add(l.accountId);
    out.push(`link ${l.accountId} ${l.studentSisId} ${l.source}`);
  }
  for (const a of world.accounts) {
    const roles = a.roles.filter((r) => r.districtId === d);
    if (roles.length === 0 && !linked.has(a.id)) continue;
    out.push(`account ${a.id} ${roles.map((r) => `${r.role}:${[...r.sisIds].sort().join(',')}:${r.status}`).sort().join(' ')}`);
    if (roles.some((r) => r.status === 'active')) {
      const language = options.ignoreLanguage === true ? '-' : a.language;
      out.push(`contact ${a.id} ${a.firstName}|${a.lastName}|${a.email}|${a.mobilePhone}|${a.homePhone}|${language}`);
    }
  }
  return out.sort();
}

/** Accounts whose language was set before and is different after (an empty one may be filled; a set one never changes). */
export function languagesOverwritten(before: PlatformWorld, after: PlatformWorld, accountIds: ReadonlySet<string>): string[] {
  const was = new Map(before.accounts.map((a) => [a.id, a.language]));
  return after.accounts.filter((a) => accountIds.has(a.id) && (was.get(a.id) ?? null) !== null && was.get(a.id) !== a.language).map((a) => a.id);
}

/** Guardian ids of district `d` held by more than one account (§2.1: must be none). */
export function idsOnSeveralAccounts(world: PlatformWorld, d: string): string[] {
  const holders = new Map<string, Set<string>>();
  for (const a of world.accounts) {
    for (const id of roleIn(a, 'guardian', d)?.sisIds ?? []) {
      const set = holders.get(id) ?? new Set<string>();
      set.add(a.id);
      holders.set(id, set);
    }
  }
  return [...holders].filter(([, set]) => set.size > 1).map(([id]) => id);
}

/** The account holding each guardian id of district `d`. */
export function idHolders(world: PlatformWorld, d: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of world.accounts) for (const id of roleIn(a, 'guardian', d)?.sisIds ?? []) out.set(id, a.id);
  return out;
}
