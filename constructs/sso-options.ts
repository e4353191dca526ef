import type { BotpressAzureSsoProps, BotpressStorage, SecretDelivery } from './botpress-azure-sso-props';
import { normalizeBotpressUrl } from './botpress-url';
import { AZURE_CLOUDS, AzureCloud, CLOUDS, SIGN_IN_AUDIENCES, SignInAudience, allowsPersonalAccounts } from './endpoints';
import { SsoInputError } from './input-error';

export const DEFAULT_STRATEGY_NAME = 'azuread';
export const DEFAULT_ROTATION_DAYS = 180;
export const MAX_ROTATION_DAYS = 730;

const STRATEGY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ENV_SAFE_STRATEGY_NAME = /^[A-Za-z0-9_]+$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Props with defaults applied and every constraint checked. */
export interface SsoOptions {
  readonly enabled: boolean;
  /** Botpress's external URL, normalized (no trailing slash). */
  readonly botpressUrl: string;
  readonly strategyName: string;
  readonly signInAudience: SignInAudience;
  readonly cloud: AzureCloud;
  readonly tenantId?: string;
  readonly displayName: string;
  readonly label?: string;
  readonly allowSelfSignup: boolean;
  readonly secretDelivery: SecretDelivery;
  readonly secretRotationDays: number;
  readonly botpressStorage: BotpressStorage;
}

/**
 * Checks the construct's props eagerly, so that a mistake stops synthesis with a message that
 * names the setting and the fix. Field names are the settings file's.
 */
export function validateSsoOptions(props: BotpressAzureSsoProps): SsoOptions {
  const strategyName = props.strategyName ?? DEFAULT_STRATEGY_NAME;
  if (!STRATEGY_NAME.test(strategyName)) {
    throw new SsoInputError(
      'strategyName',
      strategyName,
      'is not URL-safe (it ends the callback URL)',
      'use 1 to 64 letters, digits, "-" or "_", starting with a letter or digit, for example "azuread"',
    );
  }
  const secretDelivery = props.secretDelivery ?? { kind: 'config-file' };
  const botpressStorage = props.botpressStorage ?? 'disk';
  if (botpressStorage !== 'disk' && botpressStorage !== 'database') {
    throw new SsoInputError('botpressStorage', botpressStorage, 'is not a storage mode', 'use "disk" (data/global/botpress.config.json) or "database" (BPFS_STORAGE=database)');
  }
  if (botpressStorage === 'database' && secretDelivery.kind !== 'environment') {
    throw new SsoInputError(
      'secret.envFile',
      undefined,
      'is required with botpressStorage "database": the whole SSO configuration goes to that env file, since Botpress does not read the disk file',
      'add "secret": { "envFile": "botpress-sso.env" } (and no "delivery" other than "environment")',
    );
  }
  // With database storage the name only appears inside a JSON value (BP_CONFIG_AUTHSTRATEGIES).
  if (secretDelivery.kind === 'environment' && botpressStorage === 'disk' && !ENV_SAFE_STRATEGY_NAME.test(strategyName)) {
    throw new SsoInputError(
      'strategyName',
      strategyName,
      'cannot be part of an environment variable name, which secret.delivery "environment" needs (BP_CONFIG_AUTHSTRATEGIES_<NAME>_OPTIONS_CLIENTSECRET)',
      `use letters, digits and "_" only, for example ${JSON.stringify(strategyName.replace(/[^A-Za-z0-9_]/g, '_'))}`,
    );
  }

  const signInAudience = props.signInAudience ?? 'AzureADMyOrg';
  if (!SIGN_IN_AUDIENCES.includes(signInAudience)) {
    throw new SsoInputError('signInAudience', signInAudience, 'is not an Entra sign-in audience', `use one of ${SIGN_IN_AUDIENCES.join(', ')}`);
  }
  const cloud = props.cloud ?? 'public';
  if (!AZURE_CLOUDS.includes(cloud)) {
    throw new SsoInputError('cloud', cloud, 'is not a supported cloud', `use one of ${AZURE_CLOUDS.join(', ')}`);
  }
  if (allowsPersonalAccounts(signInAudience) && !CLOUDS[cloud].personalAccounts) {
    throw new SsoInputError(
      'signInAudience',
      signInAudience,
      `admits personal Microsoft accounts, which the ${cloud} cloud does not offer`,
      'use AzureADMyOrg or AzureADMultipleOrgs',
    );
  }
  if (props.tenantId !== undefined && !GUID.test(props.tenantId)) {
    throw new SsoInputError(
      'tenantId',
      props.tenantId,
      'is not a GUID',
      "use the Directory (tenant) ID from the Entra admin center's Overview page, or leave it out to use the deploying credentials' tenant",
    );
  }

  const secretRotationDays = props.secretRotationDays ?? DEFAULT_ROTATION_DAYS;
  if (!Number.isInteger(secretRotationDays) || secretRotationDays < 1 || secretRotationDays > MAX_ROTATION_DAYS) {
    throw new SsoInputError('secret.rotationDays', secretRotationDays, `is not a whole number of days from 1 to ${MAX_ROTATION_DAYS}`, `use for example ${DEFAULT_ROTATION_DAYS}`);
  }

  return {
    enabled: props.enabled ?? true,
    botpressUrl: normalizeBotpressUrl(props.botpressUrl),
    strategyName,
    signInAudience,
    cloud,
    tenantId: props.tenantId?.toLowerCase(),
    displayName: props.displayName ?? `Botpress SSO (${strategyName})`,
    label: props.label,
    allowSelfSignup: props.allowSelfSignup ?? false,
    secretDelivery,
    secretRotationDays,
    botpressStorage,
  };
}
