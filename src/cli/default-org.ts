// `--org` defaults to the only district (or, at school level, the only school) of the
// roster. The RosterStore contract has no org listing, so the orgs are found from the
// students' schools, each resolved through the store: a district with no students has
// nothing to sync anyway. Only used when --org is left out.
import type { RosterStore } from '../contracts/roster-store.js';
import type { SyncLevel } from '../model/roster.js';
import { UsageError } from './usage-error.js';

export async function findDefaultOrg(command: string, store: RosterStore, level: SyncLevel): Promise<string> {
  if (store.exportRoster === undefined) throw new UsageError('--org <id> is required with this roster store.', command);
  const { students } = await store.exportRoster();
  const schoolIds = [...new Set(students.map((s) => s.schoolId))].sort();
  let ids: string[];
  if (level === 'school') {
    ids = schoolIds;
  } else {
    const districts = new Set<string>();
    for (const schoolId of schoolIds) {
      const scope = await store.resolveScope({ level: 'school', orgId: schoolId });
      if (scope !== null) districts.add(scope.districtId);
    }
    ids = [...districts].sort();
  }
  const [only, ...others] = ids;
  if (only !== undefined && others.length === 0) return only;
  if (only === undefined) {
    throw new UsageError(`the roster has no ${level} with students: run "guardian-sync roster import" first, or name the ${level} with --org <id>.`, command);
  }
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
  throw new UsageError(`the roster has ${ids.length} ${level === 'school' ? 'schools' : 'districts'} (${shown}): choose one with --org <id>.`, command);
}
