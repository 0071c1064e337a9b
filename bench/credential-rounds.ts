// The credential rounds (IDENTITY-RULES.md §3; src/plan/settle-indistinguishable-guardians.ts)
// at scale: buildPlan on (a) an ordinary next-day file against the day-1 roster, the baseline,
// and (b) a hostile file where thousands of guardians without ids each lose a login and would
// end indistinguishable from the next guardian, in one process, and the ratio of their costs
// per row. Settling one such guardian used to re-assign every login of the file: (b) cost
// O(collisions × guardians). Near-linear, its cost per row stays close to (a)'s.
//
//   npx tsx bench/credential-rounds.ts [ordinaryRows=100000] [pairs=5000] [runs=5]
import type { GuardianRow } from '../src/model/guardian-row.js';
import type { SyncPlan } from '../src/model/plan.js';
import type { Account, ResolvedScope, RosterSnapshot, Student } from '../src/model/roster.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { snapshotLogins } from '../src/plan/snapshot-logins.js';
import { createBytesSource } from '../src/sources/bytes-source.js';
import { createMemoryStore } from '../src/stores/memory-store.js';
import { readGuardianInput } from '../src/input/read-guardian-input.js';
import { syncGuardians } from '../src/sync/sync-guardians.js';
import { generateDistrict } from './generate-district.js';

const ordinaryRows = Number(process.argv[2] ?? 100_000);
const pairs = Number(process.argv[3] ?? 5_000);
const runs = Number(process.argv[4] ?? 5);
const SOURCE = 'guardian-file';

interface Timing {
  readonly median: number;
  readonly min: number;
  readonly plan: SyncPlan;
}

/** buildPlan once to warm up, then `runs` times; new account ids are deterministic. */
function timePlan(rows: readonly GuardianRow[], snapshot: RosterSnapshot): Timing {
  const plan = (): SyncPlan => buildPlan({ rows, snapshot, settings: { source: SOURCE, newAccountId: (key) => `new:${key}` } });
  let last = plan();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = plan();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, plan: last };
}

/** (a) A generated district: day 1 synced into a memory store, day 2 planned against it. */
async function ordinaryFile(): Promise<{ rows: GuardianRow[]; snapshot: RosterSnapshot }> {
  const district = generateDistrict({ rows: ordinaryRows, seed: 7 });
  const store = createMemoryStore({ initial: { orgs: district.orgs, students: district.students } });
  await store.importRoster({ orgs: [], students: [], staff: district.staff });
  const scope = { level: 'district' as const, orgId: district.districtId };
  const day1 = await syncGuardians({ scope, store, source: createBytesSource({ name: 'guardians.csv', bytes: district.day1Csv }) });
  if (day1.status !== 'succeeded' && day1.status !== 'succeeded-with-warnings') throw new Error(`day 1 did not sync: ${day1.status}`);
  const resolved = await store.resolveScope(scope);
  if (resolved === null) throw new Error('the district scope does not resolve');
  const input = await readGuardianInput(district.day2Csv, { format: 'guardians', fileName: 'guardians.csv' });
  const snapshot = await store.loadSnapshot(resolved, { logins: snapshotLogins(input.rows) });
  return { rows: input.rows, snapshot };
}

/**
 * (b) `pairs` pairs of guardians without ids, two rows (children) each: Q asks for an email
 * and a mobile a teacher's account holds, gets the email only, and would end with the key O
 * (the next guardian: same name in other letter case, same email, another mobile) has with
 * its mobile blank. Q is not added (NO_CONTACT_CREDENTIAL), O gets its logins whole. All Qs
 * and Os share one name: only logins tell the pairs apart.
 */
function hostileFile(): { rows: GuardianRow[]; snapshot: RosterSnapshot } {
  const scope: ResolvedScope = { level: 'district', orgId: 'D1', districtId: 'D1', schoolIds: ['SCH1'] };
  const students: Student[] = Array.from({ length: 100 }, (_, k) => ({ districtId: 'D1', sisId: `ST${k}`, schoolId: 'SCH1', firstName: 'Kid', lastName: `K${k}` }));
  const accounts: Account[] = [];
  const rows: GuardianRow[] = [];
  const mobile = (n: number): string => `+1202${String(5_000_000 + n).padStart(7, '0')}`;
  let line = 2;
  const add = (fields: Pick<GuardianRow, 'firstName' | 'email' | 'mobilePhone'>, k: number): void => {
    for (const child of [0, 1]) {
      rows.push({ line: line++, studentSisId: `ST${(2 * k + child) % 100}`, guardianSisId: null, lastName: 'Garcia', homePhone: null, language: null, relationship: null, ...fields });
    }
  };
  for (let k = 0; k < pairs; k++) {
    const email = `family${k}@x.org`;
    accounts.push({
      id: `t${k}`,
      firstName: 'Tom',
      lastName: `T${k}`,
      email: null,
      mobilePhone: mobile(2 * k),
      homePhone: null,
      language: null,
      claimed: false,
      roles: [{ role: 'staff', districtId: 'D1', sisIds: [`T${k}`], status: 'active' }],
    });
    add({ firstName: 'Ana', email, mobilePhone: mobile(2 * k) }, k);
    add({ firstName: 'ANA', email, mobilePhone: mobile(2 * k + 1) }, k);
  }
  return { rows, snapshot: { scope, students, accounts, links: [] } };
}

function count(plan: SyncPlan, code: string): number {
  return plan.issues.filter((i) => i.code === code).length;
}

const ordinary = await ordinaryFile();
const hostile = hostileFile();
const a = timePlan(ordinary.rows, ordinary.snapshot);
const b = timePlan(hostile.rows, hostile.snapshot);
// The hostile file must stay hostile: every Q skipped, every O created.
const settled = count(b.plan, 'NO_CONTACT_CREDENTIAL');
if (settled !== pairs || b.plan.creates.length !== pairs) {
  throw new Error(`hostile file: expected ${pairs} guardians not added and ${pairs} created, got ${settled} and ${b.plan.creates.length}`);
}

const perRow = (t: Timing, rows: number): number => (t.median * 1000) / rows;
const line = (name: string, rows: number, t: Timing, what: string): string =>
  `${name.padEnd(9)} ${String(rows).padStart(9)} rows  ${what.padEnd(34)} buildPlan median ${t.median.toFixed(0).padStart(6)} ms (min ${t.min.toFixed(0)})  ${perRow(t, rows).toFixed(2)} µs/row`;
console.log(`buildPlan, ${runs} runs each after a warm-up (node ${process.version})`);
console.log(line('ordinary', ordinary.rows.length, a, `${a.plan.counts.guardians} guardians, ${count(a.plan, 'CREDENTIAL_IN_USE')} CREDENTIAL_IN_USE`));
console.log(line('hostile', hostile.rows.length, b, `${pairs} guardians settled`));
console.log(`hostile / ordinary, per row: ${(perRow(b, hostile.rows.length) / perRow(a, ordinary.rows.length)).toFixed(2)}×`);
