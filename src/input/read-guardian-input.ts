// The reading stage: bytes → validated guardian rows, the one step shared by `syncGuardians`
// and `validateGuardianFile`, for both input formats. This file only picks the path by
// format; each path takes the options whole (InputOptions).
import type { GuardianInput } from './guardian-input.js';
import type { InputOptions } from './input-options.js';
import { readGuardiansCsv } from './read-guardians-csv.js';

export async function readGuardianInput(bytes: Uint8Array, options: InputOptions): Promise<GuardianInput> {
  if (options.format === 'oneroster') {
    // Imported on demand, so loading this module does not load the zip reader (yauzl) and the
    // OneRoster readers: a guardians.csv read never needs them, and a bundler can keep them
    // in a chunk of their own.
    const { readOneRosterInput } = await import('./read-oneroster-input.js');
    return readOneRosterInput(bytes, options);
  }
  return readGuardiansCsv(bytes, options);
}
