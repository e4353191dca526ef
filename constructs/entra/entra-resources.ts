import type { ApplicationApiAccess } from '@cdktf/provider-azuread/lib/application-api-access';
import type { ApplicationOwner } from '@cdktf/provider-azuread/lib/application-owner';
import type { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import type { ApplicationRedirectUris } from '@cdktf/provider-azuread/lib/application-redirect-uris';
import type { ApplicationRegistration } from '@cdktf/provider-azuread/lib/application-registration';
import type { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import type { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import type { Sleep } from '@cdktf/provider-time/lib/sleep';
import type { ClientSecret, SecretRotation } from './client-secret';

/** The Entra objects, present when SSO is enabled. */
export interface BotpressAzureSsoEntra {
  readonly application: ApplicationRegistration;
  readonly redirectUris: ApplicationRedirectUris;
  readonly apiAccess: ApplicationApiAccess;
  readonly servicePrincipal: ServicePrincipal;
  /** The client secret Botpress is given: one re-issued with a restart step, or two alternating slots. */
  readonly clientSecret: ClientSecret;
  /** The drift-free rotation schedule (anchor, generation, next rotation date). */
  readonly secretRotation: SecretRotation;
  /** Access control resources (assignments, consent, owners), when any is declared. */
  readonly access?: EntraAccessResources;
}

/** The access control resources, each keyed by the principal's object id. */
export interface EntraAccessResources {
  /** Waits after the service principal is created, before anything refers to it (provider flakiness). */
  readonly replicationWait: Sleep;
  readonly assignments: ReadonlyMap<string, AppRoleAssignment>;
  readonly adminConsent?: ServicePrincipalDelegatedPermissionGrant;
  readonly owners: ReadonlyMap<string, ApplicationOwner>;
}
