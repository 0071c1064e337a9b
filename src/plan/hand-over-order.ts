// Updates ordered so that an account giving a login up is updated before the account taking
// it over: a store applying items one by one, with unique logins, never sees two holders.
import type { AccountUpdate } from '../model/plan.js';

/**
 * `before`: for an account, the accounts whose login it takes over (their updates go first).
 * Stable: otherwise the given order. Chains are acyclic: swaps are refused by §3.
 */
export function inHandOverOrder(updates: AccountUpdate[], before: ReadonlyMap<string, readonly string[]>): AccountUpdate[] {
  if (before.size === 0) return updates;
  const rank = new Map<string, number>();
  const rankOf = (start: string): number => {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack[stack.length - 1]!;
      if (rank.has(id)) {
        stack.pop();
        continue;
      }
      const preds = before.get(id) ?? [];
      const pending = preds.filter((p) => !rank.has(p));
      if (pending.length > 0) {
        // Hand-over chains are acyclic (swaps are refused); the bound only keeps a bug finite.
        if (stack.length > 2 * updates.length + 2) break;
        stack.push(...pending);
        continue;
      }
      // Every predecessor is ranked by now (none pending).
      rank.set(id, preds.reduce((m, p) => Math.max(m, rank.get(p)! + 1), 0));
      stack.pop();
    }
    return rank.get(start) ?? 0;
  };
  return updates
    .map((u, i) => ({ u, i, r: rankOf(u.accountId) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.u);
}
