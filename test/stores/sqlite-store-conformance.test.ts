// The SQLite store runs the conformance suite on a real file in a temp dir, and in memory.
import { describeRosterStoreConformance } from '../../src/testing/roster-store-conformance.js';
import { createSqliteHarness } from './sqlite-harness.js';

describeRosterStoreConformance({ name: 'SQLite store (file)', create: () => createSqliteHarness({ mode: 'file' }) });
describeRosterStoreConformance({ name: 'SQLite store (:memory:)', create: () => createSqliteHarness({ mode: 'memory' }) });
describeRosterStoreConformance({ name: 'SQLite store (file, real clock)', create: () => createSqliteHarness({ mode: 'file', realClock: true }) });
