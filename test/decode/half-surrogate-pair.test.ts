import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { splitHalfPair } from '../../src/decode/half-surrogate-pair.js';

// Text cut anywhere into chunks (between the halves of a pair too), each encoded after
// splitHalfPair with what the chunk before held: the bytes of the whole text.
test.prop([fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 })])(
  'chunks encoded after splitHalfPair give the bytes of the whole text',
  (text, cuts) => {
    const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
    const chunks = [0, ...points].map((from, i) => text.slice(from, [...points, text.length][i]));
    const parts: Buffer[] = [];
    let held = '';
    for (const chunk of chunks) {
      const [whole, half] = splitHalfPair(held + chunk);
      parts.push(Buffer.from(whole, 'utf8'));
      held = half;
    }
    parts.push(Buffer.from(held, 'utf8'));
    expect(Buffer.concat(parts)).toEqual(Buffer.from(text, 'utf8'));
  },
);
