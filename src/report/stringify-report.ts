// report.json text: pretty-printed for people, but with one line per issue, row result and
// change. Plain `JSON.stringify(report, null, 2)` spends five lines on each row: a report
// of 1,000,000 rows and 100,000 issues came to 107 MB that way, 73 MB like this.
import { REPORT_CHANGE_FIELDS } from '../model/report.js';

type ItemText = (item: unknown) => string | undefined;

const asJson: ItemText = (item) => JSON.stringify(item);

const CHANGE_KEYS: readonly string[] = REPORT_CHANGE_FIELDS;
const CHANGE_KEY_PREFIXES: readonly string[] = REPORT_CHANGE_FIELDS.map((key) => `${JSON.stringify(key)}:`);

/**
 * A change with only the fields `changeFields` names, in that order: its in-memory display
 * `name` (report.html's) never reaches report.json, `--json` output or run history, nor would
 * any other field added in memory. Written field by field: the 1,616,004 changes of a 1M-row
 * day-1 run took 1.6 s so, 2.5 s with `JSON.stringify(change, keys)`.
 */
const changeAsJson: ItemText = (item) => {
  if (item === null || typeof item !== 'object') return JSON.stringify(item);
  const change = item as Readonly<Record<string, unknown>>;
  let out = '';
  for (let k = 0; k < CHANGE_KEYS.length; k++) {
    const json = JSON.stringify(change[CHANGE_KEYS[k]!]) as string | undefined;
    if (json === undefined) continue;
    out += (out === '' ? '{' : ',') + CHANGE_KEY_PREFIXES[k]! + json;
  }
  return out === '' ? '{}' : `${out}}`;
};

const ONE_LINE_LISTS: ReadonlyMap<string, ItemText> = new Map([
  ['issues', asJson],
  ['rows', asJson],
  ['changes', changeAsJson],
]);

const ITEM_SEPARATOR = ',\n    ';
const CHUNK = 4096;

/**
 * A list's items, `ITEM_SEPARATOR` between them, in pieces of CHUNK items. Joined in
 * chunks: one join over a million small strings was several times slower (measured: 8 s
 * against 1.3 s for 1,000,000 rows), as fast as JSON.stringify then.
 */
function* itemPieces(items: readonly unknown[], text: ItemText): Generator<string, void, undefined> {
  for (let start = 0; start < items.length; start += CHUNK) {
    const end = Math.min(items.length, start + CHUNK);
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(text(items[i]) ?? 'null');
    const chunk = parts.join(ITEM_SEPARATOR);
    yield start === 0 ? chunk : ITEM_SEPARATOR + chunk;
  }
}

/**
 * {@link stringifyReport}'s text in pieces of at most a few hundred KiB, in order: their
 * concatenation is that text. For writing a big report without holding it whole (the CLI's
 * `--json` on a 1,000,000-row file: 71 MB).
 */
export function* reportJsonPieces(report: object): Generator<string, void, undefined> {
  let first = true;
  const head = (key: string): string => {
    const text = `${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    return text;
  };
  for (const [key, value] of Object.entries(report)) {
    const itemText = ONE_LINE_LISTS.get(key);
    if (itemText !== undefined && Array.isArray(value)) {
      yield head(key);
      if (value.length === 0) yield '[]';
      else {
        yield '[\n    ';
        yield* itemPieces(value, itemText);
        yield '\n  ]';
      }
      continue;
    }
    // JSON.stringify returns undefined for undefined and functions: such members are left out, as JSON.stringify would.
    const body = JSON.stringify(value, null, 2) as string | undefined;
    if (body === undefined) continue;
    yield head(key);
    yield body.replace(/\n/g, '\n  ');
  }
  yield first ? '{}\n' : '\n}\n';
}

/**
 * The report as JSON: two-space indentation, `issues`, `rows` and `changes` one item per
 * line, ending with a newline. `JSON.parse` of the result equals
 * `JSON.parse(JSON.stringify(report))`, except that changes keep only the fields of
 * `REPORT_CHANGE_FIELDS` (no display `name`).
 */
export function stringifyReport(report: object): string {
  return [...reportJsonPieces(report)].join('');
}
