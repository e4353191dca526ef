/**
 * The ready app: one stack per environment of the settings file. This is the only place that
 * reads files; the constructs take data.
 *
 *   BOTPRESS_SSO_SETTINGS=path/to/settings.json npx cdktf synth
 */
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { Construct } from 'constructs';
import { BotpressSsoStack, BotpressSsoStackProps } from './constructs/botpress-sso-stack';
import { SsoInputError, SsoInputErrors } from './constructs/input-error';
import { EnvironmentSettings, parseSettings } from './constructs/settings';
import { Deployer, ObservedFile, describeKeptAttributes, ownershipProblem } from './constructs/file-ownership';
import { DEFAULT_FILE_MODE } from './constructs/botpress-azure-sso';
import { currentDeployer, observeHostFile } from './scripts/host-files';

export const DEFAULT_SETTINGS_FILE = 'botpress-sso.json';

/** One environment, read from disk and ready to become a stack. */
export interface LoadedEnvironment {
  readonly name: string;
  readonly settings: EnvironmentSettings;
  /** Absolute path of the Botpress config file. */
  readonly configFile: string;
  /** Its text as synthesis read it. */
  readonly baseConfig: string;
  /** Absolute path of the env file, with environment delivery. */
  readonly envFile?: string;
  /** Owner, group and mode of the config file at synthesis (kept by the deploy). */
  readonly configFileAttributes?: ObservedFile;
  /** The same for the env file; absent when it does not exist yet. */
  readonly envFileAttributes?: ObservedFile;
}

export interface LoadedSettings {
  readonly settingsFile: string;
  readonly environments: readonly LoadedEnvironment[];
}

/**
 * Reads the settings file and every config file it names, and checks that `deployer` can
 * replace those files keeping their owner, group and mode. Throws SsoInputError(s).
 */
export function loadSettings(settingsFile: string, projectDir = process.cwd(), deployer: Deployer = currentDeployer()): LoadedSettings {
  const absolute = path.resolve(projectDir, settingsFile);
  if (!existsSync(absolute)) {
    throw new SsoInputError(
      'BOTPRESS_SSO_SETTINGS',
      settingsFile,
      'names a settings file that does not exist',
      `create it (see README, "Settings"), or point BOTPRESS_SSO_SETTINGS at yours; the default is ${DEFAULT_SETTINGS_FILE} in the project folder`,
    );
  }
  const settings = parseSettings(readFileSync(absolute, 'utf8'), path.relative(projectDir, absolute) || absolute);
  const settingsDir = path.dirname(absolute);
  const errors: SsoInputError[] = [];
  const environments: LoadedEnvironment[] = [];
  for (const [name, env] of Object.entries(settings.environments)) {
    const configFile = path.resolve(settingsDir, env.configFile);
    let baseConfig: string;
    try {
      baseConfig = readFileSync(configFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(
        new SsoInputError(
          `environments.${name}.configFile`,
          env.configFile,
          code === 'ENOENT' ? `does not exist (looked at ${configFile})` : `cannot be read (${code ?? String(error)})`,
          "point it at Botpress's data/global/botpress.config.json, relative to the settings file's folder; start Botpress once if the file was never written",
        ),
      );
      continue;
    }
    const envFile = env.secret?.delivery === 'environment' && env.secret.envFile ? path.resolve(settingsDir, env.secret.envFile) : undefined;
    const config = observeHostFile(`environments.${name}.configFile`, env.configFile, configFile);
    const secretFile = envFile && env.secret?.envFile ? observeHostFile(`environments.${name}.secret.envFile`, env.secret.envFile, envFile) : undefined;
    // Windows has no POSIX owners to keep (the installer replaces the file, inheriting the folder's ACL).
    if (process.platform !== 'win32') {
      for (const observed of [config, secretFile]) {
        const problem = observed && ownershipProblem(observed, deployer);
        if (problem) errors.push(problem);
      }
    }
    environments.push({ name, settings: env, configFile, baseConfig, envFile, configFileAttributes: config.file, envFileAttributes: secretFile?.file });
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  return { settingsFile: absolute, environments };
}

/**
 * A path as Terraform should see it from `stackDir`: relative where the settings wrote it
 * relative (so the stack is the same from any checkout), absolute where they wrote it absolute.
 */
function terraformPath(stackDir: string, absolute: string, asWritten: string): string {
  return path.isAbsolute(asWritten) ? absolute : path.relative(stackDir, absolute).split(path.sep).join('/');
}

/** Declares one stack per environment. Errors carry the environment's settings path. */
export function defineStacks(app: Construct & { outdir: string }, loaded: LoadedSettings, projectDir = process.cwd()): BotpressSsoStack[] {
  const errors: SsoInputError[] = [];
  const stacks: BotpressSsoStack[] = [];
  for (const env of loaded.environments) {
    const stackDir = path.join(app.outdir, 'stacks', env.name);
    const s = env.settings;
    const props: BotpressSsoStackProps = {
      localStatePath: path.relative(stackDir, path.join(projectDir, `terraform.${env.name}.tfstate`)).split(path.sep).join('/'),
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
        adopt: s.adopt,
        filePermission: s.configFileMode,
        configFileAttributes: env.configFileAttributes,
      },
    };
    try {
      stacks.push(new BotpressSsoStack(app, env.name, props));
    } catch (error) {
      if (error instanceof SsoInputError) errors.push(error.within(`environments.${env.name}`));
      else if (error instanceof SsoInputErrors) errors.push(...error.errors.map((e) => e.within(`environments.${env.name}`)));
      else throw error;
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  return stacks;
}

/** Prints input errors as the user should see them, without a stack trace. */
export function reportInputError(error: unknown): boolean {
  if (error instanceof SsoInputError || error instanceof SsoInputErrors) {
    process.stderr.write(`botpress-azure-sso: the settings or a config file need a fix; nothing was written.\n${error.message}\n`);
    process.exitCode = 1;
    return true;
  }
  return false;
}

/**
 * cdktf formats a full stack trace for every token it creates (about 3 ms per stack here, a
 * third of the cost of each extra environment); it only shows them when a token fails to
 * resolve. While `fn` runs, traces format to nothing. V8 formats an error's stack when it is
 * first read, so errors read after this returns keep their usual stack.
 */
function withoutTokenStackTraces<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function main(): void {
  const settingsFile = process.env.BOTPRESS_SSO_SETTINGS || DEFAULT_SETTINGS_FILE;
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  const outdirExisted = existsSync(outdir);
  const app = new App({ outdir, stackTraces: false }); // creates outdir
  try {
    const loaded = loadSettings(settingsFile);
    const stacks = withoutTokenStackTraces(() => {
      const defined = defineStacks(app, loaded);
      app.synth();
      return defined;
    });
    for (const stack of stacks) {
      const sso = stack.sso;
      const env = loaded.environments.find((e) => e.name === stack.node.id);
      process.stdout.write(
        [
          `Environment "${stack.node.id}" (npx cdktf deploy ${stack.node.id}):`,
          sso.entra
            ? `  Entra: app registration, Web redirect URI ${sso.callbackUrl}, Graph scopes openid profile email, service principal, client secret`
            : '  SSO disabled: deploy removes the Entra resources and the strategy',
          `  botpress.config.json: ${env?.configFile} (strategy "${sso.strategyName}"; ${describeKeptAttributes(env?.configFileAttributes, env?.settings.configFileMode, DEFAULT_FILE_MODE)})`,
          ...(sso.envFile && env?.envFile ? [`  env file: ${env.envFile} (${sso.secretEnvironmentVariable})`] : []),
          `  Terraform: ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id))}/cdk.tf.json`,
          ...sso.warnings.map((warning) => `  warning: ${warning}`),
          '',
        ].join('\n'),
      );
    }
  } catch (error) {
    if (!reportInputError(error)) throw error;
    // Bad input writes nothing: take back the empty folders App created.
    if (!outdirExisted) {
      for (const dir of [path.join(outdir, 'stacks'), outdir]) {
        try {
          rmdirSync(dir);
        } catch {
          // not empty or already gone: leave it
        }
      }
    }
  }
}

if (require.main === module) main();
