// `sync --org <id> [--level …]`: the org must be one of the roster at that level. Checked
// before the run, like export's district, so a typo or a level mistake is a configuration
// error (exit 2, nothing run, nothing in the history) that says which ids would do, in the
// CLI's words. The library still reports SCOPE_NOT_FOUND for a store without an org list.
import type { RosterStore } from '../contracts/roster-store.js';
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import type { Org, SyncLevel } from '../model/roster.js';

/** How many ids a message lists before "…": enough to spot a typo, short for a platform's thousands. */
const LISTED = 5;

/** @throws GuardianSyncError SCOPE_NOT_FOUND when `orgId` is not a `level` of the roster. */
export async function checkSyncOrg(store: RosterStore, level: SyncLevel, orgId: string): Promise<void> {
  if (store.listOrgs === undefined) return;
  const orgs = await store.listOrgs();
  const found = orgs.find((o) => o.id === orgId);
  if (found?.type === level) return;
  if (found !== undefined) {
    const instead =
      found.type === 'district'
        ? `sync the whole district with --level district, or one of its schools (${list(orgs.filter((o) => o.parentId === found.id))}) with --level school --org <school id>`
        : `sync the school with --level school${found.parentId === null ? '' : `, or its whole district with --org ${found.parentId}`}`;
    throw new GuardianSyncError('SCOPE_NOT_FOUND', `--org ${orgId} is a ${found.type}, not a ${level}: ${instead}.`);
  }
  const ofLevel = orgs.filter((o) => o.type === level);
  const known =
    ofLevel.length === 0 ? `it has no ${level} yet: run "guardian-sync roster import" first` : `its ${level === 'school' ? 'schools' : 'districts'} are ${list(ofLevel)} (ids are case-sensitive)`;
  throw new GuardianSyncError('SCOPE_NOT_FOUND', `--org ${orgId}: the roster has no ${level} with this id; ${known}.`);
}

function list(orgs: readonly Org[]): string {
  if (orgs.length === 0) return 'none';
  return orgs.slice(0, LISTED).map((o) => o.id).join(', ') + (orgs.length > LISTED ? ', …' : '');
}
