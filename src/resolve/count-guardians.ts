// How many people a file holds (docs/identity-rules.md §1), for the self-check and report counts.
import type { GuardianRow } from '../model/guardian-row.js';
import { groupRowsIntoGuardians } from './group-rows-into-guardians.js';

/** Number of distinct guardians (people) among valid rows, by the rules of §1. */
export function countGuardians(rows: readonly GuardianRow[]): number {
  return groupRowsIntoGuardians(rows).guardians.length;
}
