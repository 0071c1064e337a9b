// Is a local file complete? The same protection the SFTP source gives an upload: a `.done`
// marker at least as new as the file, or a size and modification time that held still for
// `stableCheckMs`. A half-written file would otherwise look like a district whose guardians
// left (links removed, guardians archived) while staying under the removal threshold.
//
// The wait is only as long as needed: on a local disk the modification time says how long
// the file has been quiet already, so a file written hours ago (the nightly case) is taken
// at once and a file written a moment ago is looked at again once it would be quiet for
// `stableCheckMs`. A second look is still needed then: the time alone cannot tell a writer
// that is about to continue.
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { abortedError, throwIfAborted } from './source-abort.js';
import { localFileUnstable, localMarkerMissing } from './local-file-errors.js';
import type { LocalDoneMarkerMode } from './local-file-source-options.js';

/** What one look at a file tells: enough to see that it changed. */
export interface FileLook {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface SettleOptions {
  readonly path: string;
  readonly name: string;
  readonly stableCheckMs: number;
  readonly doneMarker: LocalDoneMarkerMode;
  readonly signal: AbortSignal | undefined;
  /** Looks at the file again (the open handle's stat, so a renamed file is still the one measured). */
  readonly look: () => Promise<FileLook>;
}

export interface SettledFile {
  /** The look the file is read against: it must still hold after the last byte. */
  readonly look: FileLook;
  /** The marker that vouched for the file, to remove once the run succeeded; null when none did. */
  readonly marker: FileLook | null;
}

/**
 * File systems with 1- or 2-second timestamps (FAT, HFS+, some network shares) round the
 * modification time down, so the last write may be up to this much later than it says.
 */
const COARSE_CLOCK_SLACK_MS = 2000;

/** @throws GuardianSyncError FILE_UNSTABLE when the file is not complete yet; ABORTED. */
export async function settleLocalFile(first: FileLook, options: SettleOptions): Promise<SettledFile> {
  const { path, name, stableCheckMs, doneMarker, signal } = options;
  const marker = doneMarker === 'ignore' ? null : await lookAtMarker(`${path}.done`);
  // At least as new as the file: a marker left from yesterday must not vouch for today's upload.
  if (marker !== null && marker.mtimeMs >= first.mtimeMs) return { look: first, marker };
  if (doneMarker === 'require') throw localMarkerMissing(path, name, marker === null ? 'missing' : 'older');
  if (stableCheckMs === 0) return { look: first, marker: null };

  const slack = first.mtimeMs % 1000 === 0 ? COARSE_CLOCK_SLACK_MS : 0;
  // A time in the future (another machine's clock on a network share) proves nothing: wait it all.
  const quietFor = Math.max(0, Date.now() - first.mtimeMs - slack);
  if (quietFor >= stableCheckMs) return { look: first, marker: null };

  await sleep(stableCheckMs - quietFor, signal, name);
  const second = await options.look();
  if (second.size !== first.size || second.mtimeMs !== first.mtimeMs) {
    const sizes = second.size === first.size ? `modified again, ${first.size} bytes` : `${first.size} → ${second.size} bytes`;
    throw localFileUnstable(path, name, `it changed within the ${formatSeconds(stableCheckMs)} it must hold still before it is read (${sizes})`);
  }
  return { look: second, marker: null };
}

async function lookAtMarker(markerPath: string): Promise<FileLook | null> {
  try {
    const info = await stat(markerPath);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    // Missing or unreadable: either way it vouches for nothing, and the settle wait decides.
    return null;
  }
}

async function sleep(ms: number, signal: AbortSignal | undefined, name: string): Promise<void> {
  throwIfAborted(signal, name);
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch {
    throw abortedError(name);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
