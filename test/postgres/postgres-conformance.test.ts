// The PostgreSQL store runs the RosterStore conformance suite against the run's server:
// a fresh schema per backend (a check may make several), seeded and inspected with plain SQL.
import { afterAll } from 'vitest';
import { describeRosterStoreConformance } from '../../src/testing/roster-store-conformance.js';
import { describePostgres, postgresHarnesses } from './postgres-harness.js';

describePostgres('PostgreSQL store conformance', (url) => {
  const harnesses = postgresHarnesses(url);
  afterAll(() => harnesses.close());
  describeRosterStoreConformance({ name: 'postgres store', create: () => harnesses.create() });
});
