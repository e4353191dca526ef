import type { AdoptExistingApplication, BotpressAzureSsoAccess } from '../botpress-azure-sso-props';
import { SSO_LIMITS } from '../defaults';
import { FINDING_KINDS, SsoFinding, finding } from '../findings';
import { SsoInputError } from '../input-error';
import type { AccessImports, AccessOptions } from '../entra/access-options';

export type { AccessOptions } from '../entra/access-options';

export interface AccessProps {
  readonly access?: BotpressAzureSsoAccess;
  readonly adminConsent?: boolean;
  readonly owners?: readonly string[];
  readonly adopt?: AdoptExistingApplication;
}

/** Checks a list of object ids: each a GUID, none twice (ids are compared without case). */
function objectIds(
  field: string,
  ids: readonly string[] | undefined,
  seen: Map<string, string>,
  what: string,
): string[] {
  const result: string[] = [];
  (ids ?? []).forEach((id, index) => {
    const at = `${field}.${index}`;
    if (typeof id !== 'string' || !SSO_LIMITS.guid.test(id)) {
      throw new SsoInputError(
        at,
        id,
        'is not an object id (a GUID)',
        `use the Object ID from the ${what}'s Overview page in the Entra admin center, for example "7d9f3c1e-2b4a-4e8d-9c6f-1a2b3c4d5e6f"; names and e-mail addresses are not accepted`,
      );
    }
    const key = id.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new SsoInputError(
        at,
        id,
        `is listed twice (also at ${earlier})`,
        `remove one of them; ${field.startsWith('owners') ? 'an owner is added once' : 'a principal needs one assignment, and groups and users share one list of assignments'}`,
      );
    }
    seen.set(key, at);
    result.push(key);
  });
  return result;
}

/**
 * Applies the defaults of the access settings and checks them. Field names are the settings
 * file's. Defaults: assignment is required when a group or user is listed; admin consent is
 * granted when assignment is required, because Entra then disables user consent for the app.
 */
export function validateAccessOptions(props: AccessProps): AccessOptions {
  const principals = new Map<string, string>();
  const groups = objectIds('access.groups', props.access?.groups, principals, 'group');
  const users = objectIds('access.users', props.access?.users, principals, 'user');
  const owners = objectIds('owners', props.owners, new Map(), 'user or enterprise application');

  const assignmentRequired = props.access?.assignmentRequired ?? groups.length + users.length > 0;
  const adminConsent = props.adminConsent ?? assignmentRequired;
  const findings: SsoFinding[] = [];
  if (assignmentRequired && !adminConsent) {
    findings.push(
      finding(
        FINDING_KINDS.adminConsentWithheld,
        'adminConsent',
        'is false while access.assignmentRequired is true: Entra lets no user consent to an app that requires assignment, so sign-in fails with AADSTS65001 until an admin grants consent',
        'set adminConsent to true, or grant consent in the Entra admin center',
      ),
    );
  }

  return {
    groups,
    users,
    assignmentRequired,
    adminConsent,
    owners,
    imports: accessImports(props.adopt, principals, owners, adminConsent),
    findings,
  };
}

function accessImports(
  adopt: AdoptExistingApplication | undefined,
  principals: ReadonlyMap<string, string>,
  owners: readonly string[],
  adminConsent: boolean,
): AccessImports {
  const assignments = new Map<string, string>();
  const ownerImports = new Map<string, string>();
  if (!adopt) return { assignments, owners: ownerImports };

  const named = Object.entries(adopt.appRoleAssignments ?? {});
  if (named.length > 0 && !adopt.servicePrincipalObjectId) {
    throw new SsoInputError(
      'adopt.appRoleAssignments',
      Object.fromEntries(named),
      'needs adopt.servicePrincipalObjectId: an assignment is imported through the service principal it belongs to',
      "add adopt.servicePrincipalObjectId (the Object ID on the enterprise application's Overview page), or remove adopt.appRoleAssignments",
    );
  }
  for (const [principal, assignmentId] of named) {
    const at = `adopt.appRoleAssignments.${principal}`;
    if (!principals.has(principal.toLowerCase())) {
      throw new SsoInputError(
        at,
        assignmentId,
        'names a principal that is in neither access.groups nor access.users',
        'add the principal to access.groups or access.users, or remove this entry (then the deploy creates the assignment and fails if it already exists)',
      );
    }
    if (typeof assignmentId !== 'string' || !/^[A-Za-z0-9_-]{10,}$/.test(assignmentId)) {
      throw new SsoInputError(
        at,
        assignmentId,
        'is not an app role assignment id',
        'use the assignment id from Microsoft Graph: GET /servicePrincipals/<id>/appRoleAssignedTo lists it as "id" (a string of letters, digits, "-" and "_")',
      );
    }
    assignments.set(
      principal.toLowerCase(),
      `/servicePrincipals/${adopt.servicePrincipalObjectId}/appRoleAssignedTo/${assignmentId}`,
    );
  }

  let grant: string | undefined;
  if (adopt.delegatedPermissionGrantId !== undefined) {
    const id = adopt.delegatedPermissionGrantId;
    if (!adminConsent) {
      throw new SsoInputError(
        'adopt.delegatedPermissionGrantId',
        id,
        'names a grant to import, but adminConsent is false, so no grant is declared',
        'set adminConsent to true, or remove adopt.delegatedPermissionGrantId',
      );
    }
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{10,}$/.test(id)) {
      throw new SsoInputError(
        'adopt.delegatedPermissionGrantId',
        id,
        'is not a delegated permission grant id',
        'use the "id" that Microsoft Graph lists under GET /servicePrincipals/<id>/oauth2PermissionGrants (a string of letters, digits, "-" and "_")',
      );
    }
    grant = `/oauth2PermissionGrants/${id}`;
  }

  const seen = new Map<string, string>();
  for (const owner of objectIds('adopt.owners', adopt.owners, seen, 'user or enterprise application')) {
    if (!owners.includes(owner)) {
      throw new SsoInputError(
        seen.get(owner) ?? 'adopt.owners',
        owner,
        'is not in owners',
        'add it to owners too (an imported owner that is not declared would be removed), or remove it here',
      );
    }
    ownerImports.set(owner, `/applications/${adopt.applicationObjectId}/owners/${owner}`);
  }
  return { assignments, grant, owners: ownerImports };
}
