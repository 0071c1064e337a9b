// What a stage's live heap is made of, by V8 node kind (strings, objects, arrays, hidden
// arrays, numbers): a heap snapshot before and after the stage, summed by kind, the first
// subtracted from the second. Tells how much of the SQLite snapshot or the parsed rows is
// text a compact layout would still hold, and how much is per-object overhead it would save.
//
//   node --import tsx --expose-gc bench/heap-by-kind.ts 100k [roster.sqlite]
//
// Heap snapshots take about as much memory again as the heap: use 100k (per-row figures
// carry to 1M; bench/memory-stages.ts measures 1M directly).
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSnapshot } from 'node:v8';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createSqliteStore } from '../src/sqlite/index.js';
import { BENCH_DIR, datasetPaths, newestSeededRoster, parseSize, readRoster } from './dataset.js';

const sizeArg = process.argv[2] ?? '100k';
const paths = datasetPaths(parseSize(sizeArg), 7);
const work = join(BENCH_DIR, 'work-heap-by-kind.sqlite');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });
copyFileSync(process.argv[3] ?? newestSeededRoster(paths, sizeArg), work);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

/** Self sizes summed by node kind, in bytes, and node counts. */
async function heapByKind(): Promise<Map<string, { bytes: number; count: number }>> {
  gc!();
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshotJson;
  const fields = json.snapshot.meta.node_fields;
  const kinds = json.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const totals = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < json.nodes.length; i += fields.length) {
    const kind = kinds[json.nodes[i + typeAt]!]!;
    const entry = totals.get(kind) ?? { bytes: 0, count: 0 };
    entry.bytes += json.nodes[i + sizeAt]!;
    entry.count++;
    totals.set(kind, entry);
  }
  return totals;
}

const lines: string[] = [];
/** What `work`'s result holds once garbage is collected, by kind, per item (`count` of the result). */
async function stage<T>(name: string, work: () => Promise<T> | T, count: (value: T) => number): Promise<T> {
  const before = await heapByKind();
  const value = await work();
  const after = await heapByKind();
  const per = count(value);
  const parts: string[] = [];
  let total = 0;
  for (const [kind, { bytes, count: nodes }] of after) {
    const grown = bytes - (before.get(kind)?.bytes ?? 0);
    const made = nodes - (before.get(kind)?.count ?? 0);
    total += grown;
    if (Math.abs(grown) < 1024 * 1024) continue;
    parts.push(`${kind} ${(grown / 1024 ** 2).toFixed(1)} MiB (${(grown / per).toFixed(0)} B, ${(made / per).toFixed(2)} nodes)`);
  }
  lines.push(`${name}: ${(total / 1024 ** 2).toFixed(1)} MiB, ${(total / per).toFixed(0)} B per item (${per} items)\n      ${parts.join('\n      ')}`);
  return value;
}

const roster = readRoster(paths);
const store = createSqliteStore({ database: work });
const bytes = readFileSync(paths.day2);
const input = await stage('rows of readGuardianInput, per row', () => readGuardianInput(bytes, { format: 'guardians', fileName: 'guardians.csv' }), (i) => i.rows.length);
const scope = (await store.resolveScope({ level: 'district', orgId: roster.districtId }))!;
const logins = snapshotLogins(input.rows);
const snapshot = await stage('SQLite snapshot, per account', () => store.loadSnapshot(scope, { logins }), (s) => s.accounts.length);
await store.close();
console.log(`heap by kind, ${sizeArg}: ${input.rows.length} rows; ${snapshot.accounts.length} accounts, ${snapshot.links.length} links, ${snapshot.students.length} students`);
for (const line of lines) console.log(`  ${line}`);
for (const suffix of ['', '-wal', '-shm']) rmSync(`${work}${suffix}`, { force: true });
