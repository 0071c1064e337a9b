// `sync --dry-run --json --timings` on the built CLI, as a user runs it: stdout is still
// exactly the report JSON, and stderr ends with one timing line per phase and the total.
// Runs whenever dist/ exists (as built-cli.test.ts; CI always builds first).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimingLines } from '../../src/cli/phase-timings.js';
import { createWorkspace, GUARDIANS_CSV, ORGS_CSV, USERS_CSV, type CliWorkspace } from './cli-fixtures.js';
import { syncReportShape } from './json-shapes.js';
import { CLI_DIST, runCliProcess, singleJson } from './run-cli-process.js';

const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '';
const built = existsSync(CLI_DIST);

let ws: CliWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('users.csv', USERS_CSV);
  await ws.write('orgs.csv', ORGS_CSV);
  await ws.write('guardians.csv', GUARDIANS_CSV);
});
afterAll(() => ws.cleanup());

describe.skipIf(!built && !inCi)('sync --timings (dist/cli.js)', () => {
  it('keeps stdout pure JSON and prints the phases and the total on stderr', async () => {
    expect((await runCliProcess(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv'], { built: true, cwd: ws.dir })).code).toBe(0);
    const result = await runCliProcess(['sync', '--db', 'roster.sqlite', '--file', 'guardians.csv', '--org', 'D1', '--dry-run', '--json', '--timings', '--settle', '0'], {
      built: true,
      cwd: ws.dir,
    });
    expect(result.code).toBe(0);
    const report = syncReportShape.parse(singleJson(result));
    expect(report.counts.rows).toBe(10);
    expect(result.stdout).not.toContain('timing');

    const lines = result.stderr.trimEnd().split('\n').filter((l) => l.startsWith('timing '));
    const timings = parseTimingLines(result.stderr);
    // No `parse` line here: the sync's first parse event comes after 5,000 rows, so a ten-row
    // file is decoded and parsed within `decode`.
    expect(Object.keys(timings)).toEqual(['startup', 'setup', 'lock', 'fetch', 'decode', 'resolve', 'plan', 'report', 'close', 'output', 'total']);
    expect(lines).toHaveLength(11);
    // The timing lines come last, and add up to the total (each rounded to the millisecond).
    expect(result.stderr.trimEnd().split('\n').slice(-11)).toEqual(lines);
    const { total, ...phases } = timings;
    expect(total).toBeGreaterThan(0);
    expect(Math.abs(Object.values(phases).reduce((a, b) => a + b, 0) - (total ?? 0))).toBeLessThanOrEqual(Object.keys(phases).length);
  });

  it('prints no timing lines without the flag', async () => {
    await runCliProcess(['roster', 'import', '--db', 'plain.sqlite', 'users.csv', 'orgs.csv'], { built: true, cwd: ws.dir });
    const result = await runCliProcess(['sync', '--db', 'plain.sqlite', '--file', 'guardians.csv', '--dry-run', '--json', '--settle', '0'], { built: true, cwd: ws.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/^timing /m);
  });
});
