// The RosterStore conformance suite for vitest: every rule of the contract
// (RosterStore's doc comments) as a named check (roster-store-checks.ts), run against a fresh
// backend per test, judged by reading the backend directly. The memory store runs it first;
// every store should.
//
//   import { describeRosterStoreConformance } from 'guardian-sync/testing';
//   describeRosterStoreConformance({ name: 'my store', create: async () => ({ store, seed, inspect }) });
import { describe, it } from 'vitest';
import { runRosterStoreCheck, type RosterStoreCheck } from './roster-store-check.js';
import { ROSTER_STORE_CHECKS } from './roster-store-checks.js';
import type { RosterStoreConformanceOptions } from './roster-store-harness.js';

/**
 * Declares the suite. Call it at the top level of a test file; it declares its own
 * `describe` block named after `options.name`, one block per group and one test per check.
 * Checks that depend on a capability branch on it (atomicity for `atomicApply`, convergence
 * for the others); checks of an optional method the store lacks are skipped, and shown so.
 */
export function describeRosterStoreConformance(options: RosterStoreConformanceOptions): void {
  describe(`RosterStore conformance: ${options.name}`, () => {
    const groups = new Map<string, RosterStoreCheck[]>();
    for (const check of ROSTER_STORE_CHECKS) {
      const list = groups.get(check.group);
      if (list === undefined) groups.set(check.group, [check]);
      else list.push(check);
    }
    for (const [group, checks] of groups) {
      describe(group, () => {
        for (const check of checks) {
          it(
            check.name,
            async (context) => {
              const outcome = await runRosterStoreCheck(check, options);
              if (outcome.status === 'skipped') context.skip(outcome.reason);
              else if (outcome.status === 'failed') throw outcome.error;
            },
            check.timeoutMs,
          );
        }
      });
    }
  });
}
