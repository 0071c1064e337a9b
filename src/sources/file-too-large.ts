// FILE_TOO_LARGE, worded once for every source: the file's size, the limit in the unit the
// CLI flag takes (MiB or GiB, never "MB" for 2^20 bytes), and the two ways to raise it, so
// whoever reads the report knows what to check and what to change.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** The error every source throws when a file is over `maxBytes` (the sync's `maxFileBytes`). */
export function fileTooLargeError(name: string, size: number, maxBytes: number): GuardianSyncError {
  return new GuardianSyncError(
    'FILE_TOO_LARGE',
    // The flag is named here and the library option in the code's hint: a message is cut at 200 characters in the text report.
    `${name} is ${describeSize(size)}, over the size limit of ${describeLimit(maxBytes)}: check the export holds only guardians, or raise the limit with --max-file-size.`,
    { file: name },
  );
}

function describeSize(size: number): string {
  const bytes = `${size.toLocaleString('en-US')} bytes`;
  return size < MIB ? bytes : `${bytes} (${(size / MIB).toFixed(1)} MiB)`;
}

/** A limit as it would be written on the command line when it is a whole number of MiB or GiB. */
function describeLimit(maxBytes: number): string {
  if (maxBytes >= GIB && maxBytes % GIB === 0) return `${maxBytes / GIB} GiB`;
  if (maxBytes >= MIB && maxBytes % MIB === 0) return `${maxBytes / MIB} MiB`;
  return `${maxBytes.toLocaleString('en-US')} bytes`;
}
