/**
 * Settings to stacks: one BotpressSsoStack per environment, its props mapped from the settings,
 * and the constructs' errors reported at the settings' paths.
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import {
  type BotpressAzureSsoProps,
  BotpressSsoStack,
  BotpressSsoStackProps,
  findingText,
  SsoFinding,
  SsoInputError,
  SsoInputErrors,
} from '../constructs/internal';
import type { LoadedSettings } from './load-settings';
import { localStateFileName } from './state-file';

/**
 * Where each construct prop comes from in an environment's settings. The construct reports
 * errors in its props' words; the app reports them where the user wrote the value. Typed over
 * every prop, so that a new prop without a settings path does not compile.
 */
export const SETTING_OF_PROP: Readonly<Record<keyof BotpressAzureSsoProps, string | undefined>> = {
  botpressUrl: 'botpressUrl',
  baseConfig: 'configFile',
  configFilePath: 'configFile',
  strategyName: 'strategyName',
  signInAudience: 'signInAudience',
  cloud: 'cloud',
  tenantId: 'tenantId',
  displayName: 'displayName',
  label: 'label',
  allowSelfSignup: 'allowSelfSignup',
  enabled: 'enabled',
  secretDelivery: 'secret.delivery',
  botpressStorage: 'botpressStorage',
  secretRotationDays: 'secret.rotationDays',
  restart: 'restart',
  stateLocation: undefined,
  adopt: 'adopt',
  access: 'access',
  adminConsent: 'adminConsent',
  owners: 'owners',
  workspaces: 'workspaces',
  workspacesConfig: 'workspaces.json (beside configFile)',
  workspacesFilePath: 'workspaces',
  filePermission: 'configFileMode',
  configFileAttributes: undefined,
  envFileAttributes: undefined,
  envFileSha256: undefined,
  stageDirectory: undefined,
  providers: undefined,
};

/** Props inside props whose setting is not the parent's. */
const SETTING_OF_NESTED_PROP: Readonly<Record<string, string>> = {
  'secretDelivery.envFilePath': 'secret.envFile',
};

/** `secretRotationDays` -> `secret.rotationDays`, `baseConfig at pro` -> `configFile at pro`. */
export function settingsPathOf(field: string): string {
  const nested = Object.keys(SETTING_OF_NESTED_PROP).find((prop) => field === prop || field.startsWith(`${prop} `));
  if (nested) return `${SETTING_OF_NESTED_PROP[nested]}${field.slice(nested.length)}`;
  const prop = /^[A-Za-z]+/.exec(field)?.[0] ?? '';
  const setting = (SETTING_OF_PROP as Record<string, string | undefined>)[prop];
  return setting === undefined ? field : `${setting}${field.slice(prop.length)}`;
}

/** A finding of the construct as the app reports it: its subject named as in the settings. */
export function settingsFindingText(f: SsoFinding): string {
  // The environment names the construct for the user: the settings path replaces its path.
  return findingText({ ...f, construct: undefined, subject: settingsPathOf(f.subject) });
}

/** The construct's error, told at the environment's settings path. */
function inSettings(error: SsoInputError, environment: string): SsoInputError {
  return new SsoInputError(settingsPathOf(error.field), error.value, error.problem, error.fix).within(
    `environments.${environment}`,
  );
}

/**
 * A path as Terraform should see it from `stackDir`: relative where the settings wrote it
 * relative (so the stack is the same from any checkout), absolute where they wrote it absolute.
 */
function terraformPath(stackDir: string, absolute: string, asWritten: string): string {
  return path.isAbsolute(asWritten) ? absolute : path.relative(stackDir, absolute).split(path.sep).join('/');
}

/** Declares one stack per environment. Errors carry the environment's settings path. */
export function defineStacks(
  app: Construct & { outdir: string },
  loaded: LoadedSettings,
  projectDir = process.cwd(),
): BotpressSsoStack[] {
  const errors: SsoInputError[] = [];
  const stacks: BotpressSsoStack[] = [];
  for (const env of loaded.environments) {
    const stackDir = path.join(app.outdir, 'stacks', env.name);
    const s = env.settings;
    const props: BotpressSsoStackProps = {
      localStatePath: path
        .relative(stackDir, path.join(projectDir, localStateFileName(env.name)))
        .split(path.sep)
        .join('/'),
      backend: s.backend,
      useOidc: process.env.ARM_USE_OIDC === 'true',
      sso: {
        enabled: s.enabled,
        botpressUrl: s.botpressUrl,
        baseConfig: env.baseConfig,
        configFilePath: terraformPath(stackDir, env.configFile, s.configFile),
        strategyName: s.strategyName,
        signInAudience: s.signInAudience,
        cloud: s.cloud,
        tenantId: s.tenantId,
        displayName: s.displayName ?? `Botpress SSO (${env.name})`,
        label: s.label,
        allowSelfSignup: s.allowSelfSignup,
        secretDelivery:
          env.envFile && s.secret?.envFile
            ? { kind: 'environment', envFilePath: terraformPath(stackDir, env.envFile, s.secret.envFile) }
            : { kind: 'config-file' },
        secretRotationDays: s.secret?.rotationDays,
        restart: s.restart,
        botpressStorage: s.botpressStorage,
        filePermission: s.configFileMode,
        configFileAttributes: env.configFileAttributes,
        envFileAttributes: env.envFileAttributes,
        envFileSha256: env.envFileSha256,
        adopt: s.adopt,
        access: s.access,
        adminConsent: s.adminConsent,
        owners: s.owners,
        workspaces: s.workspaces,
        workspacesConfig: env.workspacesConfig,
        workspacesFilePath: terraformPath(stackDir, env.workspacesFile, s.configFile),
      },
    };
    try {
      stacks.push(new BotpressSsoStack(app, env.name, props));
    } catch (error) {
      if (error instanceof SsoInputError) errors.push(inSettings(error, env.name));
      else if (error instanceof SsoInputErrors) errors.push(...error.errors.map((e) => inSettings(e, env.name)));
      else throw error;
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  return stacks;
}
