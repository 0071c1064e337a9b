// `--org` defaults to the only district (or, at school level, the only school) of the
// roster, read from the store's org list. Only used when --org is left out.
import type { RosterStore } from '../contracts/roster-store.js';
import type { SyncLevel } from '../model/roster.js';
import { UsageError } from './usage-error.js';

export async function findDefaultOrg(command: string, store: RosterStore, level: SyncLevel): Promise<string> {
  if (store.listOrgs === undefined) throw new UsageError('--org <id> is required with this roster store.', command);
  const ids = (await store.listOrgs()).filter((org) => org.type === level).map((org) => org.id);
  const [only, ...others] = ids;
  if (only !== undefined && others.length === 0) return only;
  if (only === undefined) {
    throw new UsageError(`the roster has no ${level}: run "guardian-sync roster import" first, or name the ${level} with --org <id>.`, command);
  }
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
  throw new UsageError(`the roster has ${ids.length} ${level === 'school' ? 'schools' : 'districts'} (${shown}): choose one with --org <id>.`, command);
}
