import { describe, expect, it } from 'vitest';
import { parseGuardianFile, type ParseEvent } from '../../src/parse/parse-guardian-file.js';
import { parseGuardianText } from '../../src/parse/parse-guardian-text.js';
import { rejectionOf } from '../support/rejection.js';

// Both login columns, so that line 3's empty cells mean "no login" (a missing column would mean "unknown").
const TEXT = 'studentSisId,guardianSisId,firstName,lastName,email,mobilePhone\nS1,G1,Ann,Lee,a@example.org,\nS2,G2,Bo,Ng,,\nS3,,Cy,Do,c@example.org,\n';

async function collect(events: AsyncIterable<ParseEvent>): Promise<ParseEvent[]> {
  const all: ParseEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('parseGuardianFile', () => {
  it('accepts a string, an iterable and an async iterable of chunks alike', async () => {
    const fromString = await collect(parseGuardianFile(TEXT));
    const chunks = TEXT.match(/[\s\S]{1,7}/g) ?? [];
    const fromIterable = await collect(parseGuardianFile(chunks));
    const fromAsync = await collect(
      parseGuardianFile(
        (async function* () {
          yield* chunks;
        })(),
      ),
    );
    expect(fromIterable).toEqual(fromString);
    expect(fromAsync).toEqual(fromString);
    expect(fromString.map((e) => e.type)).toEqual(['header', 'row', 'rejected', 'row']);
  });

  it('keeps a surrogate pair split across input chunks', async () => {
    const text = 'studentSisId,firstName,lastName,email\nS1,Ann 😀,Lee,a@example.org\n';
    const at = text.indexOf('😀') + 1;
    const events = await collect(parseGuardianFile([text.slice(0, at), text.slice(at)]));
    expect(events[1]).toMatchObject({ type: 'row', row: { firstName: 'Ann 😀' } });
  });

  it('stops with ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    const rows = Array.from({ length: 100 }, (_, i) => `S${i},A,B,a${i}@example.org`).join('\n');
    const events = parseGuardianFile(`studentSisId,firstName,lastName,email\n${rows}\n`, { signal: controller.signal });
    const error = await rejectionOf(
      (async () => {
        for await (const event of events) if (event.type === 'row' && event.row.studentSisId === 'S10') controller.abort();
      })(),
    );
    expect(error.code).toBe('ABORTED');
  });

  it('releases the source when the consumer stops early', async () => {
    let finished = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield 'studentSisId,firstName,lastName,email\n';
        for (let i = 0; i < 1000; i++) yield `S${i},A,B,a${i}@example.org\n`;
      } finally {
        finished = true;
      }
    }
    for await (const event of parseGuardianFile(source())) if (event.type === 'row') break;
    expect(finished).toBe(true);
  });

  it('refuses a bad defaultRegion or maxRecordSize before reading (INVALID_CONFIGURATION)', async () => {
    expect((await rejectionOf(collect(parseGuardianFile(TEXT, { defaultRegion: 'ZZ' })))).code).toBe('INVALID_CONFIGURATION');
    expect((await rejectionOf(collect(parseGuardianFile(TEXT, { maxRecordSize: 0 })))).code).toBe('INVALID_CONFIGURATION');
  });

  it('passes on an error from the text source unchanged', async () => {
    async function* source(): AsyncGenerator<string> {
      yield 'studentSisId,firstName,lastName,email\nS1,A,B,a@example.org\n';
      throw new Error('disk went away');
    }
    await expect(collect(parseGuardianFile(source()))).rejects.toThrow('disk went away');
  });
});

describe('parseGuardianText', () => {
  it('collects header, rows, rejected lines and issues in line order', async () => {
    const parsed = await parseGuardianText(TEXT, { fileName: 'guardians.csv' });
    expect(parsed.header).toMatchObject({ delimiter: ',', line: 1 });
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(parsed.rejected).toEqual([{ line: 3, issues: [expect.objectContaining({ code: 'NO_CONTACT_CREDENTIAL' })] }]);
    expect(parsed.issues.map((i) => [i.code, i.line])).toEqual([
      ['NO_CONTACT_CREDENTIAL', 3],
      ['MISSING_GUARDIAN_SIS_ID', 4],
    ]);
    expect(parsed.recordCount).toBe(3);
  });

  it('throws FILE_EMPTY for an empty string', async () => {
    expect((await rejectionOf(parseGuardianText(''))).code).toBe('FILE_EMPTY');
  });
});
