import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/escape-html.js';
import { hostileText } from '../arbitraries/sync-report.js';

// The inverse for the five entities escapeHtml writes; `&amp;` last so it is not decoded twice.
function unescapeHtml(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('escapeHtml', () => {
  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes an existing entity again, so it shows literally', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  test.prop([hostileText])('leaves no markup character and loses nothing', (value) => {
    const out = escapeHtml(value);
    expect(out).not.toMatch(/[<>"']/);
    expect(unescapeHtml(out)).toBe(value);
  });

  test.prop([fc.string({ unit: 'binary' })])('works on any UTF-16 string', (value) => {
    expect(unescapeHtml(escapeHtml(value))).toBe(value);
  });
});
