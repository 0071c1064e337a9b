// What an adapter author hands the conformance suite: a fresh store per test, a way to put
// data in its backend and a way to read the backend back without going through the store.
import type { RosterStore } from '../contracts/roster-store.js';
import type { Account, GuardianLink, RosterSeed, Student } from '../model/roster.js';

/** Roster data a harness writes straight into its backend before a test. */
export type RosterStoreSeed = RosterSeed;

/**
 * Reads the backend directly (SQL, the live maps, your ORM), never through the store's
 * own methods, so a store cannot pass by agreeing with itself.
 */
export interface RosterStoreInspector {
  /** Every account of every district, with all its roles. */
  accounts(): Promise<readonly Account[]>;
  /** Every link of every district. */
  links(): Promise<readonly GuardianLink[]>;
  /** Every student of every district (the suite checks that one district's import leaves another's alone). */
  students(): Promise<readonly Student[]>;
}

export interface RosterStoreHarness {
  readonly store: RosterStore;
  /** Writes the data into the backend (orgs before students before accounts before links). */
  seed(data: RosterStoreSeed): Promise<void>;
  readonly inspect: RosterStoreInspector;
  /**
   * Moves the store's lock clock forward. Without it the suite waits in real time for a
   * short lock to expire (about a tenth of a second).
   */
  advanceClock?(ms: number): void | Promise<void>;
  /**
   * Required for a store with `lockKind: 'session'`: ends the session holding the lock on
   * `key` the way a crash would (terminate its connection on the server, kill its process),
   * without calling the store.
   */
  endLockSession?(key: string): Promise<void>;
  /** Releases what `create` opened (connections, temp files). */
  cleanup?(): Promise<void>;
}

export interface RosterStoreConformanceOptions {
  /** Shown in the test names, e.g. `postgres store`. */
  readonly name: string;
  /** Called once per test: each test gets an empty, unshared backend. */
  readonly create: () => Promise<RosterStoreHarness> | RosterStoreHarness;
  /**
   * Runs of the model-based check (random plans and imports in two districts, compared with
   * a simple model after every step). @default 20
   */
  readonly modelRuns?: number | undefined;
}
