// Would a hand-rolled hash table beat V8's Map on the joins of (h)? Two of them, on the 1M
// inputs of plan-compare.ts: the file's rows grouped by guardianSisId, and each run of links
// looked up in the accounts by id; once with Maps, once with an open-addressing table on
// typed arrays (FNV-1a over the characters, every hit verified by comparing the strings).
// Keys are fresh copies each round, as in a real run, where no string has its hash yet.
//
//   npx tsx bench/plan-compare.ts 1M            # once: caches the inputs
//   node --expose-gc --import tsx bench/string-hash-vs-map.ts 1M
import { existsSync, readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import type { GuardianRow } from '../src/model/guardian-row.js';
import type { RosterSnapshot } from '../src/model/roster.js';
import { BENCH_DIR } from './dataset.js';

/** Open addressing with linear probing; positions of keys in insertion order. */
class TypedStringTable {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  readonly keys: string[] = [];

  constructor(capacity: number) {
    let size = 1;
    while (size < capacity * 2) size <<= 1;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The position of `key`, adding it when absent and `add` is set; -1 when absent otherwise. */
  find(key: string, add: boolean): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot]!;
      if (held === 0) {
        if (!add) return -1;
        this.keys.push(key);
        this.slots[slot] = this.keys.length;
        this.hashes[slot] = h;
        return this.keys.length - 1;
      }
      if (this.hashes[slot] === h && this.keys[held - 1] === key) return held - 1;
    }
  }
}

const sizeArg = process.argv[2] ?? '1M';
const size = Math.round(Number(sizeArg.replace(/[kKmM]$/, '')) * (/[kK]$/.test(sizeArg) ? 1e3 : /[mM]$/.test(sizeArg) ? 1e6 : 1));
const cache = `${BENCH_DIR}/plan-inputs-${size}.v8`;
if (!existsSync(cache)) throw new Error(`${cache} is missing: run \`npx tsx bench/plan-compare.ts ${sizeArg}\` first`);
const { snapshot, rows } = deserialize(readFileSync(cache)) as { snapshot: RosterSnapshot; rows: GuardianRow[] };
const fresh = (s: string): string => ` ${s}`.slice(1);
const gc = (globalThis as { gc?: () => void }).gc;

const best = { map: Infinity, typed: Infinity };
for (let round = 0; round < 4; round++) {
  for (const kind of round % 2 === 0 ? (['map', 'typed'] as const) : (['typed', 'map'] as const)) {
    const ids = rows.map((r) => (r.guardianSisId === null ? null : fresh(r.guardianSisId)));
    const accountIds = snapshot.accounts.map((a) => fresh(a.id));
    const linkIds = snapshot.links.map((l) => fresh(l.accountId));
    gc?.();
    const started = performance.now();
    let found = 0;
    if (kind === 'map') {
      const byId = new Map<string, number>();
      for (const id of ids) if (id !== null && byId.get(id) === undefined) byId.set(id, byId.size);
      const positions = new Map<string, number>();
      for (let pos = 0; pos < accountIds.length; pos++) positions.set(accountIds[pos]!, pos);
      for (const id of linkIds) if (positions.get(id) !== undefined) found++;
    } else {
      const byId = new TypedStringTable(ids.length);
      for (const id of ids) if (id !== null) byId.find(id, true);
      const positions = new TypedStringTable(accountIds.length);
      for (const id of accountIds) positions.find(id, true);
      for (const id of linkIds) if (positions.find(id, false) !== -1) found++;
    }
    const ms = performance.now() - started;
    if (found !== linkIds.length) throw new Error(`${kind}: ${found} of ${linkIds.length} links found`);
    best[kind] = Math.min(best[kind], ms);
  }
}
console.log(`${rows.length} rows, ${snapshot.accounts.length} accounts, ${snapshot.links.length} links; best of 4, ms:`);
console.log(`  Map ${best.map.toFixed(0)}, typed-array table ${best.typed.toFixed(0)}: typed / Map ${(best.typed / best.map).toFixed(2)}`);
