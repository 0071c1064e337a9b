// The guardians.csv path of the reading stage, and the dispatcher that picks a path by format:
// every input option is honoured (and both take the options whole, checked by type).
import iconv from 'iconv-lite';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { GuardianInput } from '../../src/input/guardian-input.js';
import type { InputOptions } from '../../src/input/input-options.js';
import { readGuardianInput } from '../../src/input/read-guardian-input.js';
import { readGuardiansCsv, RECORDS_PER_PROGRESS } from '../../src/input/read-guardians-csv.js';
import { rejectionOf } from '../support/rejection.js';

const HEADER = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone';
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const options = (extra: Partial<InputOptions> = {}): InputOptions => ({ format: 'guardians', fileName: 'guardians.csv', ...extra });

/** A guardians.csv of `count` valid rows. */
function manyRows(count: number): Uint8Array {
  const lines = [HEADER];
  for (let i = 1; i <= count; i++) lines.push(`S${i},G${i},Ana,Diaz,g${i}@example.org,`);
  return utf8(`${lines.join('\n')}\n`);
}

describe('readGuardiansCsv', () => {
  it('collects the header, valid rows, skipped rows and every issue, in line order', async () => {
    const text = [
      'studentSisId;guardianSisId;firstName;lastName;email;mobilePhone',
      'S1;G1;Ana;Diaz;Ana@Example.org;not a phone',
      'S2;G2;Bo;Lee;;',
      ';G3;Cy;Moe;cy@example.org;',
      'S4;G4;Di;Ng;di@example.org;;extra',
      '',
    ].join('\r\n');
    const input = await readGuardiansCsv(utf8(text), options());
    expect(input).toMatchObject({ encoding: 'utf-8', encodingGuessed: false, delimiter: ';', records: 4, mode: 'full' });
    expect(input.header).toEqual({ studentSisId: 'studentSisId', guardianSisId: 'guardianSisId', firstName: 'firstName', lastName: 'lastName', email: 'email', mobilePhone: 'mobilePhone' });
    expect(input.rows.map((r) => [r.line, r.studentSisId, r.email, r.mobilePhone])).toEqual([[2, 'S1', 'ana@example.org', null]]);
    // A skipped row keeps its student id when it can be trusted: not when empty, not on a ragged row.
    expect(input.rejected.map((r) => ({ line: r.line, studentSisId: r.studentSisId, codes: r.issues.map((i) => i.code) }))).toEqual([
      { line: 3, studentSisId: 'S2', codes: ['NO_CONTACT_CREDENTIAL'] },
      { line: 4, studentSisId: undefined, codes: ['MISSING_VALUE'] },
      { line: 5, studentSisId: undefined, codes: ['WRONG_FIELD_COUNT'] },
    ]);
    expect(input.rejected[1]).not.toHaveProperty('studentSisId');
    expect(input.issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'INVALID_PHONE'],
      [3, 'NO_CONTACT_CREDENTIAL'],
      [4, 'MISSING_VALUE'],
      [5, 'WRONG_FIELD_COUNT'],
    ]);
  });

  it('reads a file with a header only as no records', async () => {
    const input = await readGuardiansCsv(utf8(`${HEADER}\n`), options());
    expect(input).toMatchObject({ records: 0, rows: [], rejected: [], issues: [] });
  });

  it('maps headers with `columns` and reads phones in `defaultRegion`', async () => {
    const text = 'Kid,Parent,Given,Family,Mail,Cell\nS1,G1,Ana,Diaz,ana@example.org,020 7946 0018\n';
    const columns = { studentSisId: 'Kid', guardianSisId: 'Parent', firstName: 'Given', lastName: 'Family', email: 'Mail', mobilePhone: 'Cell' } as const;
    const input = await readGuardiansCsv(utf8(text), options({ columns, defaultRegion: 'GB' }));
    expect(input.header).toEqual(columns);
    expect(input.rows[0]).toMatchObject({ studentSisId: 'S1', guardianSisId: 'G1', mobilePhone: '+442079460018' });
  });

  it('decodes bytes that are not UTF-8 with `legacyEncoding`, and with `encoding` without guessing', async () => {
    const bytes = iconv.encode(`${HEADER}\nS1,G1,Antonín,Dvořák,ad@example.org,\n`, 'windows-1250');
    const legacy = await readGuardiansCsv(bytes, options({ legacyEncoding: 'windows-1250' }));
    expect(legacy).toMatchObject({ encoding: 'windows-1250', encodingGuessed: true });
    expect(legacy.rows[0]).toMatchObject({ firstName: 'Antonín', lastName: 'Dvořák' });
    const declared = await readGuardiansCsv(bytes, options({ encoding: 'windows-1250' }));
    expect(declared).toMatchObject({ encoding: 'windows-1250', encodingGuessed: false });
    expect(declared.rows[0]).toMatchObject({ lastName: 'Dvořák' });
    // Without it, the default legacy encoding reads another name: the option is what made the difference.
    const fallback = await readGuardiansCsv(bytes, options());
    expect(fallback.rows[0]?.lastName).not.toBe('Dvořák');
  });

  it(`calls onRecords every ${RECORDS_PER_PROGRESS} records with the count so far`, async () => {
    const counts: number[] = [];
    const input = await readGuardiansCsv(manyRows(2 * RECORDS_PER_PROGRESS + 1234), options({ onRecords: (n) => counts.push(n) }));
    expect(input.records).toBe(2 * RECORDS_PER_PROGRESS + 1234);
    expect(counts).toEqual([RECORDS_PER_PROGRESS, 2 * RECORDS_PER_PROGRESS]);
  });

  it('stops with ABORTED on an aborted signal, before reading or between records', async () => {
    const before = await rejectionOf(readGuardiansCsv(manyRows(10), options({ signal: AbortSignal.abort() })));
    expect([before.code, before.message, before.file]).toEqual(['ABORTED', 'Reading the guardian file was cancelled.', 'guardians.csv']);

    const controller = new AbortController();
    const counts: number[] = [];
    const onRecords = (n: number): void => {
      counts.push(n);
      controller.abort();
    };
    const during = await rejectionOf(readGuardiansCsv(manyRows(3 * RECORDS_PER_PROGRESS), options({ signal: controller.signal, onRecords })));
    expect(during.code).toBe('ABORTED');
    expect(counts).toEqual([RECORDS_PER_PROGRESS]);
  });

  it('takes the options whole', () => {
    expectTypeOf(readGuardiansCsv).parameter(1).toEqualTypeOf<InputOptions>();
    expectTypeOf(readGuardiansCsv).returns.resolves.toEqualTypeOf<GuardianInput>();
  });
});

describe('readGuardianInput', () => {
  it('reads a guardians.csv on the guardians.csv path', async () => {
    const bytes = manyRows(3);
    expect(await readGuardianInput(bytes, options())).toEqual(await readGuardiansCsv(bytes, options()));
  });

  it('reads OneRoster bytes on the OneRoster path', async () => {
    const users = [
      'sourcedId,status,role,givenName,familyName,email,agentSourcedIds',
      's1,active,student,Ada,Diaz,,g1',
      'g1,active,parent,Ana,Diaz,ana@example.org,',
    ].join('\n');
    const input = await readGuardianInput(utf8(users), { format: 'oneroster', fileName: 'users.csv' });
    expect(input.rows.map((r) => [r.guardianSisId, r.studentSisId, r.email])).toEqual([['g1', 's1', 'ana@example.org']]);
    expect(input).toMatchObject({ records: 2, delimiter: ',', mode: 'full' });
    // The guardians.csv path would have refused this header (no studentSisId column).
    await expect(readGuardianInput(utf8(users), { format: 'guardians', fileName: 'users.csv' })).rejects.toMatchObject({ code: 'MISSING_REQUIRED_COLUMN' });
  });

  it('takes the options whole', () => {
    expectTypeOf(readGuardianInput).parameter(1).toEqualTypeOf<InputOptions>();
  });
});
