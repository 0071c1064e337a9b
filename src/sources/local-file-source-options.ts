// Options of the local file source, validated once at the boundary (zod) and frozen, with
// the defaults that protect a file still being written (docs/operations.md, "Local files").
import { z } from 'zod';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

/**
 * What a `<file>.done` marker next to the file means: 'use' takes the file at once when a
 * marker at least as new as the file exists (else the settle wait), 'require' refuses the
 * file (FILE_UNSTABLE) until there is one, 'ignore' always runs the settle wait.
 */
export type LocalDoneMarkerMode = 'use' | 'require' | 'ignore';

export interface LocalFileSourceOptions {
  /** Path of the file. @example './inbox/guardians.csv' */
  readonly path: string;
  /** Name used in reports. @default the path's last segment */
  readonly name?: string | undefined;
  /**
   * How long the file's size and modification time must have held still before it is read,
   * so a file still being written (an export or an upload paused mid-row) is refused with
   * FILE_UNSTABLE instead of synced as if complete. A file last modified longer ago than this
   * is read at once; a newer one is looked at again once it would be this old. 0 turns the
   * wait off; a file that changes while it is read is refused whatever this is.
   * @default 2000
   * @example 5000
   */
  readonly stableCheckMs?: number | undefined;
  /** The `<file>.done` marker, e.g. `guardians.csv.done` in the same folder. @default 'use' */
  readonly doneMarker?: LocalDoneMarkerMode | undefined;
}

export interface ResolvedLocalFileSourceOptions {
  readonly path: string;
  readonly name: string | undefined;
  readonly stableCheckMs: number;
  readonly doneMarker: LocalDoneMarkerMode;
}

/** Long enough to cover a writer's short stalls, short enough that a just-written file costs little. */
export const DEFAULT_LOCAL_STABLE_CHECK_MS = 2000;

const schema = z.strictObject({
  path: z.string().min(1),
  name: z.string().min(1).optional(),
  stableCheckMs: z.number().int().min(0).max(3_600_000).optional(),
  doneMarker: z.enum(['use', 'require', 'ignore']).optional(),
});

/** @throws GuardianSyncError INVALID_CONFIGURATION naming the first bad option. */
export function resolveLocalFileSourceOptions(options: LocalFileSourceOptions): ResolvedLocalFileSourceOptions {
  if (typeof options !== 'object' || options === null) invalid('the options must be an object with a `path`');
  // `?: T | undefined` options may be passed as undefined: that means the default.
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') invalid(`unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}`);
    const key = issue?.path.map(String).join('.') ?? '';
    invalid(key === 'path' ? '`path` must name the guardian file, e.g. "./guardians.csv"' : `option "${key}" is invalid (${expected(key)})`);
  }
  return Object.freeze({
    path: parsed.data.path,
    name: parsed.data.name,
    stableCheckMs: parsed.data.stableCheckMs ?? DEFAULT_LOCAL_STABLE_CHECK_MS,
    doneMarker: parsed.data.doneMarker ?? 'use',
  });
}

function expected(key: string): string {
  switch (key) {
    case 'stableCheckMs':
      return 'a whole number of milliseconds from 0 to 3600000';
    case 'doneMarker':
      return "one of 'use', 'require', 'ignore'";
    default:
      return 'a non-empty string';
  }
}

function invalid(message: string): never {
  throw new GuardianSyncError('INVALID_CONFIGURATION', `createLocalFileSource: ${message}.`);
}
