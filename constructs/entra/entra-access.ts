import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ApplicationOwner } from '@cdktf/provider-azuread/lib/application-owner';
import type { ApplicationRegistration } from '@cdktf/provider-azuread/lib/application-registration';
import type { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import type { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import type { AccessOptions } from './access-options';
import type { EntraAccessResources } from './entra-resources';
import { GRAPH_SCOPES } from './graph';

/** Entra's built-in "Default Access" app role, used for apps that define no roles. */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';
/**
 * How long the deploy waits after creating the service principal before it assigns, consents
 * or adds owners. The azuread provider reads a fresh object back from a Graph replica that may
 * not have it yet (open issues #1759, #1811, #1815, #1834: "inconsistent result after apply",
 * 404s, replication timeouts); a short time_sleep is the common mitigation. It runs on creation
 * (and when the registration or service principal is replaced), not on every deploy.
 */
export const REPLICATION_WAIT = '30s';

export interface EntraAccessProps {
  readonly access: AccessOptions;
  readonly application: ApplicationRegistration;
  readonly servicePrincipal: ServicePrincipal;
  /** Microsoft Graph's service principal: the resource of the consent grant. */
  readonly graph: DataAzureadServicePrincipal;
  readonly provider?: TerraformProvider;
  readonly timeProvider?: TerraformProvider;
}

/** Construct ids come from the object id, not the list position: reordering replaces nothing. */
const idFor = (prefix: string, objectId: string) => `${prefix}_${objectId.replace(/-/g, '_')}`;

/**
 * Declares who may sign in (app role assignments of the default access role), tenant-wide admin
 * consent for openid/profile/email, and the owners, on `scope`. Sets the service principal's
 * `app_role_assignment_required` and `owners`. Declares nothing (and returns undefined) when the
 * settings ask for none of it, so that a stack without access settings is unchanged.
 */
export function declareEntraAccess(scope: Construct, props: EntraAccessProps): EntraAccessResources | undefined {
  const { access, application, servicePrincipal, graph, provider } = props;
  // Set here rather than where the service principal is declared, to keep access in one place.
  if (access.assignmentRequired) servicePrincipal.appRoleAssignmentRequired = true;
  if (access.owners.length > 0) servicePrincipal.owners = [...access.owners];

  const principals = [...access.groups, ...access.users];
  if (principals.length === 0 && !access.adminConsent && access.owners.length === 0) return undefined;

  const replicationWait = new Sleep(scope, 'replication_wait', {
    provider: props.timeProvider,
    createDuration: REPLICATION_WAIT,
    // Dependants read these ids back through the wait, so they run after it, and a replaced
    // registration or service principal waits again.
    triggers: { application_id: application.id, service_principal_object_id: servicePrincipal.objectId },
  });
  const applicationId = replicationWait.getStringAttribute('triggers.application_id');
  const servicePrincipalObjectId = replicationWait.getStringAttribute('triggers.service_principal_object_id');

  const assignments = new Map<string, AppRoleAssignment>();
  for (const principal of principals) {
    const assignment = new AppRoleAssignment(scope, idFor('assignment', principal), {
      provider,
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
      principalObjectId: principal,
      resourceObjectId: servicePrincipalObjectId,
    });
    const importId = access.imports.assignments.get(principal);
    if (importId) assignment.importFrom(importId, provider);
    assignments.set(principal, assignment);
  }

  let adminConsent: ServicePrincipalDelegatedPermissionGrant | undefined;
  if (access.adminConsent) {
    // One grant for all three scopes: Entra allows one grant per client/resource pair (a second is a 409).
    adminConsent = new ServicePrincipalDelegatedPermissionGrant(scope, 'admin_consent', {
      provider,
      servicePrincipalObjectId,
      resourceServicePrincipalObjectId: graph.objectId,
      claimValues: [...GRAPH_SCOPES],
      // No userObjectId: consent on behalf of all users.
    });
    if (access.imports.grant) adminConsent.importFrom(access.imports.grant, provider);
  }

  const owners = new Map<string, ApplicationOwner>();
  for (const owner of access.owners) {
    const resource = new ApplicationOwner(scope, idFor('owner', owner), {
      provider,
      applicationId,
      ownerObjectId: owner,
    });
    const importId = access.imports.owners.get(owner);
    if (importId) resource.importFrom(importId, provider);
    owners.set(owner, resource);
  }

  return { replicationWait, assignments, adminConsent, owners };
}
