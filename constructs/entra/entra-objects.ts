/**
 * The Entra ID objects of one Botpress SSO app, declared with the azuread provider, and their
 * description as data: what each is, and where it is imported from when adopting a hand-made
 * app. `npm start`, the plan review and the tests render that list instead of restating it.
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { ApplicationApiAccess } from '@cdktf/provider-azuread/lib/application-api-access';
import { ApplicationRedirectUris } from '@cdktf/provider-azuread/lib/application-redirect-uris';
import { ApplicationRegistration } from '@cdktf/provider-azuread/lib/application-registration';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { escapeTemplateLiteral } from '../text/terraform-template';
import type { AccessOptions } from './access-options';
import { AdoptExistingApplication, IMPORT_GRAPH_API_ACCESS_BY_DEFAULT } from './adoption';
import { SecretRotationMode, declareClientSecret, describeClientSecret } from './client-secret';
import { Described, emphasis, value } from './described';
import { AUDIENCE_DESCRIPTIONS } from './endpoints';
import { GRAPH_SCOPES, MICROSOFT_GRAPH_CLIENT_ID } from './graph';
import { declareEntraAccess } from './entra-access';
import type { StateLocation } from './rotation-guard';
import type { BotpressAzureSsoEntra } from './entra-resources';
import type { SignInAudience } from './endpoints';

/** What the Entra objects are made from: the construct's resolved props satisfy it. */
export interface EntraAppOptions {
  readonly displayName: string;
  readonly signInAudience: SignInAudience;
  /** Botpress's external URL, the registration's home page. */
  readonly botpressUrl: string;
  /** Registered as the Web redirect URI. */
  readonly callbackUrl: string;
  readonly secretRotationDays: number;
  /** `restart` with a restart step, `two-slots` without. */
  readonly secretRotationMode: SecretRotationMode;
  /** Where the stack's state is, for the rotation guard; none: no guard. */
  readonly stateLocation?: StateLocation;
}

/** One Entra object of the stack, described for people. */
export interface EntraObjectDescription {
  /** Construct id of the resource: part of its Terraform address. */
  readonly constructId: string;
  /** A few words for one-line summaries ("service principal"). */
  readonly summary: Described;
  /** A sentence for reviews. */
  readonly detail: Described;
  /** When adopting: the id Terraform imports the object from, if it can be imported. */
  readonly importFrom?: string;
  /** When adopting: what happens to the existing object. */
  readonly adoption?: Described;
}

export interface DeclaredEntra {
  readonly resources: BotpressAzureSsoEntra;
  readonly objects: readonly EntraObjectDescription[];
}

/**
 * Declares the app registration, its Web redirect URI, the Graph scopes, the service principal
 * and the rotating client secret in `scope`, importing them when `adopt` names an existing app.
 */
export function declareEntraObjects(
  scope: Construct,
  options: EntraAppOptions,
  providers: { readonly azuread?: TerraformProvider; readonly time?: TerraformProvider },
  adopt: AdoptExistingApplication | undefined,
  access: AccessOptions,
): DeclaredEntra {
  const provider = providers.azuread;
  const application = new ApplicationRegistration(scope, 'application', {
    provider,
    displayName: escapeTemplateLiteral(options.displayName),
    signInAudience: options.signInAudience,
    implicitIdTokenIssuanceEnabled: true,
    // v2 tokens: required by the personal-account audiences, right for all.
    requestedAccessTokenVersion: 2,
    homepageUrl: options.botpressUrl,
    notes: 'Managed by botpress-azure-sso with Terraform; changes made in the portal are overwritten.',
  });
  const redirectUris = new ApplicationRedirectUris(scope, 'redirect_uris', {
    provider,
    applicationId: application.id,
    type: 'Web',
    redirectUris: [options.callbackUrl],
  });
  const graph = new DataAzureadServicePrincipal(scope, 'microsoft_graph', {
    provider,
    clientId: MICROSOFT_GRAPH_CLIENT_ID,
  });
  const apiAccess = new ApplicationApiAccess(scope, 'graph_access', {
    provider,
    applicationId: application.id,
    apiClientId: MICROSOFT_GRAPH_CLIENT_ID,
    scopeIds: GRAPH_SCOPES.map((name) => graph.oauth2PermissionScopeIds.lookup(name)),
  });
  const servicePrincipal = new ServicePrincipal(scope, 'service_principal', {
    provider,
    clientId: application.clientId,
  });
  const { rotation: secretRotation, secret: clientSecret } = declareClientSecret(scope, {
    provider,
    applicationId: application.id,
    rotationDays: options.secretRotationDays,
    mode: options.secretRotationMode,
    stateLocation: options.stateLocation,
  });

  const app = adopt && `/applications/${adopt.applicationObjectId}`;
  const imports = {
    application: app,
    redirectUris: app && `${app}/redirectUris/Web`,
    apiAccess:
      app && (adopt.importGraphApiAccess ?? IMPORT_GRAPH_API_ACCESS_BY_DEFAULT)
        ? `${app}/apiAccess/${MICROSOFT_GRAPH_CLIENT_ID}`
        : undefined,
    servicePrincipal: adopt?.servicePrincipalObjectId && `/servicePrincipals/${adopt.servicePrincipalObjectId}`,
  };
  if (imports.application) application.importFrom(imports.application, provider);
  if (imports.redirectUris) redirectUris.importFrom(imports.redirectUris, provider);
  if (imports.apiAccess) apiAccess.importFrom(imports.apiAccess, provider);
  if (imports.servicePrincipal) servicePrincipal.importFrom(imports.servicePrincipal, provider);

  const scopes = GRAPH_SCOPES.flatMap((name, i) => (i === 0 ? [value(name)] : [', ', value(name)]));
  const from = (id: string | undefined): Described => (id ? [' from ', value(id)] : []);
  const objects: EntraObjectDescription[] = [
    {
      constructId: application.node.id,
      summary: ['app registration'],
      detail: [
        'App registration ',
        value(options.displayName),
        ', sign-in audience ',
        value(options.signInAudience),
        ` (${AUDIENCE_DESCRIPTIONS[options.signInAudience]}), ID tokens enabled, v2 access tokens`,
      ],
      importFrom: imports.application,
      adoption: adopt && [
        'App registration',
        ...from(imports.application),
        ': its display name, audience and settings become the values above',
      ],
    },
    {
      constructId: redirectUris.node.id,
      summary: ['Web redirect URI ', value(options.callbackUrl)],
      detail: ['Web redirect URI ', value(options.callbackUrl)],
      importFrom: imports.redirectUris,
      adoption: adopt && [
        'Web redirect URIs',
        ...from(imports.redirectUris),
        ': the list becomes exactly the callback URL',
      ],
    },
    {
      constructId: apiAccess.node.id,
      summary: [`Graph scopes ${GRAPH_SCOPES.join(' ')}`],
      detail: ['Microsoft Graph delegated permissions ', ...scopes],
      importFrom: imports.apiAccess,
      adoption:
        adopt &&
        (imports.apiAccess
          ? [
              'Microsoft Graph permissions',
              ...from(imports.apiAccess),
              `: they become exactly ${GRAPH_SCOPES.join(', ')} (for example the portal's User.Read goes)`,
            ]
          : ['Microsoft Graph permissions: created (adopt.importGraphApiAccess is false)']),
    },
    {
      constructId: servicePrincipal.node.id,
      summary: ['service principal'],
      detail: ['Service principal (enterprise application) of the app registration'],
      importFrom: imports.servicePrincipal,
      adoption:
        adopt &&
        (imports.servicePrincipal
          ? ['Service principal', ...from(imports.servicePrincipal)]
          : [
              'Service principal: created; if the app already has an enterprise application, set adopt.servicePrincipalObjectId so that it is imported instead',
            ]),
    },
    {
      constructId: (clientSecret.mode === 'restart' ? clientSecret.password : clientSecret.slots.a).node.id,
      ...describeClientSecret(clientSecret.mode, options.secretRotationDays),
      adoption: adopt && [
        emphasis('Client secret: cannot be imported.'),
        ' Entra never reveals an existing secret, so this deploy issues a new one and gives it to Botpress. ' +
          "The app's existing secrets keep working until they expire; delete them in the Entra admin center once Botpress runs with the new one.",
      ],
    },
  ];
  const accessResources = declareEntraAccess(scope, {
    access,
    application,
    servicePrincipal,
    graph,
    provider,
    timeProvider: providers.time,
  });
  return {
    resources: {
      application,
      redirectUris,
      apiAccess,
      servicePrincipal,
      clientSecret,
      secretRotation,
      access: accessResources,
    },
    objects,
  };
}
