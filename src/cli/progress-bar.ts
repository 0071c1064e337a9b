// A one-line progress display on stderr for long runs, fed by the orchestrator's
// `onProgress` events. Only used when stderr is a terminal (the caller checks): it redraws
// the line in place with a carriage return, which would litter a log file. Redraws are
// throttled so a million-row file does not spend its time painting the terminal.
import type { ProgressEvent, SyncPhase } from '../sync/sync-options.js';
import { formatBytes, formatCount } from '../report/report-wording.js';

const PHASE_LABELS: Readonly<Record<SyncPhase, string>> = {
  lock: 'Taking the scope lock',
  fetch: 'Reading the file',
  decode: 'Decoding',
  parse: 'Parsing rows',
  resolve: 'Loading the roster',
  plan: 'Planning changes',
  apply: 'Applying changes',
  report: 'Saving the report',
  done: 'Done',
};

const BAR_WIDTH = 24;
const MIN_REDRAW_MS = 100;

export interface ProgressBar {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Clears the line; call before printing the result. Idempotent. */
  readonly stop: () => void;
}

export interface ProgressBarOptions {
  readonly write: (text: string) => void;
  /** Clock, for tests. @default Date.now */
  readonly now?: (() => number) | undefined;
}

export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const now = options.now ?? Date.now;
  let lastPhase: SyncPhase | undefined;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;

  const draw = (line: string): void => {
    // \r back to column 0, ESC[2K clears what a longer previous line left behind.
    options.write(`\r\x1b[2K${line}`);
    drawn = true;
  };

  return {
    onProgress(event) {
      if (event.phase === 'done') return;
      const t = now();
      // A new phase always shows at once; updates within a phase at most every 100 ms.
      if (event.phase === lastPhase && t - lastDraw < MIN_REDRAW_MS) return;
      lastPhase = event.phase;
      lastDraw = t;
      draw(renderProgressLine(event));
    },
    stop() {
      if (drawn) options.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** The text of one progress line, without terminal control characters. */
export function renderProgressLine(event: ProgressEvent): string {
  const label = PHASE_LABELS[event.phase];
  if (event.bytesTotal !== undefined && event.bytesTotal > 0 && event.bytesDone !== undefined) {
    const ratio = Math.min(1, Math.max(0, event.bytesDone / event.bytesTotal));
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    return `${label} ${bar} ${Math.floor(ratio * 100)}% (${formatBytes(event.bytesDone)} of ${formatBytes(event.bytesTotal)})`;
  }
  if (event.rowsDone !== undefined) return `${label}… ${formatCount(event.rowsDone)} rows`;
  return `${label}…`;
}
