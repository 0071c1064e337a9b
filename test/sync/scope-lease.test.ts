// The scope lock as a lease: renewed while a run works, so a TTL shorter than the run never
// lets a second worker in; a run that loses its lease stops before its next write; a
// refused run names the holder; runs leave a trace in the history from the moment they lock.
import { describe, expect, it } from 'vitest';
import type { RosterStore } from '../../src/contracts/roster-store.js';
import type { SyncReport } from '../../src/model/report.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory-store.js';
import { ScopeLease } from '../../src/sync/scope-lease.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import { DAY1, ORGS, STUDENTS, TEACHER } from './district-fixture.js';

const scope = { level: 'district', orgId: 'D1' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newStore(): MemoryStore {
  return createMemoryStore({ initial: { orgs: ORGS, students: STUDENTS, accounts: [TEACHER] } });
}

/** The store with its snapshot read slowed down: a run that takes `ms` before it writes. */
function slow(store: MemoryStore, ms: number): MemoryStore {
  return {
    ...store,
    async loadSnapshot(resolved, request) {
      await sleep(ms);
      return store.loadSnapshot(resolved, request);
    },
  };
}

function run(store: RosterStore, extra: { lockTtlMs?: number; runId?: string } = {}): Promise<SyncReport> {
  return syncGuardians({ scope, store, source: createBytesSource({ name: 'guardians.csv', bytes: new TextEncoder().encode(DAY1) }), ...extra });
}

describe('scope lease', () => {
  it('renews the lease while a run works: a TTL shorter than the run never lets a second run in', async () => {
    const store = newStore();
    const first = run(slow(store, 400), { lockTtlMs: 90, runId: 'run-slow' });
    await sleep(200);
    const second = await run(store, { lockTtlMs: 90, runId: 'run-second' });
    expect(second.status).toBe('failed');
    expect(second.issues[0]?.code).toBe('SYNC_IN_PROGRESS');
    // The refusal names the holder and when its lease ends.
    expect(second.issues[0]?.message).toMatch(/run run-slow holds its lock; the lease ends at \d{4}-\d\d-\d\dT/);
    const done = await first;
    expect(done.status).toBe('succeeded');
    // One account per person: nobody applied twice.
    expect((await store.exportRoster('D1')).accounts).toHaveLength(9);
  });

  it('stops before its first write with LOCK_LOST when the store says another run took the lock', async () => {
    const store = newStore();
    let renewals = 0;
    const stolen: MemoryStore = {
      ...slow(store, 200),
      async renewLock() {
        renewals += 1;
        return false;
      },
    };
    const report = await run(stolen, { lockTtlMs: 60 });
    expect(renewals).toBe(1);
    expect(report.status).toBe('failed');
    expect(report.issues[0]?.code).toBe('LOCK_LOST');
    expect(report.counts.accountsCreated).toBe(0);
    expect((await store.exportRoster('D1')).accounts).toHaveLength(1);
  });

  it('stops with LOCK_LOST when no renewal answered before the lease would have ended', async () => {
    const store = newStore();
    const hanging: MemoryStore = { ...slow(store, 250), renewLock: () => new Promise<boolean>(() => {}) };
    const report = await run(hanging, { lockTtlMs: 60 });
    expect(report.issues[0]?.code).toBe('LOCK_LOST');
    expect(report.issues[0]?.message).toContain('no renewal of the lock succeeded before its lease ended');
    expect((await store.exportRoster('D1')).accounts).toHaveLength(1);
  });

  it('keeps the lease through failed renewals that still leave it valid', async () => {
    const store = newStore();
    let calls = 0;
    const flaky: MemoryStore = {
      ...slow(store, 200),
      async renewLock(key, options) {
        // Every other renewal fails on the way; the lease stays valid because the ones between land.
        if (++calls % 2 === 1) throw new Error('connection reset');
        return store.renewLock(key, options);
      },
    };
    const report = await run(flaky, { lockTtlMs: 120 });
    expect(report.status).toBe('succeeded');
  });

  it('releases the lock at the end, and the heartbeat stops', async () => {
    const store = newStore();
    let renewals = 0;
    const counting: MemoryStore = { ...slow(store, 100), renewLock: async (key, options) => (renewals++, store.renewLock(key, options)) };
    await run(counting, { lockTtlMs: 60 });
    expect(store.data.locks.size).toBe(0);
    const after = renewals;
    await sleep(100);
    expect(renewals).toBe(after);
  });

  it('session locks: a failed renewal means the connection holding the lock is gone', async () => {
    const store = newStore();
    const session: MemoryStore = { ...store, capabilities: { ...store.capabilities, lockKind: 'session' }, renewLock: async () => Promise.reject(new Error('terminated')) };
    const attempt = await ScopeLease.acquire({ store: session, key: 'district:D1', owner: 'run-a', ttlMs: 30 });
    if (!attempt.held) throw new Error('expected the lock');
    await sleep(60);
    expect(() => attempt.lease.assertHeld()).toThrow(/connection holding it failed/);
    await attempt.lease.release();
  });
});

describe('run history', () => {
  it('records a run as running once it holds the lock, and a later run marks a run that never finished as interrupted', async () => {
    const store = newStore();
    let seen: string | undefined;
    const watching: MemoryStore = {
      ...store,
      async loadSnapshot(resolved, request) {
        seen = (await store.listRuns())[0]?.status;
        return store.loadSnapshot(resolved, request);
      },
    };
    const first = await run(watching, { runId: 'run-1' });
    expect(seen).toBe('running');
    expect((await store.getRun('run-1'))?.status).toBe(first.status);

    // A worker killed after taking the lock: its entry stays `running`, its lease ends.
    await store.saveRun({ ...first, runId: 'run-killed', startedAt: new Date().toISOString(), status: 'running' });
    await run(store, { runId: 'run-3' });
    expect((await store.getRun('run-killed'))?.status).toBe('interrupted');
    expect(new Map((await store.listRuns()).map((r) => [r.runId, r.status]))).toEqual(
      new Map([
        ['run-1', 'succeeded'],
        ['run-killed', 'interrupted'],
        ['run-3', 'succeeded'],
      ]),
    );
  });
});
