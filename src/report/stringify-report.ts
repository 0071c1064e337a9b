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
 * A list's items in chunks of CHUNK items, each chunk's items joined by `ITEM_SEPARATOR`.
 * Joined in chunks: one join over a million small strings was several times slower
 * (measured: 8 s against 1.3 s for 1,000,000 rows), as fast as JSON.stringify then.
 */
function* itemChunks(items: readonly unknown[], text: ItemText): Generator<string, void, undefined> {
  for (let start = 0; start < items.length; start += CHUNK) {
    const end = Math.min(items.length, start + CHUNK);
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(text(items[i]) ?? 'null');
    yield parts.join(ITEM_SEPARATOR);
  }
}

/** A member of the report as written: `"key": ` then a one-line-per-item list or a pretty-printed value. */
type Member = { readonly head: string; readonly items: readonly unknown[]; readonly text: ItemText } | { readonly head: string; readonly body: string };

/** The report's members in order; undefined ones and functions are left out, as JSON.stringify leaves them. */
function* members(report: object): Generator<Member, void, undefined> {
  for (const [key, value] of Object.entries(report)) {
    const head = `  ${JSON.stringify(key)}: `;
    const text = ONE_LINE_LISTS.get(key);
    if (text !== undefined && Array.isArray(value)) {
      yield { head, items: value, text };
      continue;
    }
    const body = JSON.stringify(value, null, 2) as string | undefined;
    if (body !== undefined) yield { head, body: body.replace(/\n/g, '\n  ') };
  }
}

/**
 * The report as JSON: two-space indentation, `issues`, `rows` and `changes` one item per
 * line, ending with a newline. `JSON.parse` of the result equals
 * `JSON.parse(JSON.stringify(report))`, except that changes keep only the fields of
 * `REPORT_CHANGE_FIELDS` (no display `name`).
 */
export function stringifyReport(report: object): string {
  const texts: string[] = [];
  for (const member of members(report)) {
    if ('body' in member) texts.push(member.head + member.body);
    else if (member.items.length === 0) texts.push(`${member.head}[]`);
    // Each list joined whole, then the members. One join of reportJsonPieces gives the same
    // text and lower peaks (a 1M-row CLI dry run 160 MiB, a first sync 300-450 MiB), but a
    // 1,000,000-row dry run against the memory store (which keeps the text) took 28.6-30.9 s
    // of CPU that way against 23.4-27.3 s this way: the garbage collector's pacing, as far as
    // we could tell, not the join itself (alone they time alike). Left open: docs/performance.md.
    else texts.push(`${member.head}[\n    ${[...itemChunks(member.items, member.text)].join(ITEM_SEPARATOR)}\n  ]`);
  }
  return texts.length === 0 ? '{}\n' : `{\n${texts.join(',\n')}\n}\n`;
}

/**
 * {@link stringifyReport}'s text in pieces of at most a few hundred KiB, in order: their
 * concatenation is that text. For writing a big report without holding it whole (the CLI's
 * `--json` on a 1,000,000-row file: 71 MB).
 */
export function* reportJsonPieces(report: object): Generator<string, void, undefined> {
  let first = true;
  for (const member of members(report)) {
    yield `${first ? '{\n' : ',\n'}${member.head}`;
    first = false;
    if ('body' in member) yield member.body;
    else if (member.items.length === 0) yield '[]';
    else {
      yield '[\n    ';
      let separator = '';
      for (const chunk of itemChunks(member.items, member.text)) {
        yield separator + chunk;
        separator = ITEM_SEPARATOR;
      }
      yield '\n  ]';
    }
  }
  yield first ? '{}\n' : '\n}\n';
}
