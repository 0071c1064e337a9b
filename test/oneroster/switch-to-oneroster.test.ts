// A district moving from guardians.csv to OneRoster keeps every account: the roster comes
// from the OneRoster import, day 1 syncs the guardians.csv, day 2 the OneRoster export of
// the same people. No account is created on day 2, every guardian links to the same students.
import { describe, expect, it } from 'vitest';
import { LINK_SOURCES, type RosterSnapshot } from '../../src/model/roster.js';
import { createOneRosterFiles } from '../../src/oneroster/oneroster-files.js';
import { importOneRosterRoster } from '../../src/sync/import-oneroster-roster.js';
import { readOneRosterGuardians } from '../../src/oneroster/read-oneroster-guardians.js';
import { applyPlanToSnapshot } from '../../src/apply/apply-plan-to-snapshot.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { snapshotLogins } from '../../src/plan/snapshot-logins.js';
import { createMemoryStore } from '../../src/stores/memory-store.js';
import { readGuardiansCsv } from '../../src/input/read-guardians-csv.js';
import { encodeFiles, generateOneRosterDistrict, toGuardiansCsv, toOneRoster11, toOneRoster12 } from '../arbitraries/oneroster.js';

/** Account id → the students it is linked to by one source. */
function linksBySource(snapshot: RosterSnapshot, source: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const link of snapshot.links) {
    if (link.source !== source) continue;
    out.set(link.accountId, [...(out.get(link.accountId) ?? []), link.studentSisId].sort());
  }
  return out;
}

describe('switching from guardians.csv to OneRoster', () => {
  for (const form of ['1.1', '1.2'] as const) {
    it(`keeps every account (OneRoster ${form})`, async () => {
      const district = generateOneRosterDistrict({ seed: 424242, students: 400 });
      const oneRoster = createOneRosterFiles(encodeFiles(form === '1.1' ? toOneRoster11(district) : toOneRoster12(district)));
      const store = createMemoryStore();
      await importOneRosterRoster(oneRoster, store);
      const scope = await store.resolveScope({ level: 'district', orgId: district.districtId });
      if (scope === null) throw new Error('the imported district is not a scope');
      let next = 0;
      const newAccountId = (): string => `acc-${++next}`;

      const csv = await readGuardiansCsv(new TextEncoder().encode(toGuardiansCsv(district)), { format: 'guardians', fileName: 'guardians.csv' });
      expect(csv.rejected).toEqual([]);
      const fromOneRoster = readOneRosterGuardians(oneRoster);
      expect(fromOneRoster.rejected).toEqual([]);
      // One snapshot serves both days (the plans are applied to it in memory): it must hold the
      // accounts of every login either file carries.
      const day0 = await store.loadSnapshot(scope, { logins: snapshotLogins([...csv.rows, ...fromOneRoster.rows]) });
      const plan1 = buildPlan({ rows: csv.rows, snapshot: day0, settings: { source: LINK_SOURCES.guardianFile, newAccountId } });
      const day1 = applyPlanToSnapshot(day0, plan1);
      expect(plan1.counts.accountsCreated).toBeGreaterThan(0);
      // Teachers who are also parents kept their staff account.
      expect(plan1.counts.rolesAdded).toBe(district.guardians.filter((g) => g.teacherAt !== null).length);

      const plan2 = buildPlan({ rows: fromOneRoster.rows, snapshot: day1, settings: { source: LINK_SOURCES.oneRoster, newAccountId } });
      expect(plan2.creates).toEqual([]);
      expect(plan2.counts.accountsCreated).toBe(0);
      expect(plan2.counts.rolesAdded).toBe(0);
      const day2 = applyPlanToSnapshot(day1, plan2);

      expect(day2.accounts.map((a) => a.id).sort()).toEqual(day1.accounts.map((a) => a.id).sort());
      expect(linksBySource(day2, LINK_SOURCES.oneRoster)).toEqual(linksBySource(day1, LINK_SOURCES.guardianFile));
      // And the OneRoster source manages what it linked: running it again changes nothing.
      const plan3 = buildPlan({ rows: fromOneRoster.rows, snapshot: day2, settings: { source: LINK_SOURCES.oneRoster, newAccountId } });
      expect(plan3.creates.length + plan3.updates.length + plan3.linkAdds.length + plan3.linkRemoves.length).toBe(0);
    });
  }
});
