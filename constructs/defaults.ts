/**
 * The construct's defaults and limits, declared once. The construct applies them, the app and
 * its reviews read the resolved values back from `BotpressAzureSso.resolved`, and a test checks
 * that schemas/settings.schema.json states the same defaults, enums, patterns and ranges.
 */
import { IMPORT_GRAPH_API_ACCESS_BY_DEFAULT } from './entra/adoption';
import { HIDDEN_CHARACTERS } from './input-error';
import { AZURE_CLOUDS, SIGN_IN_AUDIENCES } from './entra/endpoints';
import { FILE_MODE_PATTERN } from './placement/file-ownership';

export const SSO_DEFAULTS = {
  enabled: true,
  strategyName: 'azuread',
  signInAudience: 'AzureADMyOrg',
  cloud: 'public',
  allowSelfSignup: false,
  secretDelivery: { kind: 'config-file' },
  botpressStorage: 'disk',
  secretRotationDays: 180,
  /** Seconds the restart step gives Botpress to list the strategy again. */
  restartTimeoutSeconds: 120,
  /** Mode of a config, env or workspaces file that does not exist yet (without a mode override). */
  newFileMode: '0600',
  importGraphApiAccess: IMPORT_GRAPH_API_ACCESS_BY_DEFAULT,
} as const;

/** The app registration's name when none is given: the construct's path makes it unique per app. */
export const defaultDisplayName = (constructPath: string): string => `Botpress SSO (${constructPath})`;

export const SSO_LIMITS = {
  /** Key under `authStrategies` and the callback URL's last segment. */
  strategyName: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
  /** A strategy name that can be part of a `BP_CONFIG_*` variable name. */
  environmentSafeStrategyName: /^[A-Za-z0-9_]+$/,
  guid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  secretRotationDays: { minimum: 1, maximum: 730 },
  restartTimeoutSeconds: { minimum: 1, maximum: 3600 },
  /**
   * A restart command that keeps the environment a container was created with (`docker restart`,
   * `docker compose restart`): with the secret in an env file, Botpress would keep the old one.
   */
  restartKeepingEnvironment:
    /(^|[;&|]\s*)(sudo\s+)?(docker(\s+container)?|docker-compose|docker\s+compose)(\s+-{1,2}\S+(\s+[^-\s;&|]\S*)?)*\s+restart(\s|$)/,
  signInAudiences: SIGN_IN_AUDIENCES,
  clouds: AZURE_CLOUDS,
  botpressStorages: ['disk', 'database'],
  /**
   * Text people read in Entra and Botpress (displayName, label): no control characters (C0, DEL,
   * C1), line or paragraph separators, or bidirectional overrides, which could hide what it says.
   */
  displayText: new RegExp(`^[^${HIDDEN_CHARACTERS}]*$`),
  /** An octal file mode ("0640"). */
  fileMode: FILE_MODE_PATTERN,
} as const;

export { SECRET_GRACE_DAYS } from './entra/client-secret';
