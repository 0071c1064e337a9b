// Validates `syncGuardians` options once, at the boundary, and fills in defaults. The
// result is frozen: nothing later in the run re-reads or mutates caller-owned options.
import { z } from 'zod';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { GUARDIAN_FIELDS } from '../model/guardian-row.js';
import { LINK_SOURCES } from '../model/roster.js';
import type { Logger } from '../contracts/logger.js';
import type { InputFormat } from '../input/input-format.js';
import type { ColumnMapping } from '../model/column-mapping.js';
import type { ProgressEvent, SyncGuardiansOptions } from './sync-options.js';
import type { GuardianFileSource } from '../contracts/file-source.js';
import type { RosterStore } from '../contracts/roster-store.js';
import type { SyncScope } from '../model/roster.js';

export const DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024;
import { DEFAULT_MAX_REMOVAL_RATIO } from '../plan/plan-input.js';
/**
 * The scope lock's lease: renewed every third of it while the run works, so a killed worker
 * blocks its scope for at most this long (stores with session locks: not at all).
 */
export const DEFAULT_LOCK_TTL_MS = 60 * 1000;

const level = z.enum(['district', 'school']);
const columnMapping = z.partialRecord(z.enum(GUARDIAN_FIELDS), z.string().min(1));
const objectWith = (...methods: string[]) =>
  z.custom<object>(
    (value) => typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `must be an object with ${methods.join(', ')}` },
  );

// Only shapes and ranges are checked here; the store and source are the caller's objects
// and are used as given. Error messages name the option, never its value (a source may
// hold a password).
const schema = z.object({
  scope: z.object({ level, orgId: z.string().trim().min(1) }),
  rosterSyncLevel: level.optional(),
  enabled: z.boolean().optional(),
  source: objectWith('open'),
  store: objectWith('resolveScope', 'loadSnapshot', 'transaction', 'acquireLock', 'renewLock', 'releaseLock', 'saveRun', 'listRuns', 'getRun'),
  format: z.enum(['guardians', 'oneroster']).optional(),
  linkSource: z.string().min(1).optional(),
  maxRemovalRatio: z.number().min(0).max(1).optional(),
  force: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  updateClaimedAccounts: z.boolean().optional(),
  defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter region code such as US').optional(),
  encoding: z.string().min(1).optional(),
  legacyEncoding: z.string().min(1).optional(),
  columns: columnMapping.optional(),
  maxFileBytes: z.number().int().positive().optional(),
  lockTtlMs: z.number().int().min(30).optional(),
  logger: objectWith('debug', 'info', 'warn', 'error').optional(),
  signal: z.instanceof(AbortSignal).optional(),
  onProgress: z.function().optional(),
  runId: z.string().min(1).optional(),
});

export interface ResolvedSyncOptions {
  readonly scope: SyncScope;
  readonly enabled: boolean;
  readonly source: GuardianFileSource;
  readonly store: RosterStore;
  readonly format: InputFormat;
  readonly linkSource: string;
  readonly maxRemovalRatio: number;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly updateClaimedAccounts: boolean;
  readonly defaultRegion: string;
  readonly encoding: string | undefined;
  readonly legacyEncoding: string;
  readonly columns: ColumnMapping | undefined;
  readonly maxFileBytes: number;
  readonly lockTtlMs: number;
  readonly logger: Logger | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((event: ProgressEvent) => void) | undefined;
  readonly runId: string | undefined;
}

/** Throws INVALID_CONFIGURATION naming the first bad option; returns frozen options with defaults. */
export function resolveSyncOptions(options: SyncGuardiansOptions): ResolvedSyncOptions {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first?.path.join('.') || 'options';
    throw new GuardianSyncError('INVALID_CONFIGURATION', `Invalid sync option "${path}": ${first?.message ?? 'invalid'}.`);
  }
  const rosterSyncLevel = options.rosterSyncLevel ?? options.scope.level;
  if (rosterSyncLevel !== options.scope.level) {
    throw new GuardianSyncError(
      'INVALID_CONFIGURATION',
      `The guardian sync is configured at ${options.scope.level} level but the daily roster sync runs at ${rosterSyncLevel} level: set the guardian sync up at the ${rosterSyncLevel} level too.`,
    );
  }
  const format = options.format ?? 'guardians';
  return Object.freeze({
    scope: Object.freeze({ level: options.scope.level, orgId: options.scope.orgId.trim() }),
    enabled: options.enabled ?? true,
    source: options.source,
    store: options.store,
    format,
    linkSource: options.linkSource ?? (format === 'oneroster' ? LINK_SOURCES.oneRoster : LINK_SOURCES.guardianFile),
    maxRemovalRatio: options.maxRemovalRatio ?? DEFAULT_MAX_REMOVAL_RATIO,
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
    updateClaimedAccounts: options.updateClaimedAccounts ?? false,
    defaultRegion: options.defaultRegion ?? 'US',
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding ?? 'windows-1252',
    columns: options.columns === undefined ? undefined : Object.freeze({ ...options.columns }),
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    lockTtlMs: options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
    logger: options.logger,
    signal: options.signal,
    onProgress: options.onProgress,
    runId: options.runId,
  });
}
