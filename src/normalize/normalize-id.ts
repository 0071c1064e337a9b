// SIS ids (docs/file-format.md): trimmed and compared exactly. Never parsed as numbers, so
// `00123` stays `00123`; invisible characters pasted around an id are removed, because an
// id that differs only by a zero-width space would silently create a second guardian.
import { stripInvisible } from './invisible-characters.js';

export function normalizeId(text: string): string {
  return stripInvisible(text).trim();
}
