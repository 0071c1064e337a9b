// The built executable (dist/cli.js, what `npx guardian-sync` runs after install): starts
// with a shebang, prints its version, and runs a command. Runs whenever dist/ exists (npm
// test builds first); only a local run without a build leaves it out, and CI never does.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { createWorkspace, GUARDIANS_CSV, type CliWorkspace } from './cli-fixtures.js';
import { validationShape } from './json-shapes.js';
import { CLI_DIST, runCliProcess, singleJson } from './run-cli-process.js';

const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '';
const built = existsSync(CLI_DIST);

let ws: CliWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('guardians.csv', GUARDIANS_CSV);
});
afterAll(() => ws.cleanup());

describe.skipIf(!built && !inCi)('dist/cli.js (the built bin)', () => {
  it('is the package bin and starts with a node shebang', async () => {
    expect(packageJson.bin['guardian-sync']).toBe('./dist/cli.js');
    expect((await readFile(CLI_DIST, 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('prints the version and validates a file, with the same exit codes and JSON as the sources', async () => {
    const version = await runCliProcess(['--version'], { built: true });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(packageJson.version);
    const result = await runCliProcess(['validate', 'guardians.csv', '--json'], { built: true, cwd: ws.dir });
    expect(result.code).toBe(0);
    expect(validationShape.parse(singleJson(result)).counts).toMatchObject({ rows: 10, guardians: 10 });
    const usage = await runCliProcess(['validate'], { built: true });
    expect(usage.code).toBe(2);
  });
});
