// Command-line parsing shared by every command: Node's util.parseArgs (strict, so a typo
// in a flag is an error, not silently ignored), plus the parsers of the values whose
// format the contract fixes (--column field=Header, --format, --level, --max-removal,
// --max-file-size, --settle).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GUARDIAN_FIELDS, type GuardianField } from '../model/guardian-row.js';
import type { SyncLevel } from '../model/roster.js';
import type { InputFormat } from '../input/input-format.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs returns for these options: typed `values` per flag, and the positionals. */
export type ParsedCommandArgs<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/** `--help`/`-h` is accepted by every command; parse errors become usage errors of `command`. */
export function parseCommandArgs<T extends Options>(command: string, args: readonly string[], options: T): ParsedCommandArgs<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages name the flag ("Unknown option '--x'", "Option '--db <value>'
    // argument missing") and never echo a value, so they are safe to show as they are.
    const message = error instanceof Error ? error.message.split('. To specify a positional')[0] ?? error.message : 'invalid arguments';
    throw new UsageError(message, command);
  }
}

/** `--column field=Header`, repeatable; the field must be a canonical one, each at most once. */
export function parseColumnMappings(command: string, specs: readonly string[] | undefined): ColumnMapping | undefined {
  if (specs === undefined || specs.length === 0) return undefined;
  const mapping: Partial<Record<GuardianField, string>> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const field = eq < 0 ? spec : spec.slice(0, eq).trim();
    const header = eq < 0 ? '' : spec.slice(eq + 1).trim();
    if (eq < 0 || header === '') {
      throw new UsageError(`--column expects field=Header (e.g. --column studentSisId="Student Number"), got "${spec}".`, command);
    }
    if (!isGuardianField(field)) {
      throw new UsageError(`--column: unknown field "${field}"; the fields are ${GUARDIAN_FIELDS.join(', ')}.`, command);
    }
    if (mapping[field] !== undefined) throw new UsageError(`--column ${field} is given twice.`, command);
    mapping[field] = header;
  }
  return mapping;
}

function isGuardianField(value: string): value is GuardianField {
  return (GUARDIAN_FIELDS as readonly string[]).includes(value);
}

export function parseFormat(command: string, value: string | undefined): InputFormat {
  if (value === undefined || value === 'guardians') return 'guardians';
  if (value === 'oneroster') return 'oneroster';
  throw new UsageError(`--format must be guardians or oneroster, got "${value}".`, command);
}

export function parseLevel(command: string, value: string | undefined): SyncLevel {
  if (value === undefined || value === 'district') return 'district';
  if (value === 'school') return 'school';
  throw new UsageError(`--level must be district or school, got "${value}".`, command);
}

/** `--max-removal 25` or `25%` → 0.25: the share of managed links a run may remove. */
export function parsePercent(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replace(/%$/, '');
  const percent = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new UsageError(`${flag} expects a percentage between 0 and 100 (e.g. ${flag} 25), got "${value}".`, command);
  }
  return percent / 100;
}

/** A positive whole number flag, e.g. `--limit 50`. */
export function parsePositiveInt(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`${flag} expects a whole number of 1 or more, got "${value}".`, command);
  return Number(value);
}

/** At least `required` and at most `names.length` positional arguments, named in the message. */
export function expectPositionals(command: string, positionals: readonly string[], names: readonly string[], required: number): void {
  if (positionals.length < required) {
    throw new UsageError(`missing ${names.slice(positionals.length, required).map((n) => `<${n}>`).join(' ')}.`, command);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}".`, command);
  }
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  // Decimal units mean what they say, so "200MB" is not silently 5% larger than asked.
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
};

/** The whole file is held in memory: Node's largest buffer (4 GiB on Node 20). */
const MAX_FILE_SIZE = 4 * 1024 ** 3;

/** `--max-file-size 200MiB`, `1GiB`, `500MB` or a number of bytes → bytes. */
export function parseByteSize(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const factor = match === null ? undefined : BYTE_UNITS[(match[2] ?? '').toLowerCase()];
  const bytes = match === null || factor === undefined ? Number.NaN : Math.floor(Number(match[1]) * factor);
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new UsageError(`${flag} expects a size such as 200MiB, 1GiB or a number of bytes (units: KiB, MiB, GiB; KB, MB, GB are powers of 1000), got "${value}".`, command);
  }
  if (bytes > MAX_FILE_SIZE) throw new UsageError(`${flag} can be at most 4GiB (the file is held in memory while it is read), got "${value}".`, command);
  return bytes;
}

/** `--settle 2` or `0.5` (seconds) → milliseconds; 0 is allowed and turns the wait off. */
export function parseSeconds(command: string, flag: string, value: string | undefined, maxSeconds: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replace(/s$/, '');
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds > maxSeconds) {
    throw new UsageError(`${flag} expects a number of seconds from 0 to ${maxSeconds} (e.g. ${flag} 5), got "${value}".`, command);
  }
  return Math.round(seconds * 1000);
}
