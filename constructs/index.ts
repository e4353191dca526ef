// The library's entry: exports only. Everything not named here is internal (package.json's
// `exports` map makes this file the only door). Every type a prop, attribute or error mentions is here.
export { BotpressAzureSso } from './botpress-azure-sso';
export type {
  AdoptExistingApplication,
  BotpressAzureSsoAccess,
  BotpressAzureSsoEntra,
  BotpressAzureSsoProps,
  BotpressAzureSsoProviders,
  BotpressRestart,
  ClientSecret,
  EntraAccessResources,
  RestartedClientSecret,
  ResolvedSsoProps,
  SecretRotation,
  SecretRotationMode,
  SlottedClientSecret,
  StateLocation,
  BotpressStorage,
  SecretDelivery,
} from './botpress-azure-sso-props';
export { BotpressSsoStack } from './botpress-sso-stack';
export type { AzurermBackendProps, BotpressSsoStackProps } from './botpress-sso-stack';
export { SECRET_GRACE_DAYS, SSO_DEFAULTS, SSO_LIMITS } from './defaults';
export { FINDING_KINDS, findingText } from './findings';
export type { FindingKind, FindingLevel, SsoFinding } from './findings';
export { SsoInputError, SsoInputErrors } from './input-error';

// Entra: endpoints, Graph, access control, and the objects described for people.
export type { AccessImports, AccessOptions } from './entra/access-options';
export { AUDIENCE_DESCRIPTIONS, AZURE_CLOUDS, CLOUDS, SIGN_IN_AUDIENCES, oauthEndpoints } from './entra/endpoints';
export type { AzureCloud, CloudEndpoints, OAuthEndpoints, SignInAudience } from './entra/endpoints';
export { DEFAULT_ACCESS_ROLE_ID, REPLICATION_WAIT } from './entra/entra-access';
export type { EntraObjectDescription } from './entra/entra-objects';
export type { Described } from './entra/described';
export { GRAPH_SCOPES, MICROSOFT_GRAPH_CLIENT_ID } from './entra/graph';

// Botpress: the strategy, the env file's variables, workspaces.json.
export { PREVIEW_PLACEHOLDERS, secretEnvironmentVariable } from './botpress/strategy-entry';
export type { HoleName } from './botpress/strategy-entry';
export type { EnvironmentOverride } from './botpress/environment-overrides';
export type { RenderedWorkspaces } from './botpress/render-workspaces';
export type { WorkspacesMerge } from './botpress/workspaces-merge';

// Files on the Botpress host.
export { ManagedFile } from './placement/managed-file';
export type { ManagedFileProps } from './placement/managed-file';
export { defaultStageDirectory, stageFilesFor, STAGE_ROOT } from './placement/stage-files';
export type { ManagedFileRole } from './placement/stage-files';
export type { ObservedFile } from './placement/file-ownership';
