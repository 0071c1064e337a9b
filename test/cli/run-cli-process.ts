// Runs the CLI the way a user does: a child process on the TypeScript sources through tsx
// (no build needed), or on the built dist/cli.js. Captures stdout and stderr apart, because
// the contract is about which stream carries what.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_SOURCE = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const CLI_DIST = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** tsx's loader as a URL: `--import tsx` would be resolved from the child's working directory. */
export const TSX_LOADER = import.meta.resolve('tsx');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunNodeOptions {
  readonly cwd?: string | undefined;
  /** Added to the environment (NO_COLOR and FORCE_COLOR are removed first). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** `node <argv>` in a child process, stdin closed, stdout and stderr pipes (never a terminal). */
export function runNode(argv: readonly string[], options: RunNodeOptions = {}): Promise<CliResult> {
  return startNode(argv, options).result;
}

export interface StartNodeOptions extends RunNodeOptions {
  /** Run as this user and group (only root may): for checks that permissions do not bind root. */
  readonly user?: { readonly uid: number; readonly gid: number } | undefined;
}

export interface StartedProcess {
  /** The child, to send it signals while it runs. */
  readonly child: ChildProcess;
  /** Its exit: `code` is null when a signal killed it (`signal` says which). */
  readonly result: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** `node <argv>` started, not awaited: for tests that act on the process while it runs. */
export function startNode(argv: readonly string[], options: StartNodeOptions = {}): StartedProcess {
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...inherited } = process.env;
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd ?? ROOT,
    env: { ...inherited, ...options.env },
    // Pipes, not a terminal: the CLI must see a non-TTY stderr and print no colors.
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
  });
  const result = new Promise<CliResult & { readonly signal: NodeJS.Signals | null }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

/** The CLI (from the sources, through tsx) started, not awaited. */
export function startCliProcess(args: readonly string[], options: StartNodeOptions = {}): StartedProcess {
  return startNode(['--import', TSX_LOADER, CLI_SOURCE, ...args], options);
}

export interface RunCliOptions extends RunNodeOptions {
  /** Run dist/cli.js with node instead of the sources with tsx. */
  readonly built?: boolean | undefined;
}

export function runCliProcess(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  return runNode(options.built === true ? [CLI_DIST, ...args] : ['--import', TSX_LOADER, CLI_SOURCE, ...args], options);
}

/** Parses stdout as exactly one JSON document: JSON.parse fails on anything before or after it. */
export function singleJson(result: CliResult): unknown {
  return JSON.parse(result.stdout);
}

export const ANSI_ESCAPE = /\u001b\[/;
