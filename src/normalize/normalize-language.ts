// Preferred language to a BCP 47 tag (docs/file-format.md): ISO 639-1 (`es`), ISO 639-2/3
// including bibliographic codes (`spa`, `chi`, `ger`), tags in any case (`es-mx` → `es-MX`,
// `zh-hant` → `zh-Hant`) and English or native names (`Spanish`, `Español`,
// `Chinese (Traditional)`, `Mandarin`, `Haitian Creole`), also as SIS exports write them:
// a qualifier in parentheses or alternatives after `/`, `;` or `,` (`Chinese (Mandarin)`,
// `Khmer (Cambodian)`, `Farsi/Persian`, `Spanish; Castilian`) name a language when every
// part that is a language name names the same one. Canonical forms come from
// `Intl.getCanonicalLocales` (CLDR aliases); whether a code exists, and the name table,
// come from `Intl.DisplayNames`, built once, lazily. What a SIS writes for "no language"
// (`Other`, `Declined to State`, `Unknown`…) is no language, silently; other unknown
// values are invalid.
import { stripInvisible } from './invisible-characters.js';

export interface NormalizedLanguage {
  /** Canonical BCP 47 tag, or null when blank, "no language" (`Other`, `Unknown`…) or unknown. */
  readonly value: string | null;
  /** True when the text was not blank, not a "no language" value, and names no known language. */
  readonly invalid: boolean;
}

const BLANK: NormalizedLanguage = Object.freeze({ value: null, invalid: false });
const INVALID: NormalizedLanguage = Object.freeze({ value: null, invalid: true });
const TAG_SYNTAX = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;
// Codes that are valid BCP 47 but name no language a message can be translated into.
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'mul', 'mis']);

/**
 * What SIS exports write when a family gave no language (compared case-, accent- and
 * punctuation-insensitively): no language, without a warning. `und` (undetermined) and
 * `zxx` (no linguistic content) are the BCP 47 codes for the same thing.
 */
export const NO_LANGUAGE_VALUES: readonly string[] = Object.freeze([
  'Other',
  'Other language',
  'Other languages',
  'Other non-English',
  'Other non-English language',
  'Other non-English languages',
  'Unknown',
  'Unknown language',
  'Unk',
  'None',
  'N/A',
  'Not applicable',
  'Not specified',
  'Unspecified',
  'Not stated',
  'Not reported',
  'Not provided',
  'Not available',
  'Declined',
  'Declined to state',
  'Decline to state',
  'Declined to answer',
  'Declined to specify',
  'Refused',
  'Prefer not to say',
  'Prefer not to answer',
  'No preference',
  'und',
  'zxx',
]);
const CACHE_LIMIT = 2_000;
const MAX_LANGUAGE_LENGTH = 80;

// Three-letter codes often seen in US district files, whose names should be recognized too
// (two-letter codes are enumerated from CLDR).
const EXTRA_CODES = [
  'ase', 'ceb', 'chk', 'chr', 'ckb', 'crs', 'fil', 'haw', 'hmn', 'ilo', 'kar', 'kea', 'mww', 'nv', 'pon', 'prs', 'war', 'yue',
];
// Regional and script variants whose names people write ("Chinese (Traditional)").
const EXTRA_TAGS = ['zh-Hans', 'zh-Hant', 'pt-BR', 'pt-PT', 'es-MX', 'es-419', 'es-ES', 'fr-CA', 'en-US', 'en-GB'];
// Common names CLDR does not use for the code, many of them as US SIS language lists
// (CALPADS, PowerSchool, Infinite Campus) spell them.
const EXTRA_NAMES: readonly (readonly [string, string])[] = [
  ['mandarin', 'zh'],
  ['mandarin chinese', 'zh'],
  ['putonghua', 'zh'],
  ['cantonese chinese', 'yue'],
  // The parts of these two name different codes (`zh` and `yue`), so they are named whole.
  ['chinese cantonese', 'yue'],
  ['chinese yue', 'yue'],
  ['taiwanese', 'nan'],
  ['farsi', 'fa'],
  ['tagalog', 'fil'],
  ['pilipino', 'fil'],
  ['castilian', 'es'],
  ['creole haitian', 'ht'],
  ['haitian', 'ht'],
  ['kreyol', 'ht'],
  ['kreyol ayisyen', 'ht'],
  ['cape verdean', 'kea'],
  ['cape verdean creole', 'kea'],
  ['cambodian', 'km'],
  ['ilocano', 'ilo'],
  ['visayan', 'ceb'],
  ['kirundi', 'rn'],
  ['kurmanji', 'kmr'],
  ['sorani', 'ckb'],
  ['american sign language', 'ase'],
  // A US district's "Sign Language" is American Sign Language.
  ['sign language', 'ase'],
  ['chinese simplified', 'zh-Hans'],
  ['chinese traditional', 'zh-Hant'],
];

let englishNames: Intl.DisplayNames | undefined;
let nameTable: Map<string, string> | undefined;
let noLanguage: Set<string> | undefined;
const cache = new Map<string, NormalizedLanguage>();

function displayNames(type: 'language' | 'script' | 'region'): Intl.DisplayNames {
  if (type === 'language') {
    englishNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    return englishNames;
  }
  return new Intl.DisplayNames(['en'], { type, fallback: 'none' });
}
const scriptNames = lazy(() => displayNames('script'));
const regionNames = lazy(() => displayNames('region'));

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

// DisplayNames throws RangeError for codes it cannot even look up (e.g. `root`).
function hasName(names: Intl.DisplayNames, code: string): boolean {
  try {
    return names.of(code) !== undefined;
  } catch {
    return false;
  }
}

/** Canonical tag when `text` is a tag of a known language (and known script/region). */
function canonicalTag(text: string): string | undefined {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(text.replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
  if (canonical === undefined) return undefined;
  const locale = new Intl.Locale(canonical);
  if (NOT_A_LANGUAGE.has(locale.language) || !hasName(displayNames('language'), locale.language)) return undefined;
  if (locale.script !== undefined && !hasName(scriptNames(), locale.script)) return undefined;
  if (locale.region !== undefined && !hasName(regionNames(), locale.region)) return undefined;
  return canonical;
}

/** Case-, accent- and punctuation-insensitive key for language names. */
function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[()[\],;/_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// `Chinese (Mandarin)` → `Chinese`, `Mandarin`; `Farsi/Persian` → `Farsi`, `Persian`;
// `Filipino (Pilipino or Tagalog)` → `Filipino`, `Pilipino`, `Tagalog`.
const PART_SEPARATORS = /[()[\]/;,]|\s+or\s+/i;

function buildNameTable(): Map<string, string> {
  const table = new Map<string, string>();
  const english = displayNames('language');
  const englishStandard = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none', languageDisplay: 'standard' });
  const codes: string[] = [];
  for (let a = 97; a <= 122; a++) {
    for (let b = 97; b <= 122; b++) {
      const code = String.fromCharCode(a, b);
      if (english.of(code) !== undefined) codes.push(code);
    }
  }
  codes.push(...EXTRA_CODES, ...EXTRA_TAGS);
  const natives: [string, string][] = [];
  for (const code of codes) {
    const tag = canonicalTag(code);
    if (tag === undefined) continue;
    // English names win over native names that happen to fold to the same key.
    for (const name of [english.of(code), englishStandard.of(code)]) {
      if (name !== undefined && !table.has(foldName(name))) table.set(foldName(name), tag);
    }
    try {
      const native = new Intl.DisplayNames([code], { type: 'language', fallback: 'none' }).of(code);
      if (native !== undefined) natives.push([foldName(native), tag]);
    } catch {
      // No locale data for this language: its English name is enough.
    }
  }
  for (const [key, tag] of natives) if (!table.has(key)) table.set(key, tag);
  for (const [name, code] of EXTRA_NAMES) {
    const tag = canonicalTag(code);
    if (tag !== undefined) table.set(foldName(name), tag);
  }
  return table;
}

/** The one language the parts of a compound value name, if they name exactly one. */
function resolveParts(cleaned: string, table: Map<string, string>): string | undefined {
  let found: string | undefined;
  for (const part of cleaned.split(PART_SEPARATORS)) {
    const tag = table.get(foldName(part));
    if (tag === undefined) continue;
    // `Spanish/English` names two languages: which one the family reads is not for us to guess.
    if (found !== undefined && found !== tag) return undefined;
    found = tag;
  }
  return found;
}

function resolve(cleaned: string): NormalizedLanguage {
  noLanguage ??= new Set(NO_LANGUAGE_VALUES.map(foldName));
  const folded = foldName(cleaned);
  if (noLanguage.has(folded)) return BLANK;
  if (TAG_SYNTAX.test(cleaned)) {
    const tag = canonicalTag(cleaned);
    if (tag !== undefined) return { value: tag, invalid: false };
  }
  nameTable ??= buildNameTable();
  const tag = nameTable.get(folded) ?? (PART_SEPARATORS.test(cleaned) ? resolveParts(cleaned, nameTable) : undefined);
  return tag !== undefined ? { value: tag, invalid: false } : INVALID;
}

export function normalizeLanguage(text: string): NormalizedLanguage {
  const cleaned = stripInvisible(text).trim();
  if (cleaned === '') return BLANK;
  // No language name or tag is this long; nor should junk of that size sit in the cache.
  if (cleaned.length > MAX_LANGUAGE_LENGTH) return INVALID;
  const cached = cache.get(cleaned);
  if (cached !== undefined) return cached;
  const result = resolve(cleaned);
  // Districts use a handful of values; a file of random text must not grow memory.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cleaned, result);
  return result;
}
