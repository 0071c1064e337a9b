// Model-based properties: fast-check draws sequences of plans (in both districts), roster
// imports, snapshots and exports, and each runs against a store and the suite's simple model
// side by side (compareWithModel). fast-check shrinks a failure to a short sequence, which
// the suite's seeded model check cannot. The memory store must agree with the model; each
// wrong store the model can see must be caught.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareWithModel, randomRosterOperations, type RandomSource } from '../../src/testing/roster-store-operations.js';
import { CONFORMANCE_ROSTER } from '../../src/testing/roster-store-fixtures.js';
import type { RosterStoreConformanceOptions } from '../../src/testing/roster-store-harness.js';
import { createMemoryHarness } from './memory-harness.js';
import { WRONG_STORES } from './wrong-stores.js';

/** Random choices drawn through fast-check, so a failing sequence shrinks. */
function drawn(g: fc.GeneratorValue): RandomSource {
  return { int: (n) => g(fc.nat, { max: n - 1 }) };
}

async function agrees(options: RosterStoreConformanceOptions, g: fc.GeneratorValue): Promise<void> {
  const harness = await options.create();
  try {
    await harness.seed(CONFORMANCE_ROSTER);
    await compareWithModel(harness, randomRosterOperations(drawn(g), 10));
  } finally {
    await harness.cleanup?.();
  }
}

test.prop([fc.gen()], { numRuns: 150 })('the memory store agrees with the model over random operations in two districts', async (g) => {
  await agrees({ name: 'memory store', create: () => createMemoryHarness({ newAccountId: counter() }) }, g);
});

describe('the model-based property catches wrong stores', () => {
  for (const wrong of WRONG_STORES.filter((w) => w.modelMisses === undefined)) {
    it(`finds a sequence showing a store that ${wrong.name}`, async () => {
      const result = await fc.check(fc.asyncProperty(fc.gen(), (g) => agrees(wrong.options, g)), { numRuns: 300, endOnFailure: true });
      expect(result.failed, 'fast-check must find a failing sequence').toBe(true);
    });
  }
});

function counter(): () => string {
  let next = 0;
  return () => `staff-${++next}`;
}
