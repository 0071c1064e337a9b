import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GuardianSyncError, isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';

describe('GuardianSyncError', () => {
  it('carries code and location, and becomes an issue with the default severity', () => {
    const error = new GuardianSyncError('MALFORMED_CSV', 'Unclosed quote.', { file: 'guardians.csv', line: 7, column: 'firstName' });
    expect(error.code).toBe('MALFORMED_CSV');
    expect(error.toIssue()).toEqual({ severity: 'error', code: 'MALFORMED_CSV', line: 7, column: 'firstName', message: 'Unclosed quote.' });
    expect(isGuardianSyncError(error)).toBe(true);
  });

  it('is recognised without instanceof (a second copy of the class, as in a dual ESM/CJS load)', () => {
    const foreignCopy = Object.assign(new Error('x'), { [Symbol.for('guardian-sync.error')]: true });
    expect(isGuardianSyncError(foreignCopy)).toBe(true);
    expect(isGuardianSyncError(new Error('plain'))).toBe(false);
    expect(isGuardianSyncError(null)).toBe(false);
  });

  it('drops a foreign cause, which may carry credentials', () => {
    const leaky = Object.assign(new Error('connect failed'), { password: 'hunter2', config: { password: 'hunter2' } });
    const error = new GuardianSyncError('SOURCE_UNAVAILABLE', 'Could not connect.', {}, { cause: leaky });
    expect(error.cause).toBeUndefined();
    for (const text of [String(error), error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain('hunter2');
    }
  });
});
