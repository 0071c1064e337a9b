// Runs an example the way its header says (`npx tsx examples/<name>.ts`), in a child
// process from the repository root, and returns what it printed.
import { runNode, TSX_LOADER, type CliResult } from '../cli/run-cli-process.js';

export type ExampleResult = CliResult;

export function runExample(name: string, env: Readonly<Record<string, string>> = {}): Promise<ExampleResult> {
  return runNode(['--import', TSX_LOADER, `examples/${name}`], { env });
}
