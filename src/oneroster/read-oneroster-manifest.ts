// manifest.csv of a OneRoster set (`propertyName,value`): which OneRoster version, and whether
// users.csv is a bulk file (the whole population) or a delta (only what changed). Pure.
import type { OneRosterFiles } from './oneroster-files.js';
import { ONEROSTER_FILE_NAMES } from './oneroster-files.js';
import { readOneRosterTable, type OneRosterDecodeOptions } from './read-oneroster-table.js';

export type OneRosterVersion = '1.1' | '1.2';
/** `full`: users.csv is bulk (absent users are gone); `delta`: it lists changes only. */
export type OneRosterMode = 'full' | 'delta';

export interface OneRosterManifest {
  readonly version: OneRosterVersion;
  readonly mode: OneRosterMode;
  /** Every property of manifest.csv, keys lower-cased; empty without a manifest. */
  readonly properties: ReadonlyMap<string, string>;
}

/**
 * Reads manifest.csv when present. No manifest, or `file.users` other than `delta`, means
 * bulk. Version 1.2 when `oneroster.version` says so or when the set holds a roles.csv (a
 * 1.2-only file); 1.1 otherwise.
 */
export function readOneRosterManifest(files: OneRosterFiles, options: OneRosterDecodeOptions = {}): OneRosterManifest {
  const properties = new Map<string, string>();
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.manifest, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    required: ['propertyName', 'value'],
  });
  if (table !== undefined) {
    for (const record of table.records) {
      const key = table.value(record, 'propertyName').toLowerCase();
      if (key !== '' && !properties.has(key)) properties.set(key, table.value(record, 'value'));
    }
  }
  const declared = properties.get('oneroster.version') ?? '';
  const version: OneRosterVersion = declared.startsWith('1.2') || files.get(ONEROSTER_FILE_NAMES.roles) !== undefined ? '1.2' : '1.1';
  const mode: OneRosterMode = (properties.get('file.users') ?? '').toLowerCase() === 'delta' ? 'delta' : 'full';
  return { version, mode, properties };
}
