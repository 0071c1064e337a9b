// docs/identity-rules.md §3 inside one file, for the self-check: two people of the file with
// one email or one mobile phone. A sync gives such a login to one of them only and the other
// gets CREDENTIAL_IN_USE (or, with no other login, is not added), so `validate`, which has
// no roster, says so before the sync does. People are the file's guardians as the sync
// groups them (§1): the rows of one person sharing their own email are no collision.
import { createIssue, type Issue } from '../errors/issue.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';

type LoginField = 'email' | 'mobilePhone';

const LOGIN_FIELDS: readonly LoginField[] = ['email', 'mobilePhone'];
const WHAT: Readonly<Record<LoginField, string>> = { email: 'email address', mobilePhone: 'mobile phone' };

/**
 * One CREDENTIAL_IN_USE warning per guardian and login that an earlier guardian of the file
 * (by first line) also has, on the later guardian's line, with both lines in `lines`. The
 * message names lines only, never the other person or the value. Guardians must be in
 * first-line order (as `groupRowsIntoGuardians` returns them); linear in their number.
 */
export function findFileLoginCollisions(guardians: readonly FileGuardian[]): Issue[] {
  // Values are the folded logins the grouping holds (emails lower-cased, mobiles E.164).
  const firstHolder: Record<LoginField, Map<string, FileGuardian>> = { email: new Map(), mobilePhone: new Map() };
  const issues: Issue[] = [];
  for (const guardian of guardians) {
    const collided: { field: LoginField; holder: FileGuardian }[] = [];
    for (const field of LOGIN_FIELDS) {
      const value = guardian.fields[field];
      if (value === null) continue;
      const holder = firstHolder[field].get(value);
      if (holder === undefined) firstHolder[field].set(value, guardian);
      else collided.push({ field, holder });
    }
    // With every login shared, a guardian refused them all has none left: the sync skips them.
    const loginsLeft = LOGIN_FIELDS.filter((f) => guardian.fields[f] !== null).length - collided.length;
    for (const { field, holder } of collided) {
      const line = guardian.fieldsLine;
      const other = holder.fieldsLine;
      issues.push(
        createIssue(
          'CREDENTIAL_IN_USE',
          `The ${WHAT[field]} on line ${line} is also that of another person (line ${other}): a login is never shared, so the sync gives it to one of them only ` +
            `(whose account has it, else line ${other}).${loginsLeft === 0 ? ` Line ${line} has no other login: without it, that guardian is not added.` : ''}`,
          { line, column: field, lines: other < line ? [other, line] : [line, other] },
        ),
      );
    }
  }
  return issues;
}
