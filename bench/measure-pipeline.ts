// The pipeline measurements: (b) dry run, (c) no-op run, both against a memory store holding
// the day-1 roster; (d) the day-1 file applied to an empty SQLite store. All go through
// `syncGuardians`, the entry point a host calls, so they include everything a run does.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RosterStore } from '../src/contracts/roster-store.js';
import type { SyncReport } from '../src/model/report.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import { createBytesSource } from '../src/sources/bytes-source.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import type { GuardianRow } from '../src/model/guardian-row.js';
import type { RosterSnapshot } from '../src/model/roster.js';
import { readRoster, type DatasetPaths, type RosterFile } from './dataset.js';
import { hashJoinFloor } from './join-floor.js';
import { resultOf, timed, type MeasurementResult, type Timed } from './measurement.js';

/** One district-level sync of `bytes` (the measurements' only way to run the product). */
export function syncDistrict(
  store: RosterStore,
  districtId: string,
  bytes: Uint8Array,
  dryRun: boolean,
  onProgress?: (event: { phase: string }) => void,
): Promise<SyncReport> {
  return syncGuardians({
    scope: { level: 'district', orgId: districtId },
    source: createBytesSource({ name: 'guardians.csv', bytes }),
    store,
    dryRun,
    onProgress,
  });
}

function sync(store: RosterStore, roster: RosterFile, bytes: Uint8Array, dryRun: boolean): Promise<SyncReport> {
  return syncDistrict(store, roster.districtId, bytes, dryRun);
}

/** A run the benchmark depends on must have worked; a failed one would make every figure meaningless. */
export function assertRan(report: SyncReport, what: string): void {
  if (report.status === 'failed' || report.status === 'failed-threshold' || report.status === 'disabled') {
    const firstErrors = report.issues.filter((i) => i.severity === 'error').slice(0, 3).map((i) => `${i.code}: ${i.message}`);
    throw new Error(`${what}: run ${report.status}. ${firstErrors.join(' | ')}`);
  }
}

export function countsOf(report: SyncReport): Record<string, unknown> {
  const issueCodes: Record<string, number> = {};
  for (const issue of report.issues) issueCodes[issue.code] = (issueCodes[issue.code] ?? 0) + 1;
  return { status: report.status, ...report.counts, issueCodes };
}

async function memoryStoreWithDay1(roster: RosterFile, day1: Uint8Array) {
  const store = createMemoryStore({ initial: { orgs: roster.orgs, students: roster.students } });
  await store.importRoster({ orgs: [], students: [], staff: roster.staff });
  const report = await sync(store, roster, day1, false);
  assertRan(report, 'seeding the memory store with day 1');
  // The run history holds a deep copy of each report: not part of the roster being measured against.
  store.data.runs.clear();
  return store;
}

/** (b) Dry run of the next-day file against a memory store holding the day-1 roster. */
export async function measureDryRun(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const day1 = readFileSync(paths.day1);
  const day2 = readFileSync(paths.day2);
  const store = await memoryStoreWithDay1(roster, day1);
  const held = { accounts: store.data.accounts.size, links: store.data.links.size };
  const run = await timed(() => sync(store, roster, day2, true));
  assertRan(run.value, 'dry run of day 2');
  return result('b', size, run, { storeBefore: held, ...countsOf(run.value) });
}

/** The next-day rows, read and validated, and the snapshot of a memory store holding the day-1 roster: what (f) and (h) start from. */
export async function planInputs(paths: DatasetPaths): Promise<{ rows: readonly GuardianRow[]; snapshot: RosterSnapshot }> {
  const roster = readRoster(paths);
  const store = await memoryStoreWithDay1(roster, readFileSync(paths.day1));
  const input = await readGuardianInput(readFileSync(paths.day2), { format: 'guardians', fileName: 'guardians.csv' });
  const scope = await store.resolveScope({ level: 'district', orgId: roster.districtId });
  if (scope === null) throw new Error('the district of the dataset is not in the store');
  return { rows: input.rows, snapshot: await store.loadSnapshot(scope, { logins: snapshotLogins(input.rows) }) };
}

/**
 * (f) Resolve + plan alone (issue #3): the next-day rows, read and validated in the set-up,
 * planned against the snapshot of a memory store holding the day-1 roster. Only `buildPlan`
 * is timed: grouping, matching, logins, links, threshold, row outcomes.
 */
export async function measurePlanOnly(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const { rows, snapshot } = await planInputs(paths);
  const run = await timed(() => buildPlan({ rows, snapshot, settings: { source: 'guardian-file' } }));
  return resultOf('f', size, rows.length, run, {
    snapshot: { accounts: snapshot.accounts.length, links: snapshot.links.length, students: snapshot.students.length },
    ...run.value.counts,
    issues: run.value.issues.length,
  });
}

/** (h) The hash joins alone (see join-floor.ts), on the inputs of (f). */
export async function measureJoinFloor(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const { rows, snapshot } = await planInputs(paths);
  const run = await timed(() => hashJoinFloor(rows, snapshot));
  return resultOf('h', size, rows.length, run, { ...run.value });
}

/** (c) The next-day file again, after applying it: a run that finds nothing to change. */
export async function measureNoOpRun(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const day1 = readFileSync(paths.day1);
  const day2 = readFileSync(paths.day2);
  const store = await memoryStoreWithDay1(roster, day1);
  const applied = await sync(store, roster, day2, false);
  assertRan(applied, 'applying day 2');
  store.data.runs.clear();
  const run = await timed(() => sync(store, roster, day2, false));
  assertRan(run.value, 'day 2 again');
  const c = run.value.counts;
  const changes = c.accountsCreated + c.accountsUpdated + c.rolesAdded + c.linksAdded + c.linksRemoved + c.guardiansArchived + c.guardiansRestored;
  // Applying the same file twice must change nothing (IDENTITY-RULES.md §6); otherwise this is not the no-op run it claims to time.
  if (changes !== 0) throw new Error(`the next-day file applied twice planned ${changes} changes the second time`);
  return result('c', size, run, { changesPlanned: changes, ...countsOf(run.value) });
}

/** (d) The day-1 file applied to an empty SQLite store (students and staff imported first, not timed). */
export async function measureSqliteApply(paths: DatasetPaths, size: number): Promise<MeasurementResult> {
  const roster = readRoster(paths);
  const day1 = readFileSync(paths.day1);
  const file = join(paths.dir, 'store.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  // By path: the store opens the file itself, with its own settings (WAL, synchronous = NORMAL, its page cache).
  const store = createSqliteStore({ database: file });
  const database = store.database;
  await store.importRoster({ orgs: roster.orgs, students: roster.students, staff: roster.staff });
  const run = await timed(() => sync(store, roster, day1, false));
  assertRan(run.value, 'applying day 1 to SQLite');
  const stored = {
    accounts: (database.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number } | undefined)?.n,
  };
  await store.close();
  return result('d', size, run, { stored, ...countsOf(run.value) });
}

function result(id: MeasurementResult['id'], size: number, run: Timed<SyncReport>, details: Record<string, unknown>): MeasurementResult {
  return resultOf(id, size, run.value.file?.rows ?? 0, run, details);
}
