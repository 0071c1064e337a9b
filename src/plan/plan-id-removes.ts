// docs/identity-rules.md §2.1: a guardianSisId is held by at most one account of its district.
// When a guardian of the file ends on an account that does not hold one of its ids while
// another account does (a merged duplicate whose two people now differ, §1.4, and split;
// the day-1 file coming back after such a split; an id given to a new account), the plan
// takes the id off the other account in the same plan; `planWrites` writes id removes in a
// phase before the creates and role adds that give the id, so no moment of the apply has
// the id on two accounts.
import { createIssue, type Issue } from '../errors/issue.js';
import { compareText } from '../model/compare-text.js';
import type { RoleIdRemove } from '../model/plan.js';
import { guardianRoleOf, type Account } from '../model/roster.js';
import type { FileGuardian } from '../resolve/group-rows-into-guardians.js';
import type { LinkLines } from './link-lines.js';
import type { IdCandidates } from '../resolve/id-candidates.js';

export interface IdRemovesInput {
  readonly guardians: readonly FileGuardian[];
  /** The account each guardian ends with, by index (null: not added, its ids stay where they are). */
  readonly accountIds: readonly (string | null)[];
  /** Lines of each guardian's rows that ask for a link, by index. */
  readonly linkLines: LinkLines;
  /** The snapshot's accounts holding each guardian's ids in the district. */
  readonly candidates: IdCandidates;
  readonly accounts: readonly Account[];
  readonly districtId: string;
}

export interface IdRemoves {
  /** By account id. */
  readonly removes: RoleIdRemove[];
  /** GUARDIAN_ID_MOVED (info) for each id that left another account, on the first row carrying it. */
  readonly issues: Issue[];
}

/**
 * The ids to take off each account that holds a guardian's id but is not that guardian's
 * account, and an issue saying so on the guardian's line: an id moving off an account is a
 * change a district should see (the people it names now differ, or a run came back).
 */
export function planIdRemoves(input: IdRemovesInput): IdRemoves {
  const { guardians, accountIds, candidates, accounts, districtId } = input;
  const byAccount = new Map<string, { sisIds: string[]; lines: number[] }>();
  const issues: Issue[] = [];
  for (const g of guardians) {
    const target = accountIds[g.index] ?? null;
    if (target === null || g.sisIds.length === 0) continue;
    const single = candidates.single(g.index);
    // The usual case: the one holder is the guardian's own account, and nothing is built.
    if (single === -1 || (single >= 0 && accounts[single]!.id === target)) continue;
    const holders = single >= 0 ? [single] : candidates.several(g.index);
    const moved: string[] = [];
    for (const pos of holders) {
      const account = accounts[pos]!;
      if (account.id === target) continue;
      // A holder holds at least one of the guardian's ids in the district (see findIdCandidates).
      const held = guardianRoleOf(account, districtId)!.sisIds;
      const ids = g.sisIds.filter((id) => held.includes(id));
      let entry = byAccount.get(account.id);
      if (entry === undefined) byAccount.set(account.id, (entry = { sisIds: [], lines: [] }));
      // An id belongs to one guardian of the file, which visits each holder once: no id twice.
      entry.sisIds.push(...ids);
      // Damaged data can give one id to several holders: it moves (and is reported) once.
      for (const id of ids) if (!moved.includes(id)) moved.push(id);
      // Rows of one guardian may share a line (OneRoster): each line once.
      for (const line of input.linkLines.of(g.index)) if (!entry.lines.includes(line)) entry.lines.push(line);
    }
    // On a row of the id itself: a merged guardian (§1.4) has rows of several ids.
    for (const id of moved) issues.push(idMoved(g.rows.find((row) => row.guardianSisId === id)!.line, id));
  }
  const out: RoleIdRemove[] = [];
  for (const [accountId, { sisIds, lines }] of byAccount) {
    out.push({ accountId, role: 'guardian', sisIds: sisIds.sort(compareText), lines: lines.sort((a, b) => a - b) });
  }
  return { removes: out.sort((a, b) => compareText(a.accountId, b.accountId)), issues };
}

function idMoved(line: number, id: string): Issue {
  return createIssue(
    'GUARDIAN_ID_MOVED',
    `Guardian id "${id}" on line ${line} moved to another account: the account that held it belongs to another guardian of this file now (their names or contacts differ, or they are one person again), so the id was taken off it.`,
    { line, column: 'guardianSisId' },
  );
}
