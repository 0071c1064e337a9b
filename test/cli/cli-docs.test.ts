// The CLI's flags, its --help texts and docs/cli.md agree: every flag a command accepts is
// in its --help and in the user docs, so a new flag cannot ship undocumented.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EXPORT_HELP, EXPORT_OPTIONS } from '../../src/cli/commands/export.js';
import { ROSTER_IMPORT_HELP, ROSTER_IMPORT_OPTIONS } from '../../src/cli/commands/roster-import.js';
import { RUNS_HELP, RUNS_OPTIONS } from '../../src/cli/commands/runs.js';
import { SYNC_HELP, SYNC_OPTIONS } from '../../src/cli/commands/sync.js';
import { VALIDATE_HELP, VALIDATE_OPTIONS } from '../../src/cli/commands/validate.js';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { ROOT } from './run-cli-process.js';

const COMMANDS = [
  { name: 'validate', help: VALIDATE_HELP, options: VALIDATE_OPTIONS },
  { name: 'roster import', help: ROSTER_IMPORT_HELP, options: ROSTER_IMPORT_OPTIONS },
  { name: 'sync', help: SYNC_HELP, options: SYNC_OPTIONS },
  { name: 'export', help: EXPORT_HELP, options: EXPORT_OPTIONS },
  { name: 'runs', help: RUNS_HELP, options: RUNS_OPTIONS },
] as const;

describe('CLI documentation', () => {
  it.each(COMMANDS)('$name: every flag is in its --help and in docs/cli.md', async ({ name, help, options }) => {
    const docs = await readFile(`${ROOT}/docs/cli.md`, 'utf8');
    expect(docs).toContain(`## \`guardian-sync ${name}\``);
    for (const flag of Object.keys(options)) {
      expect(help, `--${flag} in the help of ${name}`).toContain(`--${flag}`);
      expect(docs, `--${flag} in docs/cli.md`).toContain(`--${flag}`);
    }
    expect(help).toContain('Exit codes:');
  });

  it('documents every exit code in docs/cli.md', async () => {
    const docs = await readFile(`${ROOT}/docs/cli.md`, 'utf8');
    for (const code of Object.values(EXIT_CODES)) expect(docs).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
