// The library's entry: exports only. Everything not named here is internal.
export { BotpressAzureSso } from './botpress-azure-sso';
export type {
  AdoptExistingApplication,
  BotpressAzureSsoAccess,
  BotpressAzureSsoEntra,
  BotpressAzureSsoProps,
  BotpressAzureSsoProviders,
  EntraAccessResources,
  ResolvedSsoProps,
  BotpressStorage,
  SecretDelivery,
} from './botpress-azure-sso-props';
export type { AccessOptions } from './private/validate-access';
export { DEFAULT_ACCESS_ROLE_ID, REPLICATION_WAIT } from './entra/entra-access';
export { BotpressSsoStack } from './botpress-sso-stack';
export type { AzurermBackendProps, BotpressSsoStackProps } from './botpress-sso-stack';
export { secretEnvironmentVariable } from './botpress/strategy-entry';
export { SECRET_GRACE_DAYS, SSO_DEFAULTS, SSO_LIMITS } from './defaults';
export { AUDIENCE_DESCRIPTIONS, AZURE_CLOUDS, CLOUDS, SIGN_IN_AUDIENCES, oauthEndpoints } from './entra/endpoints';
export type { AzureCloud, SignInAudience } from './entra/endpoints';
export { GRAPH_SCOPES, MICROSOFT_GRAPH_CLIENT_ID } from './entra/graph';
export type { EntraObjectDescription } from './entra/entra-objects';
export type { Described } from './entra/described';
export { FINDING_KINDS, findingText } from './findings';
export type { FindingKind, FindingLevel, SsoFinding } from './findings';
export { SsoInputError, SsoInputErrors } from './input-error';
export { PREVIEW_PLACEHOLDERS } from './private/render-config';
