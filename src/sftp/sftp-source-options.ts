// Options of the SFTP source, validated once at the boundary (zod) and frozen. Validation
// messages name the option and never echo its value: the object holds a password or key.
import { z } from 'zod';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Logger } from '../contracts/logger.js';
import { normalizeFingerprint } from './host-key.js';
import type { SftpClientFactory } from './sftp-client.js';

export type DoneMarkerMode = 'use' | 'require' | 'ignore';

export interface SftpSourceOptions {
  /** @example 'sftp.district.example.org' */
  readonly host: string;
  /** @default 22 */
  readonly port?: number | undefined;
  readonly username: string;
  /** Password authentication. Read it from a secret store or environment variable, never a file in the repository. */
  readonly password?: string | undefined;
  /** Private key (OpenSSH or PEM text, or its bytes) for key authentication. */
  readonly privateKey?: string | Uint8Array | undefined;
  /** Passphrase of an encrypted `privateKey`. */
  readonly passphrase?: string | undefined;
  /** Folder that holds the file. @default '/' */
  readonly path?: string | undefined;
  /** Matched case-insensitively in the folder listing (an exact match wins). @default 'guardians.csv' */
  readonly fileName?: string | undefined;
  /**
   * Pinned host keys as OpenSSH `SHA256:` fingerprints (`ssh-keygen -lf key.pub`); with or
   * without the trailing `=`. Several are allowed while a key is rotated. Required.
   * @example ['SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s']
   */
  readonly hostKeys?: readonly string[] | undefined;
  /** Accept any host key. Only for throwaway test servers: it lets anyone in the middle read the file. */
  readonly dangerouslyDisableHostKeyVerification?: true | undefined;
  /** Deadline for TCP connect, handshake, authentication and SFTP session start. @default 20000 */
  readonly connectTimeoutMs?: number | undefined;
  /** Deadline for each listing, stat, rename; also the longest wait for the next byte of a download. @default 30000 */
  readonly operationTimeoutMs?: number | undefined;
  /** Deadline for the whole download. @default 1800000 (30 minutes) */
  readonly downloadTimeoutMs?: number | undefined;
  /** Deadline for a polite disconnect; after it the connection is destroyed. @default 5000 */
  readonly endTimeoutMs?: number | undefined;
  /** SSH keepalive interval; 3 unanswered keepalives drop the connection. @default 10000 */
  readonly keepaliveIntervalMs?: number | undefined;
  /** Tries per open() for transient failures (never for auth, host key or file errors). @default 3 */
  readonly attempts?: number | undefined;
  /** First retry delay; doubles each time, with full jitter. @default 1000 */
  readonly retryBaseDelayMs?: number | undefined;
  /** @default 30000 */
  readonly retryMaxDelayMs?: number | undefined;
  /** The file must keep its size and modification time across two looks this far apart. @default 5000 */
  readonly stableCheckMs?: number | undefined;
  /**
   * `<fileName>.done` marker: 'use' accepts the file at once when a marker at least as new as
   * the file exists (else the stability check), 'require' refuses the file (FILE_UNSTABLE)
   * until the marker exists, 'ignore' always runs the stability check.
   * @default 'use'
   */
  readonly doneMarker?: DoneMarkerMode | undefined;
  /**
   * After a successful run, markProcessed() moves the file here (a folder on the server,
   * created if missing) under a timestamped name, e.g. `20261128T023000Z-guardians.csv`.
   */
  readonly archiveDir?: string | undefined;
  /** Receives connection events with safe fields only (host, port, attempt, code, bytes). */
  readonly logger?: Logger | undefined;
  /** For tests: replaces ssh2-sftp-client. */
  readonly clientFactory?: SftpClientFactory | undefined;
  /** For tests: replaces the retry and stability waits. */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** For tests: jitter source in [0, 1). @default Math.random */
  readonly random?: (() => number) | undefined;
  /** For tests: clock for archive names. @default () => new Date() */
  readonly now?: (() => Date) | undefined;
}

export interface ResolvedSftpSourceOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string | undefined;
  readonly privateKey: string | Buffer | undefined;
  readonly passphrase: string | undefined;
  readonly path: string;
  readonly fileName: string;
  /** Normalized pins; null only when verification was dangerously disabled. */
  readonly hostKeys: readonly string[] | null;
  readonly connectTimeoutMs: number;
  readonly operationTimeoutMs: number;
  readonly downloadTimeoutMs: number;
  readonly endTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly attempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly stableCheckMs: number;
  readonly doneMarker: DoneMarkerMode;
  readonly archiveDir: string | undefined;
  readonly logger: Logger | undefined;
  readonly clientFactory: SftpClientFactory | undefined;
  readonly sleep: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  readonly random: () => number;
  readonly now: () => Date;
}

const ms = (max: number) => z.number().int().min(1).max(max).optional();
const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function').optional();

const schema = z.strictObject({
  host: z.string().trim().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().min(1),
  password: z.string().min(1).optional(),
  privateKey: z.union([z.string().min(1), z.instanceof(Uint8Array)]).optional(),
  passphrase: z.string().optional(),
  path: z.string().min(1).optional(),
  fileName: z
    .string()
    .min(1)
    .refine((name) => !/[\\/]/.test(name) && name !== '.' && name !== '..', 'must be a plain file name')
    .optional(),
  hostKeys: z.array(z.string()).readonly().optional(),
  dangerouslyDisableHostKeyVerification: z.literal(true).optional(),
  connectTimeoutMs: ms(600_000),
  operationTimeoutMs: ms(600_000),
  downloadTimeoutMs: ms(24 * 3_600_000),
  endTimeoutMs: ms(600_000),
  keepaliveIntervalMs: ms(600_000),
  attempts: z.number().int().min(1).max(20).optional(),
  retryBaseDelayMs: z.number().int().min(0).max(600_000).optional(),
  retryMaxDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  stableCheckMs: z.number().int().min(0).max(3_600_000).optional(),
  doneMarker: z.enum(['use', 'require', 'ignore']).optional(),
  archiveDir: z.string().min(1).optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null).optional(),
  clientFactory: fn,
  sleep: fn,
  random: fn,
  now: fn,
});

/** @throws GuardianSyncError INVALID_CONFIGURATION naming the first bad option (never its value). */
export function resolveSftpSourceOptions(options: SftpSourceOptions): ResolvedSftpSourceOptions {
  if (typeof options !== 'object' || options === null) invalid('the options must be an object');
  // Drop undefined values first: `?: T | undefined` options may be passed as undefined.
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map(String).join('.') ?? '';
    if (issue?.code === 'unrecognized_keys') invalid(`unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}`);
    invalid(`option "${key}" is invalid (${describeIssue(issue?.code)})`);
  }
  const o = options;
  if (o.password === undefined && o.privateKey === undefined) invalid('give a `password` or a `privateKey` to log in with');
  if (o.passphrase !== undefined && o.privateKey === undefined) invalid('`passphrase` is set but there is no `privateKey`');

  let hostKeys: string[] | null;
  if (o.dangerouslyDisableHostKeyVerification === true) {
    if (o.hostKeys !== undefined && o.hostKeys.length > 0) invalid('give either `hostKeys` or `dangerouslyDisableHostKeyVerification`, not both');
    hostKeys = null;
  } else {
    if (o.hostKeys === undefined || o.hostKeys.length === 0) {
      invalid("`hostKeys` is required: pin the server's SHA256 fingerprint (ask the server's owner, or run `ssh-keygen -lf` on its public host key)");
    }
    hostKeys = o.hostKeys.map((pin, index) => {
      const normalized = normalizeFingerprint(pin);
      if (normalized === null) invalid(`hostKeys[${index}] is not an OpenSSH SHA256 fingerprint such as "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"`);
      return normalized;
    });
  }
  const retryBaseDelayMs = o.retryBaseDelayMs ?? 1000;
  const privateKey = o.privateKey === undefined ? undefined : typeof o.privateKey === 'string' ? o.privateKey : Buffer.from(o.privateKey);
  return Object.freeze({
    host: o.host.trim(),
    port: o.port ?? 22,
    username: o.username,
    password: o.password,
    privateKey,
    passphrase: o.passphrase,
    path: normalizeDir(o.path ?? '/'),
    fileName: o.fileName ?? 'guardians.csv',
    hostKeys: hostKeys === null ? null : Object.freeze([...new Set(hostKeys)]),
    connectTimeoutMs: o.connectTimeoutMs ?? 20_000,
    operationTimeoutMs: o.operationTimeoutMs ?? 30_000,
    downloadTimeoutMs: o.downloadTimeoutMs ?? 1_800_000,
    endTimeoutMs: o.endTimeoutMs ?? 5000,
    keepaliveIntervalMs: o.keepaliveIntervalMs ?? 10_000,
    attempts: o.attempts ?? 3,
    retryBaseDelayMs,
    retryMaxDelayMs: Math.max(o.retryMaxDelayMs ?? 30_000, retryBaseDelayMs),
    stableCheckMs: o.stableCheckMs ?? 5000,
    doneMarker: o.doneMarker ?? 'use',
    archiveDir: o.archiveDir === undefined ? undefined : normalizeDir(o.archiveDir),
    logger: o.logger,
    clientFactory: o.clientFactory,
    sleep: o.sleep,
    random: o.random ?? Math.random,
    now: o.now ?? (() => new Date()),
  });
}

/** `inbox/` → `inbox`, `/` stays `/`; SFTP paths are POSIX whatever the local OS. */
function normalizeDir(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function describeIssue(code: string | undefined): string {
  switch (code) {
    case 'invalid_type':
      return 'wrong type';
    case 'too_small':
      return 'too small or empty';
    case 'too_big':
      return 'too large';
    case 'invalid_value':
      return 'not one of the allowed values';
    default:
      return 'not accepted';
  }
}

function invalid(message: string): never {
  throw new GuardianSyncError('INVALID_CONFIGURATION', `createSftpSource: ${message}.`);
}
