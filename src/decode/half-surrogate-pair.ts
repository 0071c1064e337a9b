// Decoded text arrives in chunks, and a chunk may end in the first half of a surrogate pair
// (a character above U+FFFF cut between two chunks). Encoded to UTF-8 alone, that half would
// become U+FFFD: it waits for the next chunk instead.

/** `text` split into what can be encoded now and the half pair at its end ('' when none). */
export function splitHalfPair(text: string): readonly [whole: string, held: string] {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? [text.slice(0, -1), text.slice(-1)] : [text, ''];
}
