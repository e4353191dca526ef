/**
 * The construct's props, checked against a table of rules (every failure is reported at once,
 * in the props' own words) and resolved with the defaults of constructs/defaults.ts.
 */
import type { BotpressAzureSsoProps, ResolvedSsoProps } from '../botpress-azure-sso-props';
import { callbackUrlOf, normalizeBotpressUrl } from '../botpress/callback-url';
import { SSO_DEFAULTS, SSO_LIMITS, defaultDisplayName } from '../defaults';
import { CLOUDS, allowsPersonalAccounts } from '../entra/endpoints';
import { posix } from 'node:path';
import { SsoInputError, SsoInputErrors } from '../input-error';
import { fileModeProblem, parseFileMode } from '../placement/file-ownership';
import { propShapeProblems } from './prop-shapes';

/** Props with every default applied, before the rules have looked at them. */
type Defaulted = Omit<ResolvedSsoProps, 'botpressUrl' | 'callbackUrl'> &
  Pick<
    BotpressAzureSsoProps,
    | 'botpressUrl'
    | 'configFilePath'
    | 'workspaces'
    | 'workspacesConfig'
    | 'workspacesFilePath'
    | 'envFileSha256'
    | 'stageDirectory'
  >;

/** The files the construct writes, by prop: each must name a file, and no two the same one. */
function writtenFiles(p: Defaulted): Array<readonly [prop: string, path: string]> {
  return [
    ['configFilePath', p.configFilePath] as const,
    ...(p.secretDelivery.kind === 'environment'
      ? [['secretDelivery.envFilePath', p.secretDelivery.envFilePath] as const]
      : []),
    ...(p.workspacesFilePath !== undefined ? [['workspacesFilePath', p.workspacesFilePath] as const] : []),
  ];
}

/** Why `file` cannot name a file to write, or undefined. Lexical only: the construct does no I/O. */
function filePathProblem(file: string): string | undefined {
  if (file.trim() === '') return 'is empty';
  if (/[\\/]$/.test(file) || /(^|[\\/])\.{1,2}$/.test(file)) return 'names a folder, not a file';
  if (file.includes('\0')) return 'contains a NUL character';
  return undefined;
}

/** A path as a key for comparing the files of one stack (relative paths share the stack's folder). */
const pathKey = (file: string) => posix.normalize(file.replace(/\\/g, '/'));

/** One rule of the table: the prop it is about, when the props pass it, and what to say when not. */
interface PropRule {
  readonly prop: string;
  readonly holds: (props: Defaulted) => boolean;
  /** The value to show, what is wrong with it, and the fix. */
  readonly failure: (props: Defaulted) => readonly [value: unknown, problem: string, fix: string];
}

const RULES: readonly PropRule[] = [
  ...(['configFilePath', 'secretDelivery.envFilePath', 'workspacesFilePath'] as const).map((prop): PropRule => ({
    prop,
    holds: (p) => writtenFiles(p).every(([written, file]) => written !== prop || !filePathProblem(file)),
    failure: (p) => {
      const file = writtenFiles(p).find(([written]) => written === prop)?.[1] ?? '';
      return [
        file,
        filePathProblem(file) as string,
        'give the path of the file to write, such as data/global/botpress.config.json',
      ];
    },
  })),
  {
    prop: 'secretDelivery.envFilePath',
    holds: (p) => {
      const keys = writtenFiles(p).map(([, file]) => pathKey(file));
      return new Set(keys).size === keys.length;
    },
    failure: (p) => {
      const files = writtenFiles(p);
      const clash = files.filter(
        ([, file]) => files.filter(([, other]) => pathKey(other) === pathKey(file)).length > 1,
      );
      return [
        clash[0]?.[1],
        `names the same file as ${clash.map(([prop]) => prop).join(' and ')}: one would overwrite the other`,
        'give the env file a path of its own, for example botpress-sso.env beside the settings',
      ];
    },
  },
  {
    prop: 'envFileSha256',
    holds: (p) => p.envFileSha256 === undefined || /^([0-9a-f]{64})?$/.test(p.envFileSha256),
    failure: (p) => [
      p.envFileSha256,
      'is neither a SHA-256 in lower-case hex nor "" (no file)',
      'pass the SHA-256 of the env file as read before synthesis, "" when it does not exist, or leave it out',
    ],
  },
  {
    prop: 'stageDirectory',
    holds: (p) =>
      p.stageDirectory === undefined || (p.stageDirectory.trim() !== '' && !p.stageDirectory.includes('\0')),
    failure: (p) => [
      p.stageDirectory,
      'is empty or contains a NUL character',
      "name a folder of the deployer's own, or leave it out (.botpress-sso/<construct path> in the stack's folder)",
    ],
  },
  {
    prop: 'strategyName',
    holds: (p) => SSO_LIMITS.strategyName.test(p.strategyName),
    failure: (p) => [
      p.strategyName,
      'is not URL-safe (it ends the callback URL)',
      'use 1 to 64 letters, digits, "-" or "_", starting with a letter or digit, for example "azuread"',
    ],
  },
  {
    prop: 'strategyName',
    // With database storage the name only appears inside a JSON value (BP_CONFIG_AUTHSTRATEGIES).
    holds: (p) =>
      p.secretDelivery.kind !== 'environment' ||
      p.botpressStorage === 'database' ||
      SSO_LIMITS.environmentSafeStrategyName.test(p.strategyName),
    failure: (p) => [
      p.strategyName,
      'cannot be part of an environment variable name, which environment delivery of the secret needs (BP_CONFIG_AUTHSTRATEGIES_<NAME>_OPTIONS_CLIENTSECRET)',
      `use letters, digits and "_" only, for example ${JSON.stringify(p.strategyName.replace(/[^A-Za-z0-9_]/g, '_'))}`,
    ],
  },
  ...(['displayName', 'label'] as const).map((prop): PropRule => ({
    prop,
    holds: (p) => p[prop] === undefined || SSO_LIMITS.displayText.test(p[prop] as string),
    failure: (p) => [
      p[prop],
      'contains a control character, a line separator or a bidirectional override, which would hide or reorder what people see',
      'write it as plain text on one line',
    ],
  })),
  {
    prop: 'botpressStorage',
    holds: (p) => SSO_LIMITS.botpressStorages.includes(p.botpressStorage),
    failure: (p) => [
      p.botpressStorage,
      'is not a storage mode',
      'use "disk" (data/global/botpress.config.json) or "database" (BPFS_STORAGE=database)',
    ],
  },
  {
    prop: 'secretDelivery.envFilePath',
    holds: (p) => p.botpressStorage !== 'database' || p.secretDelivery.kind === 'environment',
    failure: () => [
      undefined,
      'is required with database storage: the whole SSO configuration goes to that env file, since Botpress does not read the disk file',
      'deliver the secret through an env file (environment delivery) and give its path',
    ],
  },
  {
    prop: 'signInAudience',
    holds: (p) => SSO_LIMITS.signInAudiences.includes(p.signInAudience),
    failure: (p) => [
      p.signInAudience,
      'is not an Entra sign-in audience',
      `use one of ${SSO_LIMITS.signInAudiences.join(', ')}`,
    ],
  },
  {
    prop: 'cloud',
    holds: (p) => SSO_LIMITS.clouds.includes(p.cloud),
    failure: (p) => [p.cloud, 'is not a supported cloud', `use one of ${SSO_LIMITS.clouds.join(', ')}`],
  },
  {
    prop: 'signInAudience',
    holds: (p) => !allowsPersonalAccounts(p.signInAudience) || CLOUDS[p.cloud]?.personalAccounts !== false,
    failure: (p) => [
      p.signInAudience,
      `admits personal Microsoft accounts, which the ${p.cloud} cloud does not offer`,
      'use AzureADMyOrg or AzureADMultipleOrgs',
    ],
  },
  {
    prop: 'tenantId',
    holds: (p) => p.tenantId === undefined || SSO_LIMITS.guid.test(p.tenantId),
    failure: (p) => [
      p.tenantId,
      'is not a GUID',
      "use the Directory (tenant) ID from the Entra admin center's Overview page, or leave it out to use the deploying credentials' tenant",
    ],
  },
  {
    prop: 'filePermission',
    holds: (p) => p.filePermission === undefined || fileModeProblem(p.filePermission) === undefined,
    failure: (p) => [p.filePermission, ...(fileModeProblem(p.filePermission as string) as [string, string])],
  },
  {
    prop: 'workspacesFilePath',
    holds: (p) => p.workspacesConfig === undefined || p.workspacesFilePath !== undefined,
    failure: () => [
      undefined,
      'is required with workspacesConfig',
      'pass where Terraform writes workspaces.json, like configFilePath',
    ],
  },
  {
    prop: 'workspaces',
    // A Botpress with database storage keeps workspaces.json in the database too.
    holds: (p) => p.workspaces === undefined || p.botpressStorage !== 'database',
    failure: (p) => [
      p.workspaces,
      'cannot be managed with database storage: Botpress keeps workspaces.json in the database, so a file written here would change nothing',
      'leave workspaces out, and add the strategy to the workspaces in the admin UI (or with bp pushfile)',
    ],
  },
  {
    prop: 'secretRotationDays',
    // A whole number already (prop-shapes.ts): only the range is this rule's.
    holds: ({ secretRotationDays: days }) =>
      days >= SSO_LIMITS.secretRotationDays.minimum && days <= SSO_LIMITS.secretRotationDays.maximum,
    failure: (p) => [
      p.secretRotationDays,
      `is not a whole number of days from ${SSO_LIMITS.secretRotationDays.minimum} to ${SSO_LIMITS.secretRotationDays.maximum}`,
      `use for example ${SSO_DEFAULTS.secretRotationDays}`,
    ],
  },
  {
    prop: 'restart.command',
    holds: (p) => p.restart === undefined || (p.restart.command.trim() !== '' && !p.restart.command.includes('\0')),
    failure: (p) => [
      p.restart?.command,
      p.restart?.command.includes('\0') ? 'contains a NUL character' : 'is empty',
      'give the shell command that restarts Botpress so that it reads its config and env file again, such as "docker compose up -d botpress", or leave restart out (two alternating secrets, Botpress restarted by you)',
    ],
  },
  {
    prop: 'restart.command',
    holds: (p) =>
      p.restart === undefined ||
      p.secretDelivery.kind !== 'environment' ||
      !SSO_LIMITS.restartKeepingEnvironment.test(p.restart.command),
    failure: (p) => [
      p.restart?.command,
      'restarts the container with the environment it was created with, so Botpress would keep the old client secret from the env file while the deploy deletes it',
      'recreate the container instead, for example "docker compose up -d botpress" (compose), or remove and run it again with --env-file',
    ],
  },
  {
    prop: 'restart.timeoutSeconds',
    holds: ({ restart }) =>
      restart === undefined ||
      (restart.timeoutSeconds >= SSO_LIMITS.restartTimeoutSeconds.minimum &&
        restart.timeoutSeconds <= SSO_LIMITS.restartTimeoutSeconds.maximum),
    failure: (p) => [
      p.restart?.timeoutSeconds,
      `is not a whole number of seconds from ${SSO_LIMITS.restartTimeoutSeconds.minimum} to ${SSO_LIMITS.restartTimeoutSeconds.maximum}`,
      `use the seconds Botpress takes to start and list its strategies, with a margin, for example ${SSO_DEFAULTS.restartTimeoutSeconds} (the default)`,
    ],
  },
];

/** Every rule the props break, as input errors in the props' words. */
function brokenRules(props: Defaulted): SsoInputError[] {
  return RULES.filter((rule) => !rule.holds(props)).map((rule) => new SsoInputError(rule.prop, ...rule.failure(props)));
}

/**
 * Checks the props eagerly, so that a mistake stops synthesis with a message that names the prop
 * and the fix, and returns them resolved. Throws SsoInputError (one problem) or SsoInputErrors.
 */
export function validateProps(props: BotpressAzureSsoProps, constructPath: string): ResolvedSsoProps {
  // Plain JavaScript callers: the wrong type is told like any other mistake, before it is used.
  const shapes = propShapeProblems(props);
  if (shapes.length > 0) throw shapes.length === 1 ? shapes[0] : new SsoInputErrors(shapes);
  const strategyName = props.strategyName ?? SSO_DEFAULTS.strategyName;
  const defaulted: Defaulted = {
    enabled: props.enabled ?? SSO_DEFAULTS.enabled,
    botpressUrl: props.botpressUrl,
    configFilePath: props.configFilePath,
    strategyName,
    signInAudience: props.signInAudience ?? SSO_DEFAULTS.signInAudience,
    cloud: props.cloud ?? SSO_DEFAULTS.cloud,
    tenantId: props.tenantId?.toLowerCase(),
    displayName: props.displayName ?? defaultDisplayName(constructPath),
    label: props.label,
    allowSelfSignup: props.allowSelfSignup ?? SSO_DEFAULTS.allowSelfSignup,
    secretDelivery: props.secretDelivery ?? SSO_DEFAULTS.secretDelivery,
    botpressStorage: props.botpressStorage ?? SSO_DEFAULTS.botpressStorage,
    secretRotationDays: props.secretRotationDays ?? SSO_DEFAULTS.secretRotationDays,
    restart: props.restart && {
      command: props.restart.command,
      timeoutSeconds: props.restart.timeoutSeconds ?? SSO_DEFAULTS.restartTimeoutSeconds,
    },
    secretRotationMode: props.restart ? 'restart' : 'two-slots',
    filePermission: props.filePermission,
    workspaces: props.workspaces,
    workspacesConfig: props.workspacesConfig,
    workspacesFilePath: props.workspacesFilePath,
    envFileSha256: props.envFileSha256,
    stageDirectory: props.stageDirectory,
  };
  const errors = brokenRules(defaulted);

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
  const {
    configFilePath: _configFilePath,
    workspaces: _workspaces,
    workspacesConfig: _config,
    workspacesFilePath: _path,
    envFileSha256: _envFileSha256,
    stageDirectory: _stageDirectory,
    ...resolved
  } = defaulted;
  return {
    ...resolved,
    botpressUrl: botpressUrl as string,
    callbackUrl: callbackUrl as string,
    filePermission:
      defaulted.filePermission === undefined ? undefined : parseFileMode(defaulted.filePermission, 'filePermission'),
  };
}
