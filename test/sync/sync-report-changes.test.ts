// The report's changes through the orchestrator (issue 14, part 2): day 1, day 2, a dry run,
// the threshold holding removals, a failed apply, a run that stops before planning, and the
// run history, which keeps the changes without names.
import { describe, expect, it } from 'vitest';
import { REPORT_CHANGE_FIELDS, type ReportChange, type SyncReport } from '../../src/model/report.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { createLocalFileSource } from '../../src/sources/local-file-source.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory-store.js';
import { syncGuardians } from '../../src/sync/sync-guardians.js';
import type { SyncGuardiansOptions } from '../../src/sync/sync-options.js';
import { interruptWrites } from '../../src/testing/interrupt-writes.js';
import { DAY1, DAY1_ROWS, ORGS, STUDENTS, TEACHER, csv } from './district-fixture.js';

const scope = { level: 'district', orgId: 'D1' } as const;

function newStore(): MemoryStore {
  return createMemoryStore({ initial: { orgs: ORGS, students: STUDENTS, accounts: [TEACHER] } });
}

function run(store: MemoryStore, text: string, extra: Partial<SyncGuardiansOptions> = {}): Promise<SyncReport> {
  return syncGuardians({ scope, store, source: createBytesSource({ name: 'guardians.csv', bytes: new TextEncoder().encode(text) }), ...extra });
}

/** A change as `kind line(s) name [fields|student]`, without the random ids of new accounts. */
function describe1(change: ReportChange): string {
  const extra = change.kind === 'updated' ? ` ${change.fields.join('+')}` : change.kind === 'linked' || change.kind === 'unlinked' ? ` ${change.studentSisId}` : '';
  return `${change.kind} ${change.lines.join(',') || '-'} ${change.name ?? '?'}${extra}`;
}

describe('syncGuardians: the report says what changed', () => {
  it('day 1: a create per new guardian, a role add for the teacher, a link per row, in line order, with names', async () => {
    const store = newStore();
    const report = await run(store, DAY1);
    expect(report.changeFields).toEqual(REPORT_CHANGE_FIELDS);
    expect(report.changes.map(describe1)).toEqual([
      'created 2,3 Ana López',
      'linked 2 Ana López S001',
      'linked 3 Ana López S002',
      'created 4 Luis López',
      'linked 4 Luis López S001',
      'created 5 Grace Kim',
      'linked 5 Grace Kim S003',
      'created 6 Tom Baker',
      'linked 6 Tom Baker S004',
      // The teacher's stored name, not the file's: the account is hers.
      'role-added 7 Maria García',
      'linked 7 Maria García S005',
      'created 8 Olu Adeyemi',
      'linked 8 Olu Adeyemi S007',
      'created 9 Chen Wei',
      'linked 9 Chen Wei S008',
      'created 10 Sam Taylor',
      'linked 10 Sam Taylor S009',
      'created 11 Priya Shah',
      'linked 11 Priya Shah S010',
    ]);
    const exported = await store.exportRoster('D1');
    for (const c of report.changes) expect(exported.accounts.map((a) => a.id)).toContain(c.accountId);
    expect(report.changes.find((c) => c.kind === 'role-added')?.accountId).toBe(TEACHER.id);
    // As many as the counts say.
    expect(report.changes.filter((c) => c.kind === 'created')).toHaveLength(report.counts.accountsCreated);
    expect(report.changes.filter((c) => c.kind === 'linked')).toHaveLength(report.counts.linksAdded);
  });

  it('the run history keeps the changes without names, and the same file again changes nothing', async () => {
    const store = newStore();
    const report = await run(store, DAY1);
    const saved = await store.getRun(report.runId);
    expect(saved?.changeFields).toEqual([...REPORT_CHANGE_FIELDS]);
    expect(saved?.changes).toEqual(report.changes.map(({ name: _name, ...c }) => c));
    expect(JSON.stringify(saved)).not.toContain('López');
    const again = await run(store, DAY1);
    expect(again.changes).toEqual([]);
  });

  it('day 2: an update names the field changed, a dropped row its link removed; a dry run lists what the real run then does', async () => {
    const store = newStore();
    await run(store, DAY1);
    const day2 = csv(DAY1_ROWS.filter((r) => !r.startsWith('S002,')).map((r) => r.replace('tom.baker@example.com', 'tom@baker.example.com').replace('Grace,Kim', 'Grace,Kim-Park')));
    const dry = await run(store, day2, { maxRemovalRatio: 0.5, dryRun: true });
    const real = await run(store, day2, { maxRemovalRatio: 0.5 });
    expect(real.changes.map(describe1)).toEqual(['updated 4 Grace Kim-Park lastName', 'updated 5 Tom Baker email', 'unlinked - Ana López S002']);
    expect(dry.changes).toEqual(real.changes);
    expect(JSON.stringify(real.changes)).not.toContain('baker.example.com');
  });

  it('removals the threshold holds back are not changes; forced, they are', async () => {
    const store = newStore();
    await run(store, DAY1);
    const truncated = csv(DAY1_ROWS.slice(0, 4));
    const held = await run(store, truncated);
    expect(held.status).toBe('failed-threshold');
    expect(held.changes).toEqual([]);
    const forced = await run(store, truncated, { force: true });
    const kinds = forced.changes.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'unlinked')).toHaveLength(forced.counts.linksRemoved);
    expect(kinds.filter((k) => k === 'archived')).toHaveLength(forced.counts.guardiansArchived);
    expect(forced.changes.every((c) => c.lines.length === 0)).toBe(true);
  });

  it('a run that stops before planning has no changes', async () => {
    const report = await syncGuardians({ scope, store: newStore(), source: createLocalFileSource({ path: '/nonexistent/guardians.csv' }) });
    expect(report.status).toBe('failed');
    expect(report.changes).toEqual([]);
    expect(report.changeFields).toEqual(REPORT_CHANGE_FIELDS);
  });

  it('a failed apply lists only the changes whose lines all landed (none of a row reported not applied)', async () => {
    const day2 = csv([...DAY1_ROWS.map((r) => r.replace('tom.baker@example.com', 'tom@baker.example.com')), 'S011,G10,Ida,Berg,ida@example.com,,,mother']);
    const outcomes: string[][] = [];
    // Write calls: account updates (0), account inserts (1), links (2).
    for (const failAt of [0, 1, 2]) {
      const store = newStore();
      await run(store, DAY1);
      const failed = await run(interruptWrites(store, { afterCalls: failAt }), day2, { maxRemovalRatio: 0.5 });
      expect(failed.status).toBe('failed');
      const notApplied = new Set(failed.rows.filter((r) => r.result === 'ERROR').map((r) => r.line));
      for (const c of failed.changes) for (const line of c.lines) expect(notApplied.has(line)).toBe(false);
      outcomes.push(failed.changes.map(describe1));
    }
    // Cut at the update: nothing landed. Cut later: the update landed, and the new guardian's
    // line (its account and its link) only when both did, which no cut here allows.
    expect(outcomes).toEqual([[], ['updated 6 Tom Baker email'], ['updated 6 Tom Baker email']]);
  });
});
