/**
 * Reading the settings file and every file it names: the app's only input I/O. The constructs
 * take the texts as data.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type ObservedFile, SsoInputError, SsoInputErrors, stagePathFor } from '../constructs/internal';
import { Deployer, ownershipProblem, stageProblem } from './deploy-rights';
import { currentDeployer, observeFile, observeHostFile } from './host-files';
import { localStateFileName } from './state-file';
import { foreignEnvFileProblem } from './env-file-check';
import { upgradeProblem } from './state-check';
import { EnvironmentSettings, parseSettings } from './settings';

/** What the read-only tools pass for the deployer: they read the files, they do not replace them. */
export const READ_ONLY = null;

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
  /** Absolute path of Botpress's workspaces.json (beside the config file). */
  readonly workspacesFile: string;
  /** Its text as synthesis read it, when it exists. */
  readonly workspacesConfig?: string;
}

export interface LoadedSettings {
  readonly settingsFile: string;
  readonly environments: readonly LoadedEnvironment[];
}

/**
 * Reads the settings file and every config file it names. For a deploy (`deployer` given, by
 * default the current user), also checks that the deploying user can replace those files keeping
 * their owner, group and mode, and that local state holds nothing an upgrade would delete; the
 * read-only tools (plan review, verify) pass `READ_ONLY`. Throws SsoInputError(s).
 */
export function loadSettings(
  settingsFile: string,
  projectDir = process.cwd(),
  deployer: Deployer | typeof READ_ONLY = currentDeployer(),
): LoadedSettings {
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
    const envDelivery = env.secret?.delivery === 'environment' || env.botpressStorage === 'database';
    const envFile = envDelivery && env.secret?.envFile ? path.resolve(settingsDir, env.secret.envFile) : undefined;
    // Read whenever it exists: a file that already lists the strategy stays managed (see mergeWorkspaces).
    const workspacesFile = path.join(path.dirname(configFile), 'workspaces.json');
    let workspacesConfig: string | undefined;
    try {
      workspacesConfig = existsSync(workspacesFile) ? readFileSync(workspacesFile, 'utf8') : undefined;
    } catch (error) {
      errors.push(
        new SsoInputError(
          `environments.${name}.workspaces`,
          env.workspaces,
          `needs ${workspacesFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          'give the deploying user read access to it (Botpress writes it beside botpress.config.json)',
        ),
      );
      continue;
    }
    // With database storage the config file is an export that nothing writes: no owner to keep.
    const writesConfig = env.botpressStorage !== 'database';
    const config = observeHostFile(`environments.${name}.configFile`, env.configFile, configFile);
    const foreign =
      deployer !== READ_ONLY && envFile && env.secret?.envFile
        ? foreignEnvFileProblem(envFile, `environments.${name}.secret.envFile`, env.secret.envFile)
        : undefined;
    if (foreign) errors.push(foreign);
    const secretFile =
      envFile && env.secret?.envFile
        ? observeHostFile(`environments.${name}.secret.envFile`, env.secret.envFile, envFile)
        : undefined;
    // workspaces.json changes only when the settings name workspaces or remove the strategy;
    // otherwise it is installed as it is, which needs no rights over it.
    const changesWorkspaces = writesConfig && (env.workspaces !== undefined || env.enabled === false);
    const workspaces =
      workspacesConfig !== undefined && changesWorkspaces
        ? observeHostFile(`environments.${name}.workspaces`, 'workspaces.json', workspacesFile)
        : undefined;
    // Windows has no POSIX owners to keep (the installer replaces the file, inheriting the folder's ACL).
    if (deployer !== READ_ONLY && process.platform !== 'win32') {
      for (const observed of [writesConfig ? config : undefined, secretFile, workspaces]) {
        if (!observed) continue;
        const problem =
          ownershipProblem(observed, deployer) ??
          stageProblem(observed, observeFile(stagePathFor(observed.path)), deployer);
        if (problem) errors.push(problem);
      }
    }
    if (deployer !== READ_ONLY && !env.backend) {
      const stateFile = localStateFileName(name);
      const problem = upgradeProblem(path.join(projectDir, stateFile), stateFile, name);
      if (problem) errors.push(problem);
    }
    environments.push({
      name,
      settings: env,
      configFile,
      baseConfig,
      envFile,
      configFileAttributes: config.file,
      envFileAttributes: secretFile?.file,
      workspacesFile,
      workspacesConfig,
    });
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new SsoInputErrors(errors);
  return { settingsFile: absolute, environments };
}
