// Checks that the store's primitives keep the library's promises under faults: a sync cut
// off at any write call and then planned again from what the store holds ends as one clean
// sync; an atomic store shows nothing of a cut-off apply; a login handed from one account to
// another lands under a unique index on logins.
import { expect } from 'vitest';
import { applyPlan } from '../apply/apply-plan.js';
import type { RosterStore } from '../contracts/roster-store.js';
import type { GuardianRow } from '../model/guardian-row.js';
import { buildPlan } from '../plan/build-plan.js';
import { snapshotLogins } from '../plan/snapshot-logins.js';
import { interruptWrites } from './interrupt-writes.js';
import { NO_CHANGE, stateOf, type RosterStoreCheck } from './roster-store-check.js';
import { buildTestPlan, CONFORMANCE_SCOPE, updateItem } from './roster-store-fixtures.js';

const group = 'applyPlan: faults and convergence';

/** Write calls the check tries to cut at, at most: more than the day's sync below makes. */
const MAX_CUTS = 40;

/**
 * D1's guardian file for the day, against the conformance roster: Gina (G1) changes her email
 * and gains a link; a new guardian (G9) is created and linked; Arlo (G2, archived) is
 * restored; Lou (no role) is matched by login and gains the role; Clara (G3) and Sam (G5)
 * are left out, so their file links go and their roles are archived.
 */
export const DAY_FILE: readonly GuardianRow[] = [
  row(2, 'S1', 'G1', 'Gina', 'Ruiz', 'gina.new@mail.example', '+12025550102', 'es'),
  row(3, 'S2', 'G1', 'Gina', 'Ruiz', 'gina.new@mail.example', '+12025550102', 'es'),
  row(4, 'S3', 'G9', 'Nia', 'Okafor', 'nia@mail.example', null, null),
  row(5, 'S1', 'G2', 'Arlo', 'Archer', 'arlo@mail.example', null, null),
  row(6, 'S2', 'G7', 'Lou', 'Lone', 'lou@mail.example', '+12025550105', null),
];

/** One sync of `rows` in D1: snapshot, plan (new account ids derived from the guardian, so a re-plan picks the same), apply. */
export async function syncDay(store: RosterStore, rows: readonly GuardianRow[] = DAY_FILE): Promise<void> {
  const snapshot = await store.loadSnapshot(CONFORMANCE_SCOPE, { logins: snapshotLogins(rows) });
  const plan = buildPlan({
    rows,
    snapshot,
    settings: { source: 'guardian-file', maxRemovalRatio: 1, newAccountId: (guardianKey) => `acct-new-${guardianKey.replace(/[^A-Za-z0-9]+/g, '-')}` },
  });
  await applyPlan(store, plan);
}

export const CONVERGENCE_CHECKS: readonly RosterStoreCheck[] = [
  {
    group,
    name: 'a sync cut off at any write call, then planned again from the store, ends as one clean sync (atomic stores: the cut-off apply leaves nothing)',
    timeoutMs: 120_000,
    async run({ freshSeeded }) {
      const clean = await freshSeeded();
      await syncDay(clean.store);
      const expected = await stateOf(clean);
      for (let cut = 0; cut < MAX_CUTS; cut++) {
        const harness = await freshSeeded();
        const before = await stateOf(harness);
        let failed = false;
        try {
          await syncDay(interruptWrites(harness.store, { afterCalls: cut }));
        } catch {
          failed = true;
        }
        if (failed && harness.store.capabilities.atomicApply) expect(await stateOf(harness), `state after a cut at write call ${cut}`).toEqual(before);
        await syncDay(harness.store);
        expect(await stateOf(harness), `state after a cut at write call ${cut} and a second sync`).toEqual(expected);
        // A third sync finds nothing to do: no guardian was left half-way (e.g. active with no links).
        const snapshot = await harness.store.loadSnapshot(CONFORMANCE_SCOPE, { logins: snapshotLogins(DAY_FILE) });
        const again = buildPlan({ rows: DAY_FILE, snapshot, settings: { source: 'guardian-file', maxRemovalRatio: 1 } });
        await expect(applyPlan(harness.store, again), `a third sync after a cut at write call ${cut}`).resolves.toEqual(NO_CHANGE);
        if (!failed) return;
      }
      throw new Error(`The day's sync still made a write call after ${MAX_CUTS} cuts; raise MAX_CUTS.`);
    },
  },
  {
    group,
    name: 'hands an email and a mobile from one account to another in one plan, so a unique index on logins holds',
    async run({ store, harness }) {
      // acct-g1 gives up its email and mobile; acct-lone takes them (the updates come in hand-over order).
      const plan = buildTestPlan(CONFORMANCE_SCOPE, {
        updates: [
          updateItem('acct-g1', [
            { field: 'email', before: 'gina@mail.example', after: 'gina.new@mail.example' },
            { field: 'mobilePhone', before: '+12025550102', after: null },
          ]),
          updateItem('acct-lone', [
            { field: 'email', before: 'lou@mail.example', after: 'gina@mail.example' },
            { field: 'mobilePhone', before: '+12025550105', after: '+12025550102' },
          ]),
        ],
      });
      await expect(applyPlan(store, plan)).resolves.toEqual({ ...NO_CHANGE, accountsUpdated: 2 });
      const accounts = (await stateOf(harness)).accounts;
      expect(accounts.find((a) => a.id === 'acct-g1')).toMatchObject({ email: 'gina.new@mail.example', mobilePhone: null });
      expect(accounts.find((a) => a.id === 'acct-lone')).toMatchObject({ email: 'gina@mail.example', mobilePhone: '+12025550102' });
    },
  },
];

function row(line: number, studentSisId: string, guardianSisId: string, firstName: string, lastName: string, email: string | null, mobilePhone: string | null, language: string | null): GuardianRow {
  return { line, studentSisId, guardianSisId, firstName, lastName, email, mobilePhone, homePhone: null, language, relationship: null };
}
