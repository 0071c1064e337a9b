// A plan as one ordered list of steps: the order every shipped store applies items in, and
// the numbering the memory store's `onApplyStep` hook and the interruption tests count by.
import type { AccountCreate, AccountUpdate, LinkChange, RoleAdd, RoleIdRemove, RoleStatusChange, SyncPlan } from '../model/plan.js';

export type PlanStep =
  | { readonly kind: 'create'; readonly item: AccountCreate }
  | { readonly kind: 'update'; readonly item: AccountUpdate }
  | { readonly kind: 'id-remove'; readonly item: RoleIdRemove }
  | { readonly kind: 'role-add'; readonly item: RoleAdd }
  | { readonly kind: 'link-add'; readonly item: LinkChange }
  | { readonly kind: 'link-remove'; readonly item: LinkChange }
  | { readonly kind: 'archive'; readonly item: RoleStatusChange }
  | { readonly kind: 'restore'; readonly item: RoleStatusChange };

export type PlanStepKind = PlanStep['kind'];

/** Number of steps (items) of a plan. */
export function countPlanSteps(plan: SyncPlan): number {
  return (
    plan.creates.length +
    plan.updates.length +
    plan.roleAdds.length +
    plan.idRemoves.length +
    plan.linkAdds.length +
    plan.linkRemoves.length +
    plan.archives.length +
    plan.restores.length
  );
}

/**
 * The plan's items in apply order: updates first, so an email or mobile an account gives up
 * is free before a new account takes it (no moment where two accounts share a login, and no
 * clash with a unique index); id removes before creates and role adds, so an SIS id is never
 * on two accounts of the district; creates before the role adds, status changes and links
 * that refer to them. Lazy, so a million-item plan is never copied.
 */
export function* planSteps(plan: SyncPlan): Generator<PlanStep, void, undefined> {
  for (const item of plan.updates) yield { kind: 'update', item };
  for (const item of plan.idRemoves) yield { kind: 'id-remove', item };
  for (const item of plan.creates) yield { kind: 'create', item };
  for (const item of plan.roleAdds) yield { kind: 'role-add', item };
  for (const item of plan.restores) yield { kind: 'restore', item };
  for (const item of plan.archives) yield { kind: 'archive', item };
  for (const item of plan.linkAdds) yield { kind: 'link-add', item };
  for (const item of plan.linkRemoves) yield { kind: 'link-remove', item };
}

/** Short description of a step for error messages: kind and ids, never names or contacts. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case 'create':
      return `create of account "${step.item.accountId}"`;
    case 'update':
      return `update of account "${step.item.accountId}"`;
    case 'role-add':
      return `guardian role add on account "${step.item.accountId}"`;
    case 'id-remove':
      return `guardian id remove on account "${step.item.accountId}"`;
    case 'link-add':
      return `link add (account "${step.item.accountId}", student "${step.item.studentSisId}")`;
    case 'link-remove':
      return `link remove (account "${step.item.accountId}", student "${step.item.studentSisId}")`;
    case 'archive':
      return `archive of the guardian role of account "${step.item.accountId}"`;
    case 'restore':
      return `restore of the guardian role of account "${step.item.accountId}"`;
  }
}
