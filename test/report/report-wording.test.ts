import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createIssue } from '../../src/errors/issue.js';
import { describeForced, describeOutcome, formatBytes, formatDelimiter, formatDuration, formatRatio, formatRatioPair, readThreshold, STATUS_WORDING } from '../../src/report/report-wording.js';

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

  it('a forced run never reads as a plain success: it says forced, and the ratios it went over (issue 19, item 6)', () => {
    const threshold = { maxRemovalRatio: 0.1, removalRatio: 0.5, archiveRatio: 0.05, loginChangeRatio: 0, exceeded: true, forced: true };
    const outcome = describeOutcome({ status: 'succeeded', dryRun: false, issues: [], threshold });
    expect(outcome).toEqual({
      label: 'Succeeded, forced past the safety threshold',
      meaning: 'Forced past the safety threshold: removals 50% of managed links, above the maximum of 10%, were applied.',
      tone: 'warn',
    });
    expect(describeOutcome({ status: 'succeeded', dryRun: true, issues: [], threshold }).meaning).toContain('would be applied');
    expect(describeForced({ ...threshold, archiveRatio: 0.2 })).toBe('removals 50% of managed links and archives 20% of managed guardians, above the maximum of 10%');
    expect(describeForced({ ...threshold, forced: false })).toBeNull();
    expect(describeOutcome({ status: 'succeeded', dryRun: false, issues: [], threshold: { ...threshold, exceeded: false, forced: false } })).toBe(STATUS_WORDING.succeeded);
  });

  it('a failed run says what kind of error stopped it: a lock or a scope is not a file error (item 7)', () => {
    const failed = (code: 'SYNC_IN_PROGRESS' | 'SCOPE_NOT_FOUND' | 'MALFORMED_CSV') => describeOutcome({ status: 'failed', dryRun: false, issues: [createIssue(code, 'x')] }).meaning;
    expect(failed('SYNC_IN_PROGRESS')).toBe('Another sync of the same district or school was running, so this run read and changed nothing. Run it again when that one has finished.');
    expect(failed('SCOPE_NOT_FOUND')).toMatch(/^The district or school this sync is for is not in the roster/);
    expect(failed('MALFORMED_CSV')).toMatch(/^The file could not be used/);
    for (const code of ['SYNC_IN_PROGRESS', 'SCOPE_NOT_FOUND'] as const) expect(failed(code)).not.toMatch(/file/);
  });

  it('words the history-only status of a run Ctrl-C stopped (item 4)', () => {
    expect(STATUS_WORDING.cancelled.label).toBe('Cancelled');
    expect(describeOutcome({ status: 'cancelled', dryRun: false, issues: [] }).meaning).toMatch(/released its lock/);
  });

  it('reads the login-change ratio beside the others, and says a held run needs --force (item 10)', () => {
    const t = readThreshold({ dryRun: false, status: 'failed-threshold', threshold: { maxRemovalRatio: 0.1, removalRatio: 0, archiveRatio: 0, loginChangeRatio: 0.3, exceeded: true } });
    expect(t.ratios.map((r) => r.text)).toEqual([
      'Removals 0% of managed links (maximum 10%)',
      'Archives 0% of managed guardians (maximum 10%)',
      'Login changes 30% of managed guardians (maximum 10%)',
    ]);
    expect(t.verdict).toBe('Exceeded: no stored email or mobile phone was changed. If the changes are intended, run again with --force or a higher --max-removal.');
  });
});
