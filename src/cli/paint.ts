// Minimal ANSI styling for the human output. A disabled painter returns text unchanged, so
// formatting code never branches on color; the CLI enables it only on a terminal without
// NO_COLOR (see colorEnabled).
import type { Severity } from '../errors/issue-codes.js';

export interface Paint {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly severity: (severity: Severity, text: string) => string;
}

export function createPaint(enabled: boolean): Paint {
  const style = (open: number, close: number) => (text: string) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  const red = style(31, 39);
  const yellow = style(33, 39);
  const dim = style(2, 22);
  return {
    bold: style(1, 22),
    dim,
    red,
    yellow,
    green: style(32, 39),
    cyan: style(36, 39),
    severity: (severity, text) => (severity === 'error' ? red(text) : severity === 'warning' ? yellow(text) : dim(text)),
  };
}
