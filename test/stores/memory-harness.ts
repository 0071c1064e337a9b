// The memory store as a conformance harness: seeds and inspects its live maps directly.
import { createMemoryStore, seedMemoryRosterData, type MemoryStore, type MemoryStoreOptions } from '../../src/stores/memory-store.js';
import type { RosterStoreHarness } from '../../src/testing/roster-store-harness.js';

export interface MemoryHarness extends RosterStoreHarness {
  readonly store: MemoryStore;
}

/** With `realClock`, locks expire in real time and the harness offers no `advanceClock`. */
export function createMemoryHarness(options: Omit<MemoryStoreOptions, 'now'> & { readonly realClock?: boolean } = {}): MemoryHarness {
  const { realClock = false, ...storeOptions } = options;
  let clock = Date.UTC(2026, 2, 1);
  const store = createMemoryStore(realClock ? storeOptions : { ...storeOptions, now: () => clock });
  const harness: MemoryHarness = {
    store,
    async seed(data) {
      seedMemoryRosterData(store.data, data);
    },
    inspect: {
      async accounts() {
        return [...store.data.accounts.values()];
      },
      async links() {
        return [...store.data.links.values()];
      },
      async students() {
        return [...store.data.students.values()];
      },
    },
  };
  if (realClock) return harness;
  return {
    ...harness,
    advanceClock(ms: number) {
      clock += ms;
    },
  };
}
