// The CLI's pure parts in-process: argument parsers, exit codes, color decision, progress
// bar, and the dispatcher's help, version and usage errors.
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { colorEnabled, progressEnabled } from '../../src/cli/cli-io.js';
import { EXIT_CODES, exitCodeForOutcome, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { parseColumnMappings, parseFormat, parseLevel, parsePercent, parsePositiveInt } from '../../src/cli/parse-cli-args.js';
import { createProgressBar, renderProgressLine } from '../../src/cli/progress-bar.js';
import { runCli } from '../../src/cli/run-cli.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { createIssue } from '../../src/errors/issue.js';
import { errorShape } from './json-shapes.js';
import { createMemoryIo } from './memory-io.js';
import { ANSI_ESCAPE } from './run-cli-process.js';

describe('argument parsers', () => {
  it('maps --column field=Header, trimming around the =, and keeps headers with = and spaces', () => {
    expect(parseColumnMappings('validate', ['studentSisId=Student Number', 'email = E-mail=Primary'])).toEqual({
      studentSisId: 'Student Number',
      email: 'E-mail=Primary',
    });
    expect(parseColumnMappings('validate', undefined)).toBeUndefined();
  });

  it('refuses an unknown field, a missing header and a field given twice', () => {
    expect(() => parseColumnMappings('validate', ['studentId=Student'])).toThrow(/unknown field "studentId"/);
    expect(() => parseColumnMappings('validate', ['email'])).toThrow(UsageError);
    expect(() => parseColumnMappings('validate', ['email='])).toThrow(/field=Header/);
    expect(() => parseColumnMappings('validate', ['email=A', 'email=B'])).toThrow(/twice/);
  });

  it('reads --max-removal as a percentage, with or without %', () => {
    expect(parsePercent('sync', '--max-removal', '25')).toBe(0.25);
    expect(parsePercent('sync', '--max-removal', '12.5%')).toBe(0.125);
    expect(parsePercent('sync', '--max-removal', '0')).toBe(0);
    expect(parsePercent('sync', '--max-removal', undefined)).toBeUndefined();
    for (const bad of ['101', '-1', 'ten', '0.1.2', '']) expect(() => parsePercent('sync', '--max-removal', bad)).toThrow(UsageError);
  });

  it('accepts only the documented formats, levels and limits', () => {
    expect(parseFormat('sync', undefined)).toBe('guardians');
    expect(parseFormat('sync', 'oneroster')).toBe('oneroster');
    expect(() => parseFormat('sync', 'xlsx')).toThrow(/guardians or oneroster/);
    expect(parseLevel('sync', undefined)).toBe('district');
    expect(parseLevel('sync', 'school')).toBe('school');
    expect(() => parseLevel('sync', 'state')).toThrow(/district or school/);
    expect(parsePositiveInt('runs', '--limit', '5')).toBe(5);
    expect(() => parsePositiveInt('runs', '--limit', '0')).toThrow(UsageError);
  });
});

describe('exit codes', () => {
  it('maps every report status to the contract exit code', () => {
    expect(exitCodeForStatus('succeeded')).toBe(0);
    expect(exitCodeForStatus('succeeded-with-warnings')).toBe(0);
    expect(exitCodeForStatus('disabled')).toBe(0);
    expect(exitCodeForStatus('failed')).toBe(1);
    expect(exitCodeForStatus('failed-threshold')).toBe(3);
  });

  it('treats a failure caused by a configuration error as a usage error (2)', () => {
    expect(exitCodeForOutcome('failed', [createIssue('INVALID_CONFIGURATION', 'Unknown encoding "klingon".')])).toBe(EXIT_CODES.usage);
    expect(exitCodeForOutcome('failed', [createIssue('FILE_NOT_FOUND', 'No file.')])).toBe(EXIT_CODES.failed);
  });
});

describe('colors and progress', () => {
  it('are on only for a terminal without NO_COLOR and not a dumb terminal', () => {
    expect(colorEnabled(createMemoryIo({ tty: true }))).toBe(true);
    expect(colorEnabled(createMemoryIo({ tty: false }))).toBe(false);
    expect(colorEnabled(createMemoryIo({ tty: true, env: { NO_COLOR: '1' } }))).toBe(false);
    expect(colorEnabled(createMemoryIo({ tty: true, env: { NO_COLOR: '' } }))).toBe(true);
    expect(colorEnabled(createMemoryIo({ tty: true, env: { TERM: 'dumb' } }))).toBe(false);
  });

  it('the progress bar shows only on a terminal that understands control codes', () => {
    expect(progressEnabled(createMemoryIo({ tty: true }))).toBe(true);
    expect(progressEnabled(createMemoryIo({ tty: false }))).toBe(false);
    expect(progressEnabled(createMemoryIo({ tty: true, env: { TERM: 'dumb' } }))).toBe(false);
  });
});

describe('progress bar', () => {
  it('renders bytes as a bar with a percentage, and rows as a count', () => {
    expect(renderProgressLine({ phase: 'fetch', bytesDone: 512, bytesTotal: 1024 })).toBe(`Reading the file ${'█'.repeat(12)}${'░'.repeat(12)} 50% (512 bytes of 1.0 KiB)`);
    expect(renderProgressLine({ phase: 'parse', rowsDone: 125000 })).toBe('Parsing rows… 125,000 rows');
    expect(renderProgressLine({ phase: 'apply' })).toBe('Applying changes…');
  });

  it('redraws a new phase at once, throttles updates within a phase, and clears its line on stop', () => {
    let now = 0;
    const writes: string[] = [];
    const bar = createProgressBar({ write: (t) => writes.push(t), now: () => now });
    bar.onProgress({ phase: 'parse', rowsDone: 5000 });
    now = 50;
    bar.onProgress({ phase: 'parse', rowsDone: 10000 }); // within 100 ms of the last draw: skipped
    now = 60;
    bar.onProgress({ phase: 'plan' }); // a new phase: drawn
    now = 200;
    bar.onProgress({ phase: 'plan' });
    bar.onProgress({ phase: 'done' }); // never drawn
    bar.stop();
    bar.stop();
    expect(writes).toEqual(['\r\x1b[2KParsing rows… 5,000 rows', '\r\x1b[2KPlanning changes…', '\r\x1b[2KPlanning changes…', '\r\x1b[2K']);
  });
});

describe('dispatcher', () => {
  it('prints the version from package.json on stdout', async () => {
    const io = createMemoryIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.output.stdout).toBe(`${packageJson.version}\n`);
  });

  it('prints the top-level help listing every command, and each command its own help', async () => {
    const io = createMemoryIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of ['validate', 'roster import', 'sync', 'export', 'runs']) expect(io.output.stdout).toContain(command);
    for (const [args, text] of [
      [['validate', '--help'], '--encoding'],
      [['sync', '-h'], '--max-removal'],
      [['roster', 'import', '--help'], 'orgs.csv'],
      [['export', '--help'], '--json'],
      [['runs', '--help'], '--limit'],
      [['help', 'sync'], '--host-key'],
    ] as const) {
      const commandIo = createMemoryIo();
      expect(await runCli(args, commandIo)).toBe(0);
      expect(commandIo.output.stdout).toContain(text);
    }
  });

  it('exits 2 with a pointer to --help for no command, an unknown command or an unknown flag', async () => {
    const none = createMemoryIo();
    expect(await runCli([], none)).toBe(2);
    expect(none.output.stdout).toBe('');
    const unknown = createMemoryIo();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.output.stderr).toContain('unknown command "frobnicate"');
    const flag = createMemoryIo();
    expect(await runCli(['validate', 'x.csv', '--colour'], flag)).toBe(2);
    expect(flag.output.stderr).toMatch(/Unknown option '--colour'[\s\S]*guardian-sync validate --help/);
    expect(ANSI_ESCAPE.test(flag.output.stderr)).toBe(false);
  });

  it('with --json, a usage error is also one JSON document on stdout', async () => {
    const io = createMemoryIo();
    expect(await runCli(['sync', '--json', '--db', 'x.sqlite'], io)).toBe(2);
    const doc = errorShape.parse(JSON.parse(io.output.stdout));
    expect(doc.error.message).toContain('--file <path> or --sftp <url>');
  });
});
