// The start of every self-contained page the package writes (report.html, the family roster
// page): the same Content-Security-Policy meta tag, referrer policy and viewport, so a fix to
// one (a header a browser starts to honour, say) reaches both.
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape-html.js';

/** A CSP source allowing exactly this inline script or style: `'sha256-…'`. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** A CSP that loads nothing, with only these script and style sources (nothing is ever framed or posted). */
export function selfContainedCsp(scriptSrc: string, styleSrc: string): string {
  return ["default-src 'none'", `script-src ${scriptSrc}`, `style-src ${styleSrc}`, "base-uri 'none'", "form-action 'none'"].join('; ');
}

export interface PageHeadOptions {
  readonly csp: string;
  readonly title: string;
  /** The page's one inline style sheet (trusted text of the package, not escaped). */
  readonly style: string;
  /** Ask search engines to keep away: for pages holding contacts. */
  readonly noIndex?: boolean | undefined;
}

/** `<!doctype html>` through `</head>`, values escaped. */
export function htmlPageHead(options: PageHeadOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp)}">
<meta name="referrer" content="no-referrer">
${options.noIndex === true ? '<meta name="robots" content="noindex, nofollow">\n' : ''}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${options.style}</style>
</head>`;
}
