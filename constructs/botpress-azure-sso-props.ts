import type { TerraformProvider } from 'cdktf';
import type { ApplicationApiAccess } from '@cdktf/provider-azuread/lib/application-api-access';
import type { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import type { ApplicationRedirectUris } from '@cdktf/provider-azuread/lib/application-redirect-uris';
import type { ApplicationRegistration } from '@cdktf/provider-azuread/lib/application-registration';
import type { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import type { Rotating } from '@cdktf/provider-time/lib/rotating';
import type { AzureCloud, SignInAudience } from './endpoints';
import type { ObservedFile } from './file-ownership';

/** How Botpress receives the client secret. */
export type SecretDelivery =
  /** Written into botpress.config.json, as Botpress documents. */
  | { readonly kind: 'config-file' }
  /** Written to an env file as `BP_CONFIG_AUTHSTRATEGIES_<NAME>_OPTIONS_CLIENTSECRET`. */
  | { readonly kind: 'environment'; readonly envFilePath: string };

/** An app registration made by hand that this construct should take over instead of duplicating. */
export interface AdoptExistingApplication {
  /** Object id (not client id) of the existing app registration. */
  readonly applicationObjectId: string;
  /** Object id of its service principal (enterprise application), if it has one. */
  readonly servicePrincipalObjectId?: string;
  /**
   * Import the app's existing Microsoft Graph permission entry (the portal adds User.Read to
   * every new registration).
   * @default true
   */
  readonly importGraphApiAccess?: boolean;
}

/** Providers to use instead of the stack's default ones (for example aliased providers). */
export interface BotpressAzureSsoProviders {
  readonly azuread?: TerraformProvider;
  readonly local?: TerraformProvider;
  readonly time?: TerraformProvider;
}

export interface BotpressAzureSsoProps {
  /**
   * Botpress's external URL (`httpServer.externalUrl`): https, or http for localhost only. May
   * carry a path prefix, with or without a trailing slash; no query or fragment.
   * @example 'https://bots.example.com'
   */
  readonly botpressUrl: string;
  /**
   * The current text of Botpress's `data/global/botpress.config.json`. The construct does no
   * file I/O: read the file and pass its content. Everything in it is preserved.
   */
  readonly baseConfig: string;
  /**
   * Where Terraform writes the rendered config: relative to the stack's working directory
   * (`cdktf.out/stacks/<stack>`) or absolute. Must be the file `baseConfig` was read from.
   * @example '../../../botpress/data/global/botpress.config.json'
   */
  readonly configFilePath: string;
  /**
   * Key under `authStrategies`, and the last segment of the callback URL. Letters, digits,
   * `-` and `_`; with environment delivery, no `-`.
   * @default 'azuread'
   */
  readonly strategyName?: string;
  /**
   * Who may sign in: `AzureADMyOrg` (this tenant), `AzureADMultipleOrgs` (any work or school
   * account), `AzureADandPersonalMicrosoftAccount`, `PersonalMicrosoftAccount`.
   * @default 'AzureADMyOrg'
   */
  readonly signInAudience?: SignInAudience;
  /**
   * The Microsoft cloud. Personal-account audiences exist only in `public`.
   * @default 'public'
   */
  readonly cloud?: AzureCloud;
  /**
   * Directory (tenant) id, a GUID. Used in single-tenant endpoints.
   * @default the tenant of the deploying credentials (data source azuread_client_config)
   */
  readonly tenantId?: string;
  /**
   * Display name of the app registration.
   * @default 'Botpress SSO (<strategyName>)'
   */
  readonly displayName?: string;
  /**
   * Text of the sign-in button in Botpress.
   * @default Botpress's own label for the strategy
   */
  readonly label?: string;
  /**
   * Whether anyone who can sign in to Entra may create a Botpress collaborator account.
   * @default false
   */
  readonly allowSelfSignup?: boolean;
  /**
   * `false` removes SSO: no Entra resources, and the strategy is taken out of the config.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How Botpress receives the client secret.
   * @default { kind: 'config-file' }
   */
  readonly secretDelivery?: SecretDelivery;
  /**
   * Days between client secret rotations, 1 to 730. Each secret stays valid
   * `SECRET_GRACE_DAYS` after its rotation date.
   * @default 180
   */
  readonly secretRotationDays?: number;
  /** Take over an app registration made by hand (generates import blocks). */
  readonly adopt?: AdoptExistingApplication;
  /**
   * Octal mode the config file gets at every deploy (the `configFileMode` setting). Without it an
   * existing file keeps its mode, and a new one gets 0600. Owner and group are always kept.
   * @default the file's current mode; '0600' for a new file
   */
  readonly filePermission?: string;
  /**
   * Owner, group and mode of `configFilePath` as seen before synthesis (plain data; the
   * construct does no file I/O). Used for warnings, such as a mode that lets every user read the
   * client secret. Absent: the file is new, or its attributes are unknown.
   */
  readonly configFileAttributes?: ObservedFile;
  /** Providers to use; by default the stack's default providers of each type. */
  readonly providers?: BotpressAzureSsoProviders;
}

/** The Entra objects, present when SSO is enabled. */
export interface BotpressAzureSsoEntra {
  readonly application: ApplicationRegistration;
  readonly redirectUris: ApplicationRedirectUris;
  readonly apiAccess: ApplicationApiAccess;
  readonly servicePrincipal: ServicePrincipal;
  readonly clientSecret: ApplicationPasswordA;
  readonly secretRotation: Rotating;
}
