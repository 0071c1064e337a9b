// One rule of the RosterStore contract as a value: a named check that runs against a fresh,
// seeded backend and throws when the store breaks the rule. The conformance suite declares
// one vitest test per check; a test of a deliberately wrong store runs the same checks
// with `runRosterStoreCheck` and asserts that they fail, which is how the suite proves it
// can tell a wrong store from a right one.
import { EMPTY_APPLY_RESULT } from '../apply/plan-writes.js';
import type { RosterStore } from '../contracts/roster-store.js';
import type { Account, GuardianLink, Student } from '../model/roster.js';
import { CONFORMANCE_ROSTER, normalizeAccounts, normalizeLinks, normalizeStudents } from './roster-store-fixtures.js';
import type { RosterStoreConformanceOptions, RosterStoreHarness } from './roster-store-harness.js';

export interface RosterStoreCheckContext {
  /** A fresh backend, seeded with `CONFORMANCE_ROSTER`. */
  readonly harness: RosterStoreHarness;
  /** `harness.store`. */
  readonly store: RosterStore;
  /** The suite's options (to build more backends, or read `modelRuns`). */
  readonly options: RosterStoreConformanceOptions;
  /** Another fresh backend seeded with `CONFORMANCE_ROSTER`: the reference a clean apply is compared with. Cleaned up with the check. */
  freshSeeded(): Promise<RosterStoreHarness>;
  /** Another fresh, empty backend. Cleaned up with the check. */
  fresh(): Promise<RosterStoreHarness>;
  /** Ends the check as skipped (the store lacks an optional method). */
  skip(reason: string): never;
}

export interface RosterStoreCheck {
  /** The describe block the check belongs to, e.g. `loadSnapshot`. */
  readonly group: string;
  /** What the store must do, as a sentence: the test's name. */
  readonly name: string;
  /** Throws (an assertion error) when the store breaks the rule. */
  readonly run: (context: RosterStoreCheckContext) => Promise<void>;
  /** For checks that run many operations. @default the test runner's */
  readonly timeoutMs?: number | undefined;
}

export type RosterStoreCheckOutcome =
  | { readonly status: 'passed' }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly error: unknown };

class CheckSkipped extends Error {
  constructor(readonly reason: string) {
    super(`skipped: ${reason}`);
  }
}

/** Runs one check on a fresh backend made by `options.create`, and cleans every backend up. */
export async function runRosterStoreCheck(check: RosterStoreCheck, options: RosterStoreConformanceOptions): Promise<RosterStoreCheckOutcome> {
  const made: RosterStoreHarness[] = [];
  const create = async (): Promise<RosterStoreHarness> => {
    const harness = await options.create();
    made.push(harness);
    return harness;
  };
  try {
    const harness = await create();
    await harness.seed(CONFORMANCE_ROSTER);
    await check.run({
      harness,
      store: harness.store,
      options,
      fresh: create,
      async freshSeeded() {
        const other = await create();
        await other.seed(CONFORMANCE_ROSTER);
        return other;
      },
      skip(reason) {
        throw new CheckSkipped(reason);
      },
    });
    return { status: 'passed' };
  } catch (error) {
    if (error instanceof CheckSkipped) return { status: 'skipped', reason: error.reason };
    return { status: 'failed', error };
  } finally {
    for (const harness of made.reverse()) await harness.cleanup?.();
  }
}

/** A backend's whole roster in the suite's normal form, read through `inspect`. */
export interface RosterState {
  readonly accounts: Account[];
  readonly links: GuardianLink[];
  readonly students: Student[];
}

export async function stateOf(harness: RosterStoreHarness): Promise<RosterState> {
  return {
    accounts: normalizeAccounts(await harness.inspect.accounts()),
    links: normalizeLinks(await harness.inspect.links()),
    students: normalizeStudents(await harness.inspect.students()),
  };
}

/** The state restricted to what district `districtId` holds: its students, its links, and each account's roles there. */
export function districtPart(state: RosterState, districtId: string): RosterState {
  return {
    accounts: state.accounts
      .map((a) => ({ ...a, roles: a.roles.filter((r) => r.districtId === districtId) }))
      .filter((a) => a.roles.length > 0),
    links: state.links.filter((l) => l.districtId === districtId),
    students: state.students.filter((s) => s.districtId === districtId),
  };
}

export function accountOf(state: RosterState, id: string): Account | undefined {
  return state.accounts.find((a) => a.id === id);
}

export const NO_CHANGE = { ...EMPTY_APPLY_RESULT } as const;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
