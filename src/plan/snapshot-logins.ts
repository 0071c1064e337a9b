// The logins a sync hands the store with its snapshot request (docs/identity-rules.md §7): every
// email and mobile the file carries, folded as the planner compares them. The planner looks
// up no other login (matching by contact key, §2.2, and the holders of asked logins, §3, are
// all logins of the file's rows), so a store that returns the holders of these is enough.
import type { GuardianRow } from '../model/guardian-row.js';
import type { SnapshotLogins } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';

/** The file's emails (folded by `emailKey`) and mobiles, each once, in first-row order. */
export function snapshotLogins(rows: readonly GuardianRow[]): SnapshotLogins {
  const emails = new Set<string>();
  const mobiles = new Set<string>();
  for (const row of rows) {
    const email = emailKey(row.email);
    if (email !== null) emails.add(email);
    const mobile = mobileKey(row.mobilePhone);
    if (mobile !== null) mobiles.add(mobile);
  }
  return { emails: [...emails], mobiles: [...mobiles] };
}
