// Phone numbers to E.164 (docs/file-format.md, "Values"). libphonenumber-js does the work
// with its `max` metadata: only that set has every numbering plan's digit patterns, so
// `isValid()` refuses a number of the right length that no plan has (`000-000-0000`,
// `123-456-7890`, an unassigned area code). With `min`, `isValid()` checks little more than
// lengths for most countries (it knows the NANP's area codes only because 25 countries
// share +1); `mobile` refuses landlines and toll-free numbers, and a home phone may be
// either. All three cost the same per call; `max` loads 75 KB more metadata. `extract:
// false` so that `1-800-FLOWERS` is refused instead of becoming `+1800`. Well-known
// placeholders are refused too (placeholder-values.ts), and Mexican mobiles in the form of
// before 2019 are read as today's number. Results are memoized in a bounded cache, and
// plainly formatted NANP numbers take a fast path that a property test proves equal to
// libphonenumber.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { stripInvisible } from './invisible-characters.js';
import { isPlaceholderPhoneDigits } from './placeholder-values.js';

export interface NormalizedPhone {
  /** E.164 (`+12025550143`), without extension; null when blank or invalid. */
  readonly value: string | null;
  /**
   * True when the text was not blank but is not a valid number of its numbering plan
   * (libphonenumber's validity, not mere possibility), or is a well-known placeholder.
   */
  readonly invalid: boolean;
  /** The extension (`12` of `202-555-0143 ext. 12`), when the text had one. */
  readonly extension?: string | undefined;
}

export const DEFAULT_PHONE_REGION = 'US';
/** Entries kept by the memo cache; a district file repeats a number once per child. */
export const PHONE_CACHE_SIZE = 20_000;
/**
 * NANP area codes where libphonenumber reads more than the area code and the first digit of
 * the exchange to tell whether a number is valid: the Caribbean and Pacific members of +1,
 * whose plans list exchanges, and 523, 524, 800 and 900, where a plan lists some. There it
 * reads at most seven digits; under any other area code, four. The patterns of its metadata
 * for calling code 1 show it: test/normalize/nanp-validity-prefix.test.ts derives this list
 * from the installed metadata, so a libphonenumber-js update that changes it fails the tests
 * instead of the fast path.
 */
export const NANP_AREA_CODES_READ_TO_SEVEN_DIGITS: readonly string[] = Object.freeze([
  '242', '246', '264', '268', '284', '340', '345', '441', '473', '523', '524', '649', '658', '664', '670',
  '671', '684', '721', '758', '767', '784', '800', '809', '829', '849', '868', '869', '876', '900',
]);

const BLANK: NormalizedPhone = Object.freeze({ value: null, invalid: false });
const INVALID: NormalizedPhone = Object.freeze({ value: null, invalid: true });

// Optional `+1`/`1`, area code, exchange, four digits; single separators (space, `-`, `.`)
// or parentheses around the area code. Any digits: whether the number exists is
// libphonenumber's answer, below. Anything else (letters, extensions, other countries)
// goes to libphonenumber whole.
const PLAIN_NANP = /^(?:\+?1[ .-]?)?(?:\((\d{3})\)[ .-]?|(\d{3})[ .-]?)(\d{3})[ .-]?(\d{4})$/;

const MAX_CACHED_LENGTH = 48;
const cache = new Map<string, NormalizedPhone>();
const checkedRegions = new Set<string>();
// libphonenumber's validity of NANP numbers, by their first seven digits under the area
// codes above and by their first four elsewhere. So a file costs one libphonenumber call
// (≈13 µs) per area code and first exchange digit it uses, not one per number. At most
// 10,000 four-digit entries and 290,000 seven-digit ones.
const nanpValidity = new Map<number, boolean>();
const readToSevenDigits = new Uint8Array(1000);
for (const area of NANP_AREA_CODES_READ_TO_SEVEN_DIGITS) readToSevenDigits[Number(area)] = 1;

function isValidNanp(national: string): boolean {
  const area = (national.charCodeAt(0) - 48) * 100 + (national.charCodeAt(1) - 48) * 10 + (national.charCodeAt(2) - 48);
  let prefix = area * 10 + national.charCodeAt(3) - 48;
  // Seven-digit keys are 10,000,000 and up, so they never meet a four-digit one.
  if (readToSevenDigits[area] === 1) {
    for (let i = 4; i < 7; i++) prefix = prefix * 10 + national.charCodeAt(i) - 48;
    prefix += 10_000_000;
  }
  const known = nanpValidity.get(prefix);
  if (known !== undefined) return known;
  const valid = parsePhoneNumberFromString(`+1${national}`)?.isValid() === true;
  nanpValidity.set(prefix, valid);
  return valid;
}

/** Only the plain formats above; returns undefined when libphonenumber must read the text. */
export function normalizePlainNanp(text: string, region: string): NormalizedPhone | undefined {
  // Without `+`, a leading digit means national format of the default region: only US is
  // known to read these exactly like this.
  if (region !== 'US' && !text.startsWith('+1')) return undefined;
  const match = PLAIN_NANP.exec(text);
  if (match === null) return undefined;
  const national = `${match[1] ?? match[2] ?? ''}${match[3] ?? ''}${match[4] ?? ''}`;
  if (!isValidNanp(national) || isPlaceholderPhoneDigits(national)) return INVALID;
  return { value: `+1${national}`, invalid: false };
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

// Until 2019 a Mexican mobile was dialled from abroad as +52 1 and ten digits. Mexico dropped
// the `1` (so did libphonenumber's metadata, which now finds the old form too long), but SIS
// records still hold it: when the ten digits after the `1` are a valid Mexican number, that
// is the number. A Mexican national number never has eleven digits, so nothing valid is
// read differently.
function withoutMexicanMobileOne(parsed: PhoneNumber): PhoneNumber {
  const national = parsed.nationalNumber;
  if (parsed.countryCallingCode !== '52' || national.length !== 11 || !national.startsWith('1')) return parsed;
  const current = parsePhoneNumberFromString(`+52${national.slice(1)}`);
  if (current === undefined || !current.isValid()) return parsed;
  if (parsed.ext !== undefined) current.setExt(parsed.ext);
  return current;
}

function parseWithLibrary(text: string, region: CountryCode): NormalizedPhone {
  const found = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  if (found === undefined) return INVALID;
  const parsed = withoutMexicanMobileOne(found);
  if (!parsed.isValid() || isPlaceholderPhoneDigits(parsed.nationalNumber)) return INVALID;
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
  if (fast !== undefined) return fast;
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
