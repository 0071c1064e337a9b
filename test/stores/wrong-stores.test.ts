// The conformance suite fails each deliberately wrong store of wrong-stores.ts: every
// check runs against it, and the checks that name the broken rule must be among those that
// fail. The same wrapper with nothing broken passes every check, so the failures come from
// the broken rule, not from the wrapping.
import { describe, expect, it } from 'vitest';
import { runRosterStoreCheck } from '../../src/testing/roster-store-check.js';
import { ROSTER_STORE_CHECKS, rosterStoreCheck } from '../../src/testing/roster-store-checks.js';
import type { RosterStoreConformanceOptions } from '../../src/testing/roster-store-harness.js';
import { createMemoryHarness } from './memory-harness.js';
import { WRONG_STORES } from './wrong-stores.js';

const MODEL_CHECK = 'agrees with a simple model over random plans, imports, snapshots and exports in two districts';

async function failedChecks(options: RosterStoreConformanceOptions): Promise<string[]> {
  const failed: string[] = [];
  for (const check of ROSTER_STORE_CHECKS) {
    const outcome = await runRosterStoreCheck(check, options);
    if (outcome.status === 'failed') failed.push(check.name);
  }
  return failed;
}

describe('the conformance suite fails wrong stores', () => {
  it('passes the same memory-store wrapper with nothing broken (the baseline)', async () => {
    const honest: RosterStoreConformanceOptions = {
      name: 'honest wrapper',
      create: () => {
        const harness = createMemoryHarness();
        return { ...harness, store: { ...harness.store } };
      },
    };
    expect(await failedChecks(honest)).toEqual([]);
  });

  it('names a check that exists for every rule it claims to catch', () => {
    for (const wrong of WRONG_STORES) for (const name of [...wrong.caughtBy, MODEL_CHECK]) expect(() => rosterStoreCheck(name)).not.toThrow();
  });

  for (const wrong of WRONG_STORES) {
    it(`fails a store that ${wrong.name}`, async () => {
      const failed = await failedChecks(wrong.options);
      for (const name of wrong.caughtBy) expect(failed, `"${name}" must fail`).toContain(name);
      if (wrong.modelMisses === undefined) expect(failed, 'the model-based check must fail too').toContain(MODEL_CHECK);
      else expect(failed).not.toContain(MODEL_CHECK);
    });
  }
});
