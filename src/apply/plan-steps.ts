// One item of a plan with its kind, so an error can name the item it could not apply
// (`UnappliablePlanError`). The order stores write in is `planWrites`' phases, not a list of
// steps: see RosterWriter in src/contracts/roster-store.ts.
import type { AccountCreate, AccountUpdate, LinkChange, RoleAdd, RoleIdRemove, RoleStatusChange } from '../model/plan.js';

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
