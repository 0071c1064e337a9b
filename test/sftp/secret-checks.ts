// Shared checks of the SFTP tests: a logger that records every line, every text form an
// error can take when a host prints it, and the leak check on sockets and timers.
import { inspect } from 'node:util';
import { expect } from 'vitest';
import type { Logger } from '../../src/contracts/logger.js';

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`);
    };
  return { lines, logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } };
}

/** Every way a host might print an error: message, String(), stack, JSON, util.inspect. */
export function errorTexts(error: unknown): string[] {
  const texts = [String(error), inspect(error, { depth: 8, showHidden: true }), JSON.stringify(error) ?? ''];
  if (error instanceof Error) texts.push(error.message, error.stack ?? '', inspect(error.cause, { depth: 8 }));
  return texts;
}

/** No secret, nor any line of a multi-line secret (a key), appears in any text. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly (string | undefined)[]): void {
  const needles = secrets
    .filter((s): s is string => s !== undefined && s !== '')
    .flatMap((secret) => [secret, ...secret.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))]);
  for (const text of texts) {
    for (const needle of needles) expect(text.includes(needle), 'a secret appeared in a log or error text').toBe(false);
  }
}

export interface ResourceCounts {
  readonly sockets: number;
  readonly timers: number;
  /** Listeners on `process` (a client that hooks process events and forgets them). */
  readonly processListeners: number;
}

/** Counts of what a leaking SFTP client would leave: sockets, timers, process listeners. */
export function leakableResources(): ResourceCounts {
  const info = process.getActiveResourcesInfo();
  return {
    sockets: info.filter((kind) => kind === 'TCPSocketWrap').length,
    timers: info.filter((kind) => kind === 'Timeout').length,
    processListeners: process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0),
  };
}

/** Waits (polling) until sockets and timers are back to the baseline; fails with the counts if not. */
export async function expectNoLeaks(baseline: ResourceCounts, waitMs = 10_000): Promise<void> {
  const until = Date.now() + waitMs;
  let now = leakableResources();
  while ((now.sockets > baseline.sockets || now.timers > baseline.timers) && Date.now() < until) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    now = leakableResources();
  }
  expect(now.sockets).toBeLessThanOrEqual(baseline.sockets);
  expect(now.timers).toBeLessThanOrEqual(baseline.timers);
  expect(now.processListeners).toBeLessThanOrEqual(baseline.processListeners);
}
