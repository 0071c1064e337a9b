// Every example runs as its header says and prints what it promises.
import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('examples', () => {
  it('quickstart.ts syncs a local file into the memory store and lists the accounts', async () => {
    const result = await runExample('quickstart.ts');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Succeeded with warnings');
    expect(result.stdout).toContain('UNKNOWN_STUDENT');
    expect(result.stdout).toContain('Gina Ruiz: gina@mail.example → students S1, S2');
    expect(result.stdout).toContain('Marco Ruiz: +12025550177 → students S2');
  });

  it('sqlite-roster.ts persists day 1, previews and applies day 2, and lists the runs', async () => {
    const result = await runExample('sqlite-roster.ts');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('── day1.csv');
    expect(result.stdout).toContain('── day2.csv (dry run)');
    expect(result.stdout).toContain('── run history');
    expect(result.stdout.match(/ succeeded/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('custom-store.ts runs a sync through a host-written store', async () => {
    const result = await runExample('custom-store.ts');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Accounts in the host database:');
    expect(result.stdout).toContain('Gina Ruiz <gina@mail.example> guardian of S1, S2');
  });
});
