// Names as docs/file-format.md stores them: NFC, invisible format characters removed, runs of
// whitespace (NBSP included) collapsed to one space, trimmed. Called for every row, so
// already-normal ASCII (the common case) is checked first and returned untouched.
import { stripInvisible } from './invisible-characters.js';

// Printable ASCII words separated by single spaces: nothing to do.
const ALREADY_NORMAL_ASCII = /^[\x21-\x7E]+(?: [\x21-\x7E]+)*$/;
// `\s` covers NBSP, the Unicode spaces, line and paragraph separators, tabs and newlines.
const WHITESPACE_RUN = /\s+/g;

export function normalizeName(text: string): string {
  if (text === '' || ALREADY_NORMAL_ASCII.test(text)) return text;
  // NFC after stripping, so a combining mark left next to a removed ZWSP still composes.
  return stripInvisible(text).normalize('NFC').replace(WHITESPACE_RUN, ' ').trim();
}
