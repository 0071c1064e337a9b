// The floor under resolve + plan: the string-keyed hash joins that any planner reading a
// RosterSnapshot must make, each done once, in its cheapest form, with nothing else. The
// identity rules need every one of them:
//
//   1. the file's rows grouped by guardianSisId (§1.1): a Map of the file's ids;
//   2. ids with equal contact keys found (§1.4): a Map of the file's emails;
//   3. each row's student known and in scope (§5): a Map of the scope's students, looked up
//      once per row (not again for the next row of the same student);
//   4. the stored accounts holding the file's ids (§2.1): each stored guardian id looked up
//      in the Map of 1;
//   5. each account's stored links (§5): a Map of the accounts by id, looked up once per run
//      of links of one account.
//
// Everything a real planner adds (contact keys compared, logins, field changes, link diffs,
// outcomes, the plan) comes on top. Measured as (h) by `npm run bench`, so that (f) can be
// read against what is possible, not only against the parse.
import type { GuardianRow } from '../src/model/guardian-row.js';
import type { RosterSnapshot } from '../src/model/roster.js';

export interface JoinCounts {
  readonly fileIds: number;
  readonly fileEmails: number;
  readonly knownStudentRows: number;
  readonly storedIdsInFile: number;
  readonly linksOfKnownAccounts: number;
}

export function hashJoinFloor(rows: readonly GuardianRow[], snapshot: RosterSnapshot): JoinCounts {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const id = rows[i]!.guardianSisId;
    if (id !== null && !ids.has(id)) ids.set(id, i);
  }

  // One email per guardian id (its first row), as §1.4 compares the ids' winning keys.
  const emails = new Map<string, number>();
  for (const [, i] of ids) {
    const email = rows[i]!.email;
    if (email !== null && !emails.has(email)) emails.set(email, i);
  }

  const schools = new Set(snapshot.scope.schoolIds);
  const students = new Map<string, boolean>();
  for (const student of snapshot.students) students.set(student.sisId, schools.has(student.schoolId));
  let knownStudentRows = 0;
  let last: string | undefined;
  let lastKnown = false;
  for (const row of rows) {
    if (row.studentSisId !== last) {
      last = row.studentSisId;
      lastKnown = students.get(last) === true;
    }
    if (lastKnown) knownStudentRows++;
  }

  let storedIdsInFile = 0;
  const positions = new Map<string, number>();
  for (let pos = 0; pos < snapshot.accounts.length; pos++) {
    const account = snapshot.accounts[pos]!;
    positions.set(account.id, pos);
    for (const role of account.roles) {
      if (role.role !== 'guardian') continue;
      for (const sisId of role.sisIds) if (ids.has(sisId)) storedIdsInFile++;
    }
  }

  let linksOfKnownAccounts = 0;
  let runId: string | undefined;
  let runKnown = false;
  for (const link of snapshot.links) {
    if (link.accountId !== runId) {
      runId = link.accountId;
      runKnown = positions.has(runId);
    }
    if (runKnown) linksOfKnownAccounts++;
  }
  return { fileIds: ids.size, fileEmails: emails.size, knownStudentRows, storedIdsInFile, linksOfKnownAccounts };
}
