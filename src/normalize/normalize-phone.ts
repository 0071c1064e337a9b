// Phone numbers to E.164 (docs/file-format.md). libphonenumber-js does the work, with
// `extract: false` so that `1-800-FLOWERS` is refused instead of becoming `+1800`; a
// number that is not a *possible* number (7 digits, too long) is invalid. libphonenumber
// costs ≈12 µs a call, so results are memoized in a bounded cache, and plainly formatted
// NANP numbers take a fast path that a property test proves equal to libphonenumber.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { stripInvisible } from './invisible-characters.js';

export interface NormalizedPhone {
  /** E.164 (`+12025550143`), without extension; null when blank or invalid. */
  readonly value: string | null;
  /** True when the text was not blank but is not a possible phone number. */
  readonly invalid: boolean;
  /** The extension (`12` of `202-555-0143 ext. 12`), when the text had one. */
  readonly extension?: string | undefined;
}

export const DEFAULT_PHONE_REGION = 'US';
/** Entries kept by the memo cache; a district file repeats a number once per child. */
export const PHONE_CACHE_SIZE = 20_000;

const BLANK: NormalizedPhone = Object.freeze({ value: null, invalid: false });
const INVALID: NormalizedPhone = Object.freeze({ value: null, invalid: true });

// Optional `+1`/`1`, area code and exchange starting 2–9 (NANP rules), four digits; single
// separators (space, `-`, `.`) or parentheses around the area code. Anything else (letters,
// extensions, other countries) goes to libphonenumber.
const PLAIN_NANP = /^(?:\+?1[ .-]?)?(?:\(([2-9]\d\d)\)[ .-]?|([2-9]\d\d)[ .-]?)([2-9]\d\d)[ .-]?(\d{4})$/;

const MAX_CACHED_LENGTH = 48;
const cache = new Map<string, NormalizedPhone>();
const checkedRegions = new Set<string>();

/** Only the plain formats above; returns undefined when libphonenumber must decide. */
export function normalizePlainNanp(text: string, region: string): string | undefined {
  // Without `+`, a leading digit means national format of the default region: only US is
  // known to read these exactly like this.
  if (region !== 'US' && !text.startsWith('+1')) return undefined;
  const match = PLAIN_NANP.exec(text);
  if (match === null) return undefined;
  const area = match[1] ?? match[2] ?? '';
  return `+1${area}${match[3] ?? ''}${match[4] ?? ''}`;
}

/** Checks a default region once, up front: throws INVALID_CONFIGURATION for an unknown one. */
export function assertPhoneRegion(region: string): CountryCode {
  if (!checkedRegions.has(region)) {
    if (!isSupportedCountry(region)) {
      throw new GuardianSyncError(
        'INVALID_CONFIGURATION',
        `defaultRegion "${region.slice(0, 8)}" is not a known country code: use an ISO 3166-1 alpha-2 code such as US or GB.`,
      );
    }
    checkedRegions.add(region);
  }
  return region as CountryCode;
}

function parseWithLibrary(text: string, region: CountryCode): NormalizedPhone {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  if (parsed === undefined || !parsed.isPossible()) return INVALID;
  return parsed.ext !== undefined ? { value: parsed.number, invalid: false, extension: parsed.ext } : { value: parsed.number, invalid: false };
}

/** What libphonenumber-js alone says (no fast path, no cache): the reference for tests. */
export function normalizePhoneWithLibrary(text: string, region: string = DEFAULT_PHONE_REGION): NormalizedPhone {
  const cleaned = stripInvisible(text).trim();
  if (cleaned === '') return BLANK;
  return parseWithLibrary(cleaned, assertPhoneRegion(region));
}

export function normalizePhone(text: string, region: string = DEFAULT_PHONE_REGION): NormalizedPhone {
  const cleaned = stripInvisible(text).trim();
  if (cleaned === '') return BLANK;
  const country = assertPhoneRegion(region);
  const fast = normalizePlainNanp(cleaned, country);
  if (fast !== undefined) return { value: fast, invalid: false };
  // Phone numbers are short; long junk is decided without touching the cache.
  if (cleaned.length > MAX_CACHED_LENGTH) return parseWithLibrary(cleaned, country);
  const key = `${country}\u0000${cleaned}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const result = parseWithLibrary(cleaned, country);
  if (cache.size >= PHONE_CACHE_SIZE) {
    // Maps iterate in insertion order: drop the oldest entry.
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, result);
  return result;
}
