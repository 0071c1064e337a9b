// Options every shipped store takes besides its backend: the clock of lock expiry, the ids
// of accounts a roster import creates, and the step hook that fault-injection tests use.
import type { PlanStep } from './plan-steps.js';

export interface StoreHooks {
  /** Clock for lock expiry, in epoch milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined;
  /**
   * Called before each plan item is applied, with its 0-based step number in `planSteps`
   * order. Throwing from it interrupts the apply at that item: an atomic store rolls the
   * whole plan back, the memory store keeps the items before it. The deterministic fault
   * injection the interruption and atomicity tests use.
   */
  readonly onApplyStep?: ((step: number, item: PlanStep) => void) | undefined;
  /** Ids of accounts a roster import creates. @default crypto.randomUUID */
  readonly newAccountId?: (() => string) | undefined;
}
