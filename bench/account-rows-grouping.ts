// The grouping of account rows (one row per account and role, each account's rows
// together) as the PostgreSQL store's reads did it inline before e8d8194, against the
// shared `groupAccountRows` of src/stores/account-rows.ts that both SQL stores use since,
// on 650,000 synthetic rows (the role holders of the 1M-row district), alternating, in one
// process. The snapshot (o)/(p) calls it once for the district's role holders.
//
//   node --import tsx --expose-gc bench/account-rows-grouping.ts [rows] [rounds]
import type { Account, AccountRole, RoleName, RoleStatus } from '../src/model/roster.js';
import { groupAccountRows as shared } from '../src/stores/account-rows.js';

type Row = [string, string, string, string | null, string | null, string | null, string | null, boolean, string | null, RoleName | null, RoleStatus | null, string[] | null];

/** The reads' own grouping before e8d8194. */
function inline(rows: readonly Row[]): Account[] {
  const accounts: Account[] = [];
  let lastId: string | undefined;
  let roles: AccountRole[] = [];
  for (const row of rows) {
    if (row[0] !== lastId) {
      lastId = row[0];
      roles = [];
      accounts.push({ id: row[0], firstName: row[1], lastName: row[2], email: row[3], mobilePhone: row[4], homePhone: row[5], language: row[6], claimed: row[7], roles });
    }
    if (row[8] !== null && row[9] !== null && row[10] !== null) roles.push({ role: row[9], districtId: row[8], sisIds: row[11] ?? [], status: row[10] });
  }
  return accounts;
}

const count = Number(process.argv[2] ?? 650_000);
const rounds = Number(process.argv[3] ?? 5);
const rows: Row[] = [];
for (let i = 0; i < count; i++) {
  rows.push([`${String(i).padStart(8, '0')}-4b1d-4c3e-9f00-5a6b7c8d9e0f`, 'María', 'Nguyễn', `m${i}@mail.example`, `+1202${String(i).padStart(7, '0')}`, null, 'es', false, 'D1', 'guardian', 'active', [`G${i}`]]);
}
const gc = (globalThis as { gc?: () => void }).gc;
const best: Record<string, number> = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, group] of [
    ['inline (before e8d8194)', () => inline(rows)],
    ['shared groupAccountRows', () => shared(rows, (sisIds: string[]) => sisIds)],
  ] as const) {
    gc?.();
    const started = performance.now();
    const accounts = group();
    const ms = performance.now() - started;
    best[name] = Math.min(best[name] ?? Infinity, ms);
    if (accounts.length !== count) throw new Error('grouping lost accounts');
  }
}
for (const [name, ms] of Object.entries(best)) console.log(`${name}: best of ${rounds} ${ms.toFixed(0)} ms for ${count} rows`);
