// A CliIo that records what a command writes, for running commands in-process.
import type { CliIo } from '../../src/cli/cli-io.js';

export interface MemoryIo extends CliIo {
  readonly output: { stdout: string; stderr: string };
}

export function createMemoryIo(options: { readonly cwd?: string; readonly env?: Record<string, string>; readonly tty?: boolean } = {}): MemoryIo {
  const output = { stdout: '', stderr: '' };
  return {
    output,
    stdout: (text) => void (output.stdout += text),
    stderr: (text) => void (output.stderr += text),
    env: options.env ?? {},
    stderrIsTTY: options.tty ?? false,
    cwd: options.cwd ?? process.cwd(),
  };
}
