// Where the SQLite store's `loadSnapshot` spends its time, statement by statement: the
// snapshot of measurements (k) and (l), read from a copy of their seeded roster file through
// a connection whose statements are timed (SQLite's own stepping, in `run`, `get`, `all` and
// each `next()` of `iterate`); the rest of the time is the store's JavaScript (building the
// snapshot's objects). Run `npm run bench` with k or l at this size first (it seeds the files).
//
//   node --import tsx --expose-gc bench/sqlite-snapshot-sql.ts 1M [alone|two]
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import type { SqliteDatabase, SqliteStatement } from '../src/sqlite/sqlite-database.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { datasetPaths, parseSize, readRoster, sqliteRosterFiles } from './dataset.js';

const size = parseSize(process.argv[2] ?? '1M');
const which = process.argv[3] === 'two' ? 'two' : 'alone';
const paths = datasetPaths(size, 7);
const files = sqliteRosterFiles(paths);
if (!existsSync(files[which])) throw new Error(`no ${files[which]}: run BENCH_ONLY=k,l npm run bench -- ${process.argv[2] ?? '1M'} first (same src/)`);
const work = join(files.dir, 'work-sql.sqlite');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });
copyFileSync(files[which], work);

interface Cost {
  calls: number;
  rows: number;
  ms: number;
}
const costs = new Map<string, Cost>();
let timing = false;
const costOf = (sql: string): Cost => {
  let cost = costs.get(sql);
  if (cost === undefined) {
    cost = { calls: 0, rows: 0, ms: 0 };
    costs.set(sql, cost);
  }
  return cost;
};

function timedStatement(sql: string, statement: SqliteStatement): SqliteStatement {
  const wrapped: SqliteStatement = {
    run: (...params) => measure(sql, 0, () => statement.run(...params)),
    get: (...params) => measure(sql, 1, () => statement.get(...params)),
    all: (...params) => {
      const rows = measure(sql, 0, () => statement.all(...params));
      if (timing) costOf(sql).rows += rows.length;
      return rows;
    },
    iterate: (...params) => {
      const inner = measure(sql, 0, () => statement.iterate(...params));
      const iterator: IterableIterator<unknown> = {
        next: () => {
          const started = performance.now();
          const step = inner.next();
          if (timing) {
            const cost = costOf(sql);
            cost.ms += performance.now() - started;
            if (step.done !== true) cost.rows += 1;
          }
          return step;
        },
        return: (value?: unknown) => inner.return?.(value) ?? { done: true, value: undefined },
        [Symbol.iterator]: () => iterator,
      };
      return iterator;
    },
    raw: (toggle) => {
      statement.raw(toggle);
      return wrapped;
    },
  };
  return wrapped;
}

function measure<T>(sql: string, rows: number, call: () => T): T {
  if (!timing) return call();
  const started = performance.now();
  const value = call();
  const cost = costOf(sql);
  cost.ms += performance.now() - started;
  cost.calls += 1;
  cost.rows += rows;
  return value;
}

// The settings the store gives a file it opens itself (src/sqlite/sqlite-store.ts).
const db = new Database(work, { timeout: 5_000 });
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('synchronous = NORMAL');
db.pragma(`cache_size = ${-128 * 1024}`);
const timedDb = new Proxy(db as unknown as SqliteDatabase, {
  get(target, property) {
    if (property === 'prepare') return (sql: string) => timedStatement(sql, target.prepare(sql));
    const value = Reflect.get(target, property) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  },
});
const store = createSqliteStore({ database: timedDb });
const roster = readRoster(paths);
const input = await readGuardianInput(readFileSync(paths.day2), { format: 'guardians', fileName: 'guardians.csv' });
const logins = snapshotLogins(input.rows);
const scope = await store.resolveScope({ level: 'district', orgId: roster.districtId });
if (scope === null) throw new Error('no district');
(globalThis as { gc?: () => void }).gc?.();
timing = true;
const started = performance.now();
const snapshot = await store.loadSnapshot(scope, { logins });
const total = performance.now() - started;
timing = false;
await store.close();
db.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });

let sqlMs = 0;
for (const cost of costs.values()) sqlMs += cost.ms;
console.log(
  `loadSnapshot of ${roster.districtId} (${which} file, ${size} rows): ${(total / 1000).toFixed(2)} s; ${snapshot.students.length} students, ${snapshot.accounts.length} accounts, ${snapshot.links.length} links; ${logins.emails.length} emails and ${logins.mobiles.length} mobiles asked`,
);
console.log(`  in SQLite statements ${(sqlMs / 1000).toFixed(2)} s, in the store's JavaScript ${((total - sqlMs) / 1000).toFixed(2)} s`);
for (const [sql, cost] of [...costs].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`  ${(cost.ms / 1000).toFixed(2).padStart(6)} s  ${String(cost.calls).padStart(6)} calls  ${String(cost.rows).padStart(8)} rows  ${sql.replace(/\s+/g, ' ').replace(/(\?, ){4,}\?/g, '?, …').slice(0, 150)}`);
}
