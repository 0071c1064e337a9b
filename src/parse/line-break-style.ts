// Which line breaks a UTF-8 file uses, found before parsing. csv-parse tries each record
// delimiter it is given at every byte, so a file known to break its lines one way only is
// parsed with that one (6% of csv-parse's time on a million CRLF rows), and reads the same:
// where no other break occurs, the others never match.

/** Record delimiters that match every line break of the text: all three when they are mixed. */
export type LineBreaks = readonly ['\r\n'] | readonly ['\n'] | readonly ['\r\n', '\n', '\r'];

export const ANY_LINE_BREAK: LineBreaks = Object.freeze(['\r\n', '\n', '\r'] as const);
const CRLF_ONLY: LineBreaks = Object.freeze(['\r\n'] as const);
const LF_ONLY: LineBreaks = Object.freeze(['\n'] as const);

/** The line breaks of `bytes` from `start` on (inside quoted values too). */
export function lineBreaksOf(bytes: Uint8Array, start: number): LineBreaks {
  // indexOf is native: a callback per byte would cost more than the parse saves.
  let cr = bytes.indexOf(0x0d, start);
  if (cr === -1) return LF_ONLY;
  let pairs = 0;
  for (; cr !== -1; cr = bytes.indexOf(0x0d, cr + 2)) {
    if (bytes[cr + 1] !== 0x0a) return ANY_LINE_BREAK;
    pairs++;
  }
  // Every CR starts a CRLF: the file is CRLF only when it has no other LF.
  let lfs = 0;
  for (let lf = bytes.indexOf(0x0a, start); lf !== -1; lf = bytes.indexOf(0x0a, lf + 1)) lfs++;
  return lfs === pairs ? CRLF_ONLY : ANY_LINE_BREAK;
}
