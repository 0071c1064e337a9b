// A OneRoster file set: the CSV files of one export (users.csv, roles.csv, orgs.csv,
// manifest.csv, …) by name, whatever they came from (a folder, a zip, one users.csv, bytes
// in memory). Names are compared case-insensitively because SIS exports and the people who
// re-zip them do not agree on `Users.csv` vs `users.csv`. Pure: no I/O here.

/** The files of one OneRoster export, by file name (case-insensitive). */
export interface OneRosterFiles {
  /** Must return the bytes of the file with this name (compared case-insensitively), or undefined. */
  get(name: string): Uint8Array | undefined;
  /** The file names as they were found (original case), in the order they were added. */
  readonly names: readonly string[];
}

/** The OneRoster files this package reads; others in a set are ignored. */
export const ONEROSTER_FILE_NAMES = {
  users: 'users.csv',
  roles: 'roles.csv',
  orgs: 'orgs.csv',
  manifest: 'manifest.csv',
} as const;

/** The guardians.csv a district may put in the same zip instead of a users.csv. */
export const GUARDIANS_FILE_NAME = 'guardians.csv';

/**
 * Builds a file set from (name, bytes) pairs. Throws a TypeError when two names differ only in
 * case: which one was meant cannot be known (archives are checked before this, with a user
 * facing error).
 * @example createOneRosterFiles([['users.csv', bytes]])
 */
export function createOneRosterFiles(entries: Iterable<readonly [string, Uint8Array]>): OneRosterFiles {
  const byKey = new Map<string, Uint8Array>();
  const names: string[] = [];
  for (const [name, bytes] of entries) {
    const key = oneRosterFileKey(name);
    if (byKey.has(key)) throw new TypeError(`Two files are named ${name} (names are compared case-insensitively).`);
    byKey.set(key, bytes);
    names.push(name);
  }
  Object.freeze(names);
  return {
    get: (name: string) => byKey.get(oneRosterFileKey(name)),
    names,
  };
}

/** True when the set holds a file with this name (case-insensitive). */
export function hasOneRosterFile(files: OneRosterFiles, name: string): boolean {
  return files.get(name) !== undefined;
}

/**
 * The guardians.csv of a set that holds one and no users.csv, so the orchestrator can route
 * it to the guardians.csv parser; undefined otherwise (a users.csv wins: it is what
 * `--format oneroster` asked for).
 */
export function findGuardiansCsv(files: OneRosterFiles): { readonly name: string; readonly bytes: Uint8Array } | undefined {
  if (hasOneRosterFile(files, ONEROSTER_FILE_NAMES.users)) return undefined;
  const name = files.names.find((n) => oneRosterFileKey(n) === GUARDIANS_FILE_NAME);
  if (name === undefined) return undefined;
  const bytes = files.get(name);
  return bytes === undefined ? undefined : { name, bytes };
}

/** The key two file names are the same by: case and surrounding blanks do not count. */
export function oneRosterFileKey(name: string): string {
  return name.trim().toLowerCase();
}
