// Encoding labels → one canonical lower-case name, and whether iconv-lite can decode it.
// Follows the WHATWG Encoding Standard where it matters: the ISO-8859-1, Latin-1 and ASCII
// labels mean Windows-1252 (what the spreadsheets that write them really produce).
import iconv from 'iconv-lite';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

const ALIASES: ReadonlyMap<string, string> = new Map([
  ['utf8', 'utf-8'],
  ['unicode11utf8', 'utf-8'],
  ['utf16le', 'utf-16le'],
  ['utf16', 'utf-16le'],
  ['ucs2', 'utf-16le'],
  ['unicode', 'utf-16le'],
  ['utf16be', 'utf-16be'],
  ['utf32le', 'utf-32le'],
  ['utf32be', 'utf-32be'],
  ['iso88591', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['l1', 'windows-1252'],
  ['ascii', 'windows-1252'],
  ['usascii', 'windows-1252'],
  ['cp819', 'windows-1252'],
  ['ibm819', 'windows-1252'],
  ['macroman', 'macintosh'],
  ['mac', 'macintosh'],
  ['xmacroman', 'macintosh'],
  ['ibm850', 'cp850'],
]);

/** The canonical name for a label, or undefined when iconv-lite does not know it. */
export function canonicalEncodingName(label: string): string | undefined {
  const squashed = label.trim().toLowerCase().replace(/[\s_.:-]/g, '');
  if (squashed === '') return undefined;
  let name = ALIASES.get(squashed);
  if (name === undefined) {
    const windows = /^(?:cp|win|windows|xcp)(12[5-9]\d)$/.exec(squashed);
    const iso = /^iso8859(\d{1,2})$/.exec(squashed);
    if (windows !== null) name = `windows-${windows[1] ?? ''}`;
    else if (iso !== null) name = `iso-8859-${iso[1] ?? ''}`;
    else name = label.trim().toLowerCase();
  }
  return iconv.encodingExists(name) ? name : undefined;
}

/**
 * Like canonicalEncodingName, for a label a caller configured: an unknown label is a
 * configuration problem, reported as INVALID_CONFIGURATION naming the option.
 */
export function requireEncodingName(label: string, option: 'encoding' | 'legacyEncoding'): string {
  const name = canonicalEncodingName(label);
  if (name === undefined) {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      `${option} "${label.slice(0, 40)}" is not an encoding this library can decode: use a name such as utf-8, windows-1252, windows-1250 or macintosh.`,
    );
  }
  return name;
}

/** UTF-16 and UTF-32 hold NUL bytes in ordinary text; every other supported encoding must not. */
export function isWideEncoding(name: string): boolean {
  return name.startsWith('utf-16') || name.startsWith('utf-32');
}
