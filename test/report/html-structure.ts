// A small, strict reader of the HTML renderReportHtml writes, for tests: it splits the
// page into tags and text, and fails on anything a user value could have smuggled in (an
// unknown tag or attribute, a stray `<` or `>` in text, an unquoted attribute value). The
// text of <script> elements is kept apart (`scripts`), for the tests to check it is only the
// renderer's own.

const ALLOWED_TAGS = new Set([
  '!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'h1', 'h2', 'p', 'span', 'strong',
  'code', 'br', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'details', 'summary', 'label', 'input', 'nav', 'button',
  'noscript', 'script',
]);

const ALLOWED_ATTRIBUTES = new Set([
  'html', 'lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'role', 'aria-label', 'style', 'title', 'scope', 'open',
  'data-ratio', 'data-max', 'data-status', 'data-count', 'data-state', 'data-group', 'data-kind', 'data-go', 'type', 'for', 'autocomplete',
  'spellcheck', 'placeholder', 'hidden', 'disabled', 'aria-live',
]);

export interface HtmlTag {
  readonly name: string;
  readonly closing: boolean;
  readonly attributes: ReadonlyMap<string, string>;
}

export interface HtmlScript {
  /** The script element's attributes (e.g. `type`, `id`). */
  readonly attributes: ReadonlyMap<string, string>;
  /** Its raw text, as the browser reads it (no entity is decoded in a script). */
  readonly text: string;
}

export interface HtmlStructure {
  readonly tags: readonly HtmlTag[];
  /** The page's text outside tags (and outside <style> and <script>), entities decoded. */
  readonly text: string;
  readonly scripts: readonly HtmlScript[];
}

export function decodeEntities(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Reads the page; throws on anything outside the renderer's own vocabulary. */
export function readHtml(html: string): HtmlStructure {
  const tags: HtmlTag[] = [];
  const texts: string[] = [];
  const scripts: HtmlScript[] = [];
  const tagPattern = /<(\/?)(!doctype|[a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/giy;
  let pos = 0;
  let inStyle = false;
  while (pos < html.length) {
    const lt = html.indexOf('<', pos);
    const chunk = html.slice(pos, lt === -1 ? html.length : lt);
    if (!inStyle) {
      if (chunk.includes('>')) throw new Error(`stray '>' in text: ${JSON.stringify(chunk.slice(0, 80))}`);
      texts.push(chunk);
    }
    if (lt === -1) break;
    tagPattern.lastIndex = lt;
    const m = tagPattern.exec(html);
    if (m === null) throw new Error(`not a tag of the report at ${lt}: ${JSON.stringify(html.slice(lt, lt + 80))}`);
    const name = m[2]!.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) throw new Error(`unexpected tag <${name}>`);
    const attributes = new Map<string, string>();
    for (const a of (m[3] ?? '').matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)) {
      const attr = a[1]!.toLowerCase();
      if (!ALLOWED_ATTRIBUTES.has(attr)) throw new Error(`unexpected attribute ${attr} on <${name}>`);
      attributes.set(attr, decodeEntities(a[2] ?? ''));
    }
    const closing = m[1] === '/';
    if (name === 'style') inStyle = !closing;
    tags.push({ name, closing, attributes });
    pos = lt + m[0].length;
    if (name === 'script' && !closing) {
      // A script's text runs to the first `</script`, whatever it holds: as a browser reads it.
      const close = /<\/script/gi;
      close.lastIndex = pos;
      const end = close.exec(html)?.index ?? -1;
      if (end === -1) throw new Error('a <script> is never closed');
      scripts.push({ attributes, text: html.slice(pos, end) });
      pos = end;
    }
  }
  return { tags, text: decodeEntities(texts.join('')), scripts };
}
