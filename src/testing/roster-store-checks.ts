// Every check of the RosterStore conformance suite, in the order the suite declares them.
import type { RosterStoreCheck } from './roster-store-check.js';
import { APPLY_CHECKS } from './roster-store-checks-apply.js';
import { CONVERGENCE_CHECKS } from './roster-store-checks-convergence.js';
import { DISTRICT_CHECKS } from './roster-store-checks-districts.js';
import { HISTORY_CHECKS } from './roster-store-checks-history.js';
import { MODEL_CHECKS } from './roster-store-checks-model.js';
import { ROSTER_CHECKS } from './roster-store-checks-roster.js';
import { SNAPSHOT_CHECKS } from './roster-store-checks-snapshot.js';

export const ROSTER_STORE_CHECKS: readonly RosterStoreCheck[] = [
  {
    group: 'capabilities',
    name: 'declares its capabilities',
    async run({ store }) {
      const { atomicApply, crossProcessLock, lockKind } = store.capabilities;
      if (typeof atomicApply !== 'boolean' || typeof crossProcessLock !== 'boolean') throw new Error('capabilities.atomicApply and capabilities.crossProcessLock must be booleans');
      if (lockKind !== 'lease' && lockKind !== 'session') throw new Error("capabilities.lockKind must be 'lease' or 'session'");
      if (!(store.writeBatchSize >= 1)) throw new Error('writeBatchSize must be a number of rows, at least 1');
    },
  },
  ...SNAPSHOT_CHECKS,
  ...APPLY_CHECKS,
  ...CONVERGENCE_CHECKS,
  ...DISTRICT_CHECKS,
  ...HISTORY_CHECKS,
  ...ROSTER_CHECKS,
  ...MODEL_CHECKS,
];

/** The check of this name; throws when there is none (a renamed check breaks the test that names it). */
export function rosterStoreCheck(name: string): RosterStoreCheck {
  const found = ROSTER_STORE_CHECKS.find((check) => check.name === name);
  if (found === undefined) throw new Error(`No RosterStore check named "${name}".`);
  return found;
}
