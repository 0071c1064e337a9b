// Whether csv-parse must trim to read a UTF-8 file as the dialect says. Its `trim` costs
// about 6% of its time, and the dialect needs it for one thing only: white space around a
// quoted value (` "Lee, Ann" ,`), which is a malformed quote without it. Every value is
// trimmed again by its normalizer (ids, names, emails, phones, languages, header cells; the
// blank-record test and the texts shown in issues too), so elsewhere trimming changes
// nothing a reader returns, with two exceptions handled where they arise: a last line of
// white space only (guardian-record-reader.ts), and white space at the edges of unquoted
// values then counting toward the record size limit of a million characters, as the
// dialect's wording has it.

/** Quotes looked at, at most, per KiB of file: a file quoted all over is trimmed without a look. */
const QUOTES_PER_KIB = 1;

// String.prototype.trim's white space, which is also what csv-parse's `trim` removes.
const WHITE_SPACE = /^\s$/;

/**
 * True when some double quote of `bytes` (valid UTF-8, from `start` on) has white space right
 * before or after it (the delimiter, CR and LF aside: csv-parse reads those first), or when
 * the file has too many quotes to look at them all cheaply.
 */
export function hasSpaceBesideQuote(bytes: Buffer, start: number, delimiter: string): boolean {
  const delimiterCode = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  const isSpace = (code: number): boolean => code !== delimiterCode && code !== 0x0a && code !== 0x0d && WHITE_SPACE.test(String.fromCharCode(code));
  let budget = Math.max(16, Math.floor((bytes.length - start) / 1024) * QUOTES_PER_KIB);
  for (let quote = bytes.indexOf(0x22, start); quote !== -1; quote = bytes.indexOf(0x22, quote + 1)) {
    if (--budget < 0) return true;
    if (quote > start) {
      const before = bytes[quote - 1] ?? 0;
      // A character of several bytes ends here: decode the last character before the quote.
      const code = before < 0x80 ? before : lastCharCode(bytes.toString('utf8', Math.max(start, quote - 3), quote));
      if (isSpace(code)) return true;
    }
    const after = bytes[quote + 1];
    if (after !== undefined) {
      const code = after < 0x80 ? after : bytes.toString('utf8', quote + 1, quote + 4).charCodeAt(0);
      if (isSpace(code)) return true;
    }
  }
  return false;
}

function lastCharCode(text: string): number {
  return text.charCodeAt(text.length - 1);
}
