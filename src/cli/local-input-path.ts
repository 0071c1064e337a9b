// `--file` for `--format oneroster` may name a folder holding a OneRoster export. The sync
// reads one stream of bytes (a users.csv or a .zip), so a folder stands for its users.csv
// (or, failing that, a guardians.csv). A delta export (manifest.csv) should be passed as its
// .zip, which keeps the manifest.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { InputFormat } from '../sync/sync-options.js';

export async function localInputPath(path: string, format: InputFormat): Promise<string> {
  if (format !== 'oneroster') return path;
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isDirectory()) return path;
  const names = await readdir(path);
  const pickName = (wanted: string) => names.find((n) => n.toLowerCase() === wanted);
  const name = pickName('users.csv') ?? pickName('guardians.csv');
  if (name === undefined) {
    throw new GuardianSyncError('FILE_NOT_FOUND', `The folder ${path} holds no users.csv (nor guardians.csv): point --file at the OneRoster export's users.csv or its .zip.`, {
      file: path,
    });
  }
  return join(path, name);
}
