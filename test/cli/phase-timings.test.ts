// `--timings`: the phase lines of a sync, from fake progress events and a fake clock (this
// file), and from the built CLI on a small roster (timings-cli.test.ts).
import { describe, expect, it } from 'vitest';
import { createPhaseTimings, parseTimingLines } from '../../src/cli/phase-timings.js';

/** A clock the test moves by hand: `now` in ms, `uptime` in seconds since a process start 250 ms before t=0. */
function fakeClock() {
  let t = 1000;
  return {
    now: () => t,
    uptime: () => (t - 1000 + 250) / 1000,
    advance: (ms: number) => void (t += ms),
  };
}

describe('phase timings', () => {
  it('times each phase from its first event to the next phase, then the CLI steps, and adds up to the total', () => {
    const clock = fakeClock();
    const timings = createPhaseTimings(clock);
    clock.advance(40); // parsing flags, opening the roster
    timings.onProgress({ phase: 'lock' });
    clock.advance(2);
    timings.onProgress({ phase: 'fetch', bytesDone: 0, bytesTotal: 10 });
    clock.advance(5);
    timings.onProgress({ phase: 'fetch', bytesDone: 10, bytesTotal: 10 });
    clock.advance(5);
    timings.onProgress({ phase: 'decode' });
    clock.advance(30);
    timings.onProgress({ phase: 'parse', rowsDone: 100 });
    clock.advance(50);
    timings.onProgress({ phase: 'parse', rowsDone: 200 }); // same phase: no new line
    clock.advance(50);
    timings.onProgress({ phase: 'resolve' });
    clock.advance(120);
    timings.onProgress({ phase: 'plan' });
    clock.advance(200);
    timings.onProgress({ phase: 'report' });
    clock.advance(10);
    timings.onProgress({ phase: 'done' });
    clock.advance(3); // the roster is closed
    timings.mark('report-files');
    clock.advance(17);
    timings.mark('output');
    clock.advance(60);

    const lines = timings.lines();
    expect(lines.map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'timing startup 250 ms 29.7%',
      'timing setup 40 ms 4.8%',
      'timing lock 2 ms 0.2%',
      'timing fetch 10 ms 1.2%',
      'timing decode 30 ms 3.6%',
      'timing parse 100 ms 11.9%',
      'timing resolve 120 ms 14.3%',
      'timing plan 200 ms 23.8%',
      'timing report 10 ms 1.2%',
      'timing close 3 ms 0.4%',
      'timing report-files 17 ms 2.0%',
      'timing output 60 ms 7.1%',
      'timing total 842 ms (since the process started)',
    ]);
    const parsed = parseTimingLines(`some summary\n${lines.join('\n')}\n`);
    expect(parsed).toMatchObject({ startup: 250, parse: 100, output: 60, total: 842 });
    const { total, ...phases } = parsed;
    expect(Object.values(phases).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('adds up a phase that comes back after another one, in the order phases first appeared', () => {
    const clock = fakeClock();
    const timings = createPhaseTimings(clock);
    timings.onProgress({ phase: 'fetch' });
    clock.advance(10);
    timings.onProgress({ phase: 'decode' });
    clock.advance(5);
    timings.onProgress({ phase: 'fetch' });
    clock.advance(10);
    timings.mark('output');
    const parsed = parseTimingLines(timings.lines().join('\n'));
    expect(Object.keys(parsed)).toEqual(['startup', 'setup', 'fetch', 'decode', 'output', 'total']);
    expect(parsed).toMatchObject({ setup: 0, fetch: 20, decode: 5, output: 0 });
  });
});
