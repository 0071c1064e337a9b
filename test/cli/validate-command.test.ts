// `guardian-sync validate` end to end in a child process: text on stderr, one JSON document
// on stdout with --json, exit 0 / 1 / 2, no ANSI codes when stderr is not a terminal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validationShape, errorShape } from './json-shapes.js';
import { createWorkspace, GUARDIANS_CSV, GUARDIANS_MISSING_COLUMN_CSV, GUARDIANS_WITH_ISSUES_CSV, type CliWorkspace } from './cli-fixtures.js';
import { ANSI_ESCAPE, runCliProcess, singleJson } from './run-cli-process.js';
import { createMemoryIo } from './memory-io.js';
import { runCli } from '../../src/cli/run-cli.js';

let ws: CliWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('guardians.csv', GUARDIANS_CSV);
  await ws.write('with-issues.csv', GUARDIANS_WITH_ISSUES_CSV);
  await ws.write('missing-column.csv', GUARDIANS_MISSING_COLUMN_CSV);
  await ws.write('renamed.csv', GUARDIANS_CSV.replace('studentSisId', 'Pupil Number'));
});
afterAll(() => ws.cleanup());

describe('guardian-sync validate', () => {
  it('reads a good file: exit 0, a readable summary on stderr, nothing on stdout, no colors', async () => {
    const result = await runCliProcess(['validate', 'guardians.csv'], { cwd: ws.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Self-check of guardians.csv');
    expect(result.stderr).toMatch(/Encoding\s+utf-8/);
    expect(result.stderr).toMatch(/Delimiter\s+comma/);
    expect(result.stderr).toMatch(/studentSisId\s+← "studentSisId"/);
    expect(result.stderr).toMatch(/Rows\s+10/);
    expect(result.stderr).toMatch(/Guardians\s+10/);
    expect(result.stderr).toContain('Result: the file is valid');
    expect(ANSI_ESCAPE.test(result.stderr)).toBe(false);
  });

  it('prints exactly one JSON document of the documented shape with --json', async () => {
    const result = await runCliProcess(['validate', 'guardians.csv', '--json'], { cwd: ws.dir });
    expect(result.code).toBe(0);
    const report = validationShape.parse(singleJson(result));
    expect(report.file?.name).toBe('guardians.csv');
    expect(report.file?.encoding).toBe('utf-8');
    expect(report.file?.delimiter).toBe(',');
    expect(report.header['studentSisId']).toBe('studentSisId');
    expect(report.counts).toMatchObject({ rows: 10, guardians: 10 });
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('exits 1 on a row error, and lists every issue with its line, grouped by code with a hint', async () => {
    const text = await runCliProcess(['validate', 'with-issues.csv'], { cwd: ws.dir });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/ERROR MISSING_VALUE ×1\s+line 13/);
    expect(text.stderr).toContain('What to do: Fill in the value, or remove the row.');
    expect(text.stderr).toContain('Result: the file has 1 error');

    const json = await runCliProcess(['validate', 'with-issues.csv', '--json'], { cwd: ws.dir });
    expect(json.code).toBe(1);
    const report = validationShape.parse(singleJson(json));
    expect(report.issues).toContainEqual(expect.objectContaining({ severity: 'error', code: 'MISSING_VALUE', line: 13, column: 'lastName' }));
    expect(report.counts.rows).toBe(12);
  });

  it('exits 1 on a whole-file error (a missing required column) and names the column', async () => {
    const result = await runCliProcess(['validate', 'missing-column.csv', '--json'], { cwd: ws.dir });
    expect(result.code).toBe(1);
    const report = validationShape.parse(singleJson(result));
    expect(report.issues[0]).toMatchObject({ severity: 'error', code: 'MISSING_REQUIRED_COLUMN' });
    expect(report.issues[0]?.message).toContain('studentSisId');
  });

  it('exits 1 with FILE_NOT_FOUND for a missing file', async () => {
    const result = await runCliProcess(['validate', 'nope.csv', '--json'], { cwd: ws.dir });
    expect(result.code).toBe(1);
    const report = validationShape.parse(singleJson(result));
    expect(report.file).toBeNull();
    expect(report.issues.map((i) => i.code)).toEqual(['FILE_NOT_FOUND']);
  });

  it('maps an unusual header with --column field=Header', async () => {
    const without = await runCliProcess(['validate', 'renamed.csv', '--json'], { cwd: ws.dir });
    expect(without.code).toBe(1);
    const mapped = await runCliProcess(['validate', 'renamed.csv', '--json', '--column', 'studentSisId=Pupil Number'], { cwd: ws.dir });
    expect(mapped.code).toBe(0);
    expect(validationShape.parse(singleJson(mapped)).header['studentSisId']).toBe('Pupil Number');
  });

  it('exits 2 for a usage error, in a child process too, with one JSON document on stdout', async () => {
    const result = await runCliProcess(['validate', '--json'], { cwd: ws.dir });
    expect(result.code).toBe(2);
    expect(errorShape.parse(singleJson(result)).error.message).toContain('<file>');
    expect(result.stderr).toContain('guardian-sync validate --help');
  });

  it('exits 2 for usage errors: an unknown flag, a bad --column, two files (in-process)', async () => {
    for (const args of [['validate', 'guardians.csv', '--bogus'], ['validate', 'guardians.csv', '--column', 'nope=X'], ['validate', 'a.csv', 'b.csv']]) {
      const io = createMemoryIo({ cwd: ws.dir });
      expect(await runCli([...args, '--json'], io), args.join(' ')).toBe(2);
      errorShape.parse(JSON.parse(io.output.stdout));
      expect(io.output.stderr).toMatch(/^guardian-sync validate: /);
    }
  });

  it('exits 2 when --encoding names no known encoding: a configuration error, reported in the validation JSON', async () => {
    const io = createMemoryIo({ cwd: ws.dir });
    expect(await runCli(['validate', 'guardians.csv', '--encoding', 'klingon-8', '--json'], io)).toBe(2);
    const report = validationShape.parse(JSON.parse(io.output.stdout));
    expect(report.issues.map((i) => i.code)).toEqual(['INVALID_CONFIGURATION']);
    expect(report.issues[0]?.message).toContain('klingon-8');
  });
});
