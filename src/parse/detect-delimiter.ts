// The CSV dialect choices made before parsing (docs/file-format.md, "Dialect"): an Excel
// `sep=;` first line, and otherwise the delimiter counted on the header line outside
// quotes (comma, semicolon or tab; comma wins ties, as the default).

export const DELIMITERS = [',', ';', '\t'] as const;

export interface Preamble {
  readonly delimiter: string;
  /** Characters to drop from the start of the text (BOM and `sep=` line). */
  readonly skip: number;
  /** Physical lines dropped (1 for a `sep=` line). */
  readonly lineOffset: number;
  /** True when the delimiter came from a `sep=` line. */
  readonly fromSepLine: boolean;
}

const SEP_LINE = /^sep=([^\r\n"])[ \t]*(?:\r\n|\n|\r|$)/i;

/**
 * Where the first non-blank line ends (index of its line break, outside quotes), or -1
 * when `text` does not yet hold all of it.
 */
export function firstLineEnd(text: string): number {
  let inQuotes = false;
  let seenContent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      inQuotes = !inQuotes;
      seenContent = true;
    } else if ((c === 0x0a || c === 0x0d) && !inQuotes) {
      if (seenContent) return i;
    } else if (c !== 0x20 && c !== 0x09 && c !== 0xfeff) {
      seenContent = true;
    }
  }
  return -1;
}

/** Counts each candidate delimiter on the first non-blank line, outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let seenContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '"') inQuotes = !inQuotes;
    else if ((ch === '\n' || ch === '\r') && !inQuotes) {
      if (seenContent) break;
      continue;
    } else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    if (ch !== ' ' && ch !== '\t') seenContent = true;
  }
  let best: string = DELIMITERS[0];
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Reads the start of the text (at least its first non-blank line) for the dialect. */
export function readPreamble(head: string): Preamble {
  const bom = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  const sep = SEP_LINE.exec(head.slice(bom));
  if (sep !== null) {
    return { delimiter: sep[1] ?? ',', skip: bom + sep[0].length, lineOffset: 1, fromSepLine: true };
  }
  return { delimiter: detectDelimiter(head.slice(bom)), skip: bom, lineOffset: 0, fromSepLine: false };
}
