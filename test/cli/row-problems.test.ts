// Every problem of a row in one run (issue 14, part 1), through the CLI in child processes: a
// district that fixes what the report says must not learn of the row's next problem only the
// day after. `validate` (no roster) reports every problem it can know without one; `sync`
// adds the roster's (unknown or out-of-scope students) on the same rows, skipped or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, orgsCsv, studentUser, USERS_HEADER, type CliWorkspace } from './cli-fixtures.js';
import { syncReportShape, validationShape } from './json-shapes.js';
import { runCliProcess, singleJson, type CliResult } from './run-cli-process.js';

let ws: CliWorkspace;
const cli = (args: readonly string[]): Promise<CliResult> => runCliProcess(args, { cwd: ws.dir });

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,language';
/** Each row carries two or three problems; lines 6 and 7 are one guardian whose rows disagree. */
const ROWS = [
  'S1,G1,Ana,Diaz,ana@mail.example,,es', // line 2: fine
  'S404,G2,Bo,Ng,,,', // line 3: no login, unknown student
  'S405,G3,Cy,Do,cy@mail,,', // line 4: invalid email (its only login), unknown student
  'S406,G4,Di,,di@mail.example,12,Klingon', // line 5: no last name, invalid phone, unknown language, unknown student
  'S9,G5,Ed,Fox,ed@mail.example,,', // line 6: student of another school (out of scope)
  'S2,G5,Ed,Fox,ed.fox@mail.example,,', // line 7: disagrees with line 6 on the email
  'S9,G6,,Gil,,,', // line 8: no first name, no login, out of scope
];

/** The problems of each line, as (line, code) pairs in line order. */
function problems(issues: readonly { readonly code: string; readonly line: number | null }[]): string[] {
  return issues.filter((i) => i.line !== null && i.line > 1 && i.code !== 'MISSING_GUARDIAN_SIS_ID').map((i) => `${i.line} ${i.code}`);
}

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.write('orgs.csv', orgsCsv({ D1: ['SA', 'SB'] }));
  await ws.write('users.csv', [USERS_HEADER, studentUser('S1', 'SA', 'Kid', 'One'), studentUser('S2', 'SA', 'Kid', 'Two'), studentUser('S9', 'SB', 'Kid', 'Nine')].join('\n'));
  expect((await cli(['roster', 'import', '--db', 'roster.sqlite', 'users.csv', 'orgs.csv'])).code).toBe(0);
  await ws.write('guardians.csv', [HEADER, ...ROWS].join('\n'));
});
afterAll(() => ws.cleanup());

describe('issue 14, part 1: every problem of a row in one run', () => {
  it('validate reports every problem it can know without a roster, several per row', async () => {
    const result = await cli(['validate', 'guardians.csv', '--json']);
    const report = validationShape.parse(singleJson(result));
    expect(problems(report.issues).sort()).toEqual(
      [
        '3 NO_CONTACT_CREDENTIAL',
        '4 INVALID_EMAIL',
        '4 NO_CONTACT_CREDENTIAL',
        '5 MISSING_VALUE',
        '5 INVALID_PHONE',
        '5 UNKNOWN_LANGUAGE',
        '7 CONFLICTING_GUARDIAN_ROWS',
        '8 MISSING_VALUE',
      ].sort(),
    );
  });

  it('sync adds the roster problems (unknown and out-of-scope students) to the same rows, skipped or not', async () => {
    const result = await cli(['sync', '--db', 'roster.sqlite', '--file', 'guardians.csv', '--level', 'school', '--org', 'SA', '--dry-run', '--json']);
    const report = syncReportShape.parse(singleJson(result));
    const found = problems(report.issues);
    for (const expected of [
      '3 NO_CONTACT_CREDENTIAL',
      '3 UNKNOWN_STUDENT',
      '4 INVALID_EMAIL',
      '4 UNKNOWN_STUDENT',
      '5 MISSING_VALUE',
      '5 INVALID_PHONE',
      '5 UNKNOWN_LANGUAGE',
      '5 UNKNOWN_STUDENT',
      '6 STUDENT_OUT_OF_SCOPE',
      '7 CONFLICTING_GUARDIAN_ROWS',
      '8 MISSING_VALUE',
      '8 STUDENT_OUT_OF_SCOPE',
    ]) {
      expect(found, expected).toContain(expected);
    }
    // Each problem names its column.
    for (const issue of report.issues.filter((i) => i.code === 'UNKNOWN_STUDENT' || i.code === 'STUDENT_OUT_OF_SCOPE')) expect(issue.column).toBe('studentSisId');
    // The row outcomes still skip what cannot be used.
    expect(report.rows.filter((r) => r.action === 'SKIPPED').map((r) => r.line)).toEqual([3, 4, 5, 6, 8]);
  });
});
