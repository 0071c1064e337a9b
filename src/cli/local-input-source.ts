// `--file` as a file source. With `--format oneroster` it may name a folder holding a
// OneRoster export: the whole folder is read (users.csv, roles.csv, manifest.csv, …), so a
// 1.2 export keeps its roles and a delta export its manifest.
import { stat } from 'node:fs/promises';
import type { GuardianFileSource } from '../contracts/file-source.js';
import { createOneRosterFolderSource } from '../oneroster/oneroster-folder-source.js';
import { createLocalFileSource } from '../sources/local-file-source.js';
import type { InputFormat } from '../sync/sync-options.js';

export async function localInputSource(path: string, format: InputFormat): Promise<GuardianFileSource> {
  if (format === 'oneroster') {
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory() === true) return createOneRosterFolderSource({ path });
  }
  return createLocalFileSource({ path });
}
