// The SFTP source against precise faults (an ssh2 server in this process): every failure
// must come out as the right GuardianSyncError, retried only when transient, with no socket,
// timer or listener left behind and no password in any log or error text.
import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import SftpClientClass from 'ssh2-sftp-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuardianFileSource } from '../../src/contracts/file-source.js';
import type { GuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { rejectionOf } from '../support/rejection.js';
import { createSftpSource, type SftpClient, type SftpSourceOptions } from '../../src/sftp/index.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { startFaultServer, type ConnectionPlan, type FaultFile, type FaultServer } from '../support/ssh2-fault-server.js';
import { captureLogger, errorTexts, expectNoLeaks, expectNoSecrets, leakableResources, type CapturedLogger } from './secret-checks.js';

const USER = 'district';
const PASSWORD = `pw-${randomBytes(9).toString('hex')}`;
const BIG = new Uint8Array(randomBytes(1024 * 1024 + 123));

let server: FaultServer | undefined;
let captured: CapturedLogger;
let sleeps: number[];
let baseline: ReturnType<typeof leakableResources>;
let clients: SftpClient[];
let consoleText: string[];

beforeEach(() => {
  consoleText = [];
  // ssh2-sftp-client's default listeners print raw errors to the console: nothing may get there.
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleText.push(args.map(String).join(' ')));
  }
  captured = captureLogger();
  sleeps = [];
  clients = [];
  baseline = leakableResources();
});

/** The real ssh2-sftp-client, kept so each test can check every connection was torn down. */
function recordingFactory(): SftpClient {
  const ignore = (): void => undefined;
  const client = new SftpClientClass('test', { error: ignore, end: ignore, close: ignore }) as unknown as SftpClient;
  clients.push(client);
  return client;
}

function expectClientsClosed(): void {
  for (const client of clients) expect(client.client?._sock?.destroyed ?? true, 'a client socket was left open').toBe(true);
}

afterEach(async () => {
  vi.restoreAllMocks();
  expectClientsClosed();
  if (server !== undefined) {
    await server.waitUntilIdle(15_000);
    await server.close();
    server = undefined;
  }
  await expectNoLeaks(baseline);
  expectNoSecrets(captured.lines, [PASSWORD]);
  expectNoSecrets(consoleText, [PASSWORD]);
  expect(consoleText).toEqual([]);
});

async function start(files: Record<string, FaultFile>, plan?: (connection: number) => ConnectionPlan): Promise<FaultServer> {
  server = await startFaultServer({ username: USER, password: PASSWORD, files, plan });
  return server;
}

function source(s: FaultServer, overrides: Partial<SftpSourceOptions> = {}): GuardianFileSource {
  return createSftpSource({
    host: s.host,
    port: s.port,
    username: USER,
    password: PASSWORD,
    hostKeys: [s.hostKeyFingerprint],
    stableCheckMs: 0,
    // Generous, so a loaded CI machine does not turn a slow step into a different failure;
    // the tests of each deadline set their own short one.
    connectTimeoutMs: 15_000,
    operationTimeoutMs: 15_000,
    endTimeoutMs: 1000,
    attempts: 1,
    logger: captured.logger,
    clientFactory: recordingFactory,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<GuardianSyncError> {
  const error = await rejectionOf(promise);
  expectNoSecrets(errorTexts(error), [PASSWORD]);
  return error;
}

async function fetchAll(src: GuardianFileSource): Promise<Uint8Array> {
  const file = await src.open();
  try {
    return (await readSourceFile(file)).bytes;
  } finally {
    await file.close();
  }
}

describe('SFTP source faults', () => {
  it('downloads a file byte-exact when nothing goes wrong', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    expect(Buffer.from(await fetchAll(source(s))).equals(Buffer.from(BIG))).toBe(true);
    expect(s.connections()).toBe(1);
  });

  it('gives up on a server that accepts TCP but never sends a banner (connect deadline), retrying with backoff', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ silent: true }));
    const error = await failure(source(s, { connectTimeoutMs: 300, attempts: 3, retryBaseDelayMs: 100, random: () => 0.5 }).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(true);
    expect(error.message).toContain('connecting');
    expect(s.connections()).toBe(3);
    // Full jitter: half of 100 ms, then half of 200 ms.
    expect(sleeps).toEqual([50, 100]);
  });

  it('gives up on a download that stalls in the middle (download deadline)', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ afterBytes: 200_000, onDownload: 'stall' }));
    const error = await failure(source(s, { downloadTimeoutMs: 400, operationTimeoutMs: 30_000 }).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/within 400 ms while downloading/);
  });

  it('gives up on a download that stops sending (no data for the operation deadline)', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ afterBytes: 100_000, onDownload: 'stall' }));
    const error = await failure(source(s, { downloadTimeoutMs: 60_000, operationTimeoutMs: 1000 }).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.message).toMatch(/within 1000 ms while downloading/);
  });

  it('reports a server that closes with only a TCP end in the middle of a download as transient', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ afterBytes: 100_000, onDownload: 'end' }));
    const error = await failure(source(s).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(true);
  });

  it('reports a connection reset during the transfer as transient', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ afterBytes: 100_000, onDownload: 'reset' }));
    const error = await failure(source(s).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(true);
  });

  it('keeps a complete download when the connection is reset during end()', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ resetOnEnd: true }));
    expect(Buffer.from(await fetchAll(source(s))).equals(Buffer.from(BIG))).toBe(true);
  });

  it('destroys the connection when the server never answers end() (end deadline)', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ ignoreEndForMs: 3000 }));
    expect(Buffer.from(await fetchAll(source(s, { endTimeoutMs: 200 }))).equals(Buffer.from(BIG))).toBe(true);
    // The server still holds its side: the client gave up on it instead of waiting.
    expect(s.openConnections()).toBe(1);
    expectClientsClosed();
  });

  it('fails a wrong password with AUTH_FAILED after exactly one attempt', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    const error = await failure(source(s, { password: `${PASSWORD}-wrong`, attempts: 5 }).open());
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.transient).toBe(false);
    expect(s.connections()).toBe(1);
    expect(s.passwordAttempts()).toBe(1);
    expect(sleeps).toEqual([]);
    expectNoSecrets(errorTexts(error), [`${PASSWORD}-wrong`]);
  });

  it('refuses a host key that is not pinned, without retrying', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    const other = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
    const error = await failure(source(s, { hostKeys: [other], attempts: 3 }).open());
    expect(error.code).toBe('HOST_KEY_MISMATCH');
    expect(error.message).toContain(s.hostKeyFingerprint);
    expect(s.connections()).toBe(1);
    expect(s.passwordAttempts()).toBe(0);
  });

  it('with the default client (no factory), prints nothing to the console on a wrong password or a reset', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, (n) => (n === 2 ? { afterBytes: 1000, onDownload: 'reset' } : {}));
    const options = { host: s.host, port: s.port, username: USER, hostKeys: [s.hostKeyFingerprint], stableCheckMs: 0, attempts: 1 };
    expect((await failure(createSftpSource({ ...options, password: `${PASSWORD}x` }).open())).code).toBe('AUTH_FAILED');
    expect((await failure(createSftpSource({ ...options, password: PASSWORD }).open())).code).toBe('SOURCE_UNAVAILABLE');
  });

  it('connects to any host key only with dangerouslyDisableHostKeyVerification', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    const bytes = await fetchAll(source(s, { hostKeys: undefined, dangerouslyDisableHostKeyVerification: true }));
    expect(bytes.byteLength).toBe(BIG.byteLength);
  });

  it('refuses a file that grows between two stats (FILE_UNSTABLE), without retrying', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ growBy: 4096 }));
    const error = await failure(source(s, { attempts: 3, stableCheckMs: 25 }).open());
    expect(error.code).toBe('FILE_UNSTABLE');
    expect(s.connections()).toBe(1);
    expect(sleeps).toEqual([25]);
  });

  it('accepts a growing-looking file at once when a .done marker as new as the file exists', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG }, 'GUARDIANS.csv.done': { bytes: new Uint8Array(0) } }, () => ({ growBy: 4096 }));
    expect(Buffer.from(await fetchAll(source(s, { stableCheckMs: 25 }))).equals(Buffer.from(BIG))).toBe(true);
    expect(sleeps).toEqual([]);
  });

  it("ignores a .done marker older than the file (yesterday's marker) and checks stability", async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG }, 'guardians.csv.done': { bytes: new Uint8Array(0), mtime: 1_700_000_000 } }, () => ({ growBy: 1 }));
    const error = await failure(source(s, { stableCheckMs: 25 }).open());
    expect(error.code).toBe('FILE_UNSTABLE');
  });

  it("with doneMarker 'require', refuses a file without a marker", async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    const error = await failure(source(s, { doneMarker: 'require' }).open());
    expect(error.code).toBe('FILE_UNSTABLE');
    expect(error.message).toContain('guardians.csv.done');
  });

  it('reports fewer bytes than stat announced as SOURCE_UNAVAILABLE (transient)', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ statExtraBytes: 10 }));
    const error = await failure(source(s).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(error.transient).toBe(true);
    expect(error.message).toContain(`${BIG.byteLength} of the ${BIG.byteLength + 10} bytes`);
  });

  it('succeeds after two transient failures, with backoff between the tries', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, (n) => (n <= 2 ? { resetOnAccept: true } : {}));
    const bytes = await fetchAll(source(s, { attempts: 3, retryBaseDelayMs: 1000, random: () => 0.25 }));
    expect(Buffer.from(bytes).equals(Buffer.from(BIG))).toBe(true);
    expect(s.connections()).toBe(3);
    expect(sleeps).toEqual([250, 500]);
    expect(captured.lines.filter((line) => line.startsWith('warn'))).toHaveLength(2);
  });

  it('stops after the configured attempts when every try fails', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ resetOnAccept: true }));
    const error = await failure(source(s, { attempts: 4 }).open());
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(s.connections()).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('refuses a file over maxBytes from its stat, before downloading any byte', async () => {
    // A download would hit the reset and fail differently: FILE_TOO_LARGE proves none began.
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ afterBytes: 0, onDownload: 'reset' }));
    const error = await failure(source(s, { attempts: 3 }).open({ maxBytes: 1000 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(s.connections()).toBe(1);
  });

  it('reports a missing file as FILE_NOT_FOUND without retrying', async () => {
    const s = await start({ 'students.csv': { bytes: BIG } });
    const error = await failure(source(s, { attempts: 3 }).open());
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(s.connections()).toBe(1);
  });

  it('reports a missing folder as FILE_NOT_FOUND', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    const error = await failure(source(s, { path: '/nowhere' }).open());
    expect(error.code).toBe('FILE_NOT_FOUND');
  });

  it('stops a stalled download at once when the signal aborts (ABORTED)', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, () => ({ afterBytes: 100_000, onDownload: 'stall' }));
    const controller = new AbortController();
    const opening = source(s, { attempts: 3, downloadTimeoutMs: 60_000, operationTimeoutMs: 60_000 }).open({ signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    const error = await failure(opening);
    expect(error.code).toBe('ABORTED');
    expect(s.connections()).toBe(1);
  });

  it("leaves no listener on the caller's signal, after a success or a failure with retries", async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } }, (n) => (n === 1 ? { resetOnAccept: true } : n === 3 ? { afterBytes: 1000, onDownload: 'reset' } : {}));
    const controller = new AbortController();
    const file = await source(s, { attempts: 2 }).open({ signal: controller.signal });
    await readSourceFile(file, { signal: controller.signal });
    await file.close();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const error = await failure(source(s, { attempts: 1 }).open({ signal: controller.signal }));
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('offers no markProcessed when there is neither an archive folder nor a marker', async () => {
    const s = await start({ 'guardians.csv': { bytes: BIG } });
    const file = await source(s).open();
    expect(file.markProcessed).toBeUndefined();
    await file.close();
  });
});
