/**
 * The construct's props, checked against a table of rules (every failure is reported at once,
 * in the props' own words) and resolved with the defaults of constructs/defaults.ts.
 */
import type { BotpressAzureSsoProps, ResolvedSsoProps } from '../botpress-azure-sso-props';
import { callbackUrlOf, normalizeBotpressUrl } from '../botpress/callback-url';
import { SSO_DEFAULTS, SSO_LIMITS, defaultDisplayName } from '../defaults';
import { CLOUDS, allowsPersonalAccounts } from '../entra/endpoints';
import { SsoInputError, SsoInputErrors } from '../input-error';
import { parseFileMode } from './file-ownership';

/** Props with every default applied, before the rules have looked at them. */
type Defaulted = Omit<ResolvedSsoProps, 'botpressUrl' | 'callbackUrl'> & { readonly botpressUrl: string };

/** One rule: the errors it finds in the defaulted props (none when they pass). */
type PropRule = (props: Defaulted) => SsoInputError | undefined;

const RULES: readonly PropRule[] = [
  function strategyNameIsUrlSafe({ strategyName }) {
    if (SSO_LIMITS.strategyName.test(strategyName)) return undefined;
    return new SsoInputError(
      'strategyName',
      strategyName,
      'is not URL-safe (it ends the callback URL)',
      'use 1 to 64 letters, digits, "-" or "_", starting with a letter or digit, for example "azuread"',
    );
  },
  function strategyNameFitsAnEnvironmentVariable({ strategyName, secretDelivery, botpressStorage }) {
    // With database storage the name only appears inside a JSON value (BP_CONFIG_AUTHSTRATEGIES).
    if (secretDelivery.kind !== 'environment' || botpressStorage === 'database') return undefined;
    if (SSO_LIMITS.environmentSafeStrategyName.test(strategyName)) return undefined;
    return new SsoInputError(
      'strategyName',
      strategyName,
      'cannot be part of an environment variable name, which environment delivery of the secret needs (BP_CONFIG_AUTHSTRATEGIES_<NAME>_OPTIONS_CLIENTSECRET)',
      `use letters, digits and "_" only, for example ${JSON.stringify(strategyName.replace(/[^A-Za-z0-9_]/g, '_'))}`,
    );
  },
  function storageIsKnown({ botpressStorage }) {
    if (SSO_LIMITS.botpressStorages.includes(botpressStorage)) return undefined;
    return new SsoInputError(
      'botpressStorage',
      botpressStorage,
      'is not a storage mode',
      'use "disk" (data/global/botpress.config.json) or "database" (BPFS_STORAGE=database)',
    );
  },
  function databaseStorageHasAnEnvFile({ botpressStorage, secretDelivery }) {
    if (botpressStorage !== 'database' || secretDelivery.kind === 'environment') return undefined;
    return new SsoInputError(
      'secretDelivery.envFilePath',
      undefined,
      'is required with database storage: the whole SSO configuration goes to that env file, since Botpress does not read the disk file',
      'deliver the secret through an env file (environment delivery) and give its path',
    );
  },
  function signInAudienceIsKnown({ signInAudience }) {
    if (SSO_LIMITS.signInAudiences.includes(signInAudience)) return undefined;
    return new SsoInputError('signInAudience', signInAudience, 'is not an Entra sign-in audience', `use one of ${SSO_LIMITS.signInAudiences.join(', ')}`);
  },
  function cloudIsKnown({ cloud }) {
    if (SSO_LIMITS.clouds.includes(cloud)) return undefined;
    return new SsoInputError('cloud', cloud, 'is not a supported cloud', `use one of ${SSO_LIMITS.clouds.join(', ')}`);
  },
  function audienceExistsInCloud({ signInAudience, cloud }) {
    if (!allowsPersonalAccounts(signInAudience) || CLOUDS[cloud]?.personalAccounts !== false) return undefined;
    return new SsoInputError(
      'signInAudience',
      signInAudience,
      `admits personal Microsoft accounts, which the ${cloud} cloud does not offer`,
      'use AzureADMyOrg or AzureADMultipleOrgs',
    );
  },
  function tenantIdIsAGuid({ tenantId }) {
    if (tenantId === undefined || SSO_LIMITS.guid.test(tenantId)) return undefined;
    return new SsoInputError(
      'tenantId',
      tenantId,
      'is not a GUID',
      "use the Directory (tenant) ID from the Entra admin center's Overview page, or leave it out to use the deploying credentials' tenant",
    );
  },
  function fileModeIsOctal({ filePermission }) {
    if (filePermission === undefined) return undefined;
    try {
      parseFileMode(filePermission, 'filePermission');
      return undefined;
    } catch (error) {
      if (error instanceof SsoInputError) return error;
      throw error;
    }
  },
  function rotationIsInRange({ secretRotationDays: days }) {
    const { minimum, maximum } = SSO_LIMITS.secretRotationDays;
    if (Number.isInteger(days) && days >= minimum && days <= maximum) return undefined;
    return new SsoInputError(
      'secretRotationDays',
      days,
      `is not a whole number of days from ${minimum} to ${maximum}`,
      `use for example ${SSO_DEFAULTS.secretRotationDays}`,
    );
  },
];

/**
 * Checks the props eagerly, so that a mistake stops synthesis with a message that names the prop
 * and the fix, and returns them resolved. Throws SsoInputError (one problem) or SsoInputErrors.
 */
export function validateProps(props: BotpressAzureSsoProps): ResolvedSsoProps {
  const strategyName = props.strategyName ?? SSO_DEFAULTS.strategyName;
  const defaulted: Defaulted = {
    enabled: props.enabled ?? SSO_DEFAULTS.enabled,
    botpressUrl: props.botpressUrl,
    strategyName,
    signInAudience: props.signInAudience ?? SSO_DEFAULTS.signInAudience,
    cloud: props.cloud ?? SSO_DEFAULTS.cloud,
    tenantId: props.tenantId?.toLowerCase(),
    displayName: props.displayName ?? defaultDisplayName(strategyName),
    label: props.label,
    allowSelfSignup: props.allowSelfSignup ?? SSO_DEFAULTS.allowSelfSignup,
    secretDelivery: props.secretDelivery ?? SSO_DEFAULTS.secretDelivery,
    botpressStorage: props.botpressStorage ?? SSO_DEFAULTS.botpressStorage,
    secretRotationDays: props.secretRotationDays ?? SSO_DEFAULTS.secretRotationDays,
    filePermission: props.filePermission,
  };
  const errors = RULES.map((rule) => rule(defaulted)).filter((e): e is SsoInputError => e !== undefined);

  // The URL is parsed once, here; the callback URL is built from the normalized form.
  let botpressUrl: string | undefined;
  let callbackUrl: string | undefined;
  try {
    botpressUrl = normalizeBotpressUrl(props.botpressUrl);
    callbackUrl = callbackUrlOf(botpressUrl, strategyName, props.botpressUrl);
  } catch (error) {
    if (!(error instanceof SsoInputError)) throw error;
    errors.push(error);
  }

  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  return {
    ...defaulted,
    botpressUrl: botpressUrl as string,
    callbackUrl: callbackUrl as string,
    filePermission: defaulted.filePermission === undefined ? undefined : parseFileMode(defaulted.filePermission, 'filePermission'),
  };
}
