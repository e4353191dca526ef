export { BotpressAzureSso, MICROSOFT_GRAPH_CLIENT_ID, PREVIEW_PLACEHOLDERS, SECRET_GRACE_DAYS } from './botpress-azure-sso';
export type {
  AdoptExistingApplication,
  BotpressAzureSsoEntra,
  BotpressAzureSsoProps,
  BotpressAzureSsoProviders,
  BotpressStorage,
  SecretDelivery,
} from './botpress-azure-sso-props';
export { BotpressSsoStack } from './botpress-sso-stack';
export type { BotpressSsoStackProps } from './botpress-sso-stack';
export { AZURE_CLOUDS, CLOUDS, SIGN_IN_AUDIENCES, oauthEndpoints } from './endpoints';
export type { AzureCloud, SignInAudience } from './endpoints';
export { SsoInputError, SsoInputErrors } from './input-error';
export { parseSettings } from './settings';
export type { EnvironmentSettings, Settings } from './settings';
export { secretEnvironmentVariable } from './strategy-entry';
