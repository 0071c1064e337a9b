// Options every shipped store takes besides its backend: the clock of lock leases and the
// ids of accounts a roster import creates.

export interface StoreHooks {
  /** Clock for lock leases, in epoch milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Ids of accounts a roster import creates. @default crypto.randomUUID */
  readonly newAccountId?: (() => string) | undefined;
}
