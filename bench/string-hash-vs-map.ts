// Would a hand-rolled hash table beat V8's Map on the joins of (h)? Two of them, on the 1M
// inputs of (f) (cached-plan-inputs.ts): the file's rows grouped by guardianSisId, and each
// link's account looked up among the accounts by id; once with Maps, once with an open-addressing
// table on typed arrays (FNV-1a over the characters, every hit verified by comparing strings).
// Keys are fresh copies each round, as in a real run, where no string has its hash yet.
//
//   node --expose-gc --import tsx bench/string-hash-vs-map.ts 1M
import { cachedPlanInputs } from './cached-plan-inputs.js';
import { parseSize } from './dataset.js';

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

const { snapshot, rows } = await cachedPlanInputs(parseSize(process.argv[2] ?? '1M'));
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
