// A role's SIS ids as the SQLite store keeps them: the JSON text of an array of strings
// (`JSON.stringify`, src/sqlite/sqlite-writer.ts), parsed back for every role a snapshot reads.

/** The SIS ids of a role's `sis_ids` text: `JSON.parse`, with a fast path for one short id. */
export function parseSisIds(text: string): string[] {
  // Nearly every role holds one id, written as `["G0174024"]`. JSON.parse cost 0.55 s for a
  // 650k-role snapshot; slicing the id out costs a few character tests. Only for an id that
  // JSON text spells as itself (no quote, backslash or control character: JSON.stringify
  // escapes those) and of at most 12 characters: V8 copies a substring that short, while a
  // longer one is a view that keeps the whole text alive (32 bytes more than JSON.parse's copy).
  const length = text.length;
  if (length === 2 && text === '[]') return []; // a staff role without ids
  if (length <= 16 && length >= 4 && text.charCodeAt(0) === 0x5b && text.charCodeAt(1) === 0x22 && text.charCodeAt(length - 2) === 0x22 && text.charCodeAt(length - 1) === 0x5d) {
    if (spellsItself(text, 2, length - 2)) return [text.slice(2, length - 2)];
  }
  return parseSisIdsPlainly(text);
}

/** The plain parse, which {@link parseSisIds} must equal (its property test compares the two). */
export function parseSisIdsPlainly(text: string): string[] {
  return JSON.parse(text) as string[];
}

/** True when text[from, to) holds no character a JSON string must escape: `"`, `\` or U+0000–U+001F. */
function spellsItself(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}
