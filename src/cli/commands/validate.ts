// `guardian-sync validate <file>`: the self-check. Decodes, parses and validates the file
// alone (no roster) and says what a district must fix, by line and column.
import { resolve } from 'node:path';
import { validateGuardianFile } from '../../sync/validate-guardian-file.js';
import { colorEnabled, printJson, printText, type CliIo } from '../cli-io.js';
import { EXIT_CODES, exitCodeForOutcome, type ExitCode } from '../exit-codes.js';
import { formatValidationText } from '../format-validation-text.js';
import { localInputSource, SELF_CHECK_FILE_CHECKS } from '../local-input-source.js';
import { createPaint } from '../paint.js';
import { expectPositionals, parseByteSize, parseColumnMappings, parseCommandArgs, parseFormat } from '../parse-cli-args.js';

export const VALIDATE_HELP = `Usage: guardian-sync validate <file> [options]

The self-check: decodes, parses and validates a guardian file on its own (no roster) and
reports its encoding, delimiter, header mapping, rows, guardians found, and every issue
with its line, column and what to do about it.

Options:
  --format guardians|oneroster  guardians.csv (default) or a OneRoster users.csv
  --encoding <label>            decode with this encoding instead of detecting it
                                (e.g. windows-1252, utf-16le, iso-8859-2)
  --column <field>=<Header>     map a header of the file to a field; repeatable
                                (e.g. --column studentSisId="Pupil Number")
  --max-file-size <size>        refuse a larger file (default 200MiB; e.g. 500MiB, 1GiB)
  --json                        print one JSON document on stdout instead of text
  -h, --help                    show this help

Exit codes: 0 valid (warnings allowed), 1 the file has errors, 2 usage error.
`;

export const VALIDATE_OPTIONS = {
  format: { type: 'string' },
  encoding: { type: 'string' },
  column: { type: 'string', multiple: true },
  'max-file-size': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runValidate(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('validate', args, VALIDATE_OPTIONS);
  if (values.help === true) {
    io.stdout(VALIDATE_HELP);
    return EXIT_CODES.ok;
  }
  expectPositionals('validate', positionals, ['file'], 1);
  const path = positionals[0] as string;
  const format = parseFormat('validate', values.format);
  const columns = parseColumnMappings('validate', values.column);
  const maxFileBytes = parseByteSize('validate', '--max-file-size', values['max-file-size']);

  const report = await validateGuardianFile(await localInputSource('validate', resolve(io.cwd, path), format, SELF_CHECK_FILE_CHECKS), {
    format,
    encoding: values.encoding,
    columns,
    maxFileBytes,
  });

  if (values.json === true) printJson(io, report);
  else printText(io, formatValidationText(report, createPaint(colorEnabled(io)), path));
  return exitCodeForOutcome(report.valid ? 'succeeded' : 'failed', report.issues);
}
