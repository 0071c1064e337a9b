// The CredentialSolver (src/resolve/credential-solver.ts) as one call over a list of request
// objects: the shape the test oracle (credential-oracle.ts) takes and returns, so tests can
// compare the two. The library reads requests by position and never builds these objects.
import type { Issue } from '../../src/errors/issue.js';
import type { Account } from '../../src/model/roster.js';
import { CredentialSolver, type CredentialField, type CredentialRequests } from '../../src/resolve/credential-solver.js';
import type { FileGuardian } from '../../src/resolve/group-rows-into-guardians.js';
import type { RosterIndex } from '../../src/resolve/roster-index.js';

export interface CredentialRequest {
  readonly guardian: FileGuardian;
  /** The matched stored account, or null when the guardian gets a new account. */
  readonly account: Account | null;
  /** A claimed account the sync may not change (§4): it keeps its logins, whatever the file says. */
  readonly locked: boolean;
  /** Logins of the file this guardian does not ask for (their account keeps its value in these fields). */
  readonly ignore?: ReadonlySet<CredentialField> | undefined;
}

export interface Credentials {
  readonly email: string | null;
  readonly mobilePhone: string | null;
}

export interface CredentialAssignment {
  /** The logins each request's account ends with, in request order. */
  readonly credentials: readonly Credentials[];
  /** For each request, the stored accounts whose login it takes over (their updates go first). */
  readonly after: readonly (readonly string[])[];
  /** CREDENTIAL_IN_USE warnings, in line order. */
  readonly issues: readonly Issue[];
}

/** Every request's logins, hand-overs and issues, as a fresh {@link CredentialSolver} decides them. */
export function assignCredentials(requests: readonly CredentialRequest[], index: RosterIndex): CredentialAssignment {
  const solver = new CredentialSolver(credentialRequestsOf(requests), index);
  return {
    credentials: requests.map((_, i): Credentials => ({ email: solver.email(i), mobilePhone: solver.mobilePhone(i) })),
    after: requests.map((_, i) => solver.after(i)),
    issues: solver.issues(),
  };
}

/** A list of request objects as the {@link CredentialRequests} a solver reads. */
export function credentialRequestsOf(requests: readonly CredentialRequest[]): CredentialRequests {
  return {
    length: requests.length,
    present: () => true,
    guardian: (i) => requests[i]!.guardian,
    account: (i) => requests[i]!.account,
    locked: (i) => requests[i]!.locked,
    ignores: (i, field) => requests[i]!.ignore?.has(field) === true,
  };
}
