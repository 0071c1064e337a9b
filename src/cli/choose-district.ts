// `export --org <district>`: the district whose view to print. One roster serves many
// districts (docs/identity-rules.md §7) and an export is always one district's view, so the org
// must be a district of the roster: left out, it is the only one; a school or an unknown id
// is a usage error that says which ids would do (district ids are not personal data).
import type { RosterStore } from '../contracts/roster-store.js';
import type { Org } from '../model/roster.js';
import { findDefaultOrg } from './default-org.js';
import { UsageError } from './usage-error.js';

/** How many district ids an error lists before "…": enough to spot a typo, short for a platform's thousands. */
const LISTED = 5;

export async function chooseDistrict(command: string, store: RosterStore, org: string | undefined): Promise<string> {
  if (org === undefined) return findDefaultOrg(command, store, 'district');
  if (org.trim() === '') throw new UsageError('--org needs a district id, e.g. --org D1.', command);
  if (store.listOrgs === undefined) {
    // Without an org list the store can still say whether the district exists.
    if ((await store.resolveScope({ level: 'district', orgId: org })) !== null) return org;
    throw new UsageError(`the roster has no district "${org}": check the id (ids are case-sensitive).`, command);
  }
  const orgs = await store.listOrgs();
  const found = orgs.find((o) => o.id === org);
  if (found?.type === 'district') return found.id;
  if (found !== undefined) {
    const parent = found.parentId === null ? '' : ` (of district ${found.parentId})`;
    const use = found.parentId === null ? '' : `: use --org ${found.parentId}`;
    throw new UsageError(`"${org}" is a ${found.type}${parent}, and an export shows a whole district${use}.`, command);
  }
  throw new UsageError(`the roster has no district "${org}"; ${districtList(orgs)}`, command);
}

function districtList(orgs: readonly Org[]): string {
  const ids = orgs.filter((o) => o.type === 'district').map((o) => o.id);
  if (ids.length === 0) return 'it has no district yet: run "guardian-sync roster import" first.';
  const shown = ids.slice(0, LISTED).join(', ') + (ids.length > LISTED ? ', …' : '');
  return `its districts are ${shown} (ids are case-sensitive).`;
}
