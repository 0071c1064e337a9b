// The invisible format characters that spreadsheets and copy-paste leave in names, emails
// and header cells: zero-width space/joiners, word joiner, BOM, soft hyphen, bidi marks.
// They make two equal-looking values differ, so every normalizer removes them.

/** Matches every invisible format character we strip (global). */
export const INVISIBLE_CHARACTERS = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/g;

/** Non-global twin of INVISIBLE_CHARACTERS, for `test()` without lastIndex state. */
export const HAS_INVISIBLE_CHARACTER = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/;

/** Removes invisible format characters; returns the same string when there are none. */
export function stripInvisible(text: string): string {
  return HAS_INVISIBLE_CHARACTER.test(text) ? text.replace(INVISIBLE_CHARACTERS, '') : text;
}
