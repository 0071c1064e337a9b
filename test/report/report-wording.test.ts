import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDelimiter, formatDuration, formatRatio, formatRatioPair, readThreshold } from '../../src/report/report-wording.js';

describe('report wording', () => {
  it('formats ratios as percentages with at most one decimal', () => {
    expect(formatRatio(0)).toBe('0%');
    expect(formatRatio(0.1)).toBe('10%');
    expect(formatRatio(0.125)).toBe('12.5%');
    expect(formatRatio(0.00049)).toBe('<0.1%');
    expect(formatRatio(1)).toBe('100%');
  });

  it('never shows a ratio just above its maximum as equal to it', () => {
    expect(formatRatioPair(0.1004, 0.1)).toEqual(['10.04%', '10.00%']);
    const t = readThreshold({ dryRun: false, status: 'failed-threshold', threshold: { maxRemovalRatio: 0.1, removalRatio: 0.1004, archiveRatio: 0, exceeded: true } });
    expect(t.removal.text).toBe('Removals 10.04% of managed links (maximum 10.00%)');
    expect(t.removal.above).toBe(true);
  });

  test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'two ratios that differ by at least two millionths of a percent read differently',
    (a, b) => {
      const [x, y] = formatRatioPair(a, b);
      if (Math.abs(a - b) * 100 >= 2e-6) expect(x).not.toBe(y);
      if (a === b) expect(x).toBe(y);
    },
  );

  it('names delimiters, sizes and durations', () => {
    expect(formatDelimiter('\t')).toBe('tab');
    expect(formatDelimiter(';')).toBe('semicolon (;)');
    expect(formatDelimiter('#')).toBe('"#"');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(48_213)).toBe('47.1 KiB');
    expect(formatBytes(80 * 1024 * 1024)).toBe('80.0 MiB');
    expect(formatBytes(3 * 1024 * 1024 * 1024)).toBe('3.0 GiB');
    expect(formatDuration('2026-11-28T06:00:00.000Z', '2026-11-28T06:00:00.250Z')).toBe('250 ms');
    expect(formatDuration('2026-11-28T06:00:00.000Z', '2026-11-28T06:02:05.000Z')).toBe('2 min 5 s');
    expect(formatDuration('not a date', '2026-11-28T06:00:00.000Z')).toBeNull();
  });

  it('says what the threshold did in a dry run', () => {
    const t = readThreshold({ dryRun: true, status: 'failed-threshold', threshold: { maxRemovalRatio: 0.1, removalRatio: 0.4, archiveRatio: 0, exceeded: true } });
    expect(t.verdict).toMatch(/^Exceeded: no link would be removed and no guardian archived\./);
  });
});
