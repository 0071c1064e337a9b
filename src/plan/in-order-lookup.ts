// Positions of keys in a list, for queries that mostly come in the list's own order: a store's
// links usually follow its accounts. A cursor walks the list with the queries, so a query in
// step costs a string comparison or two; the keys the cursor passes by go into a Map, so a
// query behind it costs one lookup; and each key enters the Map at most once, so queries in
// no order at all cost what a Map of the whole list costs, never more.

/** How far ahead of the cursor a key is compared before the rest of the list is searched. */
const LOOK_AHEAD = 8;

export class InOrderLookup {
  private cursor = 0;
  /** Keys behind the cursor, except those the cursor stopped at (listed in `stoppedAt`). */
  private readonly passed = new Map<string, number>();
  private readonly stoppedAt: number[] = [];
  /** True once `passed` holds every key of the list. */
  private complete = false;

  /** @param keys unique keys (with a key listed twice, either position may be found). */
  constructor(private readonly keys: readonly string[]) {}

  /** The position of `key` in the list, or -1 when it is not there. */
  find(key: string): number {
    if (!this.complete) {
      const until = Math.min(this.cursor + LOOK_AHEAD, this.keys.length);
      for (let p = this.cursor; p < until; p++) if (this.keys[p] === key) return this.stopAt(p);
    }
    const behind = this.passed.get(key);
    if (behind !== undefined) return behind;
    if (this.complete) return -1;
    // Further ahead, or a key the cursor stopped at earlier, or not in the list at all.
    for (let p = this.cursor + LOOK_AHEAD; p < this.keys.length; p++) if (this.keys[p] === key) return this.stopAt(p);
    this.pass(this.keys.length);
    for (const p of this.stoppedAt) this.passed.set(this.keys[p]!, p);
    this.stoppedAt.length = 0;
    this.complete = true;
    return this.passed.get(key) ?? -1;
  }

  private stopAt(p: number): number {
    this.pass(p);
    this.stoppedAt.push(p);
    this.cursor = p + 1;
    return p;
  }

  /** Moves every key from the cursor up to `end` (exclusive) into `passed`. */
  private pass(end: number): void {
    for (let p = this.cursor; p < end; p++) this.passed.set(this.keys[p]!, p);
    this.cursor = Math.max(this.cursor, end);
  }
}
