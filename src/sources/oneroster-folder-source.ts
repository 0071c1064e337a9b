// A OneRoster export unpacked in a folder (users.csv, roles.csv, manifest.csv, …) as a file
// source. The folder's CSVs are delivered as one stored ZIP, the form districts upload, so a
// folder goes through the same reader and limits as an uploaded .zip, and OneRoster 1.2's
// roles.csv and a delta manifest are never left behind.
import { basename, resolve } from 'node:path';
import type { GuardianFileSource, SourceOpenOptions } from '../contracts/file-source.js';
import { createMemorySourceFile } from './memory-source-file.js';
import { throwIfAborted } from './source-abort.js';
import { openOneRosterInput } from './open-oneroster-input.js';
import { writeStoredZip } from '../oneroster/write-stored-zip.js';

export interface OneRosterFolderSourceOptions {
  /** The folder holding the export's CSV files. */
  readonly path: string;
}

export function createOneRosterFolderSource(options: OneRosterFolderSourceOptions): GuardianFileSource {
  const folder = resolve(options.path);
  return {
    description: `folder ${basename(folder)}`,
    async open(openOptions: SourceOpenOptions = {}) {
      throwIfAborted(openOptions.signal, basename(folder));
      // openOneRosterInput refuses (FILE_TOO_LARGE) a folder whose CSVs exceed the limit
      // before reading them whole, and FILE_NOT_FOUND for a missing folder.
      const files = await openOneRosterInput({ path: folder }, openOptions.maxBytes === undefined ? {} : { maxTotalBytes: openOptions.maxBytes });
      const bytes = writeStoredZip(files.names.map((name) => ({ name, bytes: files.get(name) ?? new Uint8Array() })));
      return createMemorySourceFile({ name: basename(folder), chunks: [bytes], modifiedAt: null });
    },
  };
}
