// report.html's Changes section at scale, in a real browser (Debian's Chromium through
// playwright-core): a report of 12,000 changes opens with one page of rows per kind (never a
// row per change in the document), the search finds changes by name (accents ignored) and by
// line, pages move, the page keeps answering, markup in names runs nothing, nothing loads from
// anywhere, and without JavaScript each kind still shows its first page. Prints the measured
// times and keeps screenshots of the section and the figures (timings.json) in its output
// folder. Skips only where Chromium is not installed and never in CI (.ci/run installs it).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportChange, ReportLinkChange, SyncReport } from '../../src/model/report.js';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import { chromiumAvailable, msUntil, openHtmlFile, type PageWatch } from './chromium.js';
import { MARKUP_PAYLOADS, changesReport } from './report-fixtures.js';

const available = chromiumAvailable('the report.html Changes browser test');

const CHANGES = 12_000;
const PAGE_SIZE = 25;

/** What the page's script can reach, typed structurally: the project's lib has no DOM types. */
interface PageGlobals {
  readonly document: {
    querySelector(selector: string): ({ textContent: string; value: string; dispatchEvent(event: unknown): boolean } & object) | null;
    querySelectorAll(selector: string): { length: number };
  };
  readonly performance: { now(): number };
  readonly KeyboardEvent: new (type: string, init: { key: string }) => unknown;
  requestAnimationFrame(callback: () => void): number;
  readonly __pwned?: unknown;
}

/** The fixture's 12,000 changes, plus a guardian whose name occurs nowhere else and guardians whose names are markup. */
function buildReport(): SyncReport {
  const base = changesReport(CHANGES);
  const line = CHANGES + 2;
  const extra: ReportChange[] = [
    { kind: 'created', lines: [line], accountId: 'acc-quayle', name: 'Zoë Quayle' },
    { kind: 'linked', lines: [line], accountId: 'acc-quayle', studentSisId: 'S-QUAYLE', name: 'Zoë Quayle' },
    ...MARKUP_PAYLOADS.map((payload, i): ReportChange => ({ kind: 'created', lines: [line + 1 + i], accountId: `acc-markup-${i}`, name: payload })),
  ];
  const lined = base.changes.filter((c) => c.lines.length > 0);
  const lineless = base.changes.filter((c) => c.lines.length === 0);
  return { ...base, changes: [...lined, ...extra, ...lineless] };
}

describe.skipIf(!available)('report.html Changes section at 12,000 changes, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let file: string;
  let report: SyncReport;
  let watch: PageWatch;
  const figures: Record<string, number> = {};

  const kindCount = (kind: ReportChange['kind']): number => report.changes.filter((c) => c.kind === kind).length;
  const format = (n: number): string => n.toLocaleString('en-US');

  /** Types a search and presses Enter (which searches at once); returns the status line and the time the search took in the page. */
  async function search(text: string): Promise<{ status: string; ms: number }> {
    await page.fill('#change-search', text);
    const ms = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      const input = g.document.querySelector('#change-search')!;
      const started = g.performance.now();
      input.dispatchEvent(new g.KeyboardEvent('keydown', { key: 'Enter' }));
      return g.performance.now() - started;
    });
    return { status: (await page.textContent('#change-status')) ?? '', ms };
  }

  /** The time until the page paints its next frame: a frozen page never does. */
  function nextFrameMs(): Promise<number> {
    return page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const g = globalThis as unknown as PageGlobals;
          const started = g.performance.now();
          g.requestAnimationFrame(() => resolve(g.performance.now() - started));
        }),
    );
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guardian-sync-report-changes-'));
    report = buildReport();
    const started = performance.now();
    const html = renderReportHtml(report);
    figures['renderMs'] = Math.round(performance.now() - started);
    file = join(dir, 'report.html');
    let bytes: number;
    ({ browser, page, watch, bytes } = await openHtmlFile(html, file, { width: 1100, height: 900 }));
    figures['pageBytes'] = bytes;
    figures['readyMs'] = Math.round(await msUntil(page, '#changes[data-state="ready"]'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir === undefined) return;
    // The page goes; the screenshots and figures stay for a reader.
    if (file !== undefined) await rm(file, { force: true });
    await writeFile(join(dir, 'timings.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(
      `report.html with ${format(report.changes.length)} changes: ${format(figures['pageBytes'] ?? 0)} bytes, rendered in Node in ${figures['renderMs']} ms; ` +
        `in Chromium search and pages ready ${figures['readyMs']} ms after navigation, next frame ${figures['frameAfterLoadMs']} ms; ` +
        `first search (builds the search texts) ${figures['firstSearchMs']} ms, a later one ${figures['secondSearchMs']} ms, by line ${figures['lineSearchMs']} ms, ` +
        `clearing ${figures['clearSearchMs']} ms; next page ${figures['nextPageMs']} ms. Screenshots and timings.json in ${dir}`,
    );
  });

  it('opens with one page of each kind, never a row per change, and keeps answering', async () => {
    // A script the CSP blocked would be a console error here (and the section never ready).
    expect(watch.problems).toEqual([]);
    const kinds = ['created', 'updated', 'role-added', 'restored', 'archived', 'linked', 'unlinked', 'id-removed'] as const;
    for (const kind of kinds) {
      const group = page.locator(`#changes-${kind}`);
      await expect(group.locator('summary .group-count').textContent()).resolves.toBe(`×${format(kindCount(kind))}`);
      await expect(group.locator('tbody tr').count()).resolves.toBe(PAGE_SIZE);
      await expect(group.locator('.pager .page').textContent()).resolves.toBe(`1–${PAGE_SIZE} of ${format(kindCount(kind))} (page 1 of ${format(Math.ceil(kindCount(kind) / PAGE_SIZE))})`);
    }
    await expect(page.locator('#changes tbody tr').count()).resolves.toBe(kinds.length * PAGE_SIZE);
    await expect(page.locator('#change-controls').isVisible()).resolves.toBe(true);
    figures['frameAfterLoadMs'] = Math.round(await nextFrameMs());
    // Folding a kind works at once: the page is not busy.
    await page.locator('#changes-updated > summary').click();
    await expect(page.locator('#changes-updated tbody').isVisible()).resolves.toBe(false);
    await page.locator('#changes-updated > summary').click();
    await page.locator('#changes').screenshot({ path: join(dir, 'changes.png') });
  });

  it('finds a guardian by name, accents and case ignored, in every kind it appears in', async () => {
    const first = await search('zoe quayle');
    figures['firstSearchMs'] = Math.round(first.ms);
    expect(first.status).toBe('2 changes match in 2 kinds.');
    await expect(page.locator('#changes-created tbody tr').allInnerTexts()).resolves.toEqual([`${CHANGES + 2}\tZoë Quayle\tacc-quayle`]);
    await expect(page.locator('#changes-linked tbody tr').allInnerTexts()).resolves.toEqual([`${CHANGES + 2}\tZoë Quayle\tacc-quayle\tS-QUAYLE`]);
    await expect(page.locator('#changes-created summary .group-count').textContent()).resolves.toBe(`1 of ${format(kindCount('created'))} match`);
    // Kinds without a match fold away.
    await expect(page.locator('#changes-updated').getAttribute('open')).resolves.toBeNull();
    await page.locator('#changes').screenshot({ path: join(dir, 'changes-search.png') });
    const second = await search('Family1234');
    figures['secondSearchMs'] = Math.round(second.ms);
    // Family1234 and Family12340… do not exist beyond 12,000: only guardian 1234 itself.
    expect(second.status).toBe('1 change matches in 1 kind.');
    await expect(search('no such guardian anywhere')).resolves.toMatchObject({ status: 'No change matches "no such guardian anywhere".' });
    figures['frameAfterSearchMs'] = Math.round(await nextFrameMs());
  });

  it('finds the changes of a line by its number, not every id that contains the digits', async () => {
    // Guardian 1201's change (a link: the kind cycle's tenth) is on line 1203.
    const target = report.changes.find((c) => c.lines[0] === 1203)!;
    const byLine = await search('1203');
    figures['lineSearchMs'] = Math.round(byLine.ms);
    expect(byLine.status).toBe('1 change matches in 1 kind.');
    await expect(page.locator(`#changes-${target.kind} tbody tr`).allInnerTexts()).resolves.toEqual([
      `1203\t${target.name}\t${target.accountId}${target.kind === 'linked' ? `\t${target.studentSisId}` : ''}`,
    ]);
  });

  it('moves through the pages of a kind, and a cleared search shows everything again', async () => {
    const cleared = await search('');
    figures['clearSearchMs'] = Math.round(cleared.ms);
    expect(cleared.status).toBe('');
    const linked = report.changes.filter((c): c is ReportLinkChange => c.kind === 'linked');
    const group = page.locator('#changes-linked');
    await group.evaluate((el) => ((el as unknown as { open: boolean }).open = true));
    const started = performance.now();
    await group.locator('button[data-go="next"]').click();
    await expect(group.locator('.pager .page').textContent()).resolves.toBe(`26–50 of ${format(linked.length)} (page 2 of ${format(Math.ceil(linked.length / PAGE_SIZE))})`);
    figures['nextPageMs'] = Math.round(performance.now() - started);
    await expect(group.locator('tbody tr').first().innerText()).resolves.toBe(`${linked[25]!.lines[0]}\t${linked[25]!.name}\t${linked[25]!.accountId}\t${linked[25]!.studentSisId}`);
    await expect(group.locator('button[data-go="previous"]').isDisabled()).resolves.toBe(false);
    await group.locator('button[data-go="previous"]').click();
    await expect(group.locator('button[data-go="previous"]').isDisabled()).resolves.toBe(true);
  });

  it('shows markup in names as text, runs none of it, and loads nothing but its own file', async () => {
    const found = await search('script');
    expect(found.status).toMatch(/^\d+ changes? match/);
    const names = await page.locator('#changes-created tbody td:nth-child(2)').allTextContents();
    for (const payload of MARKUP_PAYLOADS.filter((p) => p.includes('script'))) expect(names).toContain(payload);
    await expect(page.evaluate(() => typeof (globalThis as unknown as PageGlobals).__pwned)).resolves.toBe('undefined');
    await expect(page.locator('#changes img, #changes svg, #changes tbody script').count()).resolves.toBe(0);
    expect(watch.dialogs).toEqual([]);
    expect(watch.problems).toEqual([]);
    expect(watch.requests.length).toBeGreaterThan(0);
    for (const url of watch.requests) expect(url.startsWith('file:')).toBe(true);
  });

  it('without JavaScript, shows the first page of each kind and no search box', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    try {
      const plain = await context.newPage();
      await plain.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await expect(plain.locator('#changes').getAttribute('data-state')).resolves.toBe('static');
      await expect(plain.locator('#change-controls').isVisible()).resolves.toBe(false);
      await expect(plain.locator('#changes-created tbody tr').count()).resolves.toBe(PAGE_SIZE);
      const first = report.changes.find((c) => c.kind === 'created')!;
      await expect(plain.locator('#changes-created tbody tr').first().innerText()).resolves.toBe(`${first.lines[0]}\t${first.name}\t${first.accountId}`);
      await expect(plain.locator('#changes noscript').count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });
});
