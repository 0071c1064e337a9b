// `npm run demo` works: the demo runs every step with the exit code it expects, prints the
// final export, and leaves the roster, the export and report.html behind. It runs in a temp
// folder so a developer's own .demo/ is left alone.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterExportShape } from '../cli/json-shapes.js';
import { runExample, type ExampleResult } from './run-example.js';

let dir: string;
let result: ExampleResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guardian-sync-demo-'));
  result = await runExample('demo.ts', { GUARDIAN_SYNC_DEMO_DIR: join(dir, 'demo') });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  it('runs every step with its expected exit code', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Expected exit code');
    for (const step of ['validate', 'roster import', 'sync', 'runs']) expect(result.stderr).toContain(`$ guardian-sync ${step}`);
    expect(result.stderr).toContain('--dry-run');
  });

  it('shows the day-2 story: the Windows-1252 file, the bad row, the unknown student, the threshold held', () => {
    expect(result.stderr).toMatch(/Encoding\s+windows-1252/);
    expect(result.stderr).toContain('WRONG_FIELD_COUNT');
    expect(result.stderr).toContain('UNKNOWN_STUDENT');
    expect(result.stderr).toContain('Dry run');
  });

  it('prints the final export, with the accounts day 2 changed', async () => {
    expect(result.stderr).toContain('The final roster export');
    expect(result.stderr).toMatch(/Roster: \d+ accounts \(\d+ active guardians\), 300 students/);
    expect(result.stderr).toContain('Siobhán O’Neill');
    expect(result.stderr).toMatch(/roles: guardian G9002; staff T005/);
    const roster = rosterExportShape.parse(JSON.parse(await readFile(join(dir, 'demo', 'export.json'), 'utf8')));
    const siobhan = roster.accounts.find((a) => a.roles.some((r) => r.sisIds.includes('G9001')));
    expect(siobhan).toMatchObject({ firstName: 'Siobhán', lastName: 'O’Neill', email: 'siobhan.oneill@mail.example' });
  });

  it('leaves the roster database and the day-2 report files', () => {
    for (const file of ['roster.sqlite', 'report/report.html', 'report/report.json', 'report/issues.csv']) expect(existsSync(join(dir, 'demo', file)), file).toBe(true);
  });
});
