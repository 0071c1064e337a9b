// End-to-end runs of the orchestrator against the memory store: day 1, the same file again,
// changes, a truncated file, missing files, locks, faults in the store, dry runs, aborts.
import { interruptWrites } from '../../src/testing/interrupt-writes.js';
import { describe, expect, it } from 'vitest';
import type { GuardianFileSource } from '../../src/contracts/file-source.js';
import { GuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import type { SyncReport } from '../../src/model/report.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createLocalFileSource } from '../../src/sources/local-file-source.js';
import { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from '../../src/stores/memory-store.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import type { Logger } from '../../src/contracts/logger.js';
import type { ProgressEvent, SyncGuardiansOptions } from '../../src/sync/sync-options.js';
import { DAY1, DAY1_ROWS, ORGS, STUDENTS, TEACHER, csv } from './district-fixture.js';

const scope = { level: 'district', orgId: 'D1' } as const;

function newStore(options: Omit<MemoryStoreOptions, 'initial'> = {}): MemoryStore {
  return createMemoryStore({ ...options, initial: { orgs: ORGS, students: STUDENTS, accounts: [TEACHER] } });
}

function source(text: string, name = 'guardians.csv'): GuardianFileSource {
  return createBytesSource({ name, bytes: new TextEncoder().encode(text) });
}

function run(store: MemoryStore, text: string, extra: Partial<SyncGuardiansOptions> = {}): Promise<SyncReport> {
  return syncGuardians({ scope, store, source: source(text), ...extra });
}

async function roster(store: MemoryStore): Promise<unknown> {
  const exported = await store.exportRoster('D1');
  // Account ids are random: compare people by their names, roles and students.
  return exported.accounts
    .map(({ id: _id, ...rest }) => rest)
    .sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`));
}

describe('syncGuardians', () => {
  it('day 1: creates one account per person, links every row, reuses the teacher account', async () => {
    const store = newStore();
    const report = await run(store, DAY1);
    expect(report.status).toBe('succeeded');
    expect(report.file).toMatchObject({ name: 'guardians.csv', encoding: 'utf-8', delimiter: ',', rows: 10 });
    expect(report.file?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.counts).toMatchObject({ rows: 10, rowsSkipped: 0, guardians: 9, accountsCreated: 8, rolesAdded: 1, linksAdded: 10 });
    expect(report.rows).toHaveLength(10);
    const exported = await store.exportRoster('D1');
    const teacher = exported.accounts.find((a) => a.id === TEACHER.id);
    expect(teacher?.roles.map((r) => r.role).sort()).toEqual(['guardian', 'staff']);
    expect(teacher?.students).toEqual(['S005']);
    expect(exported.accounts).toHaveLength(9);
    expect((await store.listRuns()).map((r) => r.runId)).toEqual([report.runId]);
  });

  it('the same file twice changes nothing the second time', async () => {
    const store = newStore();
    await run(store, DAY1);
    const before = await roster(store);
    const again = await run(store, DAY1);
    expect(again.status).toBe('succeeded');
    expect(again.counts).toMatchObject({ accountsCreated: 0, accountsUpdated: 0, rolesAdded: 0, linksAdded: 0, linksRemoved: 0, unchanged: 10 });
    expect(again.rows.every((r) => r.action === 'UNCHANGED')).toBe(true);
    expect(await roster(store)).toEqual(before);
  });

  it('day 2: a changed email under the same id updates the account; a dropped row removes its link', async () => {
    const store = newStore();
    await run(store, DAY1);
    const day2 = DAY1_ROWS.filter((r) => !r.startsWith('S002,')).map((r) => r.replace('tom.baker@example.com', 'tom@baker.example.com'));
    // One new email among a few guardians is above the 10% login-change threshold meant for districts.
    const report = await run(store, csv(day2), { maxRemovalRatio: 0.2 });
    expect(report.status).toBe('succeeded');
    expect(report.counts).toMatchObject({ accountsUpdated: 1, linksRemoved: 1, accountsCreated: 0 });
    const exported = await store.exportRoster('D1');
    expect(exported.accounts.find((a) => a.lastName === 'Baker')?.email).toBe('tom@baker.example.com');
    expect(exported.accounts.find((a) => a.firstName === 'Ana')?.students).toEqual(['S001']);
  });

  it('a file truncated to 40% of yesterday fails the threshold: nothing removed, nothing archived', async () => {
    const store = newStore();
    await run(store, DAY1);
    const before = await roster(store);
    const truncated = csv(DAY1_ROWS.slice(0, 4));
    const report = await run(store, truncated);
    expect(report.status).toBe('failed-threshold');
    expect(report.threshold.exceeded).toBe(true);
    expect(report.threshold.removalRatio).toBeGreaterThan(0.1);
    expect(report.issues.some((i) => i.code === 'THRESHOLD_EXCEEDED' && i.severity === 'error')).toBe(true);
    expect(report.counts.linksRemoved).toBe(0);
    expect(await roster(store)).toEqual(before);

    const forced = await run(store, truncated, { force: true });
    expect(forced.status).not.toBe('failed-threshold');
    expect(forced.counts.linksRemoved).toBe(6);
  });

  it('a missing file fails the run and removes nothing', async () => {
    const store = newStore();
    await run(store, DAY1);
    const before = await roster(store);
    const report = await syncGuardians({ scope, store, source: createLocalFileSource({ path: '/nonexistent/dir/guardians.csv' }) });
    expect(report.status).toBe('failed');
    expect(report.issues[0]).toMatchObject({ code: 'FILE_NOT_FOUND', severity: 'error' });
    expect(await roster(store)).toEqual(before);
  });

  it('a whole-file error (unclosed quote) stops before any change', async () => {
    const store = newStore();
    await run(store, DAY1);
    const before = await roster(store);
    const broken = csv(['S001,G1,"Ana,López,ana.lopez@example.com,,es,mother', ...DAY1_ROWS.slice(1)]);
    const report = await run(store, broken);
    expect(report.status).toBe('failed');
    expect(report.issues[0]).toMatchObject({ code: 'MALFORMED_CSV', line: 2 });
    expect(await roster(store)).toEqual(before);
  });

  it('a file over the size limit fails with FILE_TOO_LARGE before it is read', async () => {
    const report = await run(newStore(), DAY1, { maxFileBytes: 100 });
    expect(report.status).toBe('failed');
    expect(report.issues[0]?.code).toBe('FILE_TOO_LARGE');
    expect(report.counts.rows).toBe(0);
  });

  it('a header-only file fails with NO_VALID_ROWS', async () => {
    const report = await run(newStore(), csv([]));
    expect(report.status).toBe('failed');
    expect(report.issues.map((i) => i.code)).toContain('NO_VALID_ROWS');
  });

  it('a file whose every row is dropped fails with NO_VALID_ROWS counting the reasons, and keeps the rows and their issues', async () => {
    const report = await run(newStore(), 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone\nS001,G1,,Lee,ann@mail.example,\nS002,G2,Bo,Lee,,\n');
    expect(report.issues[0]?.message).toBe('None of the 2 rows of guardians.csv could be used: MISSING_VALUE ×1 (line 2), NO_CONTACT_CREDENTIAL ×1 (line 3). Fix those rows (each is listed with its issue).');
    expect(report.issues.slice(1).map((i) => [i.code, i.line])).toEqual([
      ['MISSING_VALUE', 2],
      ['NO_CONTACT_CREDENTIAL', 3],
    ]);
    expect(report.counts).toMatchObject({ rows: 2, rowsSkipped: 2 });
    expect(report.rows).toEqual([
      { line: 2, action: 'SKIPPED', result: 'ERROR' },
      { line: 3, action: 'SKIPPED', result: 'WARNING' },
    ]);
  });

  it('a dry run reports exactly what the real run does, and changes nothing', async () => {
    const store = newStore();
    const dry = await run(store, DAY1, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect((await store.exportRoster('D1')).accounts).toHaveLength(1);
    const real = await run(store, DAY1);
    expect(dry.status).toBe(real.status);
    expect(dry.counts).toEqual(real.counts);
    expect(dry.rows).toEqual(real.rows);
    expect(dry.issues).toEqual(real.issues);
  });

  it('a disabled sync reads nothing', async () => {
    const store = newStore();
    let opened = false;
    const spy: GuardianFileSource = { description: 'spy', open: async () => { opened = true; throw new Error('must not open'); } };
    const report = await syncGuardians({ scope, store, source: spy, enabled: false });
    expect(report.status).toBe('disabled');
    expect(opened).toBe(false);
  });

  it('an unknown org fails with SCOPE_NOT_FOUND; a school id at district level too, saying it is a school', async () => {
    const store = newStore();
    expect((await syncGuardians({ scope: { level: 'district', orgId: 'NOPE' }, store, source: source(DAY1) })).issues[0]).toMatchObject({
      code: 'SCOPE_NOT_FOUND',
      message: 'No district with id "NOPE" in the roster: check the district id the sync is configured for (ids are case-sensitive).',
    });
    expect((await syncGuardians({ scope: { level: 'district', orgId: 'SCH-A' }, store, source: source(DAY1) })).issues[0]).toMatchObject({
      code: 'SCOPE_NOT_FOUND',
      message: '"SCH-A" is a school of the roster, not a district: sync it at level school, or give the id of a district.',
    });
    expect((await syncGuardians({ scope: { level: 'school', orgId: 'D1' }, store, source: source(DAY1) })).issues[0]?.message).toBe(
      '"D1" is a district of the roster, not a school: sync it at level district, or give the id of a school.',
    );
  });

  it('a guardian sync at another level than the daily roster sync is refused before anything is read', async () => {
    await expect(
      syncGuardians({ scope: { level: 'school', orgId: 'SCH-A' }, rosterSyncLevel: 'district', store: newStore(), source: source(DAY1) }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    await expect(syncGuardians({ scope, store: newStore(), source: source(DAY1), maxRemovalRatio: 2 })).rejects.toBeInstanceOf(GuardianSyncError);
  });

  it('a school-level sync skips students of other schools', async () => {
    const store = newStore();
    const report = await syncGuardians({ scope: { level: 'school', orgId: 'SCH-A' }, store, source: source(DAY1) });
    expect(report.status).toBe('succeeded-with-warnings');
    expect(report.issues.filter((i) => i.code === 'STUDENT_OUT_OF_SCOPE').map((i) => i.line)).toEqual([8, 9, 10, 11]);
  });

  it('two runs of one scope at once: one runs, the other is refused with SYNC_IN_PROGRESS', async () => {
    const store = newStore();
    const [a, b] = await Promise.all([run(store, DAY1), run(store, DAY1)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['failed', 'succeeded']);
    const refused = a.status === 'failed' ? a : b;
    expect(refused.issues[0]?.code).toBe('SYNC_IN_PROGRESS');
    // The lock is released: a third run goes through.
    expect((await run(store, DAY1)).status).toBe('succeeded');
  });

  it('a store that fails in the middle of apply fails the run; running again converges to the clean result', async () => {
    const clean = newStore();
    await run(clean, DAY1);
    for (const failAt of [0, 1, 2]) {
      const store = newStore();
      const failed = await run(interruptWrites(store, { afterCalls: failAt, error: () => Object.assign(new Error('disk full'), { code: 'ENOSPC' }) }), DAY1);
      expect(failed.status, `fail at write call ${failAt}`).toBe('failed');
      expect(failed.issues[0]?.code).toBe('STORE_FAILED');
      // The report counts what the store holds, not what the plan meant to do.
      expect(failed.counts.accountsCreated, `created at write call ${failAt}`).toBe(store.data.accounts.size - 1);
      // Cut at the first write (the account inserts): no row may say CREATED.
      if (failAt === 0) expect(failed.rows.filter((r) => r.action === 'CREATED')).toEqual([]);
      const again = await run(store, DAY1);
      expect(again.status).toBe('succeeded');
      expect(await roster(store)).toEqual(await roster(clean));
    }
  });

  it('a crash after apply but before the report is saved: the re-run is harmless', async () => {
    const store = newStore();
    const saveRun = store.saveRun.bind(store);
    let failSave = true;
    store.saveRun = async (report) => {
      if (failSave) {
        failSave = false;
        throw new Error('connection lost');
      }
      return saveRun(report);
    };
    const first = await run(store, DAY1);
    expect(first.status).toBe('succeeded');
    const after = await roster(store);
    const second = await run(store, DAY1);
    expect(second.counts).toMatchObject({ accountsCreated: 0, linksAdded: 0, linksRemoved: 0 });
    expect(await roster(store)).toEqual(after);
  });

  it('a run its signal stopped is cancelled in the history (the report it returns stays failed with ABORTED), and the scope is free', async () => {
    const store = newStore();
    const controller = new AbortController();
    // Stopped once it holds the lock and reads: as Ctrl-C in the CLI would.
    const report = await run(store, DAY1, { signal: controller.signal, onProgress: (e) => (e.phase === 'decode' ? controller.abort() : undefined) });
    expect(report.status).toBe('failed');
    expect(report.issues[0]?.code).toBe('ABORTED');
    expect((await store.getRun(report.runId))?.status).toBe('cancelled');
    expect((await store.listRuns()).map((r) => r.status)).toEqual(['cancelled']);
    expect((await run(store, DAY1)).status).toBe('succeeded');
  });

  it('a failure that is not the signal is saved as failed, even when a signal fires later', async () => {
    const store = newStore();
    const controller = new AbortController();
    const report = await run(store, csv([]), { signal: controller.signal });
    controller.abort();
    expect(report.issues[0]?.code).toBe('NO_VALID_ROWS');
    expect((await store.getRun(report.runId))?.status).toBe('failed');
  });

  it('an aborted run fails with ABORTED and changes nothing', async () => {
    const store = newStore();
    const controller = new AbortController();
    controller.abort();
    const report = await run(store, DAY1, { signal: controller.signal });
    expect(report.status).toBe('failed');
    expect(report.issues[0]?.code).toBe('ABORTED');
    expect((await store.exportRoster('D1')).accounts).toHaveLength(1);
  });

  it('marks the file processed after a good run, also an unchanged one, but never after a dry run or a held one', async () => {
    const marked: string[] = [];
    const tracked = (text: string, label: string): GuardianFileSource => ({
      description: label,
      async open(options) {
        const file = await source(text).open(options);
        return { ...file, stream: file.stream.bind(file), close: file.close.bind(file), markProcessed: async () => void marked.push(label) };
      },
    });
    const store = newStore();
    await syncGuardians({ scope, store, source: tracked(DAY1, 'dry'), dryRun: true });
    await syncGuardians({ scope, store, source: tracked(DAY1, 'day1') });
    await syncGuardians({ scope, store, source: tracked(DAY1, 'unchanged') });
    await syncGuardians({ scope, store, source: tracked(csv(DAY1_ROWS.slice(0, 4)), 'held') });
    expect(marked).toEqual(['day1', 'unchanged']);
  });

  it('a store that hangs on a read meets the run deadline: ABORTED, and the scope is free again', async () => {
    const store = newStore();
    const hanging: MemoryStore = { ...store, loadSnapshot: () => new Promise(() => {}) };
    const report = await run(hanging, DAY1, { signal: AbortSignal.timeout(150) });
    expect(report.status).toBe('failed');
    expect(report.issues[0]?.code).toBe('ABORTED');
    expect((await run(store, DAY1)).status).toBe('succeeded');
  });

  it('a run cancelled in the middle of apply stops between write calls; running again converges', async () => {
    const clean = newStore();
    await run(clean, DAY1);
    const controller = new AbortController();
    const store = newStore();
    // The signal fires while the store is writing (its driver then throws an AbortError).
    const aborting = interruptWrites(store, { afterCalls: 1, error: () => (controller.abort(), Object.assign(new Error('aborted'), { name: 'AbortError' })) });
    const cancelled = await run(aborting, DAY1, { signal: controller.signal });
    expect(cancelled.status).toBe('failed');
    expect(cancelled.issues[0]?.code).toBe('ABORTED');
    expect((await run(store, DAY1)).status).toBe('succeeded');
    expect(await roster(store)).toEqual(await roster(clean));
  });

  it('reports progress by phase and logs no personal data', async () => {
    const events: ProgressEvent[] = [];
    const lines: string[] = [];
    const capture = (level: string) => (obj: Record<string, unknown>, msg?: string) => lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
    const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
    await run(newStore(), DAY1, { onProgress: (e) => events.push(e), logger });
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['lock', 'fetch', 'decode', 'resolve', 'plan', 'apply', 'report', 'done']);
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    for (const secret of ['ana.lopez@example.com', 'López', '+12025550101', '555-0101']) expect(logged).not.toContain(secret);
  });
});
