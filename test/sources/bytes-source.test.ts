// The in-memory source: conformance (it cannot be missing) and its own rules.
import { describe, expect, it } from 'vitest';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { readSourceFile } from '../../src/sources/read-source-file.js';
import { describeFileSourceConformance } from '../../src/testing/file-source-conformance.js';

describeFileSourceConformance({
  name: 'bytes source',
  capabilities: { missingFiles: false },
  create: async (files) => ({
    source: (fileName) => {
      const bytes = files[fileName];
      if (bytes === undefined) throw new Error(`the conformance suite asked for ${fileName}, which it did not place`);
      return createBytesSource({ name: fileName, bytes, modifiedAt: new Date('2026-11-27T22:00:00Z') });
    },
  }),
});

describe('createBytesSource', () => {
  it('copies the bytes, so changing the caller buffer later cannot change a run', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    const source = createBytesSource({ name: 'guardians.csv', bytes });
    bytes[0] = 0x7a;
    const file = await source.open();
    expect(new TextDecoder().decode((await readSourceFile(file)).bytes)).toBe('a,b\n1,2\n');
  });

  it('keeps modifiedAt and defaults it to null', async () => {
    const when = new Date('2026-11-27T22:00:00Z');
    expect((await createBytesSource({ name: 'g.csv', bytes: new Uint8Array(1), modifiedAt: when }).open()).modifiedAt).toEqual(when);
    expect((await createBytesSource({ name: 'g.csv', bytes: new Uint8Array(1) }).open()).modifiedAt).toBeNull();
  });

  it('refuses a name with a path or an empty name as INVALID_CONFIGURATION', () => {
    for (const name of ['', '  ', 'inbox/guardians.csv', '..\\guardians.csv']) {
      let thrown: unknown;
      try {
        createBytesSource({ name, bytes: new Uint8Array(1) });
      } catch (error) {
        thrown = error;
      }
      expect(isGuardianSyncError(thrown) && thrown.code === 'INVALID_CONFIGURATION', name).toBe(true);
    }
  });
});
