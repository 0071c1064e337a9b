// The lines of each guardian's rows that ask for a link (student known and in scope, not a
// delete row), by guardian index. Held as two typed arrays (each guardian's lines are one run
// of `lines`, from `start[index]`) rather than one array per guardian: at a million rows an
// array per guardian, grown by push, held about 100 MiB for the whole plan; this holds 8 MiB.
// Most guardians are unchanged and never need their lines as an array; `of` makes one for
// the plan items that do.
import type { ResolvedGuardians } from '../resolve/resolve-guardians.js';

export class LinkLines {
  private constructor(
    /** `start[index]` … `start[index + 1]`: the guardian's run in `lines`. */
    private readonly start: Int32Array,
    /** Lines in row order (line order), grouped by guardian. */
    private readonly lines: Int32Array,
  ) {}

  /** The lines of a resolved file: its in-scope rows that are not delete rows. */
  static ofResolved(resolved: Pick<ResolvedGuardians, 'ordered' | 'guardianOfRow' | 'inScope' | 'guardians'>): LinkLines {
    const { ordered, guardianOfRow, inScope } = resolved;
    const guardians = resolved.guardians.length;
    const start = new Int32Array(guardians + 1);
    // Counted first, then placed (a counting sort by guardian keeps each guardian's lines in
    // row order). The first pass notes each asking row's line (0: not asking), so the second
    // reads typed arrays only, not a million row objects again.
    const lineOfRow = new Int32Array(ordered.length);
    for (let i = 0; i < ordered.length; i++) {
      if (inScope[i] !== 1) continue;
      const row = ordered[i]!;
      if (row.delete === true) continue;
      lineOfRow[i] = row.line;
      start[guardianOfRow[i]! + 1]!++;
    }
    for (let g = 0; g < guardians; g++) start[g + 1]! += start[g]!;
    const next = start.slice(0, guardians);
    const lines = new Int32Array(start[guardians]!);
    for (let i = 0; i < ordered.length; i++) if (lineOfRow[i] !== 0) lines[next[guardianOfRow[i]!]!++] = lineOfRow[i]!;
    return new LinkLines(start, lines);
  }

  /** The same from one list of lines per guardian index (tests, and callers that have lists). */
  static fromLists(lists: readonly (readonly number[])[]): LinkLines {
    const start = new Int32Array(lists.length + 1);
    for (let g = 0; g < lists.length; g++) start[g + 1] = start[g]! + (lists[g]?.length ?? 0);
    const lines = new Int32Array(start[lists.length]!);
    lists.forEach((list, g) => lines.set(list, start[g]!));
    return new LinkLines(start, lines);
  }

  /** How many of the guardian's rows ask for a link (0 for an index it does not hold). */
  count(index: number): number {
    return index + 1 < this.start.length ? this.start[index + 1]! - this.start[index]! : 0;
  }

  /** The guardian's lines asking for a link, in line order: a new array, for a plan item to keep. */
  of(index: number): number[] {
    const count = this.count(index);
    const from = this.start[index] ?? 0;
    const out = new Array<number>(count);
    for (let k = 0; k < count; k++) out[k] = this.lines[from + k]!;
    return out;
  }
}
