// An SSH/SFTP server inside the test process (ssh2's Server on 127.0.0.1) that misbehaves
// on purpose, one connection at a time: silent after TCP accept, reset at once, stalls or
// drops in the middle of a download, resets when the client says goodbye, sends fewer bytes
// than its stat said, or reports a file that keeps growing. It owns the TCP listener, so it
// can count connections and check that the client left none open.
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Server, utils, type Connection, type SFTPWrapper } from 'ssh2';
import { fingerprintOf } from '../../src/sftp/host-key.js';

const { STATUS_CODE } = utils.sftp;

export interface FaultFile {
  readonly bytes: Uint8Array;
  /** Seconds since the epoch. @default a fixed time in 2026 */
  readonly mtime?: number | undefined;
}

/** What one connection does; connections are numbered from 1 in the order they arrive. */
export interface ConnectionPlan {
  /** Accept TCP, never send the SSH banner. */
  readonly silent?: boolean | undefined;
  /** Reset the TCP connection as soon as it is accepted (a transient network failure). */
  readonly resetOnAccept?: boolean | undefined;
  /** During a download, once this many bytes were sent, do `onDownload`. */
  readonly afterBytes?: number | undefined;
  /** 'stall': stop answering; 'end': close the TCP connection politely (FIN only); 'reset': RST. */
  readonly onDownload?: 'stall' | 'end' | 'reset' | undefined;
  /** Report this many bytes more in stat than the file has (a short transfer). */
  readonly statExtraBytes?: number | undefined;
  /** Every stat reports the file this many bytes bigger than the previous one. */
  readonly growBy?: number | undefined;
  /** When the client disconnects, answer with a TCP reset instead of a close. */
  readonly resetOnEnd?: boolean | undefined;
  /**
   * When the client disconnects, keep our side open this long (ms) before closing it: the
   * client must not wait for us.
   */
  readonly ignoreEndForMs?: number | undefined;
}

export interface FaultServerOptions {
  readonly username: string;
  readonly password: string;
  /** Files in the server's one folder, `/`. */
  readonly files: Record<string, FaultFile>;
  readonly plan?: ((connection: number) => ConnectionPlan) | undefined;
}

export interface FaultServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly hostKeyFingerprint: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Authentication attempts with a password (right or wrong). */
  passwordAttempts(): number;
  /** TCP connections still open on the server side. */
  openConnections(): number;
  /** Resolves when no connection is open on the server side (polls; rejects after `ms`). */
  waitUntilIdle(ms?: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_MTIME = Math.floor(Date.UTC(2026, 10, 27, 22, 0, 0) / 1000);

/**
 * An ed25519 key pair in OpenSSH format that ssh2 can read back. ssh2's generator now and
 * then yields a key its own parser calls malformed; such a pair is drawn again.
 */
export function generateTestKeyPair(): { readonly privateKey: string; readonly publicKeyBlob: Buffer } {
  for (let attempt = 1; ; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsedPublic = utils.parseKey(pair.public);
    const parsedPrivate = utils.parseKey(pair.private);
    if (!(parsedPublic instanceof Error) && !(parsedPrivate instanceof Error)) {
      return { privateKey: pair.private, publicKeyBlob: parsedPublic.getPublicSSH() };
    }
    if (attempt >= 20) throw new Error('ssh2 could not generate a readable ed25519 key in 20 tries');
  }
}

export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const hostKey = generateTestKeyPair();
  const hostKeyFingerprint = fingerprintOf(hostKey.publicKeyBlob);
  const plan: (connection: number) => ConnectionPlan = options.plan ?? (() => ({}));
  const open = new Set<Socket>();
  let count = 0;
  let passwordAttempts = 0;

  const ssh = new Server({ hostKeys: [hostKey.privateKey] });
  const tcp: NetServer = createServer({ allowHalfOpen: true }, (socket) => {
    count += 1;
    const connectionPlan = plan(count);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    if (connectionPlan.resetOnAccept === true) {
      socket.resetAndDestroy();
      return;
    }
    if (connectionPlan.silent === true) {
      // Keep reading so the client's writes do not pile up; say nothing.
      socket.resume();
      socket.once('end', () => socket.destroy());
      return;
    }
    const onClient = (client: Connection): void => serve(client, socket, connectionPlan);
    ssh.once('connection', onClient);
    ssh.injectSocket(socket);
  });

  function serve(client: Connection, socket: Socket, connectionPlan: ConnectionPlan): void {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') {
        passwordAttempts += 1;
        if (ctx.username === options.username && ctx.password === options.password) {
          ctx.accept();
          return;
        }
      }
      ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), socket, connectionPlan));
      });
    });
    // The client half-closed (its end()): react as planned.
    const ignoreEndForMs = connectionPlan.ignoreEndForMs;
    const resetOnEnd = connectionPlan.resetOnEnd === true;
    if (resetOnEnd || ignoreEndForMs !== undefined) {
      // ssh2 ends the socket itself when the client's DISCONNECT arrives: answer that with a
      // reset instead, or with nothing at all.
      socket.end = (() => {
        if (resetOnEnd) socket.resetAndDestroy();
        return socket;
      }) as Socket['end'];
    }
    socket.once('end', () => {
      if (resetOnEnd) socket.resetAndDestroy();
      else if (ignoreEndForMs !== undefined) setTimeout(() => socket.destroy(), ignoreEndForMs);
      else socket.end();
    });
  }

  function serveSftp(sftp: SFTPWrapper, socket: Socket, connectionPlan: ConnectionPlan): void {
    const handles = new Map<string, { kind: 'dir'; listed: boolean } | { kind: 'file'; name: string }>();
    let nextHandle = 0;
    let sent = 0;
    let statCalls = 0;
    const newHandle = (value: { kind: 'dir'; listed: boolean } | { kind: 'file'; name: string }): Buffer => {
      const handle = Buffer.from(String(nextHandle++));
      handles.set(handle.toString(), value);
      return handle;
    };
    const fileOf = (path: string): [string, FaultFile] | undefined => {
      const name = path.replace(/^\/+/, '');
      const file = options.files[name];
      return file === undefined ? undefined : [name, file];
    };
    const attrsOf = (file: FaultFile, growth: number) => {
      const mtime = file.mtime ?? DEFAULT_MTIME;
      return {
        mode: 0o100644,
        uid: 1000,
        gid: 1000,
        size: file.bytes.byteLength + (connectionPlan.statExtraBytes ?? 0) + growth,
        atime: mtime,
        mtime: mtime + growth,
      };
    };
    const dirAttrs = { mode: 0o040755, uid: 0, gid: 0, size: 4096, atime: DEFAULT_MTIME, mtime: DEFAULT_MTIME };

    sftp.on('REALPATH', (reqid, path) => {
      const normalized = path === '.' || path === '' ? '/' : path;
      sftp.name(reqid, [{ filename: normalized, longname: normalized, attrs: dirAttrs }]);
    });
    sftp.on('OPENDIR', (reqid, path) => {
      if (path !== '/' && path !== '.' && path !== '') {
        sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
        return;
      }
      sftp.handle(reqid, newHandle({ kind: 'dir', listed: false }));
    });
    sftp.on('READDIR', (reqid, handle) => {
      const entry = handles.get(handle.toString());
      if (entry?.kind !== 'dir') {
        sftp.status(reqid, STATUS_CODE.FAILURE);
        return;
      }
      if (entry.listed) {
        sftp.status(reqid, STATUS_CODE.EOF);
        return;
      }
      entry.listed = true;
      sftp.name(
        reqid,
        Object.entries(options.files).map(([name, file]) => {
          const attrs = attrsOf(file, 0);
          return { filename: name, longname: `-rw-r--r--    1 1000     1000     ${attrs.size} Nov 27 22:00 ${name}`, attrs };
        }),
      );
    });
    const stat = (reqid: number, path: string): void => {
      const found = fileOf(path);
      if (found === undefined) {
        sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
        return;
      }
      const growth = (connectionPlan.growBy ?? 0) * statCalls;
      statCalls += 1;
      sftp.attrs(reqid, attrsOf(found[1], growth));
    };
    sftp.on('STAT', stat);
    sftp.on('LSTAT', stat);
    sftp.on('OPEN', (reqid, path) => {
      const found = fileOf(path);
      if (found === undefined) {
        sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
        return;
      }
      sftp.handle(reqid, newHandle({ kind: 'file', name: found[0] }));
    });
    sftp.on('FSTAT', (reqid, handle) => {
      const entry = handles.get(handle.toString());
      const file = entry?.kind === 'file' ? options.files[entry.name] : undefined;
      if (file === undefined) sftp.status(reqid, STATUS_CODE.FAILURE);
      else sftp.attrs(reqid, attrsOf(file, 0));
    });
    sftp.on('READ', (reqid, handle, offset, length) => {
      const entry = handles.get(handle.toString());
      const file = entry?.kind === 'file' ? options.files[entry.name] : undefined;
      if (file === undefined) {
        sftp.status(reqid, STATUS_CODE.FAILURE);
        return;
      }
      if (connectionPlan.onDownload !== undefined && sent >= (connectionPlan.afterBytes ?? 0)) {
        if (connectionPlan.onDownload === 'reset') socket.resetAndDestroy();
        else if (connectionPlan.onDownload === 'end') socket.end();
        // 'stall': never answer this or any later request.
        return;
      }
      if (offset >= file.bytes.byteLength) {
        sftp.status(reqid, STATUS_CODE.EOF);
        return;
      }
      const chunk = Buffer.from(file.bytes.subarray(offset, Math.min(offset + length, file.bytes.byteLength)));
      sent += chunk.length;
      sftp.data(reqid, chunk);
    });
    sftp.on('CLOSE', (reqid, handle) => {
      handles.delete(handle.toString());
      sftp.status(reqid, STATUS_CODE.OK);
    });
  }

  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const address = tcp.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    host: '127.0.0.1',
    port,
    hostKeyFingerprint,
    connections: () => count,
    passwordAttempts: () => passwordAttempts,
    openConnections: () => open.size,
    async waitUntilIdle(ms = 5000) {
      const until = Date.now() + ms;
      while (open.size > 0) {
        if (Date.now() > until) throw new Error(`${open.size} connection(s) still open on the fault server after ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
