// `sync --report <dir>` is checked before the run: a run that applies changes and then cannot
// write its report would leave a script unsure whether anything changed. So the folder is
// created and a probe file written and removed first; a folder that cannot take the files
// is a configuration error (exit 2) and nothing is run.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_FILE_NAMES } from '../report/write-report-files.js';
import { UsageError } from './usage-error.js';

/**
 * Makes sure `dir` is a folder this process can write, creating it (and its parents) when
 * missing. `shown` is the path as the user typed it, for the message.
 * @throws UsageError when `dir` is a file, cannot be created, or cannot be written.
 */
export async function prepareReportFolder(command: string, dir: string, shown: string): Promise<void> {
  const found = await stat(dir).catch(() => null);
  if (found !== null && !found.isDirectory()) {
    throw new UsageError(`--report ${shown} is a file, not a folder: give a folder for report.json, issues.csv and report.html (it is created when missing).`, command);
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`--report ${shown}: the folder could not be created (${reason(error)}): check the path, or give another folder.`, command);
  }
  // A folder where a report file goes would make its rename fail after the run.
  for (const name of Object.values(REPORT_FILE_NAMES)) {
    const at = await stat(join(dir, name)).catch(() => null);
    if (at?.isDirectory() === true) throw new UsageError(`--report ${shown}: ${name} in it is a folder, so the report cannot be written there: remove it, or give another folder.`, command);
  }
  // Permissions alone do not say it (root, ACLs, a read-only mount): write, then remove, a file.
  const probe = join(dir, `.guardian-sync-probe-${process.pid}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw new UsageError(`--report ${shown}: the folder cannot be written (${reason(error)}): make it writable by this user, or give another folder.`, command);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

/** The file system's code (EACCES, EROFS, ENOTDIR…), never its whole message. */
function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}
