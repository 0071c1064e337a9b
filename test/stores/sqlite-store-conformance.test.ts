// The SQLite store runs the conformance suite on a real file in a temp dir, and in memory.
// (The suite's real-time lock expiry path runs against the memory store; the SQLite store's
// default clock is checked in sqlite-store.test.ts.)
import { describeRosterStoreConformance } from '../../src/testing/roster-store-conformance.js';
import { createSqliteHarness } from './sqlite-harness.js';

describeRosterStoreConformance({ name: 'SQLite store (file)', create: () => createSqliteHarness({ mode: 'file' }) });
describeRosterStoreConformance({ name: 'SQLite store (:memory:)', create: () => createSqliteHarness({ mode: 'memory' }) });
