// placeholder until the OneRoster roster reader lands
import type { CliIo } from '../cli-io.js';
import type { ExitCode } from '../exit-codes.js';
export async function runRosterImport(_args: readonly string[], _io: CliIo): Promise<ExitCode> {
  return 2;
}
