// Options the memory and SQLite stores take besides their backend: the clock of lock leases
// and the ids of accounts a roster import creates. The PostgreSQL store takes `newAccountId`
// alone: its locks are server sessions, with no lease to time.

export interface StoreHooks {
  /** Clock for lock leases, in epoch milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Ids of accounts a roster import creates. @default crypto.randomUUID */
  readonly newAccountId?: (() => string) | undefined;
}
