export { BotpressAzureSso, MICROSOFT_GRAPH_CLIENT_ID, PREVIEW_PLACEHOLDERS, SECRET_GRACE_DAYS } from './botpress-azure-sso';
export type {
  AdoptExistingApplication,
  BotpressAzureSsoEntra,
  BotpressAzureSsoProps,
  BotpressAzureSsoProviders,
  SecretDelivery,
} from './botpress-azure-sso-props';
export { BotpressSsoStack } from './botpress-sso-stack';
export type { AzurermBackendProps, BotpressSsoStackProps } from './botpress-sso-stack';
export { AZURE_CLOUDS, CLOUDS, SIGN_IN_AUDIENCES, oauthEndpoints } from './entra/endpoints';
export type { AzureCloud, SignInAudience } from './entra/endpoints';
export { SsoInputError, SsoInputErrors } from './input-error';
export { secretEnvironmentVariable } from './botpress/strategy-entry';
