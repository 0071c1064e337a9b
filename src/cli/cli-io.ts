// Where the CLI writes, and whether it may decorate what it writes. Commands take a CliIo
// instead of touching `process` so the demo and tests can run them in-process, and so the
// one rule of the contract lives in one place: stdout carries only the JSON document of
// `--json`; every human line (summaries, progress, logs) goes to stderr.
import { reportJsonPieces } from '../report/stringify-report.js';
import { trapInterrupts, type InterruptTrap } from './interrupt-trap.js';

export interface CliIo {
  /** Machine output only: the single JSON document of `--json`. */
  readonly stdout: (text: string) => void;
  /** Human output: summaries, progress, notes, errors. */
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stderr is an interactive terminal: colors and a progress bar are allowed. */
  readonly stderrIsTTY: boolean;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /**
   * Catches SIGINT and SIGTERM while a command holds the roster (see interrupt-trap.ts).
   * Absent in-process (tests, the demo): there a command runs without a cancel signal.
   */
  readonly trapInterrupts?: (() => InterruptTrap) | undefined;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    trapInterrupts: () => trapInterrupts(process, (line) => void process.stderr.write(`${line}\n`)),
  };
}

/**
 * Colors only on a terminal, and never when NO_COLOR is set (https://no-color.org: any
 * non-empty value) or the terminal says it cannot show them.
 */
export function colorEnabled(io: CliIo): boolean {
  if (!io.stderrIsTTY) return false;
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return io.env['TERM'] !== 'dumb';
}

/**
 * Prints exactly one JSON document on stdout, newline-terminated: the same text as
 * report.json (one line per issue and per row, so a million-row report stays readable and
 * a third smaller). Written in pieces: the whole text of a 1,000,000-row report (71 MB) and
 * its bytes are never held at once.
 */
export function printJson(io: CliIo, value: object): void {
  for (const piece of reportJsonPieces(value)) io.stdout(piece);
}

/** The one-line progress bar redraws with terminal control codes: only on a terminal that has them. */
export function progressEnabled(io: CliIo): boolean {
  return io.stderrIsTTY && io.env['TERM'] !== 'dumb';
}

/** Prints human text on stderr, newline-terminated. */
export function printText(io: CliIo, text: string): void {
  io.stderr(text.endsWith('\n') ? text : `${text}\n`);
}
