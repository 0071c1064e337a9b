// One string object per distinct value of a column read in bulk. A database driver returns a
// new string for every value of every row, so a snapshot of a million links held a million
// copies of "guardian-file" and of its district's id, and every role its own "guardian" and
// "active". The values are the same; only the number of copies (24–56 bytes each on V8's heap)
// changes. Used for columns whose values repeat (a role's district, a language, a school, a
// link's source); never where nearly every value is distinct (ids, emails), where the pool
// would cost a hash lookup and an entry per value and save nothing.

/** Interns strings: the first value of each text is kept and returned for every equal one after it. */
export class StringPool {
  private readonly known = new Map<string, string>();
  /** The last value returned: consecutive rows often repeat one (a source, a district). */
  private last: string | undefined;

  /** @param seed values to return for their text (e.g. the scope's district id, already held by the snapshot). */
  constructor(seed: Iterable<string> = []) {
    for (const value of seed) this.known.set(value, value);
  }

  /** The pool's string equal to `value` (`value` itself, the first time it is seen). */
  intern(value: string): string {
    // A comparison with the last hit is cheaper than hashing a new string for the map.
    if (value === this.last) return this.last;
    let known = this.known.get(value);
    if (known === undefined) {
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
