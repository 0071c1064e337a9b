// OneRoster bytes (a users.csv, or a zip holding a OneRoster set or a guardians.csv) → the
// same GuardianInput a guardians.csv gives, so identity rules, plan and report are shared.
import { findGuardiansCsv } from '../oneroster/oneroster-files.js';
import { openOneRosterInput } from '../oneroster/open-oneroster-input.js';
import { readOneRosterGuardians } from '../oneroster/read-oneroster-guardians.js';
import { readGuardiansCsv, type GuardianInput, type ReadInputOptions } from './read-guardian-input.js';

export async function readOneRosterInput(bytes: Uint8Array, options: ReadInputOptions): Promise<GuardianInput> {
  const files = await openOneRosterInput({ name: options.fileName, bytes });
  const guardiansCsv = findGuardiansCsv(files);
  if (guardiansCsv !== undefined) {
    return readGuardiansCsv(guardiansCsv.bytes, { ...options, format: 'guardians', fileName: guardiansCsv.name });
  }
  const result = readOneRosterGuardians(files, { defaultRegion: options.defaultRegion, encoding: options.encoding });
  return {
    encoding: result.file.encoding,
    encodingGuessed: result.file.encodingGuessed,
    delimiter: result.file.delimiter,
    records: result.file.rows,
    header: result.header,
    rows: result.rows,
    rejected: result.rejected,
    issues: result.issues,
    mode: result.mode,
  };
}
