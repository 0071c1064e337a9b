// Checks of locks (one sync per scope; leases that end unless renewed, or sessions that end
// with their holder) and of the run history.
import { expect } from 'vitest';
import { sleep, type RosterStoreCheck } from './roster-store-check.js';
import type { RosterStoreHarness } from './roster-store-harness.js';
import { buildTestReport } from './roster-store-fixtures.js';

const locks = 'locks';
const history = 'run history';
const key = 'district:D1';
const d1 = { level: 'district', orgId: 'D1' } as const;
const sa = { level: 'school', orgId: 'SA' } as const;

const held = { acquired: true } as const;

export const HISTORY_CHECKS: readonly RosterStoreCheck[] = [
  {
    group: locks,
    name: 'gives a free lock, refuses a second owner without waiting (naming the holder), and lets the holder re-acquire',
    async run({ store }) {
      await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toEqual(held);
      const refused = await store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 });
      expect(refused.acquired).toBe(false);
      if (!refused.acquired && refused.holder !== null) {
        expect(refused.holder.owner).toBe('run-a');
        if (store.capabilities.lockKind === 'lease') expect(Date.parse(refused.holder.expiresAt ?? '')).not.toBeNaN();
      }
      await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toEqual(held);
      await expect(store.acquireLock('school:SA', { owner: 'run-b', ttlMs: 60_000 })).resolves.toEqual(held);
    },
  },
  {
    group: locks,
    name: 'grants exactly one of two simultaneous attempts',
    async run({ store }) {
      const results = await Promise.all([store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 }), store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })]);
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    },
  },
  {
    group: locks,
    name: 'ignores a release by another owner, and frees the lock on release by the holder',
    async run({ store }) {
      await store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 });
      await store.releaseLock(key, 'run-b');
      await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toMatchObject({ acquired: false });
      await store.releaseLock(key, 'run-a');
      await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toEqual(held);
    },
  },
  {
    group: locks,
    name: 'does not throw when releasing a lock nobody holds',
    async run({ store }) {
      await expect(store.releaseLock('district:NOPE', 'run-a')).resolves.toBeUndefined();
      await store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 });
      await store.releaseLock(key, 'run-a');
      await expect(store.releaseLock(key, 'run-a')).resolves.toBeUndefined();
    },
  },
  {
    group: locks,
    name: 'renews a lock for its holder only; a released lock is not renewed',
    async run({ store }) {
      await store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 });
      await expect(store.renewLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(true);
      await expect(store.renewLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toBe(false);
      await store.releaseLock(key, 'run-a');
      await expect(store.renewLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(false);
      await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toEqual(held);
    },
  },
  {
    group: locks,
    name: 'lease locks: another owner takes an expired lease, and the old holder can then neither renew nor re-take it',
    async run({ store, harness, skip }) {
      if (store.capabilities.lockKind !== 'lease') skip('the store holds session locks, which do not end by time');
      const ttlMs = harness.advanceClock === undefined ? 25 : 1_000;
      await expect(store.acquireLock(key, { owner: 'run-a', ttlMs })).resolves.toEqual(held);
      await pass(harness, ttlMs);
      await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toEqual(held);
      await expect(store.renewLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(false);
      await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toMatchObject({ acquired: false });
    },
  },
  {
    group: locks,
    name: 'lease locks: a renewed lease outlives the first one',
    async run({ store, harness, skip }) {
      if (store.capabilities.lockKind !== 'lease') skip('the store holds session locks, which do not end by time');
      const ttlMs = harness.advanceClock === undefined ? 200 : 1_000;
      await expect(store.acquireLock(key, { owner: 'run-a', ttlMs })).resolves.toEqual(held);
      await pass(harness, ttlMs * 0.6);
      await expect(store.renewLock(key, { owner: 'run-a', ttlMs })).resolves.toBe(true);
      await pass(harness, ttlMs * 0.6);
      // 1.2 ttl after the acquire, 0.6 after the renewal: still held.
      await expect(store.acquireLock(key, { owner: 'run-b', ttlMs })).resolves.toMatchObject({ acquired: false });
      await expect(store.renewLock(key, { owner: 'run-a', ttlMs })).resolves.toBe(true);
    },
  },
  {
    group: locks,
    name: 'session locks: a lock whose holder died (connection or process gone) is free at once, and its holder cannot renew it',
    async run({ store, harness, skip }) {
      if (store.capabilities.lockKind !== 'session') skip('the store holds lease locks: the expiry checks cover them');
      if (harness.endLockSession === undefined) throw new Error('A harness of a store with session locks must provide endLockSession(key), which ends the holding session as a crash would.');
      await expect(store.acquireLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toEqual(held);
      await harness.endLockSession(key);
      await expect(store.renewLock(key, { owner: 'run-a', ttlMs: 60_000 })).resolves.toBe(false);
      await expect(store.acquireLock(key, { owner: 'run-b', ttlMs: 60_000 })).resolves.toEqual(held);
    },
  },

  {
    group: history,
    name: 'returns a saved report whole, and null for an unknown run',
    async run({ store }) {
      const report = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'succeeded-with-warnings', 7);
      await store.saveRun(report);
      await expect(store.getRun('run-1')).resolves.toEqual(report);
      await expect(store.getRun('run-404')).resolves.toBeNull();
    },
  },
  {
    group: history,
    name: 'replaces a report saved again under the same run id',
    async run({ store }) {
      await store.saveRun(buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'failed', 1));
      const replaced = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'succeeded', 2);
      await store.saveRun(replaced);
      await expect(store.getRun('run-1')).resolves.toEqual(replaced);
      const runs = await store.listRuns();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.status).toBe('succeeded');
    },
  },
  {
    group: history,
    name: 'lists runs most recent first, filtered by scope, at most `limit`',
    async run({ store }) {
      await store.saveRun(buildTestReport('run-b', '2026-03-02T06:00:00.000Z', d1, 'succeeded', 2));
      await store.saveRun(buildTestReport('run-a', '2026-03-01T06:00:00.000Z', d1, 'failed', 1));
      await store.saveRun(buildTestReport('run-s', '2026-03-03T06:00:00.000Z', sa, 'failed-threshold', 3));
      await store.saveRun(buildTestReport('run-c', '2026-03-04T06:00:00.000Z', d1, 'succeeded', 4));
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['run-c', 'run-s', 'run-b', 'run-a']);
      expect((await store.listRuns({ scope: d1 })).map((r) => r.runId)).toEqual(['run-c', 'run-b', 'run-a']);
      expect((await store.listRuns({ scope: sa })).map((r) => r.runId)).toEqual(['run-s']);
      expect((await store.listRuns({ scope: { level: 'school', orgId: 'D1' } })).map((r) => r.runId)).toEqual([]);
      expect((await store.listRuns({ limit: 2 })).map((r) => r.runId)).toEqual(['run-c', 'run-s']);
    },
  },
  {
    group: history,
    name: "summarizes each run with its scope, status, times and counts (and its threshold, if the store lists it)",
    async run({ store }) {
      const report = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', sa, 'failed-threshold', 5);
      await store.saveRun(report);
      const runs = await store.listRuns();
      // `threshold` is optional in a summary; a store that lists it must list the report's own.
      const listed = runs[0]?.threshold === undefined ? {} : { threshold: report.threshold };
      expect(runs).toEqual([
        { runId: 'run-1', scope: sa, status: 'failed-threshold', dryRun: false, startedAt: report.startedAt, finishedAt: report.finishedAt, counts: report.counts, ...listed },
      ]);
    },
  },
  {
    group: history,
    name: 'lists a forced run with the ratios it went over, when it lists thresholds',
    async run({ store }) {
      const base = buildTestReport('run-forced', '2026-03-01T06:00:00.000Z', d1, 'succeeded', 4);
      const forced = { ...base, threshold: { ...base.threshold, removalRatio: 0.5, exceeded: true, forced: true } };
      await store.saveRun(forced);
      const [run] = await store.listRuns();
      if (run?.threshold !== undefined) expect(run.threshold).toEqual(forced.threshold);
      await expect(store.getRun('run-forced')).resolves.toEqual(forced);
    },
  },
  {
    group: history,
    name: 'keeps the history-only statuses: running, then cancelled or interrupted, replacing the same run',
    async run({ store }) {
      const report = buildTestReport('run-1', '2026-03-01T06:00:00.000Z', d1, 'failed', 1);
      for (const status of ['running', 'cancelled', 'interrupted'] as const) {
        await store.saveRun({ ...report, status });
        expect((await store.listRuns()).map((r) => [r.runId, r.status])).toEqual([['run-1', status]]);
        expect((await store.getRun('run-1'))?.status).toBe(status);
      }
    },
  },
];

/** Lets `ms` pass on the store's lock clock: the harness's clock, or real time. */
async function pass(harness: RosterStoreHarness, ms: number): Promise<void> {
  if (harness.advanceClock === undefined) await sleep(ms * (ms < 100 ? 4 : 1));
  else await harness.advanceClock(ms + 1);
}
