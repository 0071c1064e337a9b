// Random sequences of store operations over the conformance roster (plans in either
// district, roster imports, keyed snapshots, exports) and the runner that applies them to a
// store and to the model side by side. The values come from small pools that overlap across
// the two districts (the same student, guardian and staff SIS ids in both, one person in
// both), so that a store mixing districts up shows it within a few operations.
import { expect } from 'vitest';
import type { RosterImport, StaffRecord } from '../contracts/roster-store.js';
import type { FieldChange, LinkChange, RoleStatusChange } from '../model/plan.js';
import type { Account, ResolvedScope, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey } from '../resolve/contact-key.js';
import { buildTestPlan, CONFORMANCE_ROSTER, CONFORMANCE_SCOPE, CONFORMANCE_SCOPE_D2, normalizeAccounts, normalizeLinks, normalizeStudents, type TestPlanItems } from './roster-store-fixtures.js';
import type { RosterStoreHarness } from './roster-store-harness.js';
import { RosterModel } from './roster-store-model.js';
import { applyPlan } from '../apply/apply-plan.js';
import { interruptWrites } from './interrupt-writes.js';

/** Where random choices come from: a seeded generator in the suite, fast-check's `fc.gen()` in a property. */
export interface RandomSource {
  /** An integer in [0, n). */
  int(n: number): number;
}

export type RosterOperation =
  /** With `cutAt`, the apply is first cut off at that write call (`interruptWrites`), then applied again whole. */
  | { readonly kind: 'apply'; readonly districtId: string; readonly items: TestPlanItems; readonly cutAt?: number | undefined }
  | { readonly kind: 'import'; readonly data: RosterImport }
  | { readonly kind: 'snapshot'; readonly scope: ResolvedScope; readonly logins: SnapshotLogins }
  | { readonly kind: 'export'; readonly districtId: string };

/** A seeded generator (mulberry32): the same seed, the same operations, on every machine. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    int(n) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    },
  };
}

const SCOPES: Readonly<Record<string, ResolvedScope>> = { D1: CONFORMANCE_SCOPE, D2: CONFORMANCE_SCOPE_D2 };
const SCHOOL_SCOPES: readonly ResolvedScope[] = [
  { level: 'school', orgId: 'SA', districtId: 'D1', schoolIds: ['SA'] },
  { level: 'school', orgId: 'SB', districtId: 'D1', schoolIds: ['SB'] },
  { level: 'school', orgId: 'SC', districtId: 'D2', schoolIds: ['SC'] },
];
const DISTRICTS = ['D1', 'D2'] as const;
const SCHOOL_OF: Readonly<Record<string, string>> = { D1: 'SA', D2: 'SC' };
const STUDENT_IDS = ['S1', 'S2', 'S3', 'S9'] as const;
const ACCOUNT_IDS = [...(CONFORMANCE_ROSTER.accounts ?? []).map((a) => a.id), 'new-1', 'new-2', 'new-3'] as const;
const GUARDIAN_IDS = ['G1', 'G2', 'G5', 'G9'] as const;
const SOURCES = ['guardian-file', 'manual', 'oneroster'] as const;
const NAMES = ['Ana', 'Sam', 'Lee', 'Kim', 'Zoë'] as const;
/** Logins of the seed, one nobody holds, and one in another letter case. */
const LOGIN_EMAILS = [...(CONFORMANCE_ROSTER.accounts ?? []).flatMap((a) => (a.email === null ? [] : [a.email])), 'nobody@mail.example', 'SAM@mail.example'] as const;
const LOGIN_MOBILES = ['+12025550101', '+12025550104', '+12025550105', '+12025550199'] as const;

function pick<T>(random: RandomSource, values: readonly T[]): T {
  return values[random.int(values.length)]!;
}

function some<T>(random: RandomSource, values: readonly T[], max: number): T[] {
  const out: T[] = [];
  for (let n = random.int(max + 1); n > 0; n--) out.push(pick(random, values));
  return out;
}

function subset<T>(random: RandomSource, values: readonly T[]): T[] {
  return values.filter(() => random.int(2) === 1);
}

/**
 * `length` random operations. Plans never give two accounts one login (an email is the
 * account's own), so a roster import's matching, which picks the smallest id among equals,
 * does not depend on the ids a store gives new accounts.
 */
export function randomRosterOperations(random: RandomSource, length: number): RosterOperation[] {
  const operations: RosterOperation[] = [];
  for (let i = 0; i < length; i++) {
    const kind = random.int(10);
    if (kind < 5) operations.push(randomApply(random));
    else if (kind < 7) operations.push(randomImport(random));
    else if (kind < 9) operations.push({ kind: 'snapshot', scope: random.int(4) === 0 ? pick(random, SCHOOL_SCOPES) : SCOPES[pick(random, DISTRICTS)]!, logins: randomLogins(random) });
    else operations.push({ kind: 'export', districtId: pick(random, DISTRICTS) });
  }
  return operations;
}

function randomApply(random: RandomSource): RosterOperation {
  const districtId = pick(random, DISTRICTS);
  const account = (): string => pick(random, ACCOUNT_IDS);
  const link = (): LinkChange => ({ accountId: account(), studentSisId: pick(random, STUDENT_IDS), lines: [] });
  const status = (): RoleStatusChange => ({ accountId: account(), role: 'guardian', lines: [] });
  const change = (id: string): FieldChange => {
    switch (random.int(4)) {
      case 0:
        return { field: 'firstName', before: null, after: pick(random, NAMES) };
      case 1:
        return { field: 'email', before: null, after: random.int(3) === 0 ? null : `${id}.${random.int(3)}@mail.example` };
      case 2:
        return { field: 'homePhone', before: null, after: random.int(2) === 0 ? null : '+12025550177' };
      default:
        return { field: 'language', before: null, after: pick(random, [null, 'en', 'es']) };
    }
  };
  const items: TestPlanItems = {
    source: pick(random, SOURCES),
    creates: some(random, ['new-1', 'new-2', 'new-3', 'acct-g1'], 2).map((accountId) => ({
      accountId,
      fields: { firstName: pick(random, NAMES), lastName: pick(random, NAMES), email: `${accountId}@mail.example`, mobilePhone: null, homePhone: null, language: null },
      guardianSisIds: subset(random, GUARDIAN_IDS),
      lines: [2],
    })),
    updates: some(random, ACCOUNT_IDS, 2).map((accountId) => ({ accountId, changes: [change(accountId)], lines: [2] })),
    roleAdds: some(random, ACCOUNT_IDS, 2).map((accountId) => ({ accountId, role: 'guardian' as const, sisIds: subset(random, GUARDIAN_IDS), reason: 'new-sis-id' as const, lines: [2] })),
    idRemoves: some(random, ACCOUNT_IDS, 2).map((accountId) => ({ accountId, role: 'guardian' as const, sisIds: subset(random, GUARDIAN_IDS), lines: [2] })),
    linkAdds: Array.from({ length: random.int(4) }, link),
    linkRemoves: Array.from({ length: random.int(4) }, link),
    archives: Array.from({ length: random.int(3) }, status),
    restores: Array.from({ length: random.int(3) }, status),
  };
  // A third of the applies are cut off at a random write call first (a crash, a lost connection).
  return random.int(3) === 0 ? { kind: 'apply', districtId, items, cutAt: random.int(6) } : { kind: 'apply', districtId, items };
}

function randomImport(random: RandomSource): RosterOperation {
  const districtId = pick(random, DISTRICTS);
  const students: Student[] = some(random, STUDENT_IDS, 2).map((sisId) => ({ districtId, sisId, schoolId: SCHOOL_OF[districtId]!, firstName: pick(random, NAMES), lastName: pick(random, NAMES) }));
  const staff: StaffRecord[] = [];
  const seen = new Set<string>();
  for (const sisId of some(random, ['T1', 'T2'], 2)) {
    if (seen.has(sisId)) continue;
    seen.add(sisId);
    staff.push({
      districtId,
      sisId,
      firstName: pick(random, ['Tina', 'Tom', 'Gina']),
      lastName: pick(random, ['Teacher', 'Other', 'Ruiz']),
      email: pick(random, [null, 'tina@school.example', 'tom@school.example', 'gina@mail.example', `${sisId}.${districtId}@school.example`]),
      mobilePhone: pick(random, [null, '+12025550101', '+12025550102']),
      homePhone: null,
      schoolIds: [SCHOOL_OF[districtId]!],
    });
  }
  // Students unique by SIS id within one import, as a roster file holds them.
  const unique = [...new Map(students.map((s) => [s.sisId, s])).values()];
  return { kind: 'import', data: { orgs: [], students: unique, staff } };
}

function randomLogins(random: RandomSource): SnapshotLogins {
  return {
    emails: subset(random, LOGIN_EMAILS).map((e) => emailKey(e) ?? e),
    mobiles: subset(random, LOGIN_MOBILES),
  };
}

/**
 * Applies the operations to the harness's store (seeded with `CONFORMANCE_ROSTER`) and to a
 * model of the same roster, and compares after every operation: apply and import counts,
 * the whole backend (read through `inspect`), snapshots and exports. Plans are cut down to
 * the items the model can apply, so every plan is valid. Throws at the first difference,
 * naming the operation.
 */
export async function compareWithModel(harness: RosterStoreHarness, operations: readonly RosterOperation[]): Promise<void> {
  const { store } = harness;
  const model = new RosterModel(CONFORMANCE_ROSTER);
  let placeholders = 0;
  const done: string[] = [];
  for (const operation of operations) {
    done.push(describeOperation(operation));
    const where = `after operations:\n  ${done.join('\n  ')}`;
    switch (operation.kind) {
      case 'apply': {
        const plan = model.applicable(buildTestPlan(SCOPES[operation.districtId]!, operation.items));
        // Re-applying converges only for a plan whose second apply changes nothing (every plan
        // the planner makes); a hand-made one that undoes itself (creates an id and removes it) is applied once.
        if (operation.cutAt !== undefined && model.appliesOnce(plan)) {
          const before = model.state();
          const outcome = await applyPlan(interruptWrites(store, { afterCalls: operation.cutAt }), plan).then(
            (counts) => counts,
            () => null,
          );
          if (outcome === null) {
            // Atomic: nothing of the cut-off apply is visible. Either way, applying again converges.
            if (store.capabilities.atomicApply) expect(normalizeAccounts(await harness.inspect.accounts()), `accounts after a cut ${where}`).toEqual(before.accounts);
            await applyPlan(store, plan);
            model.apply(plan);
            break;
          }
          // The plan made fewer write calls than the cut: it applied whole.
          expect(outcome, `apply counts ${where}`).toEqual(model.apply(plan));
          break;
        }
        const fromStore = await applyPlan(store, plan);
        expect(fromStore, `apply counts ${where}`).toEqual(model.apply(plan));
        break;
      }
      case 'import': {
        if (store.importRoster === undefined) continue;
        const fromStore = await store.importRoster(operation.data);
        const created: string[] = [];
        const fromModel = model.importRoster(operation.data, () => {
          const id = `model-new-${++placeholders}`;
          created.push(id);
          return id;
        });
        expect(fromStore, `import counts ${where}`).toEqual(fromModel);
        // The store chose its own ids for new staff accounts: give the model's the same.
        const stored = normalizeAccounts(await harness.inspect.accounts());
        const unknown = stored.filter((a) => !model.hasAccount(a.id));
        const modelAccounts = model.state().accounts;
        for (const id of created) {
          const mine = modelAccounts.find((a) => a.id === id);
          const twin = mine === undefined ? undefined : unknown.find((a) => sameExceptId(a, mine));
          if (twin !== undefined) model.renameAccount(id, twin.id);
        }
        break;
      }
      case 'snapshot': {
        const snapshot = await store.loadSnapshot(operation.scope, { logins: operation.logins });
        const ids = snapshot.accounts.map((a) => a.id);
        expect(new Set(ids).size, `each account once in the snapshot ${where}`).toBe(ids.length);
        const expected = model.snapshot(operation.scope, operation.logins);
        expect(normalizeStudents(snapshot.students), `snapshot students ${where}`).toEqual(expected.students);
        expect(normalizeAccounts(snapshot.accounts), `snapshot accounts ${where}`).toEqual(expected.accounts);
        expect(normalizeLinks(snapshot.links), `snapshot links ${where}`).toEqual(expected.links);
        break;
      }
      case 'export': {
        if (store.exportRoster === undefined) continue;
        expect(await store.exportRoster(operation.districtId), `export ${where}`).toEqual(model.export(operation.districtId));
        break;
      }
    }
    const state = model.state();
    expect(normalizeAccounts(await harness.inspect.accounts()), `accounts ${where}`).toEqual(state.accounts);
    expect(normalizeLinks(await harness.inspect.links()), `links ${where}`).toEqual(state.links);
    expect(normalizeStudents(await harness.inspect.students()), `students ${where}`).toEqual(state.students);
  }
}

function sameExceptId(a: Account, b: Account): boolean {
  return JSON.stringify({ ...a, id: '' }) === JSON.stringify({ ...b, id: '' });
}

/** One line per operation, for the failure message (ids and kinds only). */
export function describeOperation(operation: RosterOperation): string {
  switch (operation.kind) {
    case 'apply':
      return `apply in ${operation.districtId}${operation.cutAt === undefined ? '' : `, cut at write call ${operation.cutAt} then again`}: ${JSON.stringify(operation.items)}`;
    case 'import':
      return `import: ${JSON.stringify(operation.data)}`;
    case 'snapshot':
      return `snapshot of ${operation.scope.level} ${operation.scope.orgId} with logins ${JSON.stringify(operation.logins)}`;
    case 'export':
      return `export of ${operation.districtId}`;
  }
}
