// The one order of ids and names everywhere a result must not depend on input order or locale.

/**
 * UTF-16 code-unit order: stable and locale-free. It equals SQLite's BINARY collation (UTF-8
 * byte order) and PostgreSQL's `COLLATE "C"` except where a character above U+FFFF meets one
 * in U+E000–U+FFFF; no code here relies on a store sorting the same way.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
