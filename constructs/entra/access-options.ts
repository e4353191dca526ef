import type { SsoFinding } from '../findings';

/** Who may sign in, consent and ownership, with defaults applied and every id checked. */
export interface AccessOptions {
  /** Object ids of the groups allowed to sign in, lower-cased, in the order given. */
  readonly groups: readonly string[];
  /** Object ids of the users allowed to sign in, lower-cased, in the order given. */
  readonly users: readonly string[];
  /** Whether the service principal requires an assignment (Entra: "Assignment required?"). */
  readonly assignmentRequired: boolean;
  /** Whether the deploy grants tenant-wide admin consent for openid, profile and email. */
  readonly adminConsent: boolean;
  /** Object ids of the owners of the registration and of the service principal, lower-cased. */
  readonly owners: readonly string[];
  /** Import ids of existing objects, where the `adopt` settings name them. */
  readonly imports: AccessImports;
  /** Things an admin should know that do not stop the deploy. */
  readonly findings: readonly SsoFinding[];
}

export interface AccessImports {
  /** Principal object id -> import id `/servicePrincipals/<sp>/appRoleAssignedTo/<assignment id>`. */
  readonly assignments: ReadonlyMap<string, string>;
  /** `/oauth2PermissionGrants/<id>`, when the existing grant is named. */
  readonly grant?: string;
  /** Owner object id -> import id `/applications/<app>/owners/<owner>`. */
  readonly owners: ReadonlyMap<string, string>;
}
