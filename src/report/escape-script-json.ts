// JSON for a `<script type="application/json">` element of a generated page. The text of a
// script element is raw: HTML entities are not decoded there, so escapeHtml would corrupt
// the JSON, and the element ends at the first `</script` whatever the JSON means. So every
// character that could start markup is written as a JSON \u escape instead: the parsed
// value is unchanged, and no user value can close the element, open a comment or start a tag.

const SCRIPT_JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  // Line and paragraph separators end a line in old JavaScript parsers: harmless in JSON.parse,
  // escaped so the text is safe whichever way a reader evaluates it.
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * `JSON.stringify(value)` with `< > &` and U+2028/U+2029 written as `\uXXXX`, for embedding
 * in a `<script type="application/json">` element: `JSON.parse(element.textContent)` gives
 * back `value`.
 */
export function stringifyScriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('stringifyScriptJson: the value has no JSON form.');
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => SCRIPT_JSON_ESCAPES[ch] ?? ch);
}
