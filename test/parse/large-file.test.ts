// A generated 100,000-row file read through the streaming path (bytes decoded in chunks,
// parsed chunk by chunk): every row arrives, line numbers stay right across chunk
// boundaries and quoted line breaks. No timing here: speed is for the benchmarks.
import { describe, expect, it } from 'vitest';
import { decodeChunks } from '../../src/decode/decode-text.js';
import { detectEncoding } from '../../src/decode/detect-encoding.js';
import { parseGuardianFile } from '../../src/parse/parse-guardian-file.js';

const ROWS = 100_000;

describe('a 100,000-row file through the streaming path', () => {
  it('yields every row with its physical line', async () => {
    const lines = ['studentSisId,guardianSisId,firstName,lastName,email,mobilePhone,language'];
    // Every 10,000th row has a quoted two-line name: each pushes later rows one line down.
    for (let i = 0; i < ROWS; i++) {
      const first = i % 10_000 === 5 ? `"Ann\r\nMarie ${i}"` : `Ann${i}`;
      const email = i === 50_000 ? 'not-an-email' : `g${i}@example.org`;
      lines.push(`${String(i).padStart(7, '0')},G${i},${first},Lee,${email},,es`);
    }
    lines[77_778] = 'S-BAD,G,Ann,Lee'; // too few fields
    const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
    const detection = detectEncoding(bytes);
    const seen = new Map<number, { line: number; first?: string }>();
    let rows = 0;
    let rejected = 0;
    let headerEvents = 0;
    let invalidEmailLine = 0;
    let wrongCountLine = 0;
    for await (const event of parseGuardianFile(decodeChunks(bytes, detection, 64 * 1024), { fileName: 'guardians.csv' })) {
      if (event.type === 'header') headerEvents++;
      else if (event.type === 'row') {
        rows++;
        const index = Number(event.row.studentSisId);
        if (index === 0 || index === 5 || index === 6 || index === 49_999 || index === ROWS - 1) seen.set(index, { line: event.row.line, first: event.row.firstName });
        // Its only login is invalid: the row goes on (an existing account would keep its own email).
        if (event.issues.some((i) => i.code === 'INVALID_EMAIL')) invalidEmailLine = event.row.line;
      } else {
        rejected++;
        if (event.issues.some((i) => i.code === 'WRONG_FIELD_COUNT')) wrongCountLine = event.line;
      }
    }
    expect(headerEvents).toBe(1);
    expect(rows + rejected).toBe(ROWS);
    expect(rejected).toBe(1); // the short row
    expect(seen.get(0)).toEqual({ line: 2, first: 'Ann0' });
    expect(seen.get(5)).toEqual({ line: 7, first: 'Ann Marie 5' });
    expect(seen.get(6)).toEqual({ line: 9, first: 'Ann6' });
    // Five multi-line names before row 49,999 (rows 5, 10,005, …, 40,005).
    expect(seen.get(49_999)?.line).toBe(49_999 + 2 + 5);
    expect(invalidEmailLine).toBe(50_000 + 2 + 5);
    // lines[77_778] is data row 77,777: eight multi-line names before it.
    expect(wrongCountLine).toBe(77_777 + 2 + 8);
    expect(seen.get(ROWS - 1)?.line).toBe(ROWS - 1 + 2 + 10);
  });
});
