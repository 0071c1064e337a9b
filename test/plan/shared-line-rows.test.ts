// OneRoster gives every pair of one guardian the guardian's users.csv line, so several rows
// share a line. Per-row facts must follow the row, not the line: an unknown student on one
// pair must not block (or leak into) the guardian's other pairs.
import { describe, expect, it } from 'vitest';
import { plan, roster, row } from './plan-fixtures.js';

describe('rows that share a line (OneRoster)', () => {
  it('skips only the pair whose student is unknown, and links the others', () => {
    const contact = { guardianSisId: 'P1', email: 'ana@example.com' };
    const result = plan([row(4, { ...contact, studentSisId: 'S404' }), row(4, { ...contact, studentSisId: 'S1' })], roster());
    expect(result.linkAdds.map((l) => l.studentSisId)).toEqual(['S1']);
    expect(result.issues.filter((i) => i.code === 'UNKNOWN_STUDENT')).toHaveLength(1);
    expect(result.rows.map((r) => r.action).sort()).toEqual(['CREATED', 'SKIPPED']);
  });

  it('gives the same links whichever of the two pairs comes first', () => {
    const contact = { guardianSisId: 'P1', email: 'ana@example.com' };
    const result = plan([row(4, { ...contact, studentSisId: 'S1' }), row(4, { ...contact, studentSisId: 'S404' })], roster());
    expect(result.linkAdds.map((l) => l.studentSisId)).toEqual(['S1']);
  });
});
