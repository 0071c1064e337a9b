// The host-written store of examples/custom-store.ts passes the package's RosterStore
// conformance suite: the proof the example tells adapter authors to run for their own store.
import { describeRosterStoreConformance } from '../../src/testing/index.js';
import { createMapBackend, createMapRosterStore, writeAccount, writeLink, writeStudent } from '../../examples/custom-store.js';

describeRosterStoreConformance({
  name: 'examples/custom-store (Maps)',
  create: () => {
    const backend = createMapBackend();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = createMapRosterStore({ backend, now: () => clock });
    return {
      store,
      // Writes straight into the "database" (its tables and their indexes), not through the store.
      async seed(data) {
        for (const org of data.orgs ?? []) backend.orgs.set(org.id, org);
        for (const student of data.students ?? []) writeStudent(backend, student);
        for (const account of data.accounts ?? []) writeAccount(backend, account);
        for (const link of data.links ?? []) writeLink(backend, link);
      },
      inspect: {
        accounts: async () => [...backend.accounts.values()],
        links: async () => [...backend.links.values()],
        students: async () => [...backend.students.values()],
      },
      advanceClock(ms) {
        clock += ms;
      },
    };
  },
});
