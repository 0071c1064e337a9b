// Whose fault a failure is (issue item 6): a bug in our own code (planning, report assembly)
// is INTERNAL_ERROR with the run id, never a transient store failure; the store's failures
// stay STORE_FAILED; a source that breaks its contract is the source's failure.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuardianFileSource } from '../../src/contracts/file-source.js';
import { ISSUE_HINTS } from '../../src/errors/issue-codes.js';
import type { Issue } from '../../src/errors/issue.js';
import type { SyncReport } from '../../src/model/report.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory-store.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import type { SyncGuardiansOptions } from '../../src/sync/sync-options.js';
import { exitCodeForOutcome, EXIT_CODES } from '../../src/cli/exit-codes.js';
import { DAY1, ORGS, STUDENTS, TEACHER } from './district-fixture.js';

// Faults planted in pure stages, switched on per test (vi.mock is hoisted above the imports).
const faults = vi.hoisted(() => ({ plan: false, rowOutcomes: false, writes: false }));

vi.mock('../../src/plan/build-plan.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/plan/build-plan.js')>();
  return {
    ...actual,
    buildPlan: (...args: Parameters<typeof actual.buildPlan>) => {
      // What a real bug looks like: V8's message names a property, not a row's values.
      if (faults.plan) throw new TypeError("Cannot read properties of undefined (reading 'accountId')");
      return actual.buildPlan(...args);
    },
  };
});

vi.mock('../../src/apply/plan-writes.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/apply/plan-writes.js')>();
  return {
    ...actual,
    planWrites: (...args: Parameters<typeof actual.planWrites>) => {
      if (faults.writes) throw new TypeError("Cannot read properties of undefined (reading 'roles')");
      return actual.planWrites(...args);
    },
  };
});

vi.mock('../../src/sync/assemble-report.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/sync/assemble-report.js')>();
  return {
    ...actual,
    mergeRowOutcomes: (...args: Parameters<typeof actual.mergeRowOutcomes>) => {
      if (faults.rowOutcomes) throw new RangeError('Invalid array length');
      return actual.mergeRowOutcomes(...args);
    },
  };
});

const scope = { level: 'district', orgId: 'D1' } as const;
const RUN_ID = 'run-7f3a';
/** Words that would send an operator into a retry loop, or blame the store or the file. */
const MISLEADING = [/transient/i, /safe to re-?run/i, /re-?running is safe/i, /converges/i, /roster store failed/i];

function newStore(): MemoryStore {
  return createMemoryStore({ initial: { orgs: ORGS, students: STUDENTS, accounts: [TEACHER] } });
}

function run(store: MemoryStore, extra: Partial<SyncGuardiansOptions> = {}): Promise<SyncReport> {
  return syncGuardians({ scope, store, source: createBytesSource({ name: 'guardians.csv', bytes: new TextEncoder().encode(DAY1) }), runId: RUN_ID, ...extra });
}

function firstError(report: SyncReport): Issue {
  const issue = report.issues[0];
  if (issue === undefined) throw new Error('the report has no issue');
  return issue;
}

beforeEach(() => {
  faults.plan = false;
  faults.rowOutcomes = false;
  faults.writes = false;
});

describe('internal errors', () => {
  it('a bug in buildPlan is INTERNAL_ERROR naming the stage and the run id, with nothing written, and exits 1', async () => {
    faults.plan = true;
    const store = newStore();
    const before = await store.exportRoster('D1');
    const report = await run(store);

    expect(report.status).toBe('failed');
    expect(report.runId).toBe(RUN_ID);
    const issue = firstError(report);
    expect(issue).toMatchObject({ code: 'INTERNAL_ERROR', severity: 'error', line: null });
    expect(issue.message).toContain('Internal error in guardian-sync while planning the changes');
    expect(issue.message).toContain(`run ${RUN_ID}`);
    expect(issue.message).toContain('This is a bug in guardian-sync');
    expect(issue.message).toContain('Nothing was changed in the roster.');
    expect(issue.message).toContain(`report it to the guardian-sync maintainers with the run id ${RUN_ID}`);
    // The error's class and message locate the bug; its stack is not in the report.
    expect(issue.message).toContain("TypeError: Cannot read properties of undefined (reading 'accountId')");
    expect(issue.message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    for (const words of MISLEADING) {
      expect(issue.message).not.toMatch(words);
      expect(ISSUE_HINTS.INTERNAL_ERROR).not.toMatch(words);
    }
    expect(report.issues.some((i) => i.code === 'STORE_FAILED')).toBe(false);

    // Nothing written: the roster is as it was, and no row claims a change.
    expect(await store.exportRoster('D1')).toEqual(before);
    expect(report.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, linksAdded: 0 });
    expect(report.rows.every((row) => row.action === 'UNCHANGED' || row.action === 'SKIPPED')).toBe(true);
    // Saved as failed with the same issue; the lock is free for the next run.
    const saved = await store.getRun(RUN_ID);
    expect(saved?.status).toBe('failed');
    expect(saved?.issues[0]?.code).toBe('INTERNAL_ERROR');
    expect(store.data.locks.size).toBe(0);
    // Not a usage error: the CLI exits 1, as for any failed run.
    expect(exitCodeForOutcome(report.status, report.issues)).toBe(EXIT_CODES.failed);
  });

  it('logs the stack to the host logger only, with the run id', async () => {
    faults.plan = true;
    const logged: Record<string, unknown>[] = [];
    const capture = (obj: Record<string, unknown>): void => void logged.push(obj);
    const report = await run(newStore(), { logger: { debug: capture, info: capture, warn: capture, error: capture } });
    expect(firstError(report).code).toBe('INTERNAL_ERROR');
    const entry = logged.find((obj) => obj.stage === 'planning the changes');
    expect(entry).toMatchObject({ runId: RUN_ID });
    expect(String(entry?.stack)).toContain('TypeError');
  });

  it('a dry run meeting the same bug fails the same way', async () => {
    faults.plan = true;
    const report = await run(newStore(), { dryRun: true });
    expect(report.status).toBe('failed');
    expect(firstError(report).code).toBe('INTERNAL_ERROR');
  });

  it('a bug while assembling the report after the apply says the changes were applied, and counts them', async () => {
    faults.rowOutcomes = true;
    const store = newStore();
    const report = await run(store);
    expect(report.status).toBe('failed');
    const issue = firstError(report);
    expect(issue.code).toBe('INTERNAL_ERROR');
    expect(issue.message).toContain('while assembling the report');
    expect(issue.message).toContain(`run ${RUN_ID}`);
    expect(issue.message).toContain('The changes this report counts were applied to the roster.');
    expect(issue.message).not.toContain('Nothing was changed');
    // The counts are what the store applied: day 1 created eight accounts.
    expect(report.counts).toMatchObject({ accountsCreated: 8, linksAdded: 10 });
    expect((await store.exportRoster('D1')).accounts).toHaveLength(9);
    expect((await store.getRun(RUN_ID))?.status).toBe('failed');
  });

  it('a bug while deciding the rows to write is INTERNAL_ERROR with the run id, not a store failure, and writes nothing', async () => {
    faults.writes = true;
    const store = newStore();
    const report = await run(store);
    expect(report.status).toBe('failed');
    const issue = firstError(report);
    expect(issue.code).toBe('INTERNAL_ERROR');
    expect(issue.message).toContain('while deciding the rows to write');
    expect(issue.message).toContain("TypeError: Cannot read properties of undefined (reading 'roles')");
    expect(issue.message).toContain('nothing of the plan was written');
    expect(issue.message).toContain(RUN_ID);
    for (const words of MISLEADING) expect(issue.message).not.toMatch(words);
    expect(report.counts).toMatchObject({ accountsCreated: 0, linksAdded: 0 });
    expect((await store.exportRoster('D1')).accounts).toHaveLength(1);
  });

  it('a store that throws a foreign error while loading the roster is still STORE_FAILED', async () => {
    const store = newStore();
    const failing: MemoryStore = { ...store, loadSnapshot: () => Promise.reject(new Error('connection reset')) };
    const report = await run(failing);
    expect(report.status).toBe('failed');
    expect(firstError(report)).toMatchObject({ code: 'STORE_FAILED' });
    expect(firstError(report).message).toContain('The roster store failed while loading the roster: Error: connection reset');
  });

  it('a source that throws a foreign error is a source failure, without its message', async () => {
    const broken: GuardianFileSource = {
      description: 'broken source',
      open: () => Promise.reject(new TypeError('cannot connect to sftp://user:hunter2@host')),
    };
    const report = await syncGuardians({ scope, store: newStore(), source: broken, runId: RUN_ID });
    expect(report.status).toBe('failed');
    const issue = firstError(report);
    expect(issue.code).toBe('SOURCE_UNAVAILABLE');
    expect(issue.message).toContain('The file source failed while fetching the file');
    expect(issue.message).toContain('TypeError');
    expect(issue.message).not.toContain('hunter2');
    expect(issue.message).not.toMatch(/roster store/);
  });
});
