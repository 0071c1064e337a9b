// The model-based check: random sequences of plans (in both districts), roster imports,
// snapshots and exports, applied to the store and to a simple model side by side
// (roster-store-model.ts), compared after every operation. The named checks pin each rule
// with a chosen example; this one finds what no example thought of. Seeded, so a failure is
// the same on every run and machine.
import { compareWithModel, randomRosterOperations, seededRandom } from './roster-store-operations.js';
import type { RosterStoreCheck } from './roster-store-check.js';
import { CONFORMANCE_ROSTER } from './roster-store-fixtures.js';

/** Operations per sequence: enough for a plan to meet the effects of an earlier one. */
export const MODEL_SEQUENCE_LENGTH = 8;
const DEFAULT_RUNS = 20;

export const MODEL_CHECKS: readonly RosterStoreCheck[] = [
  {
    group: 'model-based',
    name: 'agrees with a simple model over random plans, imports, snapshots and exports in two districts',
    timeoutMs: 120_000,
    async run({ options, fresh }) {
      const runs = options.modelRuns ?? DEFAULT_RUNS;
      for (let run = 0; run < runs; run++) {
        const harness = await fresh();
        await harness.seed(CONFORMANCE_ROSTER);
        try {
          await compareWithModel(harness, randomRosterOperations(seededRandom(0x5eed + run), MODEL_SEQUENCE_LENGTH));
        } catch (error) {
          throw new Error(`Model-based run ${run} (seed ${0x5eed + run}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      }
    },
  },
];
