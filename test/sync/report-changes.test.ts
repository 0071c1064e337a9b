// The report's changes from a plan (buildReportChanges): one entry per item with its kind,
// lines, account, fields or student and display name; in line order then kind; and, after a
// failed apply, only what landed (appliedChanges). The counting sort by line is checked
// against a plain stable sort, and the names against a plain Map of every account.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AccountCreate, AccountUpdate, FieldChange, LinkChange, RoleAdd, RoleIdRemove, RoleStatusChange, SyncPlan } from '../../src/model/plan.js';
import { REPORT_CHANGE_KINDS, type ReportChange } from '../../src/model/report.js';
import type { ResolvedScope } from '../../src/model/roster.js';
import { appliedChanges, buildReportChanges, type NamedAccount } from '../../src/sync/report-changes.js';
import { buildTestPlan, testFields } from '../../src/testing/roster-store-fixtures.js';

const SCOPE: ResolvedScope = { level: 'district', orgId: 'D1', districtId: 'D1', schoolIds: ['SA'] };

const STORED: NamedAccount[] = [
  { id: 'staff-1', firstName: 'Maria', lastName: 'García' },
  { id: 'acc-old', firstName: 'Tom', lastName: 'Baker' },
  { id: 'acc-renamed', firstName: 'Grace', lastName: 'Kim' },
  { id: 'acc-mono', firstName: '', lastName: 'Madonna' },
  { id: 'acc-unrelated', firstName: 'Not', lastName: 'Named' },
];

const change = (field: FieldChange['field'], after: string | null): FieldChange => ({ field, before: 'x', after });

/** A plan with one item of every kind, lines out of order across kinds. */
function everyKindPlan(): SyncPlan {
  return buildTestPlan(SCOPE, {
    creates: [{ accountId: 'acc-new', fields: testFields('Ana', 'López', { email: 'ana@example.com' }), guardianSisIds: ['G1'], lines: [5, 6] }],
    updates: [
      { accountId: 'acc-renamed', changes: [change('email', 'grace@example.com'), change('lastName', 'Kim-Park'), change('email', 'g@example.com')], lines: [4] },
      { accountId: 'staff-1', changes: [change('mobilePhone', '+12025550100')], lines: [3] },
    ],
    roleAdds: [{ accountId: 'staff-1', role: 'guardian', sisIds: ['G5'], reason: 'new-role', lines: [3] }],
    restores: [{ accountId: 'acc-mono', role: 'guardian', lines: [7] }],
    archives: [{ accountId: 'acc-old', role: 'guardian', lines: [] }],
    linkAdds: [
      { accountId: 'acc-new', studentSisId: 'S2', lines: [6] },
      { accountId: 'acc-new', studentSisId: 'S1', lines: [5] },
      { accountId: 'staff-1', studentSisId: 'S5', lines: [3] },
    ],
    linkRemoves: [{ accountId: 'acc-old', studentSisId: 'S9', lines: [] }],
    idRemoves: [{ accountId: 'acc-old', role: 'guardian', sisIds: ['G1'], lines: [5] }],
  });
}

describe('buildReportChanges', () => {
  it('makes one entry per plan item, in line order then kind, with names and never a contact value', () => {
    const changes = buildReportChanges(everyKindPlan(), STORED);
    expect(changes).toEqual([
      { kind: 'updated', lines: [3], accountId: 'staff-1', fields: ['mobilePhone'], name: 'Maria García' },
      { kind: 'role-added', lines: [3], accountId: 'staff-1', name: 'Maria García' },
      { kind: 'linked', lines: [3], accountId: 'staff-1', studentSisId: 'S5', name: 'Maria García' },
      // An update names its fields once each, in the order of the account's fields, and the new name.
      { kind: 'updated', lines: [4], accountId: 'acc-renamed', fields: ['lastName', 'email'], name: 'Grace Kim-Park' },
      { kind: 'created', lines: [5, 6], accountId: 'acc-new', name: 'Ana López' },
      { kind: 'linked', lines: [5], accountId: 'acc-new', studentSisId: 'S1', name: 'Ana López' },
      { kind: 'id-removed', lines: [5], accountId: 'acc-old', name: 'Tom Baker' },
      { kind: 'linked', lines: [6], accountId: 'acc-new', studentSisId: 'S2', name: 'Ana López' },
      { kind: 'restored', lines: [7], accountId: 'acc-mono', name: 'Madonna' },
      // Changes no line asks for come last, by kind.
      { kind: 'archived', lines: [], accountId: 'acc-old', name: 'Tom Baker' },
      { kind: 'unlinked', lines: [], accountId: 'acc-old', studentSisId: 'S9', name: 'Tom Baker' },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/@example\.com|\+1202/);
  });

  it('holds references, not copies: the plan item\'s lines, one frozen fields array per set of fields', () => {
    const plan = buildTestPlan(SCOPE, {
      updates: [
        { accountId: 'staff-1', changes: [change('language', 'es'), change('email', 'a@example.com')], lines: [2] },
        { accountId: 'acc-old', changes: [change('email', 'b@example.com'), change('language', null)], lines: [3] },
      ],
    });
    const [first, second] = buildReportChanges(plan, STORED) as [ReportChange & { fields: readonly string[] }, ReportChange & { fields: readonly string[] }];
    expect(first.lines).toBe(plan.updates[0]!.lines);
    expect(first.fields).toEqual(['email', 'language']);
    expect(first.fields).toBe(second.fields);
    expect(Object.isFrozen(first.fields)).toBe(true);
  });

  it('names a created account found by id when an item\'s first line is not one of its create\'s, and leaves an unknown account unnamed', () => {
    const plan = buildTestPlan(SCOPE, {
      creates: [{ accountId: 'acc-new', fields: testFields('Ana', ''), guardianSisIds: [], lines: [2] }],
      linkAdds: [
        { accountId: 'acc-new', studentSisId: 'S1', lines: [9] },
        { accountId: 'acc-ghost', studentSisId: 'S2', lines: [3] },
      ],
    });
    const changes = buildReportChanges(plan, STORED);
    expect(changes.map((c) => [c.accountId, c.lines, c.name])).toEqual([
      ['acc-new', [2], 'Ana'],
      ['acc-ghost', [3], undefined],
      ['acc-new', [9], 'Ana'],
    ]);
  });

  it('makes nothing of an empty plan', () => {
    expect(buildReportChanges(buildTestPlan(SCOPE, {}), STORED)).toEqual([]);
  });

  test.prop([planArb()])('equals the plain definition: the items in kind order, stably sorted by first line, named through a Map of every account', (plan) => {
    const changes = buildReportChanges(plan, STORED);
    expect(changes).toEqual(plainChanges(plan, STORED));
  });
});

describe('appliedChanges', () => {
  const changes = buildReportChanges(everyKindPlan(), STORED);

  it('keeps the changes whose every line landed, and none without lines', () => {
    const kept = appliedChanges(changes, new Set([5]));
    expect(kept.map((c) => `${c.kind} ${c.accountId} ${c.lines.join(',')}`)).toEqual([
      'updated staff-1 3',
      'role-added staff-1 3',
      'linked staff-1 3',
      'updated acc-renamed 4',
      'linked acc-new 6',
      'restored acc-mono 7',
    ]);
  });

  it('keeps nothing when nothing is known to have landed, or nothing did', () => {
    expect(appliedChanges(changes, undefined)).toEqual([]);
    expect(appliedChanges(changes, new Set([3, 4, 5, 6, 7]))).toEqual([]);
  });
});

// ---- the plain definition, and random plans with random lines ----

function plainChanges(plan: SyncPlan, accounts: readonly NamedAccount[]): ReportChange[] {
  const names = new Map<string, string>();
  const join = (first: string, last: string): string => [first, last].filter((part) => part !== '').join(' ');
  for (const account of accounts) names.set(account.id, join(account.firstName, account.lastName));
  for (const u of plan.updates) {
    const stored = accounts.find((a) => a.id === u.accountId);
    const after = (field: 'firstName' | 'lastName'): string | undefined => {
      const c = u.changes.find((x) => x.field === field);
      return c === undefined ? undefined : (c.after ?? '');
    };
    if (stored !== undefined && (after('firstName') !== undefined || after('lastName') !== undefined)) {
      names.set(u.accountId, join(after('firstName') ?? stored.firstName, after('lastName') ?? stored.lastName));
    }
  }
  for (const c of plan.creates) names.set(c.accountId, join(c.fields.firstName, c.fields.lastName));
  const order: ReportChange['kind'][] = [...REPORT_CHANGE_KINDS];
  const fieldOrder = ['firstName', 'lastName', 'email', 'mobilePhone', 'homePhone', 'language'];
  const all: ReportChange[] = [
    ...plan.creates.map((c): ReportChange => ({ kind: 'created', lines: c.lines, accountId: c.accountId, name: names.get(c.accountId) })),
    ...plan.updates.map(
      (u): ReportChange => ({ kind: 'updated', lines: u.lines, accountId: u.accountId, fields: fieldOrder.filter((f) => u.changes.some((c) => c.field === f)) as never, name: names.get(u.accountId) }),
    ),
    ...plan.roleAdds.map((r): ReportChange => ({ kind: 'role-added', lines: r.lines, accountId: r.accountId, name: names.get(r.accountId) })),
    ...plan.restores.map((r): ReportChange => ({ kind: 'restored', lines: r.lines, accountId: r.accountId, name: names.get(r.accountId) })),
    ...plan.archives.map((a): ReportChange => ({ kind: 'archived', lines: [], accountId: a.accountId, name: names.get(a.accountId) })),
    ...plan.linkAdds.map((l): ReportChange => ({ kind: 'linked', lines: l.lines, accountId: l.accountId, studentSisId: l.studentSisId, name: names.get(l.accountId) })),
    ...plan.linkRemoves.map((l): ReportChange => ({ kind: 'unlinked', lines: l.lines, accountId: l.accountId, studentSisId: l.studentSisId, name: names.get(l.accountId) })),
    ...plan.idRemoves.map((r): ReportChange => ({ kind: 'id-removed', lines: r.lines, accountId: r.accountId, name: names.get(r.accountId) })),
  ];
  expect(all.map((c) => c.kind)).toEqual([...all.map((c) => c.kind)].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  return all.sort((a, b) => (a.lines[0] ?? Infinity) - (b.lines[0] ?? Infinity));
}

/**
 * Plans over the stored accounts and up to six created ones, whose guardians own disjoint
 * lines (as a planner's do); other items take lines of their account's guardian, or none.
 */
function planArb(): fc.Arbitrary<SyncPlan> {
  const storedIds = STORED.map((a) => a.id);
  return fc
    .record({
      creates: fc.uniqueArray(fc.record({ id: fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'n6'), first: fc.constantFrom('Ana', '', 'Zoë'), last: fc.constantFrom('Lee', '', "O'Neill") }), {
        selector: (c) => c.id,
        maxLength: 6,
      }),
      lineSets: fc.array(fc.uniqueArray(fc.integer({ min: 2, max: 40 }), { minLength: 1, maxLength: 3 }), { minLength: 12, maxLength: 12 }),
    })
    .chain(({ creates, lineSets }) => {
      // Guardian g owns the lines of lineSets[g] not owned by an earlier guardian.
      const owned = new Set<number>();
      const linesOf = lineSets.map((set) => set.filter((line) => !owned.has(line) && owned.add(line) !== undefined).sort((a, b) => a - b));
      const createItems: AccountCreate[] = creates.map((c, g) => ({ accountId: c.id, fields: testFields(c.first, c.last), guardianSisIds: [], lines: linesOf[g]!.length > 0 ? linesOf[g]! : [100 + g] }));
      const accounts = [...createItems.map((c) => c.accountId), ...storedIds];
      // An item of account a: lines from that account's guardian (a sub-list), or none.
      const guardianLines = (id: string): readonly number[] => {
        const create = createItems.find((c) => c.accountId === id);
        return create !== undefined ? create.lines : (linesOf[6 + storedIds.indexOf(id)] ?? []);
      };
      const item = fc.record({ accountId: fc.constantFrom(...accounts), take: fc.nat({ max: 3 }) }).map(({ accountId, take }) => ({ accountId, lines: guardianLines(accountId).slice(0, take) }));
      const changeArb = fc.record({ field: fc.constantFrom('firstName', 'lastName', 'email', 'language' as const), before: fc.constant(null), after: fc.constantFrom(null, 'Kai', 'x@example.com') });
      const stored = item.filter((i) => storedIds.includes(i.accountId));
      return fc
        .record({
          updates: fc.array(fc.record({ base: stored, changes: fc.array(changeArb, { minLength: 1, maxLength: 3 }) }), { maxLength: 4 }),
          roleAdds: fc.array(stored, { maxLength: 3 }),
          restores: fc.array(stored, { maxLength: 2 }),
          archives: fc.array(item, { maxLength: 3 }),
          linkAdds: fc.array(fc.record({ base: item, student: fc.constantFrom('S1', 'S2', 'S3') }), { maxLength: 8 }),
          linkRemoves: fc.array(fc.record({ base: item, student: fc.constantFrom('S1', 'S9') }), { maxLength: 3 }),
          idRemoves: fc.array(stored, { maxLength: 2 }),
        })
        .map((items) =>
          buildTestPlan(SCOPE, {
            creates: createItems,
            // One update per account, as a planner makes.
            updates: items.updates
              .filter((u, i) => items.updates.findIndex((v) => v.base.accountId === u.base.accountId) === i)
              .map((u): AccountUpdate => ({ accountId: u.base.accountId, changes: u.changes, lines: u.base.lines })),
            roleAdds: items.roleAdds.map((r): RoleAdd => ({ ...r, role: 'guardian', sisIds: ['G9'], reason: 'new-sis-id' })),
            restores: items.restores.map((r): RoleStatusChange => ({ ...r, role: 'guardian' })),
            archives: items.archives.map((a): RoleStatusChange => ({ accountId: a.accountId, role: 'guardian', lines: [] })),
            linkAdds: items.linkAdds.map((l): LinkChange => ({ accountId: l.base.accountId, studentSisId: l.student, lines: l.base.lines })),
            linkRemoves: items.linkRemoves.map((l): LinkChange => ({ accountId: l.base.accountId, studentSisId: l.student, lines: l.base.lines })),
            idRemoves: items.idRemoves.map((r): RoleIdRemove => ({ ...r, role: 'guardian', sisIds: ['G8'] })),
          }),
        );
    });
}
