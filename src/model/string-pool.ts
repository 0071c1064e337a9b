// One string object per distinct value of a column whose values repeat. csv-parse and the
// database drivers return a new string for every cell, so a million rows or links held a
// million copies of "guardian-file", of their district's id, of "mother"; every role its own
// "guardian" and "active". The values are the same; only the number of copies (24–56 bytes
// each on V8's heap) changes. Used for columns whose values repeat (a role's district, a
// language, a school, a link's source, a relationship, names); never where nearly every value
// is distinct (ids, emails), where the pool would cost a hash lookup and an entry per value
// and save nothing.

export interface StringPoolOptions {
  /** Values to return for their text from the start (e.g. the scope's district id, already held elsewhere). */
  readonly seed?: Iterable<string> | undefined;
  /**
   * At most this many distinct values are held (the first ones seen); a value after that is
   * returned as it is. For a column that may turn out to be free text, and for a pool that
   * lives as long as the process. @default unbounded
   */
  readonly limit?: number | undefined;
}

/** Interns strings: the first value of each text is kept and returned for every equal one after it. */
export class StringPool {
  private readonly known = new Map<string, string>();
  private readonly limit: number;
  /** The last value returned: consecutive rows often repeat one (a source, a district). */
  private last: string | undefined;

  constructor(options: StringPoolOptions = {}) {
    this.limit = options.limit ?? Number.POSITIVE_INFINITY;
    for (const value of options.seed ?? []) this.known.set(value, value);
  }

  /** The pool's string equal to `value` (`value` itself, the first time it is seen or when the pool is full). */
  intern(value: string): string {
    // A comparison with the last hit is cheaper than hashing a new string for the map.
    if (value === this.last) return this.last;
    let known = this.known.get(value);
    if (known === undefined) {
      if (this.known.size >= this.limit) return value;
      this.known.set(value, value);
      known = value;
    }
    this.last = known;
    return known;
  }

  /** `intern` for a nullable column. */
  internNullable(value: string | null): string | null {
    return value === null ? null : this.intern(value);
  }
}
