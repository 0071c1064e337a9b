// The properties IDENTITY-RULES.md says the suite proves, over generated rosters and files
// (numRuns from the global fast-check config; the seed is printed for replay).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { keepsField, type GuardianRow } from '../../src/model/guardian-row.js';
import { isEmptyPlan, type SyncPlan } from '../../src/model/plan.js';
import type { RosterSnapshot } from '../../src/model/roster.js';
import { applyPlanToSnapshot } from '../../src/apply/apply-plan-to-snapshot.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { PlanSettings } from '../../src/plan/plan-input.js';
import { contactKey } from '../../src/resolve/contact-key.js';
import { groupRowsIntoGuardians } from '../../src/resolve/group-rows-into-guardians.js';
import { fileGuardiansArb, messyRowsArb, noisyRowsArb, rowsOf, withUnknownFieldsArb } from '../arbitraries/guardian-rows.js';
import { DISTRICT, DISTRICT_SCOPE, emptyRoster, rosterArb, scopeArb, SOURCE } from '../arbitraries/roster.js';
import { newId } from './plan-fixtures.js';

function planOf(rows: readonly GuardianRow[], snapshot: RosterSnapshot, settings: Partial<PlanSettings> = {}): SyncPlan {
  return buildPlan({ rows, snapshot, settings: { source: SOURCE, newAccountId: newId, force: true, ...settings } });
}

/**
 * A roster as a set of comparable strings: accounts with names folded to lower case (the file's
 * letter case is noise), ids of accounts the plan created replaced by `*`, roles and links sorted.
 */
function canonical(after: RosterSnapshot, before: RosterSnapshot): string[] {
  const known = new Set(before.accounts.map((a) => a.id));
  const linksOf = new Map<string, string[]>();
  for (const l of after.links) linksOf.set(l.accountId, [...(linksOf.get(l.accountId) ?? []), `${l.studentSisId}|${l.source}`]);
  return after.accounts
    .map((a) =>
      JSON.stringify({
        id: known.has(a.id) ? a.id : '*',
        firstName: a.firstName.toLowerCase(),
        lastName: a.lastName.toLowerCase(),
        email: a.email?.toLowerCase() ?? null,
        mobilePhone: a.mobilePhone,
        homePhone: a.homePhone,
        language: a.language,
        claimed: a.claimed,
        roles: a.roles.map((r) => `${r.role}:${[...r.sisIds].sort().join(',')}:${r.status}`).sort(),
        links: (linksOf.get(a.id) ?? []).sort(),
      }),
    )
    .sort();
}

const rosterInScope = scopeArb.chain((scope) => rosterArb({ scope }));
const settingsArb = fc.record({ updateClaimedAccounts: fc.boolean(), mode: fc.constantFrom<'full' | 'delta'>('full', 'full', 'delta') });

describe('identity properties', () => {
  // Files whose outcome may not depend on line order: no two guardians compete for a login,
  // and no stored account holds the ids of two guardians of the file.
  const orderWorld = fc
    .tuple(rosterArb({ singleIdPerAccount: true }), fileGuardiansArb({ distinctContacts: true }))
    .chain(([snapshot, guardians]) => {
      const rows = rowsOf(guardians);
      return fc.tuple(fc.constant(snapshot), fc.constant(rows), noisyRowsArb(rows), fc.boolean());
    });

  test.prop([orderWorld])('row order, letter case, whitespace and NFC/NFD do not change which accounts result', ([snapshot, rows, noisy, claimed]) => {
    const clean = applyPlanToSnapshot(snapshot, planOf(rows, snapshot, { updateClaimedAccounts: claimed }));
    const disturbed = applyPlanToSnapshot(snapshot, planOf(noisy, snapshot, { updateClaimedAccounts: claimed }));
    expect(canonical(disturbed, snapshot)).toEqual(canonical(clean, snapshot));
  });

  test.prop([rosterInScope, messyRowsArb({ deletes: true }), settingsArb])('resolve+plan is idempotent: plan(apply(plan(S, F)), F) is empty', (snapshot, rows, settings) => {
    const once = applyPlanToSnapshot(snapshot, planOf(rows, snapshot, settings));
    const again = planOf(rows, once, settings);
    expect(again.creates).toEqual([]);
    expect(again.updates).toEqual([]);
    expect(isEmptyPlan(again)).toBe(true);
  });

  test.prop([rosterInScope, messyRowsArb({ deletes: true }).chain((rows) => fc.tuple(fc.constant(rows), withUnknownFieldsArb(rows))), settingsArb])(
    'an invalid value or a missing column never changes a stored value (kept fields are never updated)',
    (snapshot, [rows, day2], settings) => {
      // Day 1 stores the file's values; day 2 is the same file with some values unknown.
      const stored = applyPlanToSnapshot(snapshot, planOf(rows, snapshot, settings));
      const p = planOf(day2, stored, settings);
      const { guardians } = groupRowsIntoGuardians(day2);
      const guardianOfLine = new Map(guardians.flatMap((g) => g.rows.map((r) => [r.line, g] as const)));
      for (const update of p.updates) {
        const g = guardianOfLine.get(update.lines[0]!)!;
        for (const change of update.changes) {
          if (change.field === 'firstName' || change.field === 'lastName') continue;
          expect(keepsField(g, change.field), `line ${g.fieldsLine} ${change.field}`).toBe(false);
        }
      }
    },
  );

  test.prop([rosterInScope, messyRowsArb({ deletes: true }), settingsArb])('no two accounts in the result share an email or a mobile phone', (snapshot, rows, settings) => {
    const after = applyPlanToSnapshot(snapshot, planOf(rows, snapshot, settings));
    const emails = after.accounts.flatMap((a) => (a.email === null ? [] : [a.email.toLowerCase()]));
    const mobiles = after.accounts.flatMap((a) => (a.mobilePhone === null ? [] : [a.mobilePhone]));
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(mobiles).size).toBe(mobiles.length);
  });

  test.prop([rosterArb({ singleIdPerAccount: true }), fileGuardiansArb()])(
    'two guardians with different contact keys and different ids are never merged',
    (snapshot, guardians) => {
      const after = applyPlanToSnapshot(snapshot, planOf(rowsOf(guardians), snapshot));
      const keyOfId = new Map(guardians.flatMap((g) => (g.guardianSisId === null ? [] : [[g.guardianSisId, contactKey(g)] as const])));
      for (const account of after.accounts) {
        // Ids are the district's: an equal id held in another district is another person's.
        const ids = account.roles.flatMap((r) => (r.role === 'guardian' && r.districtId === DISTRICT ? r.sisIds : []));
        const keys = new Set(ids.flatMap((id) => (keyOfId.has(id) ? [keyOfId.get(id)] : [])));
        expect(keys.size).toBeLessThanOrEqual(1);
      }
      // Each guardian of the file ends on its own account: the plan's lines never put two
      // guardians with different keys on one account.
      const accountOfLine = new Map<number, string>();
      const p = planOf(rowsOf(guardians), snapshot);
      for (const item of [...p.creates, ...p.updates, ...p.roleAdds, ...p.linkAdds]) for (const line of item.lines) accountOfLine.set(line, item.accountId);
      const rows = rowsOf(guardians);
      for (const a of rows) {
        for (const b of rows) {
          if (a.guardianSisId === null || b.guardianSisId === null || a.guardianSisId === b.guardianSisId) continue;
          if (contactKey(a) === contactKey(b)) continue;
          const x = accountOfLine.get(a.line);
          if (x !== undefined) expect(accountOfLine.get(b.line)).not.toBe(x);
        }
      }
    },
  );

  test.prop([rosterInScope, messyRowsArb({ deletes: true }), settingsArb, fc.double({ min: 0, max: 1, noNaN: true })])(
    'a removal is only ever planned for a link this source manages in this scope; above the threshold no removal, archive or stored-login change is',
    (snapshot, rows, settings, maxRemovalRatio) => {
      const p = planOf(rows, snapshot, { ...settings, force: false, maxRemovalRatio });
      const schools = new Set(snapshot.scope.schoolIds);
      const schoolOf = new Map(snapshot.students.map((s) => [s.sisId, s.schoolId]));
      for (const r of p.linkRemoves) {
        const managed = snapshot.links.some(
          (l) => l.accountId === r.accountId && l.studentSisId === r.studentSisId && l.source === SOURCE && schools.has(schoolOf.get(l.studentSisId) ?? ''),
        );
        expect(managed).toBe(true);
      }
      const { removalRatio, archiveRatio, loginChangeRatio } = p.threshold;
      if (removalRatio > maxRemovalRatio || archiveRatio > maxRemovalRatio) expect(p.linkRemoves.length + p.archives.length).toBe(0);
      // §6: above the threshold, no stored login is changed or cleared (filling an empty one is allowed).
      const loginMoves = p.updates.filter((u) => u.changes.some((c) => (c.field === 'email' || c.field === 'mobilePhone') && c.before !== null));
      if (loginChangeRatio > maxRemovalRatio) expect(loginMoves).toEqual([]);
      else expect(p.held.loginChanges).toBe(0);
    },
  );

  test.prop([fileGuardiansArb({ distinctContacts: true, knownStudentsOnly: true })])(
    'planning against an empty roster and applying yields exactly the file\u2019s families',
    (guardians) => {
      const empty = emptyRoster(DISTRICT_SCOPE);
      const after = applyPlanToSnapshot(empty, planOf(rowsOf(guardians), empty));
      const expected = guardians.map((g) =>
        JSON.stringify({
          name: `${g.firstName} ${g.lastName}`,
          email: g.email,
          mobilePhone: g.mobilePhone,
          homePhone: g.homePhone,
          language: g.language,
          ids: g.guardianSisId === null ? [] : [g.guardianSisId],
          students: [...g.students].sort(),
        }),
      );
      const actual = after.accounts.map((a) =>
        JSON.stringify({
          name: `${a.firstName} ${a.lastName}`,
          email: a.email,
          mobilePhone: a.mobilePhone,
          homePhone: a.homePhone,
          language: a.language,
          ids: a.roles.flatMap((r) => r.sisIds),
          students: after.links
            .filter((l) => l.accountId === a.id)
            .map((l) => l.studentSisId)
            .sort(),
        }),
      );
      expect(actual.sort()).toEqual(expected.sort());
    },
  );

  test.prop([rosterInScope, messyRowsArb({ deletes: true }), settingsArb, fc.boolean()])(
    'the same input planned twice gives the same plan (what a dry run and a real run share)',
    (snapshot, rows, settings, force) => {
      expect(planOf(rows, snapshot, { ...settings, force })).toEqual(planOf(rows, snapshot, { ...settings, force }));
    },
  );

  test.prop([rosterInScope, messyRowsArb({ deletes: true }), settingsArb])('applying a plan twice leaves the roster as applying it once', (snapshot, rows, settings) => {
    const p = planOf(rows, snapshot, settings);
    const once = applyPlanToSnapshot(snapshot, p);
    expect(canonical(applyPlanToSnapshot(once, p), snapshot)).toEqual(canonical(once, snapshot));
  });

  test.prop([rosterInScope, messyRowsArb(), fc.nat()])('interrupting apply at any step and re-running converges to the clean result', (snapshot, rows, cut) => {
    const p = planOf(rows, snapshot);
    const clean = applyPlanToSnapshot(snapshot, p);
    const partial = applyPlanToSnapshot(snapshot, prefixOf(p, cut));
    const rerun = applyPlanToSnapshot(partial, planOf(rows, partial));
    expect(canonical(rerun, snapshot)).toEqual(canonical(clean, snapshot));
  });
});

/**
 * The part of a plan a non-atomic store applied before dying, in the documented apply order:
 * updates, creates, role adds, restores, archives, link adds, link removes.
 */
function prefixOf(p: SyncPlan, cut: number): SyncPlan {
  const kinds = ['updates', 'creates', 'roleAdds', 'restores', 'archives', 'linkAdds', 'linkRemoves'] as const;
  const total = kinds.reduce((n, k) => n + p[k].length, 0);
  let left = total === 0 ? 0 : cut % (total + 1);
  const out: Record<string, unknown> = { ...p };
  for (const kind of kinds) {
    const items = p[kind] as readonly unknown[];
    out[kind] = items.slice(0, left);
    left = Math.max(0, left - items.length);
  }
  return out as unknown as SyncPlan;
}
