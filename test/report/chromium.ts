// Debian's Chromium through playwright-core, for the report pages' browser tests: where it
// is, the launch that keeps it off the network, and what a page did that it must not
// (dialogs, requests, errors, CSP reports). Tests skip only where Chromium is missing, and
// never in CI (.ci/run installs it there).
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** True when Chromium is installed; throws in CI when it is not, so no browser test is skipped there. */
export function chromiumAvailable(what: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env['CI'] !== undefined) {
    throw new Error(`${CHROMIUM} is missing: CI must install Chromium (apt-get install chromium) for ${what}.`);
  }
  return available;
}

/** Headless, no GPU, and none of the browser's own traffic (updates, sync, QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PageWatch {
  /** Messages of dialogs the page opened (each dismissed). */
  readonly dialogs: string[];
  /** Every URL the page requested. */
  readonly requests: string[];
  /** Page errors, and console errors and warnings (a CSP violation is one). */
  readonly problems: string[];
}

/** Starts recording what `page` does that a report page must not. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { dialogs: [], requests: [], problems: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => watch.requests.push(request.url()));
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watch.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  return watch;
}

/** What the page-side functions below read from the browser's globals (the test code is compiled without the DOM library). */
interface BrowserGlobals {
  readonly document: { querySelector(selector: string): unknown };
  readonly performance: { now(): number };
}

/** Waits (checking every frame, up to 60 s) until `selector` matches, and returns the page's clock then, in ms since navigation. */
export async function msUntil(page: Page, selector: string): Promise<number> {
  const handle = await page.waitForFunction(
    (wanted: string) => {
      const { document, performance } = globalThis as unknown as BrowserGlobals;
      return document.querySelector(wanted) === null ? 0 : performance.now();
    },
    selector,
    { polling: 'raf', timeout: 60_000 },
  );
  return Number(await handle.jsonValue());
}

export interface OpenedHtml {
  readonly browser: Browser;
  readonly page: Page;
  readonly watch: PageWatch;
  /** The size of the written page, in bytes. */
  readonly bytes: number;
}

/**
 * The set-up every report-page test shares: writes `html` to `file`, launches Chromium, opens
 * a page of this viewport with its watch on, and starts loading the file (navigation
 * committed, so the caller times what follows).
 */
export async function openHtmlFile(html: string, file: string, viewport: { readonly width: number; readonly height: number }): Promise<OpenedHtml> {
  await writeFile(file, html, 'utf8');
  const { size } = await stat(file);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  // A CSP violation (a blocked script or style) is reported as a console error.
  const watch = watchPage(page);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
  return { browser, page, watch, bytes: size };
}
